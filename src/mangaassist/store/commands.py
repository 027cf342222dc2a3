"""`mangaassist store …`: build the demo store, show its counts, print one product as JSON."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from datetime import date
from pathlib import Path

import typer

store_app = typer.Typer(help="Build and inspect the local demo store.", no_args_is_help=True)


def _fail(message: str, code: int = 2) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


def _parse_today(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _fail(f"--today must be a date as YYYY-MM-DD, got {value!r}") from None


def _parse_seed(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        raise _fail(f"--seed must be an integer, got {value!r}") from None


@store_app.command("build")
def build(
    seed: str | None = typer.Option(None, "--seed", help="Generator seed (default: settings)."),
    today: str | None = typer.Option(
        None, "--today", help="Reference date YYYY-MM-DD (default: settings, else today)."
    ),
    db: Path | None = typer.Option(None, "--db", help="Output SQLite file (default: settings)."),
) -> None:
    """Generate the demo store from data/ into a fresh SQLite file and print what was built."""
    from mangaassist.config import load_settings
    from mangaassist.store.demo import DataError, build_store

    settings = load_settings()
    seed_value = _parse_seed(seed)
    day = _parse_today(today) or settings.store.today or date.today()
    try:
        report = build_store(
            settings.data_dir,
            db or settings.store.db_path,
            seed=settings.store.seed if seed_value is None else seed_value,
            today=day,
        )
    except DataError as exc:
        raise _fail(str(exc).splitlines()[0]) from None
    for line in report.lines():
        typer.echo(line)


def _db_or_default(db: Path | None) -> Path:
    if db is not None:
        if not db.is_file():
            raise _fail(f"no demo store at {db}; run `mangaassist store build --db {db}`")
        return db
    from mangaassist.config import load_settings
    from mangaassist.store.demo import DataError
    from mangaassist.store.local import ensure_demo_store

    try:
        return ensure_demo_store(load_settings())
    except DataError as exc:
        raise _fail(str(exc).splitlines()[0]) from None


@store_app.command("info")
def info(
    db: Path | None = typer.Option(None, "--db", help="SQLite file (default: settings)."),
) -> None:
    """Print the row count of every table and the build facts (seed, today, data hash)."""
    from mangaassist.store.demo.schema import TABLES, read_meta

    path = _db_or_default(db)
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            meta = read_meta(conn)
            counts = {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in TABLES}
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise _fail(f"{path} is not a demo store: {exc}") from None
    typer.echo(f"demo store: {path}")
    for key in ("schema_version", "seed", "today", "data_hash"):
        typer.echo(f"{key:>16}: {meta.get(key, '?')}")
    for name, count in counts.items():
        typer.echo(f"{name:>16}: {count}")


@store_app.command("product")
def product(
    asin: str = typer.Argument(..., help="ASIN, e.g. B0ABCDEFGH."),
    db: Path | None = typer.Option(None, "--db", help="SQLite file (default: settings)."),
) -> None:
    """Print one product of the demo store as JSON."""
    from mangaassist.config import load_settings
    from mangaassist.store.errors import StoreError
    from mangaassist.store.local import open_local_services, store_today

    path = _db_or_default(db)
    services = open_local_services(path, today=store_today(load_settings()))
    try:
        found = asyncio.run(services.catalog.get(asin))
    except StoreError as exc:
        raise _fail(exc.message) from None
    typer.echo(json.dumps(found.model_dump(mode="json"), ensure_ascii=False, indent=2))
