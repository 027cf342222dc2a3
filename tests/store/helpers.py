"""Reading a built demo store back for assertions."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from mangaassist.domain.store import Order, Product
from mangaassist.store.local.snapshot import Snapshot, load_snapshot


def dump(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    conn = sqlite3.connect(db)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {t: list(conn.execute(f"SELECT * FROM {t} ORDER BY rowid")) for t in sorted(tables)}
    finally:
        conn.close()


def snapshot(db: Path) -> Snapshot:
    return load_snapshot(db)


def products(db: Path) -> list[Product]:
    return list(load_snapshot(db).products.values())


def orders(db: Path) -> list[Order]:
    return list(load_snapshot(db).orders.values())
