"""The storefront process: opens the demo store, serves it, stops on SIGTERM/SIGINT."""

from __future__ import annotations

import asyncio
import gc
from pathlib import Path

from mangaassist.config import Settings
from mangaassist.store.protocols import StoreServices
from mangaassist.storefront.server import Addresses, install_stop_signals, serve


def open_demo_store(settings: Settings, db: Path | None) -> StoreServices:
    """The local services over `db` (else `store.db_path`), building the demo store if needed."""
    from mangaassist.store.local import ensure_demo_store, open_local_services

    if db is not None:
        store = settings.store.model_copy(update={"db_path": db})
        settings = settings.model_copy(update={"store": store})
    services = open_local_services(ensure_demo_store(settings), today=settings.store.today)
    # The store is read into memory once and never changes: move it out of the cyclic GC's
    # reach so full collections (pauses of tens of ms over ~10^6 objects) stop hitting p99.
    gc.freeze()
    return services


def _announce(addresses: Addresses) -> None:
    print(addresses.ready_line(), flush=True)


async def run(
    services: StoreServices, settings: Settings, *, host: str, port: int, grpc_port: int
) -> None:
    """Serve `services` over REST and gRPC until SIGTERM or SIGINT."""
    stop = asyncio.Event()
    install_stop_signals(stop)
    key = settings.storefront.api_key
    await serve(
        services,
        host=host,
        port=port,
        grpc_port=grpc_port,
        api_key=key.get_secret_value() if key else None,
        stop=stop,
        on_ready=_announce,
    )
