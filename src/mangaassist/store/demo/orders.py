"""Demo orders: the fixed scenarios of the documented customers, then ~1,500 generated ones.

Generated baskets follow taste: an anchor series drawn by genre overlap with the customer's
favourites and by popularity, then the next unread volumes or a similar series (shared genre
and demographic), so item-to-item co-purchase carries signal for recommendations.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from mangaassist.domain.store import (
    CustomerProfile,
    Order,
    OrderItem,
    OrderStatus,
    Product,
    TrackingEvent,
)
from mangaassist.store.demo.catalog import Catalog
from mangaassist.store.demo.codes import order_id
from mangaassist.store.demo.sources import DataError, DemoData, FixedOrder, ShippingFact
from mangaassist.store.demo.tracking import at, carrier_tracking_number, events, pick_carrier

ORDER_COUNT = 1500


@dataclass(frozen=True)
class DemoOrder:
    order: Order
    shipping_option: str | None
    events: tuple[TrackingEvent, ...]


class _Shelf:
    """First-party volumes by (series, language, medium), for drawing basket items."""

    def __init__(self, catalog: Catalog, first_party: str) -> None:
        self.volumes: dict[tuple[str, str, str], list[Product]] = defaultdict(list)
        for p in catalog.products:
            if p.seller == first_party and p.format == "volume":
                self.volumes[(p.series_id, p.language, p.medium)].append(p)
        for items in self.volumes.values():
            items.sort(key=lambda p: (p.volume or 0, p.asin))


class _OrderBuilder:
    def __init__(self, data: DemoData, catalog: Catalog, rng: random.Random, today: date) -> None:
        self.data, self.catalog, self.rng, self.today = data, catalog, rng, today
        first_party = next(s.name for s in data.sellers if s.first_party)
        self.shelf = _Shelf(catalog, first_party)
        self.options = {o.option_id: o for o in data.shipping.options}
        self.used_ids: set[str] = set()

    def shipping_cost(self, option: ShippingFact | None, subtotal: Decimal, prime: bool) -> Decimal:
        if option is None:
            return Decimal(0)
        if option.free_over is not None and subtotal >= option.free_over:
            return Decimal(0)
        if prime and option.prime_price is not None:
            return option.prime_price
        return option.price

    def make(
        self,
        *,
        oid: str,
        customer: CustomerProfile,
        placed: datetime,
        status: OrderStatus,
        items: list[tuple[Product, int]],
        option_id: str | None,
        arrive: date | None,
        opened: bool,
        carrier: str | None = None,
    ) -> DemoOrder:
        if not items:
            raise DataError(f"no catalog items available for order {oid}")
        currency = items[0][0].currency
        option = self.options.get(option_id) if option_id else None
        subtotal = sum((p.price * q for p, q in items), Decimal(0))
        total = subtotal + self.shipping_cost(option, subtotal, customer.tier == "prime")
        digital = items[0][0].medium == "digital"
        shipped = status in {"shipped", "in_transit", "out_for_delivery", "delivered", "returned"}
        tracking = None
        if shipped and not digital:
            carrier = carrier or pick_carrier(
                self.data.carriers, customer.region, option_id, self.rng
            )
            tracking = carrier_tracking_number(self.data.carriers, carrier, self.rng)
        else:
            carrier = None
        delivered_on = arrive if status in {"delivered", "returned"} else None
        eta = arrive if status in {"shipped", "in_transit", "out_for_delivery"} else None
        order = Order(
            order_id=oid,
            customer_id=customer.customer_id,
            placed_at=placed,
            status=status,
            carrier=carrier,
            tracking_number=tracking,
            eta=eta,
            delivered_on=delivered_on,
            items=tuple(
                OrderItem(
                    asin=p.asin,
                    title=p.title,
                    quantity=q,
                    unit_price=p.price,
                    currency=p.currency,
                    opened=opened and status == "delivered",
                )
                for p, q in items
            ),
            total=total.quantize(Decimal(1)) if currency == "JPY" else total,
            currency=currency,
            region=customer.region,
        )
        found: list[TrackingEvent] = []
        if carrier is not None and arrive is not None:
            hubs = self.data.carriers.hubs.get(customer.region, ("Warehouse", "Local depot"))
            found = events(
                carrier=carrier,
                hubs=hubs,
                status=status,
                ship_day=placed.date() + timedelta(days=1),
                arrive_day=arrive,
                today=self.today,
            )
        self.used_ids.add(oid)
        return DemoOrder(order, None if digital else option_id, tuple(found))


def _fixed_items(
    builder: _OrderBuilder,
    customer: CustomerProfile,
    fact: FixedOrder,
    placed: date,
    cursor: int,
) -> list[tuple[Product, int]]:
    plans = builder.catalog.plans
    favourites = set(customer.favourite_genres)
    ranked = sorted(
        plans.values(),
        key=lambda p: (-len(favourites & set(p.series.genres)), -p.popularity, p.series.series_id),
    )
    pool = [
        p
        for plan in ranked
        for p in builder.shelf.volumes[(plan.series.series_id, fact.language, fact.medium)]
        if p.release_date <= placed
    ]
    if not pool:
        return []
    return [(pool[(cursor + i) % len(pool)], 1) for i in range(fact.items)]


def fixed_orders(builder: _OrderBuilder, customers: list[CustomerProfile]) -> list[DemoOrder]:
    by_id = {c.customer_id: c for c in customers}
    today, out = builder.today, []
    cursor = 0
    for fact_customer in builder.data.customers.fixed:
        customer = by_id[fact_customer.customer_id]
        for fact in fact_customer.orders:
            placed_day = today + timedelta(days=fact.placed_offset)
            items = _fixed_items(builder, customer, fact, placed_day, cursor)
            cursor += fact.items
            offset = (
                fact.delivered_offset if fact.delivered_offset is not None else (fact.eta_offset)
            )
            arrive = today + timedelta(days=offset) if offset is not None else None
            out.append(
                builder.make(
                    oid=fact.order_id,
                    customer=customer,
                    placed=at(placed_day, 10, 15),
                    status=fact.status,
                    items=items,
                    option_id=fact.option,
                    arrive=arrive,
                    opened=fact.opened,
                    carrier=fact.carrier,
                )
            )
    return out


class _Taste:
    """Draws baskets for one customer, remembering which volumes they already own."""

    def __init__(self, builder: _OrderBuilder, customer: CustomerProfile) -> None:
        self.b, self.customer = builder, customer
        favourites = set(customer.favourite_genres)
        self.plans = sorted(builder.catalog.plans.values(), key=lambda p: p.series.series_id)
        self.weights = [
            p.popularity * (1 + 3 * len(favourites & set(p.series.genres))) for p in self.plans
        ]
        self.next_volume: dict[tuple[str, str, str], int] = defaultdict(int)

    def _take(self, series_id: str, language: str, medium: str, placed: date) -> Product | None:
        key = (series_id, language, medium)
        shelf = [p for p in self.b.shelf.volumes[key] if p.release_date <= placed]
        index = self.next_volume[key]
        if index >= len(shelf):
            return None
        self.next_volume[key] = index + 1
        return shelf[index]

    def basket(self, language: str, medium: str, placed: date) -> list[tuple[Product, int]]:
        rng = self.b.rng
        anchor = rng.choices(self.plans, weights=self.weights)[0]
        size = rng.choices((1, 2, 3, 4), weights=(50, 30, 13, 7))[0]
        similar = [
            p
            for p in self.plans
            if p is not anchor
            and p.series.demographic == anchor.series.demographic
            and set(p.series.genres) & set(anchor.series.genres)
        ]
        items: list[tuple[Product, int]] = []
        for _ in range(size):
            plan = anchor
            if items and similar and rng.random() < 0.4:
                plan = rng.choices(similar, weights=[p.popularity for p in similar])[0]
            product = self._take(plan.series.series_id, language, medium, placed)
            if product is not None and all(product.asin != p.asin for p, _ in items):
                items.append((product, 2 if rng.random() < 0.04 else 1))
        return items


def _status(
    rng: random.Random, placed: date, arrive: date, today: date, digital: bool
) -> OrderStatus:
    if digital:
        return "delivered"
    if placed >= today:
        return "cancelled" if rng.random() < 0.1 else "processing"
    if arrive <= today:
        if arrive == today and rng.random() < 0.5:
            return "out_for_delivery"
        roll = rng.random()
        return "returned" if roll < 0.04 else "cancelled" if roll < 0.07 else "delivered"
    return "shipped" if placed + timedelta(days=1) >= today else "in_transit"


def _option_for(builder: _OrderBuilder, customer: CustomerProfile) -> ShippingFact | None:
    region = [o for o in builder.data.shipping.options if o.region == customer.region]
    if not region:
        return None
    if customer.tier == "prime":
        prime = [o for o in region if o.prime_only]
        if prime and builder.rng.random() < 0.8:
            return prime[0]
    region = [o for o in region if not o.prime_only]
    return region[0] if builder.rng.random() < 0.75 else builder.rng.choice(region)


def generated_orders(builder: _OrderBuilder, customers: list[CustomerProfile]) -> list[DemoOrder]:
    rng, today = builder.rng, builder.today
    fixed = {c.customer_id for c in builder.data.customers.fixed}
    pool = [c for c in customers if c.customer_id not in fixed]
    if not pool or not builder.catalog.plans:
        return []
    activity = [rng.uniform(0.3, 3.0) for _ in pool]
    tastes: dict[str, _Taste] = {}
    out: list[DemoOrder] = []
    attempts = 0
    while len(out) < ORDER_COUNT and attempts < ORDER_COUNT * 4:
        attempts += 1
        customer = rng.choices(pool, weights=activity)[0]
        taste = tastes.get(customer.customer_id)
        if taste is None:
            taste = tastes[customer.customer_id] = _Taste(builder, customer)
        age = int(rng.expovariate(1 / 8)) if rng.random() < 0.25 else rng.randint(0, 400)
        placed_day = max(customer.joined, today - timedelta(days=age))
        japan = customer.region == "JP"
        digital = not japan and rng.random() < 0.2
        items = taste.basket("ja" if japan else "en", "digital" if digital else "print", placed_day)
        if not items:
            continue
        option = None if digital else _option_for(builder, customer)
        transit = rng.randint(option.min_days, option.max_days) if option else 0
        arrive = placed_day + timedelta(days=0 if digital else 1 + transit)
        status = _status(rng, placed_day, arrive, today, digital)
        oid = order_id(rng.randint(20000, 99999), rng.randint(0, 99999))
        if oid in builder.used_ids:
            continue
        placed = at(placed_day, rng.randint(0, 23), rng.randint(0, 59))
        opened = rng.random() < min(0.9, 0.2 + (today - arrive).days / 30)
        out.append(
            builder.make(
                oid=oid,
                customer=customer,
                placed=placed,
                status=status,
                items=items,
                option_id=option.option_id if option else None,
                arrive=arrive,
                opened=opened,
            )
        )
    return out


def build_orders(
    data: DemoData,
    catalog: Catalog,
    customers: list[CustomerProfile],
    rng: random.Random,
    today: date,
) -> list[DemoOrder]:
    """Fixed scenario orders plus generated ones, sorted by order id."""
    builder = _OrderBuilder(data, catalog, rng, today)
    orders = fixed_orders(builder, customers) + generated_orders(builder, customers)
    return sorted(orders, key=lambda o: o.order.order_id)
