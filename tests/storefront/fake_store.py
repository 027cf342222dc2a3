"""An in-memory StoreServices with a handful of facts, for tests of the REST and gRPC layers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from mangaassist.domain.store import (
    CustomerProfile,
    EligibilityV2,
    Order,
    OrderItem,
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
    is_asin,
)
from mangaassist.store.errors import InvalidArgument, NotFound
from mangaassist.store.protocols import CatalogQuery, StoreServices

TODAY = date(2026, 11, 20)


def make_series(series_id: str, title: str) -> Series:
    return Series(
        series_id=series_id,
        title_en=title,
        title_ja=f"{title}（日本語）",
        title_romaji=title.lower(),
        authors=("Aki Mori",),
        demographic="shounen",
        genres=("adventure",),
        publisher="Hoshi Books",
        magazine="Weekly Hoshi",
        first_year=2015,
        status="ongoing",
        volumes=3,
        age_rating="teen",
        synopsis=f"A story called {title}.",
        synopsis_ja="物語。",
    )


def make_product(asin: str, series_id: str, volume: int, price: str, stock: int = 5) -> Product:
    return Product(
        asin=asin,
        series_id=series_id,
        title=f"{series_id} volume {volume}",
        title_ja=f"{series_id} 第{volume}巻",
        format="volume",
        volume=volume,
        language="en",
        medium="print",
        currency="USD",
        price=Decimal(price),
        list_price=Decimal("12.99"),
        stock=stock,
        release_date=date(2020, 1, volume),
        rating=4.5,
        rating_count=10,
        seller="Hoshi Books",
        trust_score=0.9,
        description="A volume.",
    )


def _order(order_id: str, customer_id: str, asin: str) -> Order:
    return Order(
        order_id=order_id,
        customer_id=customer_id,
        placed_at=datetime(2026, 11, 1, 10, 0),
        status="shipped",
        carrier="Yamato",
        tracking_number="TN1",
        eta=date(2026, 11, 25),
        items=(
            OrderItem(
                asin=asin, title="vol", quantity=1, unit_price=Decimal("9.99"), currency="USD"
            ),
        ),
        total=Decimal("9.99"),
        currency="USD",
        region="US",
    )


def _check_asin(asin: str) -> None:
    if not is_asin(asin):
        raise InvalidArgument(f"not an ASIN: {asin!r}", service="catalog")


@dataclass
class FakeStore:
    """Implements all eight store protocols over plain dictionaries."""

    series: dict[str, Series] = field(default_factory=dict)
    products: dict[str, Product] = field(default_factory=dict)
    orders: dict[str, Order] = field(default_factory=dict)
    profiles: dict[str, CustomerProfile] = field(default_factory=dict)

    # catalog
    async def get(self, asin: str) -> Product:
        _check_asin(asin)
        if asin not in self.products:
            raise NotFound(f"no product {asin}", service="catalog")
        return self.products[asin]

    async def get_many(self, asins: Sequence[str]) -> dict[str, Product]:
        for asin in asins:
            _check_asin(asin)
        return {a: self.products[a] for a in asins if a in self.products}

    async def search(self, query: CatalogQuery) -> list[Product]:
        found = [
            p
            for p in sorted(self.products.values(), key=lambda p: p.asin)
            if (query.text is None or query.text.lower() in p.title.lower())
            and (query.series_id is None or p.series_id == query.series_id)
            and (query.max_price is None or p.price <= query.max_price)
            and (not query.in_stock_only or p.stock > 0)
        ]
        return found[: query.limit]

    async def get_series(self, series_id: str) -> Series:
        if series_id not in self.series:
            raise NotFound(f"no series {series_id}", service="catalog")
        return self.series[series_id]

    async def list_series(self) -> list[Series]:
        return sorted(self.series.values(), key=lambda s: s.series_id)

    async def list_products(self, offset: int = 0, limit: int = 500) -> list[Product]:
        return sorted(self.products.values(), key=lambda p: p.asin)[offset : offset + limit]

    # pricing
    async def get_prices(self, asins: Sequence[str]) -> dict[str, Price]:
        for asin in asins:
            _check_asin(asin)
        return {
            a: Price(asin=a, currency=p.currency, price=p.price, list_price=p.list_price)
            for a, p in self.products.items()
            if a in asins
        }

    # orders
    async def list_orders(self, customer_id: str, limit: int = 10) -> list[Order]:
        mine = [o for o in self.orders.values() if o.customer_id == customer_id]
        return sorted(mine, key=lambda o: o.placed_at, reverse=True)[:limit]

    async def get_order(self, customer_id: str, order_id: str) -> Order:
        order = self.orders.get(order_id)
        if order is None or order.customer_id != customer_id:
            raise NotFound(f"no order {order_id}", service="orders")
        return order

    # returns
    async def check_eligibility(
        self,
        customer_id: str,
        order_id: str,
        asin: str,
        reason: ReturnReason | None = None,
    ) -> ReturnEligibility:
        order = await self.get_order(customer_id, order_id)
        in_order = any(item.asin == asin for item in order.items)
        v2 = EligibilityV2(
            eligible=in_order,
            reason="within_window" if in_order else "item_not_in_order",
            deadline=date(2026, 12, 1) if in_order else None,
            message="ok" if in_order else "not in this order",
        )
        return ReturnEligibility(order_id=order_id, asin=asin, eligible=in_order, eligibility_v2=v2)

    # shipping
    async def options(self, region: str, tier: Tier = "guest") -> list[ShippingOption]:
        standard = ShippingOption(
            option_id=f"{region}-std",
            region=region,
            name="Standard",
            name_ja="通常配送",
            price=Decimal("4.99"),
            currency="USD",
            min_days=3,
            max_days=5,
            free_over=Decimal("35"),
        )
        return (
            [standard] if tier != "prime" else [standard.model_copy(update={"price": Decimal("0")})]
        )

    async def track(self, customer_id: str, order_id: str) -> TrackingInfo:
        order = await self.get_order(customer_id, order_id)
        return TrackingInfo(
            order_id=order_id,
            carrier=order.carrier,
            tracking_number=order.tracking_number,
            status=order.status,
            eta=order.eta,
        )

    # profiles
    async def get_profile(self, customer_id: str) -> CustomerProfile:
        if customer_id not in self.profiles:
            raise NotFound(f"no customer {customer_id}", service="profiles")
        return self.profiles[customer_id]

    async def purchased_asins(self, customer_id: str) -> list[str]:
        orders = await self.list_orders(customer_id, limit=1000)
        return sorted({item.asin for o in orders for item in o.items})

    # promotions
    async def active(self, on: date | None = None) -> list[Promotion]:
        day = on or TODAY
        promo = Promotion(
            promo_id="P1",
            title="Autumn sale",
            title_ja="秋のセール",
            description="10% off.",
            description_ja="10%オフ。",
            discount_percent=10,
            starts=date(2026, 11, 1),
            ends=date(2026, 11, 30),
        )
        return [promo] if promo.starts <= day <= promo.ends else []

    # reviews
    async def for_product(self, asin: str, limit: int = 5) -> list[Review]:
        await self.get(asin)
        review = Review(
            review_id=f"R-{asin}",
            asin=asin,
            rating=5,
            title="Great",
            body="Loved it.",
            author="reader",
            language="en",
            created=date(2026, 10, 1),
        )
        return [review][:limit]


def fake_store() -> FakeStore:
    store = FakeStore()
    for series_id, title in (("S-ONE", "Star Road"), ("S-TWO", "Moon Gate")):
        store.series[series_id] = make_series(series_id, title)
    store.products = {
        "B0AAAAAAA1": make_product("B0AAAAAAA1", "S-ONE", 1, "9.99"),
        "B0AAAAAAA2": make_product("B0AAAAAAA2", "S-ONE", 2, "10.99", stock=0),
        "B0BBBBBBB1": make_product("B0BBBBBBB1", "S-TWO", 1, "7.50"),
    }
    store.orders = {
        "O-1": _order("O-1", "C-1", "B0AAAAAAA1"),
        "O-2": _order("O-2", "C-2", "B0BBBBBBB1"),
    }
    store.profiles["C-1"] = CustomerProfile(
        customer_id="C-1",
        display_name="Yui",
        tier="member",
        region="US",
        preferred_language="en",
        joined=date(2024, 5, 1),
    )
    return store


def fake_services(store: FakeStore | None = None) -> StoreServices:
    s = store or fake_store()
    return StoreServices(
        catalog=s,
        pricing=s,
        orders=s,
        returns=s,
        shipping=s,
        profiles=s,
        promotions=s,
        reviews=s,
    )
