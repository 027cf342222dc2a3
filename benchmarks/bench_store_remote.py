"""Store: catalog batch get of 10 ASINs over REST and gRPC against a real storefront process.

Starts `mangaassist storefront serve` on loopback over a freshly built demo store,
then times sequential `catalog.get_many(10 ASINs)` calls through the HTTP and gRPC
clients (the same clients the assistant uses) and prints p50/p99 rows for
benchmarks/RESULTS.md. Targets p99: gRPC < 3 ms, REST < 5 ms.

    .venv/bin/python benchmarks/bench_store_remote.py [--calls 3000]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from mangaassist.config import load_settings
from mangaassist.store.grpc_client import GrpcCatalog
from mangaassist.store.http import StorefrontHttp, http_services
from mangaassist.store.local import ensure_demo_store
from mangaassist.storefront.launcher import StorefrontProcess

BATCH = 10
WARMUP = 200


def _percentile(sorted_ms: list[float], q: float) -> float:
    return sorted_ms[min(len(sorted_ms) - 1, int(len(sorted_ms) * q))]


async def _time(call: Callable[[], Awaitable[object]], calls: int) -> tuple[float, float]:
    for _ in range(WARMUP):
        await call()
    samples = []
    for _ in range(calls):
        start = time.perf_counter()
        await call()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return _percentile(samples, 0.50), _percentile(samples, 0.99)


async def _measure(rest_url: str, grpc_target: str, calls: int) -> dict[str, tuple[float, float]]:
    http = StorefrontHttp(rest_url)
    rest = http_services(http).catalog
    grpc = GrpcCatalog(grpc_target)
    asins = [p.asin for p in await rest.list_products(0, 200)][::20][:BATCH]
    assert len(asins) == BATCH, "demo store has too few products"
    for client in (rest, grpc):
        assert len(await client.get_many(asins)) == BATCH
    size, offset = 0, 0
    while page := await rest.list_products(offset, 1000):
        size, offset = size + len(page), offset + len(page)
    print(f"demo store: {len(await rest.list_series())} series, {size} products")
    results = {
        "REST (httpx → FastAPI/uvicorn)": await _time(lambda: rest.get_many(asins), calls),
        "gRPC (grpc.aio)": await _time(lambda: grpc.get_many(asins), calls),
    }
    await http.aclose()
    await grpc.aclose()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=3000, help="timed calls per transport")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "store.sqlite3"
        settings = load_settings()
        settings = settings.model_copy(
            update={"store": settings.store.model_copy(update={"db_path": db})}
        )
        ensure_demo_store(settings)
        with StorefrontProcess(db) as storefront:
            assert storefront.addresses is not None
            results = asyncio.run(
                _measure(
                    storefront.addresses.rest_url, storefront.addresses.grpc_target, args.calls
                )
            )
            storefront.stop()
    print(
        f"catalog batch get of {BATCH} ASINs, {args.calls} sequential calls, loopback, "
        f"{os.cpu_count()} cores"
    )
    print("| path | p50 ms | p99 ms |")
    print("|---|---|---|")
    for name, (p50, p99) in results.items():
        print(f"| {name} | {p50:.2f} | {p99:.2f} |")


if __name__ == "__main__":
    main()
