from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from mangaassist.config import ResilienceSettings
from mangaassist.domain.store import (
    CustomerProfile,
    Order,
    Price,
    Product,
    Promotion,
    ReturnEligibility,
    ReturnReason,
    Review,
    Series,
    ShippingOption,
    Tier,
    TrackingInfo,
)
from mangaassist.resilience import BreakerState
from mangaassist.store.errors import (
    BadResponse,
    CircuitOpen,
    InvalidArgument,
    NotFound,
    StoreError,
    StoreTimeout,
    Unavailable,
)
from mangaassist.store.protocols import (
    CatalogQuery,
    CatalogService,
    OrderService,
    PricingService,
    ProfileService,
    PromotionService,
    ReturnService,
    ReviewService,
    ShippingService,
    StoreServices,
)
from mangaassist.store.resilient import CRITICAL, ResilientStore, guard_for, wrap_services
from mangaassist.testing.clock import FakeClock

ASIN = "B0ABCDEFGH"
PRICE = Price(asin=ASIN, currency="USD", price=Decimal("9.99"), list_price=Decimal("9.99"))


class FakeStore:
    """Every store protocol at once: each call pops a scripted error, else gives a plain answer.

    Methods returning one object raise `NotFound` once the script is empty, which is enough
    to count calls; list/dict methods answer with a non-empty value.
    """

    def __init__(self) -> None:
        self.script: list[BaseException] = []
        self.calls: list[str] = []
        self.hang = False

    async def _answer(self, method: str, value: Any = None) -> Any:
        self.calls.append(method)
        if self.hang:
            await asyncio.Event().wait()
        if self.script:
            raise self.script.pop(0)
        if value is None:
            raise NotFound(f"{method}: nothing here")
        return value

    async def get(self, asin: str) -> Product:
        return await self._answer("get")  # type: ignore[no-any-return]

    async def get_many(self, asins: Sequence[str]) -> dict[str, Product]:
        return await self._answer("get_many", {})  # type: ignore[no-any-return]

    async def search(self, query: CatalogQuery) -> list[Product]:
        return await self._answer("search", [])  # type: ignore[no-any-return]

    async def get_series(self, series_id: str) -> Series:
        return await self._answer("get_series")  # type: ignore[no-any-return]

    async def list_series(self) -> list[Series]:
        return await self._answer("list_series", [])  # type: ignore[no-any-return]

    async def list_products(self, offset: int = 0, limit: int = 500) -> list[Product]:
        return await self._answer("list_products", [])  # type: ignore[no-any-return]

    async def get_prices(self, asins: Sequence[str]) -> dict[str, Price]:
        return await self._answer("get_prices", {ASIN: PRICE})  # type: ignore[no-any-return]

    async def list_orders(self, customer_id: str, limit: int = 10) -> list[Order]:
        return await self._answer("list_orders", [])  # type: ignore[no-any-return]

    async def get_order(self, customer_id: str, order_id: str) -> Order:
        return await self._answer("get_order")  # type: ignore[no-any-return]

    async def check_eligibility(
        self, customer_id: str, order_id: str, asin: str, reason: ReturnReason | None = None
    ) -> ReturnEligibility:
        return await self._answer("check_eligibility")  # type: ignore[no-any-return]

    async def options(self, region: str, tier: Tier = "guest") -> list[ShippingOption]:
        return await self._answer("options", [])  # type: ignore[no-any-return]

    async def track(self, customer_id: str, order_id: str) -> TrackingInfo:
        return await self._answer("track")  # type: ignore[no-any-return]

    async def get_profile(self, customer_id: str) -> CustomerProfile:
        return await self._answer("get_profile")  # type: ignore[no-any-return]

    async def purchased_asins(self, customer_id: str) -> list[str]:
        return await self._answer("purchased_asins", [ASIN])  # type: ignore[no-any-return]

    async def active(self, on: date | None = None) -> list[Promotion]:
        return await self._answer("active", ["promo"])  # type: ignore[no-any-return]

    async def for_product(self, asin: str, limit: int = 5) -> list[Review]:
        return await self._answer("for_product", ["review"])  # type: ignore[no-any-return]


Call = Callable[[StoreServices], Awaitable[object]]

#: (service, method, call) for every method of every protocol.
METHODS: list[tuple[str, str, Call]] = [
    ("catalog", "get", lambda s: s.catalog.get(ASIN)),
    ("catalog", "get_many", lambda s: s.catalog.get_many([ASIN])),
    ("catalog", "search", lambda s: s.catalog.search(CatalogQuery(text="x"))),
    ("catalog", "get_series", lambda s: s.catalog.get_series("s")),
    ("catalog", "list_series", lambda s: s.catalog.list_series()),
    ("catalog", "list_products", lambda s: s.catalog.list_products(0, 5)),
    ("pricing", "get_prices", lambda s: s.pricing.get_prices([ASIN])),
    ("orders", "list_orders", lambda s: s.orders.list_orders("C1")),
    ("orders", "get_order", lambda s: s.orders.get_order("C1", "MA-1")),
    ("returns", "check_eligibility", lambda s: s.returns.check_eligibility("C1", "MA-1", ASIN)),
    ("shipping", "options", lambda s: s.shipping.options("US")),
    ("shipping", "track", lambda s: s.shipping.track("C1", "MA-1")),
    ("profiles", "get_profile", lambda s: s.profiles.get_profile("C1")),
    ("profiles", "purchased_asins", lambda s: s.profiles.purchased_asins("C1")),
    ("promotions", "active", lambda s: s.promotions.active()),
    ("reviews", "for_product", lambda s: s.reviews.for_product(ASIN)),
]
METHOD_IDS = [f"{service}.{method}" for service, method, _ in METHODS]
DEGRADING = {"profiles.purchased_asins", "promotions.active", "reviews.for_product"}


def services_of(fake: FakeStore) -> StoreServices:
    return StoreServices(
        catalog=fake,
        pricing=fake,
        orders=fake,
        returns=fake,
        shipping=fake,
        profiles=fake,
        promotions=fake,
        reviews=fake,
    )


def wrap(
    fake: FakeStore,
    clock: FakeClock,
    *,
    timeout_s: float = 2.0,
    rng: Callable[[], float] = lambda: 0.99,
    **overrides: Any,
) -> ResilientStore:
    settings = ResilienceSettings(**{"breaker_min_calls": 10, **overrides})
    return wrap_services(
        services_of(fake), settings, timeout_s=timeout_s, clock=clock, rng=rng, sleep=clock.sleep
    )


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def fake() -> FakeStore:
    return FakeStore()


def test_wrapped_services_implement_the_protocols(fake: FakeStore, clock: FakeClock) -> None:
    services = wrap(fake, clock).services
    for protocol, service in [
        (CatalogService, services.catalog),
        (PricingService, services.pricing),
        (OrderService, services.orders),
        (ReturnService, services.returns),
        (ShippingService, services.shipping),
        (ProfileService, services.profiles),
        (PromotionService, services.promotions),
        (ReviewService, services.reviews),
    ]:
        assert isinstance(service, protocol)
        assert service is not fake


def test_one_breaker_per_service(fake: FakeStore, clock: FakeClock) -> None:
    store = wrap(fake, clock)
    assert store.breakers.names() == list(CRITICAL)
    assert set(store.status()) == set(CRITICAL)
    assert store.degraded() == dict.fromkeys(CRITICAL, 0)


@pytest.mark.parametrize(("service", "method", "call"), METHODS, ids=METHOD_IDS)
async def test_every_method_is_a_retried_read(
    fake: FakeStore, clock: FakeClock, service: str, method: str, call: Call
) -> None:
    store = wrap(fake, clock, retry_attempts=3)
    fake.script = [Unavailable("down"), StoreTimeout("slow")]
    # Single-object methods of the fake answer NotFound once the script is empty.
    with contextlib.suppress(NotFound):
        await call(store.services)
    assert fake.calls == [method] * 3
    assert len(clock.sleeps) == 2
    assert store.status()[service].retries == 2


@pytest.mark.parametrize(("service", "method", "call"), METHODS, ids=METHOD_IDS)
async def test_exactly_one_retry_loop_per_call(
    fake: FakeStore, clock: FakeClock, service: str, method: str, call: Call
) -> None:
    store = wrap(fake, clock, retry_attempts=3, breaker_min_calls=100)
    fake.script = [BadResponse(str(n)) for n in range(20)]
    if f"{service}.{method}" in DEGRADING:
        assert await call(store.services) == []
    else:
        with pytest.raises(BadResponse):
            await call(store.services)
    assert len(fake.calls) == 3
    assert store.breakers[service].snapshot().calls == 3  # each attempt reaches the breaker


@pytest.mark.parametrize("error", [NotFound("gone"), InvalidArgument("bad id")])
async def test_answers_are_never_retried_nor_hidden(
    fake: FakeStore, clock: FakeClock, error: StoreError
) -> None:
    store = wrap(fake, clock)
    fake.script = [error]
    with pytest.raises(type(error)):
        await store.services.reviews.for_product(ASIN)
    assert fake.calls == ["for_product"]
    assert clock.sleeps == []
    assert store.degraded()["reviews"] == 0
    assert store.breakers["reviews"].snapshot().failures == 0


async def test_critical_failure_propagates_typed(fake: FakeStore, clock: FakeClock) -> None:
    store = wrap(fake, clock, retry_attempts=2)
    fake.script = [Unavailable("down", service="pricing")] * 2
    with pytest.raises(Unavailable):
        await store.services.pricing.get_prices([ASIN])
    assert store.degraded()["pricing"] == 0


@pytest.mark.parametrize(("service", "method", "call"), METHODS, ids=METHOD_IDS)
async def test_criticality(
    fake: FakeStore, clock: FakeClock, service: str, method: str, call: Call
) -> None:
    store = wrap(fake, clock, retry_attempts=1)
    fake.script = [Unavailable("down")]
    if f"{service}.{method}" in DEGRADING:
        assert await call(store.services) == []
        assert store.degraded()[service] == 1
    else:
        with pytest.raises(Unavailable):
            await call(store.services)
        assert store.degraded()[service] == 0


async def test_open_breaker_rejects_without_calling_inner(
    fake: FakeStore, clock: FakeClock
) -> None:
    store = wrap(fake, clock, retry_attempts=1, breaker_min_calls=4)
    fake.script = [Unavailable("down")] * 4
    for _ in range(4):
        with pytest.raises(Unavailable):
            await store.services.catalog.list_series()
    assert store.breakers["catalog"].snapshot().state is BreakerState.OPEN
    fake.calls.clear()
    with pytest.raises(CircuitOpen) as caught:
        await store.services.catalog.search(CatalogQuery(text="x"))
    assert caught.value.service == "catalog"
    assert fake.calls == []


async def test_open_breaker_stops_the_retry_loop(fake: FakeStore, clock: FakeClock) -> None:
    store = wrap(fake, clock, retry_attempts=5, breaker_min_calls=2)
    fake.script = [Unavailable("down")] * 10
    with pytest.raises(CircuitOpen):
        await store.services.pricing.get_prices([ASIN])
    assert len(fake.calls) == 2  # the third attempt met the open breaker


async def test_non_critical_degrades_while_open(fake: FakeStore, clock: FakeClock) -> None:
    store = wrap(fake, clock, retry_attempts=1, breaker_min_calls=2)
    fake.script = [Unavailable("down")] * 2
    for _ in range(2):
        assert await store.services.promotions.active() == []
    fake.calls.clear()
    assert await store.services.promotions.active() == []
    assert fake.calls == []
    status = store.status()["promotions"]
    assert status.degraded == 3
    assert status.breaker.rejected == 1
    assert not status.critical


async def test_breaker_recovers_through_probes(fake: FakeStore, clock: FakeClock) -> None:
    store = wrap(
        fake,
        clock,
        rng=lambda: 0.0,
        retry_attempts=1,
        breaker_min_calls=2,
        breaker_open_s=30.0,
        breaker_probe_successes=2,
    )
    fake.script = [Unavailable("down")] * 2
    for _ in range(2):
        with pytest.raises(Unavailable):
            await store.services.pricing.get_prices([ASIN])
    clock.advance(30.0)
    for _ in range(2):
        assert await store.services.pricing.get_prices([ASIN]) == {ASIN: PRICE}
    assert store.breakers["pricing"].snapshot().state is BreakerState.CLOSED


async def test_timeout_becomes_store_timeout(fake: FakeStore, clock: FakeClock) -> None:
    store = wrap(fake, clock, timeout_s=0.01, retry_attempts=2)
    fake.hang = True
    with pytest.raises(StoreTimeout, match=r"within 0\.01 s") as caught:
        await store.services.catalog.get_many([ASIN])
    assert caught.value.service == "catalog"
    assert fake.calls == ["get_many"] * 2  # a timeout is retryable
    assert store.breakers["catalog"].snapshot().failures == 2


async def test_timeout_of_non_critical_degrades(fake: FakeStore, clock: FakeClock) -> None:
    store = wrap(fake, clock, timeout_s=0.01, retry_attempts=1)
    fake.hang = True
    assert await store.services.reviews.for_product(ASIN) == []
    assert store.degraded()["reviews"] == 1


async def test_inner_timeout_error_is_not_ours(fake: FakeStore, clock: FakeClock) -> None:
    store = wrap(fake, clock, retry_attempts=1)
    fake.script = [TimeoutError("raised by the inner client")]
    with pytest.raises(TimeoutError, match="inner client"):
        await store.services.catalog.list_series()
    assert store.breakers["catalog"].snapshot().failures == 1


async def test_slow_calls_open_the_breaker(clock: FakeClock) -> None:
    class SlowStore(FakeStore):
        async def get_prices(self, asins: Sequence[str]) -> dict[str, Price]:
            clock.advance(1.5)
            return await super().get_prices(asins)

    slow = wrap_services(
        services_of(SlowStore()),
        ResilienceSettings(breaker_min_calls=3, breaker_slow_call_s=1.0),
        timeout_s=2.0,
        clock=clock,
        sleep=clock.sleep,
    )
    for _ in range(3):
        assert await slow.services.pricing.get_prices([ASIN]) == {ASIN: PRICE}
    snapshot = slow.breakers["pricing"].snapshot()
    assert snapshot.state is BreakerState.OPEN
    assert snapshot.slow == 3


def test_bad_timeout_is_rejected(fake: FakeStore, clock: FakeClock) -> None:
    with pytest.raises(ValueError, match="timeout_s must be positive"):
        wrap(fake, clock, timeout_s=0.0)


async def test_get_profile_is_never_invented(fake: FakeStore, clock: FakeClock) -> None:
    store = wrap(fake, clock, retry_attempts=1)
    fake.script = [Unavailable("down")]
    with pytest.raises(Unavailable):
        await store.services.profiles.get_profile("C1")
    assert await store.services.profiles.purchased_asins("C1") == [ASIN]


def test_guard_for_unknown_service_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="unknown store service 'basket'"):
        guard_for("basket", ResilienceSettings(), timeout_s=1.0)
