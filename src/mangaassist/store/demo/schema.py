"""SQLite layout of the demo store: one table per value type, columns named after its fields.

Writer (`write_rows`) and reader (`read_models`) share these definitions, so the file and
the domain types cannot drift apart. Tuple fields are stored as JSON text.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel

from mangaassist.domain.store import (
    CustomerProfile,
    Order,
    OrderItem,
    Product,
    Promotion,
    Review,
    Series,
    TrackingEvent,
)
from mangaassist.store.demo.sources import SellerFact, ShippingFact

SCHEMA_VERSION = 1
_M = TypeVar("_M", bound=BaseModel)


@dataclass(frozen=True)
class Table:
    name: str
    model: type[BaseModel]
    key: tuple[str, ...]
    prefix: tuple[str, ...] = ()
    suffix: tuple[str, ...] = ()
    skip: tuple[str, ...] = ()
    indexes: tuple[str, ...] = ()

    @property
    def fields(self) -> list[str]:
        return [f for f in self.model.model_fields if f not in self.skip]

    @property
    def columns(self) -> list[str]:
        return [*self.prefix, *self.fields, *self.suffix]


TABLES = {
    t.name: t
    for t in (
        Table("series", Series, ("series_id",)),
        Table("products", Product, ("asin",), indexes=("series_id",)),
        Table("customers", CustomerProfile, ("customer_id",)),
        Table(
            "orders",
            Order,
            ("order_id",),
            suffix=("shipping_option",),
            skip=("items",),
            indexes=("customer_id",),
        ),
        Table("order_items", OrderItem, ("order_id", "position"), prefix=("order_id", "position")),
        Table(
            "tracking_events",
            TrackingEvent,
            ("order_id", "position"),
            prefix=("order_id", "position"),
        ),
        Table("shipping_options", ShippingFact, ("option_id",)),
        Table("promotions", Promotion, ("promo_id",)),
        Table("reviews", Review, ("review_id",), indexes=("asin",)),
        Table("sellers", SellerFact, ("seller_id",)),
    )
}


def create(conn: sqlite3.Connection) -> None:
    for table in TABLES.values():
        cols = ", ".join(table.columns)
        conn.execute(f"CREATE TABLE {table.name} ({cols}, PRIMARY KEY ({', '.join(table.key)}))")
        for column in table.indexes:
            conn.execute(f"CREATE INDEX {table.name}_{column} ON {table.name} ({column})")
    conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")


def _cell(value: Any) -> Any:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, list | dict) else value


def write_rows(
    conn: sqlite3.Connection,
    name: str,
    models: Iterable[BaseModel],
    prefix: Sequence[Sequence[Any]] | None = None,
    suffix: Sequence[Sequence[Any]] | None = None,
) -> int:
    table = TABLES[name]
    rows = []
    for index, model in enumerate(models):
        dumped = model.model_dump(mode="json")
        row = [_cell(dumped[f]) for f in table.fields]
        rows.append([*(prefix[index] if prefix else ()), *row, *(suffix[index] if suffix else ())])
    marks = ", ".join("?" * len(table.columns))
    conn.executemany(f"INSERT INTO {name} ({', '.join(table.columns)}) VALUES ({marks})", rows)
    return len(rows)


def _json_fields(model: type[BaseModel]) -> set[str]:
    return {
        name
        for name, info in model.model_fields.items()
        if "tuple" in str(info.annotation) or "dict" in str(info.annotation)
    }


def read_models(
    conn: sqlite3.Connection, name: str, model: type[_M], order_by: str
) -> Iterator[tuple[sqlite3.Row, _M]]:
    """Every row of `name` with its decoded model (extra columns stay readable on the row)."""
    table = TABLES[name]
    fields = table.fields
    json_fields = _json_fields(model) & set(fields)
    conn.row_factory = sqlite3.Row
    for row in conn.execute(f"SELECT * FROM {name} ORDER BY {order_by}"):
        values = {f: row[f] for f in fields}
        for f in json_fields:
            values[f] = json.loads(values[f])
        yield row, model.model_validate(values)


def write_meta(conn: sqlite3.Connection, meta: dict[str, str]) -> None:
    conn.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", sorted(meta.items()))


def read_meta(conn: sqlite3.Connection) -> dict[str, str]:
    return {str(k): str(v) for k, v in conn.execute("SELECT key, value FROM meta")}
