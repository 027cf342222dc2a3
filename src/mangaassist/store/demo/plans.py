"""Per-series draws shared by all of a series' products: popularity, prices, release dates.

Release dates start in the series' first year and rise with the volume number; English
editions follow the Japanese ones; a few ongoing series get their latest volume as a preorder.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from mangaassist.domain.store import Series

EN_PRICES = tuple(Decimal(p) for p in ("9.99", "10.99", "11.99", "12.99", "13.99", "14.99"))
JA_PRICES = (528, 572, 594, 616, 660, 693, 715, 748, 770, 792, 836, 880)


@dataclass
class SeriesPlan:
    """Per-series draws shared by all of its products."""

    series: Series
    popularity: float
    quality: float
    en_price: Decimal
    ja_price: int
    ja_dates: list[date]
    en_dates: list[date]
    preorder: bool


def capped_volumes(total: int, cap: int) -> list[int]:
    """The first `cap` volumes plus the latest one."""
    first = list(range(1, min(total, cap) + 1))
    return [*first, total] if total > cap else first


def _spread(start: date, end: date, count: int) -> list[date]:
    if count == 1:
        return [start]
    step = (end - start).days / (count - 1)
    return [start + timedelta(days=round(step * i)) for i in range(count)]


def plan_series(series: Series, rng: random.Random, today: date) -> SeriesPlan:
    tags = set(series.tags)
    fame = 1 + 0.5 * ("anime-adapted" in tags) + 0.8 * ("classic" in tags)
    fame += 0.3 * ("award-winning" in tags)
    popularity = fame * (1 + math.log(series.volumes)) * rng.uniform(0.5, 1.5)
    quality = min(4.9, rng.uniform(3.6, 4.5) + 0.25 * ("classic" in tags))
    price_floor = 2 if series.demographic in {"seinen", "josei"} else 0
    en_price = EN_PRICES[rng.randint(price_floor, len(EN_PRICES) - 1)]
    ja_price = JA_PRICES[rng.randint(0, len(JA_PRICES) - 1)]
    n = series.volumes
    ja_first = min(date(series.first_year, rng.randint(1, 12), rng.randint(1, 28)), today)
    ja_first = min(ja_first, today - timedelta(days=30))
    if series.status == "finished":
        ja_last = min(ja_first + timedelta(days=(n - 1) * rng.randint(80, 130)), today)
        ja_last = min(ja_last, today - timedelta(days=60))
    else:
        ja_last = today - timedelta(days=rng.randint(10, 150))
    ja_last = max(ja_last, ja_first)
    lag = timedelta(days=rng.randint(200, 900))
    en_first = min(ja_first + lag, today - timedelta(days=3))
    en_last = max(en_first, min(ja_last + lag, today - timedelta(days=rng.randint(3, 90))))
    ja_dates, en_dates = _spread(ja_first, ja_last, n), _spread(en_first, en_last, n)
    preorder = series.status == "ongoing" and n >= 2 and rng.random() < 0.12
    if preorder:
        ja_dates[-1] = today + timedelta(days=rng.randint(7, 60))
        en_dates[-1] = today + timedelta(days=rng.randint(20, 90))
    return SeriesPlan(series, popularity, quality, en_price, ja_price, ja_dates, en_dates, preorder)


def discounted(list_price: Decimal, rng: random.Random, currency: str) -> Decimal:
    if rng.random() >= 0.2:
        return list_price
    cut = Decimal(str(rng.choice((0.1, 0.15, 0.2, 0.25, 0.3))))
    if currency == "JPY":
        return (list_price * (1 - cut)).quantize(Decimal(1))
    return max(Decimal("0.99"), (list_price * (1 - cut)).quantize(Decimal(1)) - Decimal("0.01"))


def to_99(value: Decimal) -> Decimal:
    return max(Decimal("0.99"), value.quantize(Decimal(1)) - Decimal("0.01"))
