"""The demo store read once from SQLite into memory, so every lookup is a dict access."""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

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
from mangaassist.store.demo.schema import read_meta, read_models
from mangaassist.store.demo.sources import ShippingFact
from mangaassist.store.errors import Unavailable


@dataclass
class Snapshot:
    meta: dict[str, str]
    series: dict[str, Series]
    products: dict[str, Product]
    customers: dict[str, CustomerProfile]
    orders: dict[str, Order]
    orders_by_customer: dict[str, list[Order]]
    events: dict[str, tuple[TrackingEvent, ...]]
    shipping: list[ShippingFact]
    promotions: list[Promotion]
    reviews: dict[str, list[Review]]
    genre_terms: dict[str, list[str]] = field(default_factory=dict)
    eu_countries: frozenset[str] = frozenset()
    jpy_per_usd: int = 150


def _orders(conn: sqlite3.Connection) -> dict[str, Order]:
    items: dict[str, list[OrderItem]] = defaultdict(list)
    for row, item in read_models(conn, "order_items", OrderItem, "order_id, position"):
        items[row["order_id"]].append(item)
    out = {}
    for row in conn.execute("SELECT * FROM orders ORDER BY order_id"):
        values = dict(zip(row.keys(), row, strict=True))
        values.pop("shipping_option")
        out[row["order_id"]] = Order.model_validate({**values, "items": items[row["order_id"]]})
    return out


def load_snapshot(db_path: Path) -> Snapshot:
    """Read every table of the demo store; `Unavailable` if the file is missing or broken."""
    if not db_path.is_file():
        raise Unavailable(f"demo store not found: {db_path}", service="local")
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            return _read(conn)
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise Unavailable(f"cannot read demo store {db_path}: {exc}", service="local") from exc


def _read(conn: sqlite3.Connection) -> Snapshot:
    orders = _orders(conn)
    by_customer: dict[str, list[Order]] = defaultdict(list)
    for order in sorted(orders.values(), key=lambda o: (o.placed_at, o.order_id), reverse=True):
        by_customer[order.customer_id].append(order)
    events: dict[str, list[TrackingEvent]] = defaultdict(list)
    for row, event in read_models(conn, "tracking_events", TrackingEvent, "order_id, position"):
        events[row["order_id"]].append(event)
    reviews: dict[str, list[Review]] = defaultdict(list)
    for _, review in read_models(conn, "reviews", Review, "created DESC, review_id"):
        reviews[review.asin].append(review)
    meta = read_meta(conn)
    return Snapshot(
        meta=meta,
        series={m.series_id: m for _, m in read_models(conn, "series", Series, "series_id")},
        products={m.asin: m for _, m in read_models(conn, "products", Product, "asin")},
        customers={
            m.customer_id: m
            for _, m in read_models(conn, "customers", CustomerProfile, "customer_id")
        },
        orders=orders,
        orders_by_customer=dict(by_customer),
        events={k: tuple(v) for k, v in events.items()},
        shipping=[m for _, m in read_models(conn, "shipping_options", ShippingFact, "rowid")],
        promotions=[m for _, m in read_models(conn, "promotions", Promotion, "promo_id")],
        reviews=dict(reviews),
        genre_terms=json.loads(meta.get("genre_terms", "{}")),
        eu_countries=frozenset(json.loads(meta.get("eu_countries", "[]"))),
        jpy_per_usd=int(meta.get("jpy_per_usd", "150")),
    )
