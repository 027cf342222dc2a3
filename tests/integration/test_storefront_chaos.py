"""The storefront process dies mid-run: breakers open, critical calls fail fast with a typed
error, non-critical ones degrade to empty, and everything recovers after a restart."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any, Literal

import pytest

from mangaassist.app import open_store_services
from mangaassist.config import ResilienceSettings, Settings, StoreSettings, load_settings
from mangaassist.store.errors import CircuitOpen, StoreError
from mangaassist.store.local import ensure_demo_store
from mangaassist.store.protocols import StoreServices
from mangaassist.storefront.launcher import StorefrontProcess

TODAY = date(2026, 11, 1)
CUSTOMER = "C10001"
#: Bound on waiting for recovery after the restart; the breaker re-probes after 1 s.
RECOVERY_DEADLINE_S = 30.0
POLL_S = 0.1

RESILIENCE = ResilienceSettings(
    retry_attempts=2,
    backoff_base_s=0.01,
    backoff_max_s=0.05,
    breaker_window_s=30.0,
    breaker_min_calls=4,
    breaker_failure_rate=0.5,
    breaker_open_s=1.0,
    breaker_half_open_fraction=1.0,
    breaker_probe_successes=1,
)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("storefront") / "store.sqlite3"
    return ensure_demo_store(load_settings(store={"db_path": db, "today": TODAY}))


@pytest.fixture
def storefront(demo_db: Path) -> Iterator[StorefrontProcess]:
    process = StorefrontProcess(demo_db, env={"MANGAASSIST_STORE__TODAY": TODAY.isoformat()})
    process.start()
    yield process
    process.close()


def _settings(storefront: StorefrontProcess, backend: Literal["http", "grpc"]) -> Settings:
    assert storefront.addresses is not None
    store = StoreSettings(
        backend=backend,
        http_url=storefront.addresses.rest_url,
        grpc_target=storefront.addresses.grpc_target,
        timeout_s=2.0,
    )
    return load_settings(store=store, resilience=RESILIENCE)


async def _until_circuit_open(call: Callable[[], Awaitable[Any]]) -> list[type[StoreError]]:
    """Call until the breaker rejects; every failure on the way must be a typed store error."""
    seen: list[type[StoreError]] = []
    for _ in range(20):
        try:
            await call()
        except StoreError as exc:
            seen.append(type(exc))
            if isinstance(exc, CircuitOpen):
                return seen
    raise AssertionError(f"breaker never opened; saw {seen}")


async def _until_ok(call: Callable[[], Awaitable[Any]]) -> Any:
    deadline = time.monotonic() + RECOVERY_DEADLINE_S
    while True:
        try:
            return await call()
        except StoreError:
            if time.monotonic() > deadline:
                raise
        await asyncio.sleep(POLL_S)


@pytest.mark.parametrize("backend", ["http", "grpc"])
async def test_kill_open_degrade_recover(
    storefront: StorefrontProcess, backend: Literal["http", "grpc"]
) -> None:
    async with open_store_services(_settings(storefront, backend)) as services:
        products = await services.catalog.list_products(0, 200)
        asins = [p.asin for p in products[:10]]
        reviewed = await _first_reviewed(services, [p.asin for p in products])
        assert await services.pricing.get_prices(asins)
        assert await services.promotions.active()
        assert await services.profiles.purchased_asins(CUSTOMER)

        storefront.kill()

        # Critical services: typed errors, then the open breaker rejects without calling.
        for call in (
            lambda: services.catalog.get_many(asins),
            lambda: services.pricing.get_prices(asins),
        ):
            seen = await _until_circuit_open(call)
            assert seen[-1] is CircuitOpen
            started = time.monotonic()
            with pytest.raises(CircuitOpen):
                await call()
            assert time.monotonic() - started < 0.5  # rejected, not attempted
        with pytest.raises(StoreError):
            await services.profiles.get_profile(CUSTOMER)

        # Non-critical services degrade to empty answers instead of failing the turn.
        for _ in range(RESILIENCE.breaker_min_calls + 2):
            assert await services.promotions.active() == []
            assert await services.reviews.for_product(reviewed) == []
            assert await services.profiles.purchased_asins(CUSTOMER) == []

        storefront.start()

        assert len(await _until_ok(lambda: services.catalog.get_many(asins))) == len(asins)
        assert len(await _until_ok(lambda: services.pricing.get_prices(asins))) == len(asins)
        assert await _until_ok(lambda: services.profiles.get_profile(CUSTOMER))
        assert await _until_ok(_non_empty(services.promotions.active))
        assert await _until_ok(_non_empty(lambda: services.reviews.for_product(reviewed)))
        assert await _until_ok(_non_empty(lambda: services.profiles.purchased_asins(CUSTOMER)))


async def _first_reviewed(services: StoreServices, asins: list[str]) -> str:
    for asin in asins:
        if await services.reviews.for_product(asin, 1):
            return asin
    raise AssertionError("no reviewed product in the demo store sample")


def _non_empty(call: Callable[[], Awaitable[list[Any]]]) -> Callable[[], Awaitable[list[Any]]]:
    """Degraded calls answer `[]` rather than raising; treat that as not recovered yet."""

    async def checked() -> list[Any]:
        found = await call()
        if not found:
            raise StoreError("still degraded")
        return found

    return checked
