"""Store services wrapped in timeout, circuit breaker and read retries, one breaker per service.

`wrap_services(services, settings.resilience, timeout_s=settings.store.timeout_s)` returns a
`ResilientStore` whose `.services` implement the same protocols. Criticality:

| service                    | on failure or open breaker                                  |
|----------------------------|-------------------------------------------------------------|
| catalog, pricing           | critical: the typed `StoreError` propagates                 |
| orders, returns, shipping  | critical for their routes: the typed `StoreError` propagates |
| promotions, reviews        | degrade: empty list, counted in `degraded`                  |
| profiles                   | `purchased_asins` degrades to `[]`; `get_profile` propagates |

`get_profile` never degrades: a neutral profile would have to invent a tier, region and
language, which feed shipping quotes and answers, so the caller treats the error as
"no personalisation" instead. `NotFound` and `InvalidArgument` are answers, not failures:
they propagate everywhere, are never retried, and count as successes for the breaker.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

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
from mangaassist.resilience import (
    SYSTEM_CLOCK,
    BreakerConfig,
    BreakerRegistry,
    BreakerSnapshot,
    CallGuard,
    CircuitBreaker,
    Clock,
    Retrier,
    RetryPolicy,
)
from mangaassist.store.errors import (
    BadResponse,
    CircuitOpen,
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

#: Whether a failure of the service fails the caller (True) or degrades to a neutral value.
CRITICAL: Mapping[str, bool] = {
    "catalog": True,
    "pricing": True,
    "orders": True,
    "returns": True,
    "shipping": True,
    "profiles": False,
    "promotions": False,
    "reviews": False,
}


def is_store_failure(exc: BaseException) -> bool:
    """What counts against a store breaker: failing `StoreError`s and timeouts."""
    if isinstance(exc, StoreError):
        return exc.counts_as_failure
    return isinstance(exc, TimeoutError)


def is_retryable(exc: BaseException) -> bool:
    return isinstance(exc, Unavailable | StoreTimeout | BadResponse)


def degrades_on(exc: BaseException) -> bool:
    """Errors a non-critical service hides behind a neutral value."""
    return is_store_failure(exc) or isinstance(exc, CircuitOpen)


def _circuit_open(name: str) -> Exception:
    return CircuitOpen(f"{name} service circuit breaker is open", service=name)


def _store_timeout(name: str, timeout_s: float) -> Exception:
    return StoreTimeout(f"{name} service did not answer within {timeout_s:g} s", service=name)


class ResilientCatalog(CatalogService):
    def __init__(self, inner: CatalogService, guard: CallGuard) -> None:
        self._inner, self._guard = inner, guard

    async def get(self, asin: str) -> Product:
        return await self._guard.read(lambda: self._inner.get(asin))

    async def get_many(self, asins: Sequence[str]) -> dict[str, Product]:
        return await self._guard.read(lambda: self._inner.get_many(asins))

    async def search(self, query: CatalogQuery) -> list[Product]:
        return await self._guard.read(lambda: self._inner.search(query))

    async def get_series(self, series_id: str) -> Series:
        return await self._guard.read(lambda: self._inner.get_series(series_id))

    async def list_series(self) -> list[Series]:
        return await self._guard.read(self._inner.list_series)

    async def list_products(self, offset: int = 0, limit: int = 500) -> list[Product]:
        return await self._guard.read(lambda: self._inner.list_products(offset, limit))


class ResilientPricing(PricingService):
    def __init__(self, inner: PricingService, guard: CallGuard) -> None:
        self._inner, self._guard = inner, guard

    async def get_prices(self, asins: Sequence[str]) -> dict[str, Price]:
        return await self._guard.read(lambda: self._inner.get_prices(asins))


class ResilientOrders(OrderService):
    def __init__(self, inner: OrderService, guard: CallGuard) -> None:
        self._inner, self._guard = inner, guard

    async def list_orders(self, customer_id: str, limit: int = 10) -> list[Order]:
        return await self._guard.read(lambda: self._inner.list_orders(customer_id, limit))

    async def get_order(self, customer_id: str, order_id: str) -> Order:
        return await self._guard.read(lambda: self._inner.get_order(customer_id, order_id))


class ResilientReturns(ReturnService):
    def __init__(self, inner: ReturnService, guard: CallGuard) -> None:
        self._inner, self._guard = inner, guard

    async def check_eligibility(
        self,
        customer_id: str,
        order_id: str,
        asin: str,
        reason: ReturnReason | None = None,
    ) -> ReturnEligibility:
        # A read: it asks whether a return is possible, it does not start one.
        return await self._guard.read(
            lambda: self._inner.check_eligibility(customer_id, order_id, asin, reason)
        )


class ResilientShipping(ShippingService):
    def __init__(self, inner: ShippingService, guard: CallGuard) -> None:
        self._inner, self._guard = inner, guard

    async def options(self, region: str, tier: Tier = "guest") -> list[ShippingOption]:
        return await self._guard.read(lambda: self._inner.options(region, tier))

    async def track(self, customer_id: str, order_id: str) -> TrackingInfo:
        return await self._guard.read(lambda: self._inner.track(customer_id, order_id))


class ResilientProfiles(ProfileService):
    def __init__(self, inner: ProfileService, guard: CallGuard) -> None:
        self._inner, self._guard = inner, guard

    async def get_profile(self, customer_id: str) -> CustomerProfile:
        return await self._guard.read(lambda: self._inner.get_profile(customer_id))

    async def purchased_asins(self, customer_id: str) -> list[str]:
        return await self._guard.read(
            lambda: self._inner.purchased_asins(customer_id), neutral=list
        )


class ResilientPromotions(PromotionService):
    def __init__(self, inner: PromotionService, guard: CallGuard) -> None:
        self._inner, self._guard = inner, guard

    async def active(self, on: date | None = None) -> list[Promotion]:
        return await self._guard.read(lambda: self._inner.active(on), neutral=list)


class ResilientReviews(ReviewService):
    def __init__(self, inner: ReviewService, guard: CallGuard) -> None:
        self._inner, self._guard = inner, guard

    async def for_product(self, asin: str, limit: int = 5) -> list[Review]:
        return await self._guard.read(lambda: self._inner.for_product(asin, limit), neutral=list)


@dataclass(frozen=True, slots=True)
class DependencyStatus:
    name: str
    critical: bool
    breaker: BreakerSnapshot
    #: Calls answered with a neutral value because the service failed.
    degraded: int
    #: Read retries made (attempts after the first).
    retries: int


@dataclass(frozen=True, slots=True)
class ResilientStore:
    """The wrapped services plus what metrics and health checks need to observe them."""

    services: StoreServices
    breakers: BreakerRegistry
    guards: Mapping[str, CallGuard]

    def status(self) -> dict[str, DependencyStatus]:
        return {
            name: DependencyStatus(
                name=name,
                critical=guard.critical,
                breaker=guard.breaker.snapshot(),
                degraded=guard.degraded,
                retries=guard.retrier.retries,
            )
            for name, guard in self.guards.items()
        }

    def degraded(self) -> dict[str, int]:
        return {name: guard.degraded for name, guard in self.guards.items()}


def guard_for(
    name: str,
    settings: ResilienceSettings,
    *,
    timeout_s: float,
    clock: Clock = SYSTEM_CLOCK,
    rng: Callable[[], float] = random.random,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> CallGuard:
    """The call guard of one store service (`name` is a key of `CRITICAL`)."""
    if name not in CRITICAL:
        raise ValueError(f"unknown store service {name!r}; expected one of {', '.join(CRITICAL)}")
    breaker = CircuitBreaker(
        name,
        BreakerConfig.from_settings(settings),
        clock=clock,
        rng=rng,
        is_failure=is_store_failure,
        open_error=_circuit_open,
    )
    return CallGuard(
        breaker,
        Retrier(RetryPolicy.from_settings(settings), retryable=is_retryable, sleep=sleep),
        timeout_s=timeout_s,
        timeout_error=_store_timeout,
        critical=CRITICAL[name],
        degrades_on=degrades_on,
    )


def wrap_services(
    services: StoreServices,
    settings: ResilienceSettings,
    *,
    timeout_s: float,
    clock: Clock = SYSTEM_CLOCK,
    rng: Callable[[], float] = random.random,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> ResilientStore:
    """Wrap every service; `rng` decides half-open probes, `sleep` waits between retries."""
    guards = {
        name: guard_for(name, settings, timeout_s=timeout_s, clock=clock, rng=rng, sleep=sleep)
        for name in CRITICAL
    }
    registry = BreakerRegistry()
    for guard in guards.values():
        registry.register(guard.breaker)
    wrapped = StoreServices(
        catalog=ResilientCatalog(services.catalog, guards["catalog"]),
        pricing=ResilientPricing(services.pricing, guards["pricing"]),
        orders=ResilientOrders(services.orders, guards["orders"]),
        returns=ResilientReturns(services.returns, guards["returns"]),
        shipping=ResilientShipping(services.shipping, guards["shipping"]),
        profiles=ResilientProfiles(services.profiles, guards["profiles"]),
        promotions=ResilientPromotions(services.promotions, guards["promotions"]),
        reviews=ResilientReviews(services.reviews, guards["reviews"]),
    )
    return ResilientStore(services=wrapped, breakers=registry, guards=guards)
