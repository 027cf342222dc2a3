"""`mangaassist storefront …`: run the reference storefront (REST + gRPC) on the demo store."""

from __future__ import annotations

import asyncio
from pathlib import Path

import typer

storefront_app = typer.Typer(
    help="The reference storefront: the store's REST and gRPC APIs over the demo store.",
    no_args_is_help=True,
)


def _fail(message: str, code: int) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


@storefront_app.command("serve")
def serve(
    host: str | None = typer.Option(
        None, help="Interface to bind (default: setting storefront.host)."
    ),
    port: int | None = typer.Option(
        None,
        min=0,
        max=65535,
        help="REST port, 0 for any free one (default: setting storefront.port).",
    ),
    grpc_port: int | None = typer.Option(
        None,
        min=0,
        max=65535,
        help="gRPC port, 0 for any free one (default: setting storefront.grpc_port).",
    ),
    db: Path | None = typer.Option(
        None, help="SQLite demo store to serve, built if missing (default: setting store.db_path)."
    ),
) -> None:
    """Serve the demo store over REST and gRPC until SIGTERM or Ctrl-C.

    Prints one line with both addresses once both listen.
    """
    import sqlite3

    from pydantic import ValidationError

    from mangaassist.config import load_settings
    from mangaassist.store.demo import DataError
    from mangaassist.storefront.process import open_demo_store, run
    from mangaassist.storefront.server import StartError

    try:
        settings = load_settings()
    except (ValidationError, FileNotFoundError) as exc:
        raise _fail(f"invalid settings: {' '.join(str(exc).split())}", 2) from exc
    try:
        services = open_demo_store(settings, db)
    except DataError as exc:
        raise _fail(f"demo data: {str(exc).splitlines()[0]}", 2) from exc
    except (OSError, sqlite3.Error) as exc:
        raise _fail(f"cannot open the demo store {db or settings.store.db_path}: {exc}", 2) from exc
    front = settings.storefront
    try:
        asyncio.run(
            run(
                services,
                settings,
                host=host or front.host,
                port=front.port if port is None else port,
                grpc_port=front.grpc_port if grpc_port is None else grpc_port,
            )
        )
    except StartError as exc:
        raise _fail(str(exc), 1) from exc
