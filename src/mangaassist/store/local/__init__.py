"""Local store services: every store protocol answered from the demo store's SQLite file.

The file is read once into memory when opened, so each call is a few dict look-ups.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

from mangaassist.config import Settings
from mangaassist.store.demo import build_store, expected_meta
from mangaassist.store.demo.schema import read_meta
from mangaassist.store.local.catalog import LocalCatalog, LocalPricing
from mangaassist.store.local.services import (
    LocalOrders,
    LocalProfiles,
    LocalPromotions,
    LocalReturns,
    LocalReviews,
    LocalShipping,
)
from mangaassist.store.local.snapshot import load_snapshot
from mangaassist.store.protocols import StoreServices

__all__ = ["ensure_demo_store", "open_local_services", "store_today"]


def open_local_services(db_path: Path, *, today: date | None) -> StoreServices:
    """All store services over the demo store at `db_path`.

    `today` drives return windows and active promotions; None means the current date.
    """
    snapshot = load_snapshot(db_path)
    today = today or date.today()
    return StoreServices(
        catalog=LocalCatalog(snapshot),
        pricing=LocalPricing(snapshot),
        orders=LocalOrders(snapshot),
        returns=LocalReturns(snapshot, today),
        shipping=LocalShipping(snapshot),
        profiles=LocalProfiles(snapshot),
        promotions=LocalPromotions(snapshot, today),
        reviews=LocalReviews(snapshot),
    )


def store_today(settings: Settings) -> date:
    return settings.store.today or date.today()


def _current_meta(db_path: Path) -> dict[str, str]:
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            return read_meta(conn)
        finally:
            conn.close()
    except sqlite3.Error:
        return {}


def ensure_demo_store(settings: Settings) -> Path:
    """The demo store's path, building it when missing or built from other data/seed/today."""
    db_path = settings.store.db_path
    today = store_today(settings)
    wanted = expected_meta(settings.data_dir, settings.store.seed, today)
    if db_path.is_file():
        current = _current_meta(db_path)
        if all(current.get(k) == v for k, v in wanted.items()):
            return db_path
    build_store(settings.data_dir, db_path, seed=settings.store.seed, today=today)
    return db_path
