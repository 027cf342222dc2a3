"""Local order, return, shipping, profile, promotion and review services over the snapshot.

Calls about a customer only ever see that customer's data: someone else's order is
`NotFound` with the same message as an order that does not exist.
"""

from __future__ import annotations

from datetime import date

from mangaassist.domain.store import (
    CustomerProfile,
    Order,
    Promotion,
    ReturnEligibility,
    ReturnReason,
    Review,
    ShippingOption,
    Tier,
    TrackingInfo,
)
from mangaassist.store.errors import InvalidArgument, NotFound
from mangaassist.store.local import eligibility, validate
from mangaassist.store.local.snapshot import Snapshot

TIERS: frozenset[str] = frozenset({"guest", "member", "prime"})
REASONS: frozenset[str] = frozenset({"changed_mind", "damaged", "wrong_item", "defective", "other"})


def owned_order(snapshot: Snapshot, customer_id: str, order_id: str, service: str) -> Order:
    validate.customer_id(customer_id, service)
    validate.order_id(order_id, service)
    order = snapshot.orders.get(order_id)
    if order is None or order.customer_id != customer_id:
        raise NotFound(f"no order {order_id} for this customer", service=service)
    return order


class LocalOrders:
    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot

    async def list_orders(self, customer_id: str, limit: int = 10) -> list[Order]:
        validate.customer_id(customer_id, "orders")
        limit = validate.limit(limit, most=100, service="orders")
        return self.snapshot.orders_by_customer.get(customer_id, [])[:limit]

    async def get_order(self, customer_id: str, order_id: str) -> Order:
        return owned_order(self.snapshot, customer_id, order_id, "orders")


class LocalReturns:
    def __init__(self, snapshot: Snapshot, today: date) -> None:
        self.snapshot, self.today = snapshot, today

    async def check_eligibility(
        self, customer_id: str, order_id: str, asin: str, reason: ReturnReason | None = None
    ) -> ReturnEligibility:
        order = owned_order(self.snapshot, customer_id, order_id, "returns")
        validate.asin(asin, "returns")
        if reason is not None and reason not in REASONS:
            raise InvalidArgument(f"unknown return reason: {reason!r}", service="returns")
        product = self.snapshot.products.get(asin)
        digital = product is not None and product.medium == "digital"
        return eligibility.check(order, asin, digital=digital, reason=reason, today=self.today)


class LocalShipping:
    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot

    def region(self, region: str) -> str:
        if not isinstance(region, str) or not validate.REGION_RE.match(region):
            raise InvalidArgument(
                f"region must be a two-letter code, got {region!r}", service="shipping"
            )
        code = region.upper()
        return "EU" if code in self.snapshot.eu_countries else code

    async def options(self, region: str, tier: Tier = "guest") -> list[ShippingOption]:
        code = self.region(region)
        if tier not in TIERS:
            raise InvalidArgument(f"unknown tier: {tier!r}", service="shipping")
        prime = tier == "prime"
        return [
            ShippingOption(
                option_id=o.option_id,
                region=o.region,
                name=o.name,
                name_ja=o.name_ja,
                price=o.prime_price if prime and o.prime_price is not None else o.price,
                currency=o.currency,
                min_days=o.min_days,
                max_days=o.max_days,
                free_over=o.free_over,
                prime_only=o.prime_only,
            )
            for o in self.snapshot.shipping
            if o.region == code and (prime or not o.prime_only)
        ]

    async def track(self, customer_id: str, order_id: str) -> TrackingInfo:
        order = owned_order(self.snapshot, customer_id, order_id, "shipping")
        return TrackingInfo(
            order_id=order.order_id,
            carrier=order.carrier,
            tracking_number=order.tracking_number,
            status=order.status,
            eta=order.eta,
            events=self.snapshot.events.get(order_id, ()),
        )


class LocalProfiles:
    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot

    async def get_profile(self, customer_id: str) -> CustomerProfile:
        validate.customer_id(customer_id, "profile")
        profile = self.snapshot.customers.get(customer_id)
        if profile is None:
            raise NotFound(f"no customer {customer_id}", service="profile")
        return profile

    async def purchased_asins(self, customer_id: str) -> list[str]:
        await self.get_profile(customer_id)
        seen: dict[str, None] = {}
        for order in self.snapshot.orders_by_customer.get(customer_id, []):
            if order.status != "cancelled":
                seen.update((item.asin, None) for item in order.items)
        return list(seen)


class LocalPromotions:
    def __init__(self, snapshot: Snapshot, today: date) -> None:
        self.snapshot, self.today = snapshot, today

    async def active(self, on: date | None = None) -> list[Promotion]:
        day = on or self.today
        return [p for p in self.snapshot.promotions if p.starts <= day <= p.ends]


class LocalReviews:
    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot

    async def for_product(self, asin: str, limit: int = 5) -> list[Review]:
        validate.asin(asin, "reviews")
        limit = validate.limit(limit, most=50, service="reviews")
        if asin not in self.snapshot.products:
            raise NotFound(f"no product with ASIN {asin}", service="reviews")
        return self.snapshot.reviews.get(asin, [])[:limit]
