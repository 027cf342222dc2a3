"""`build_store`: the whole demo store from data/ into a fresh SQLite file, seeded and atomic."""

from __future__ import annotations

import json
import os
import random
import sqlite3
import tempfile
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from mangaassist.domain.store import Promotion
from mangaassist.store.demo.catalog import build_catalog
from mangaassist.store.demo.orders import build_orders
from mangaassist.store.demo.people import build_customers
from mangaassist.store.demo.reviews import build_reviews
from mangaassist.store.demo.schema import SCHEMA_VERSION, create, write_meta, write_rows
from mangaassist.store.demo.sources import DataError, DemoData, data_fingerprint, load


@dataclass(frozen=True)
class BuildReport:
    """What one build wrote, and how long it took."""

    db_path: Path
    seed: int
    today: date
    data_hash: str
    counts: dict[str, int]
    seconds: float

    def lines(self) -> list[str]:
        head = [
            f"demo store: {self.db_path}",
            f"seed {self.seed}, today {self.today}",
            f"data hash {self.data_hash[:16]}",
        ]
        body = [f"{name:>16}: {count}" for name, count in self.counts.items()]
        return [*head, *body, f"built in {self.seconds:.2f} s"]


def expected_meta(data_dir: Path, seed: int, today: date) -> dict[str, str]:
    """The meta rows a store built from these inputs carries (used to decide on a rebuild)."""
    return {
        "schema_version": str(SCHEMA_VERSION),
        "seed": str(seed),
        "today": today.isoformat(),
        "data_hash": data_fingerprint(data_dir),
    }


def runtime_meta(data: DemoData) -> dict[str, str]:
    """Facts the local services need at run time besides the tables (JSON where structured)."""
    terms = {
        key: [key, data.vocabulary.genres_ja[key], *syn]
        for key, syn in sorted(data.vocabulary.genre_synonyms.items())
    }
    return {
        "store_name": data.store.name,
        "jpy_per_usd": str(data.store.jpy_per_usd),
        "eu_countries": json.dumps(sorted(data.shipping.eu_countries)),
        "genre_terms": json.dumps(terms, ensure_ascii=False, sort_keys=True),
    }


def promotions(data: DemoData, today: date) -> list[Promotion]:
    known = {s.series_id for s in data.series}
    out = []
    for fact in data.promotions:
        series_ids = tuple(s for s in fact.series_ids if s in known)
        if fact.series_ids and not series_ids and not fact.genres:
            continue
        out.append(
            Promotion(
                promo_id=fact.promo_id,
                title=fact.title,
                title_ja=fact.title_ja,
                description=fact.description,
                description_ja=fact.description_ja,
                discount_percent=fact.discount_percent,
                starts=today + timedelta(days=fact.start_offset),
                ends=today + timedelta(days=fact.end_offset),
                series_ids=series_ids,
                genres=fact.genres,
                min_tier=fact.min_tier,
            )
        )
    return out


def _write(conn: sqlite3.Connection, data: DemoData, seed: int, today: date) -> dict[str, int]:
    rng = random.Random(seed)
    catalog = build_catalog(data, rng, today)
    customers = build_customers(data, rng, today)
    orders = build_orders(data, catalog, customers, rng, today)
    reviews = build_reviews(data, catalog, customers, rng, today)
    create(conn)
    counts = {
        "series": write_rows(conn, "series", data.series),
        "products": write_rows(conn, "products", catalog.products),
        "customers": write_rows(conn, "customers", customers),
        "orders": write_rows(
            conn, "orders", [o.order for o in orders], suffix=[(o.shipping_option,) for o in orders]
        ),
    }
    items = [(o.order.order_id, i, item) for o in orders for i, item in enumerate(o.order.items)]
    counts["order_items"] = write_rows(
        conn, "order_items", [x[2] for x in items], prefix=[x[:2] for x in items]
    )
    scans = [(o.order.order_id, i, e) for o in orders for i, e in enumerate(o.events)]
    counts["tracking_events"] = write_rows(
        conn, "tracking_events", [x[2] for x in scans], prefix=[x[:2] for x in scans]
    )
    counts["shipping_options"] = write_rows(conn, "shipping_options", data.shipping.options)
    counts["promotions"] = write_rows(conn, "promotions", promotions(data, today))
    counts["reviews"] = write_rows(conn, "reviews", reviews)
    counts["sellers"] = write_rows(conn, "sellers", data.sellers)
    return counts


def build_store(data_dir: Path, db_path: Path, *, seed: int, today: date) -> BuildReport:
    """Generate the demo store from `data_dir` into `db_path` (replaced atomically)."""
    started = time.perf_counter()
    data = load(data_dir)
    if not data.series:
        raise DataError(f"no series found under {data_dir / 'catalog' / 'series'}")
    meta = expected_meta(data_dir, seed, today)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=db_path.name + ".", suffix=".tmp", dir=db_path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        conn = sqlite3.connect(tmp)
        try:
            with conn:
                counts = _write(conn, data, seed, today)
                write_meta(conn, {**meta, **runtime_meta(data)})
        finally:
            conn.close()
        tmp.chmod(0o644)
        os.replace(tmp, db_path)
    finally:
        tmp.unlink(missing_ok=True)
    return BuildReport(
        db_path, seed, today, meta["data_hash"], counts, time.perf_counter() - started
    )
