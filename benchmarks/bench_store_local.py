"""Store: local catalog batch get (10 ASINs), batch prices and search over the real demo store.

Builds the demo store from data/ into a temp file, opens the local services once, then times
each call driven on one event loop (p50/p99 in the benchmark's extra info). Target: get_many
of 10 ASINs p99 < 1 ms.

    .venv/bin/pytest benchmarks/bench_store_local.py --benchmark-only
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable, Iterator
from datetime import date
from typing import Any

import pytest
from pytest_benchmark.fixture import BenchmarkFixture

from mangaassist.config import REPO_ROOT
from mangaassist.store.demo import build_store
from mangaassist.store.local import open_local_services
from mangaassist.store.protocols import CatalogQuery, StoreServices

TODAY = date(2026, 11, 1)


@pytest.fixture(scope="module")
def services(tmp_path_factory: pytest.TempPathFactory) -> StoreServices:
    db = tmp_path_factory.mktemp("bench") / "store.sqlite3"
    build_store(REPO_ROOT / "data", db, seed=20261101, today=TODAY)
    return open_local_services(db, today=TODAY)


@pytest.fixture(scope="module")
def loop() -> Iterator[asyncio.AbstractEventLoop]:
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


@pytest.fixture(scope="module")
def batches(services: StoreServices, loop: asyncio.AbstractEventLoop) -> list[list[str]]:
    products = loop.run_until_complete(services.catalog.list_products(0, 1000))
    rng = random.Random(1)
    return [[p.asin for p in rng.sample(products, 10)] for _ in range(100)]


def percentiles(
    benchmark: BenchmarkFixture,
    loop: asyncio.AbstractEventLoop,
    make: Callable[[int], Awaitable[Any]],
    rounds: int = 5000,
) -> Any:
    counter = iter(range(10**9))
    value = benchmark.pedantic(
        lambda: loop.run_until_complete(make(next(counter))),
        rounds=rounds,
        iterations=1,
        warmup_rounds=100,
    )
    stats = benchmark.stats
    assert stats is not None
    data = sorted(stats.stats.data)
    benchmark.extra_info["p50_us"] = round(data[len(data) // 2] * 1e6, 1)
    benchmark.extra_info["p99_us"] = round(data[int(len(data) * 0.99)] * 1e6, 1)
    return value


def test_get_many_10(
    benchmark: BenchmarkFixture,
    services: StoreServices,
    loop: asyncio.AbstractEventLoop,
    batches: list[list[str]],
) -> None:
    found = percentiles(benchmark, loop, lambda i: services.catalog.get_many(batches[i % 100]))
    assert len(found) == 10


def test_get_prices_10(
    benchmark: BenchmarkFixture,
    services: StoreServices,
    loop: asyncio.AbstractEventLoop,
    batches: list[list[str]],
) -> None:
    found = percentiles(benchmark, loop, lambda i: services.pricing.get_prices(batches[i % 100]))
    assert len(found) == 10


@pytest.mark.parametrize("text", ["vinland saga 3", "ちぇんそーまん"], ids=["en", "ja"])
def test_search(
    benchmark: BenchmarkFixture,
    services: StoreServices,
    loop: asyncio.AbstractEventLoop,
    text: str,
) -> None:
    query = CatalogQuery(text=text)
    percentiles(benchmark, loop, lambda _: services.catalog.search(query), rounds=300)
