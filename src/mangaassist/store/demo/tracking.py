"""Carrier choice and tracking events for a demo order, from its status and dates."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from mangaassist.domain.store import OrderStatus, TrackingEvent
from mangaassist.store.demo.codes import tracking_number
from mangaassist.store.demo.sources import CarriersFile

SHIPPED: frozenset[OrderStatus] = frozenset(
    {"shipped", "in_transit", "out_for_delivery", "delivered", "returned"}
)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=UTC)


def pick_carrier(
    carriers: CarriersFile, region: str, option_id: str | None, rng: random.Random
) -> str:
    names = [c.name for c in carriers.carriers if region in c.regions]
    if not names:
        return "DHL"
    if region == "US":
        return (
            "USPS"
            if option_id == "us-standard" and rng.random() < 0.7
            else rng.choice(["UPS", "FedEx"])
        )
    if region == "JP":
        return "Japan Post" if option_id == "jp-standard" else "Yamato"
    return names[0]


def carrier_tracking_number(carriers: CarriersFile, carrier: str, rng: random.Random) -> str:
    fmt = next(c.format for c in carriers.carriers if c.name == carrier)
    return tracking_number(fmt, rng)


def events(
    *,
    carrier: str,
    hubs: tuple[str, ...],
    status: OrderStatus,
    ship_day: date,
    arrive_day: date,
    today: date,
) -> list[TrackingEvent]:
    """Carrier scans up to `today`: label, pick-up, hubs, out for delivery, delivered."""
    if status not in SHIPPED:
        return []
    origin, middle, local = hubs[0], hubs[1:-1], hubs[-1]
    found = [
        TrackingEvent(
            at=at(ship_day, 9),
            location=origin,
            description=f"Label created, shipment details sent to {carrier}",
        ),
        TrackingEvent(
            at=at(ship_day, 18, 30), location=origin, description=f"Picked up by {carrier}"
        ),
    ]
    span = max(1, (arrive_day - ship_day).days)
    for index, hub in enumerate(middle, start=1):
        day = ship_day + timedelta(days=max(1, span * index // (len(middle) + 1)))
        if day >= arrive_day or day > today:
            break
        verb = "Cleared customs at" if "customs" in hub else "Arrived at"
        found.append(
            TrackingEvent(at=at(day, 6 + 3 * index), location=hub, description=f"{verb} {hub}")
        )
    if status in {"out_for_delivery", "delivered", "returned"} and arrive_day <= today:
        found.append(
            TrackingEvent(at=at(arrive_day, 7, 45), location=local, description="Out for delivery")
        )
    if status in {"delivered", "returned"}:
        found.append(
            TrackingEvent(at=at(arrive_day, 14, 10), location=local, description="Delivered")
        )
    if status == "returned":
        back = min(today, arrive_day + timedelta(days=6))
        found.append(
            TrackingEvent(
                at=at(back, 11),
                location=origin,
                description="Return received at the MangaAssist warehouse",
            )
        )
    return found
