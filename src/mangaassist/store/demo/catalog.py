"""Expands each series into sellable products: per-volume editions, box sets, omnibus, deluxe.

Volumes are capped per edition (first N plus the latest) to keep the store small; prices,
release dates, stock, ratings and marketplace listings are drawn from one seeded RNG.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from mangaassist.domain.store import Language, Medium, Product, ProductFormat, Series
from mangaassist.store.demo.codes import asin_for, isbn_for
from mangaassist.store.demo.plans import (
    EN_PRICES,
    SeriesPlan,
    capped_volumes,
    discounted,
    plan_series,
    to_99,
)
from mangaassist.store.demo.sources import DataError, DemoData, SellerFact

AGE_LABEL = {"all": "all ages", "teen": "teen (13+)", "older_teen": "older teen (16+)"}
DIGITAL_STOCK = 999


@dataclass
class Catalog:
    products: list[Product] = field(default_factory=list)
    plans: dict[str, SeriesPlan] = field(default_factory=dict)


@dataclass(frozen=True)
class _Edition:
    key: str
    fmt: ProductFormat
    language: Language
    medium: Medium
    volume: int
    volume_end: int | None
    title: str
    title_ja: str
    list_price: Decimal
    release: date
    fact: str


class _Builder:
    def __init__(self, data: DemoData, rng: random.Random, today: date) -> None:
        self.data, self.rng, self.today = data, rng, today
        self.catalog = Catalog()
        self.first_party = next(s for s in data.sellers if s.first_party)
        self.caps = data.store.volume_caps
        self.seen_asins: dict[str, str] = {}
        self.seen_isbns: set[str] = set()

    def run(self) -> Catalog:
        for series in self.data.series:
            plan = plan_series(series, self.rng, self.today)
            self.catalog.plans[series.series_id] = plan
            for edition in self._editions(plan):
                self._add(plan, edition, self.first_party)
                if edition.fmt == "volume" and edition.medium == "print":
                    self._maybe_listing(plan, edition)
        self._force_low_trust_listings()
        self.catalog.products.sort(key=lambda p: p.asin)
        return self.catalog

    def _editions(self, plan: SeriesPlan) -> list[_Edition]:
        s, n = plan.series, plan.series.volumes
        out: list[_Edition] = []
        for k in capped_volumes(n, self.caps.get("en_print", 6)):
            out.append(
                _Edition(
                    f"{s.series_id}|en-print|{k}",
                    "volume",
                    "en",
                    "print",
                    k,
                    None,
                    f"{s.title_en}, Vol. {k}",
                    f"{s.title_ja} {k}（英語版）",
                    plan.en_price,
                    plan.en_dates[k - 1],
                    f"English print edition, volume {k} of {n}.",
                )
            )
        for k in capped_volumes(n, self.caps.get("ja_print", 4)):
            out.append(
                _Edition(
                    f"{s.series_id}|ja-print|{k}",
                    "volume",
                    "ja",
                    "print",
                    k,
                    None,
                    f"{s.title_en}, Vol. {k} (Japanese edition)",
                    f"{s.title_ja} {k}",
                    Decimal(plan.ja_price),
                    plan.ja_dates[k - 1],
                    f"Imported Japanese tankobon, volume {k} of {n}, in Japanese.",
                )
            )
        for k in capped_volumes(n, self.caps.get("en_digital", 4)):
            digital = plan.en_price - self.rng.choice((2, 3, 4))
            out.append(
                _Edition(
                    f"{s.series_id}|en-digital|{k}",
                    "volume",
                    "en",
                    "digital",
                    k,
                    None,
                    f"{s.title_en}, Vol. {k} (Digital)",
                    f"{s.title_ja} {k}（英語版・電子書籍）",
                    digital,
                    plan.en_dates[k - 1],
                    f"English digital edition, volume {k} of {n}; read in the "
                    "MangaAssist app or browser.",
                )
            )
        out.extend(self._collections(plan))
        return out

    def _collections(self, plan: SeriesPlan) -> list[_Edition]:
        s, n, rng = plan.series, plan.series.volumes, self.rng
        famous = plan.popularity > 4 or {"classic", "award-winning"} & set(s.tags)
        out: list[_Edition] = []
        end = n if n <= 30 else min(n // 3, 24)
        if n >= 3 and (s.status == "finished" or (famous and n >= 12)):
            end = end if s.status == "finished" else min(n // 2, 12)
            label = "Complete Box Set" if end == n else "Box Set 1"
            release = min(
                plan.en_dates[end - 1] + timedelta(days=rng.randint(90, 400)),
                self.today - timedelta(days=1),
            )
            out.append(
                _Edition(
                    f"{s.series_id}|en-box|1-{end}",
                    "box_set",
                    "en",
                    "print",
                    1,
                    end,
                    f"{s.title_en} {label} (Vols. 1-{end})",
                    f"{s.title_ja} 英語版BOXセット 1-{end}巻",
                    to_99(plan.en_price * end * Decimal("0.8")),
                    release,
                    f"English box set collecting volumes 1-{end} of {n}.",
                )
            )
            if famous and end == n:
                out.append(
                    _Edition(
                        f"{s.series_id}|ja-box|1-{n}",
                        "box_set",
                        "ja",
                        "print",
                        1,
                        n,
                        f"{s.title_en} Japanese Complete Set (Vols. 1-{n})",
                        f"{s.title_ja} 全{n}巻セット",
                        Decimal(plan.ja_price * n),
                        plan.ja_dates[-1],
                        f"Complete set of all {n} Japanese volumes.",
                    )
                )
        if s.status == "finished" and n >= 6 and (famous or rng.random() < 0.5):
            for i in (1, 2):
                a, b = 3 * i - 2, 3 * i
                out.append(
                    _Edition(
                        f"{s.series_id}|en-omnibus|{i}",
                        "omnibus",
                        "en",
                        "print",
                        a,
                        b,
                        f"{s.title_en} 3-in-1 Edition, Vol. {i} (Vols. {a}-{b})",
                        f"{s.title_ja} 英語版 3in1 第{i}巻",
                        EN_PRICES[0] + rng.choice((8, 10, 12, 13)),
                        min(
                            plan.en_dates[b - 1] + timedelta(days=rng.randint(400, 1400)),
                            self.today - timedelta(days=1),
                        ),
                        f"English omnibus collecting volumes {a}-{b} in one book.",
                    )
                )
        if {"classic", "award-winning"} & set(s.tags) and n >= 2:
            out.append(
                _Edition(
                    f"{s.series_id}|en-deluxe|1",
                    "deluxe",
                    "en",
                    "print",
                    1,
                    None,
                    f"{s.title_en} Deluxe Hardcover, Vol. 1",
                    f"{s.title_ja} 英語版デラックス版 1",
                    Decimal(rng.choice((29, 34, 39, 44, 49))) + Decimal("0.99"),
                    min(
                        plan.en_dates[-1] + timedelta(days=rng.randint(200, 900)),
                        self.today - timedelta(days=1),
                    ),
                    "Oversized deluxe hardcover with colour pages.",
                )
            )
        return out

    def _maybe_listing(self, plan: SeriesPlan, edition: _Edition) -> None:
        if self.rng.random() >= 0.07:
            return
        candidates = [
            s
            for s in self.data.sellers
            if not s.first_party and s.share and edition.language in s.languages
        ]
        if candidates:
            seller = self.rng.choices(candidates, weights=[s.share for s in candidates])[0]
            self._add(plan, edition, seller)

    def _force_low_trust_listings(self) -> None:
        """The most popular series always carry a low-trust listing (the trust filter's test)."""
        low = [s for s in self.data.sellers if not s.first_party and s.trust_score < 0.4]
        plans = sorted(
            self.catalog.plans.values(), key=lambda p: (-p.popularity, p.series.series_id)
        )
        for index, plan in enumerate(plans[:3]):
            if not low:
                return
            seller = low[index % len(low)]
            edition = next(e for e in self._editions_cache(plan) if e.key.endswith("en-print|1"))
            self._add(plan, edition, seller)

    def _editions_cache(self, plan: SeriesPlan) -> list[_Edition]:
        s = plan.series
        return [
            _Edition(
                f"{s.series_id}|en-print|1",
                "volume",
                "en",
                "print",
                1,
                None,
                f"{s.title_en}, Vol. 1",
                f"{s.title_ja} 1（英語版）",
                plan.en_price,
                plan.en_dates[0],
                f"English print edition, volume 1 of {s.volumes}.",
            )
        ]

    def _add(self, plan: SeriesPlan, edition: _Edition, seller: SellerFact) -> None:
        key = edition.key if seller.first_party else f"{edition.key}|{seller.seller_id}"
        asin = asin_for(key)
        if asin in self.seen_asins:
            if self.seen_asins[asin] == key:
                return
            raise DataError(f"ASIN collision between {self.seen_asins[asin]!r} and {key!r}")
        self.seen_asins[asin] = key
        self.catalog.products.append(self._product(plan, edition, seller, key, asin))

    def _product(
        self, plan: SeriesPlan, e: _Edition, seller: SellerFact, key: str, asin: str
    ) -> Product:
        rng, s = self.rng, plan.series
        currency = "JPY" if e.language == "ja" else "USD"
        list_price = e.list_price
        if not seller.first_party:
            factor = rng.uniform(0.45, 0.6) if seller.trust_score < 0.4 else rng.uniform(0.9, 1.3)
            list_price = _scale(list_price, factor, currency)
        price = discounted(list_price, rng, currency)
        isbn = None
        if e.medium == "print":
            isbn = isbn_for(key, "4" if e.language == "ja" else "1")
            if isbn in self.seen_isbns:
                raise DataError(f"ISBN collision for {key!r}")
            self.seen_isbns.add(isbn)
        upcoming = e.release > self.today
        if e.medium == "digital":
            stock = DIGITAL_STOCK
        elif not seller.first_party:
            stock = rng.randint(1, 5)
        else:
            stock = 0 if rng.random() < 0.08 else rng.randint(1, 60)
        rating, count = 0.0, 0
        if not upcoming:
            rating = round(min(5.0, max(1.0, plan.quality + rng.gauss(0, 0.15))), 1)
            share = {"en": 1.0, "ja": 0.3}[e.language] * (0.5 if e.medium == "digital" else 1)
            count = int(plan.popularity * rng.uniform(15, 300) * share / (1 + 0.1 * e.volume))
            if not seller.first_party:
                count = rng.randint(0, 25)
        description = f"{s.synopsis} {e.fact} {_series_fact(s)}"
        if not seller.first_party:
            description += f" Sold by {seller.name}, a marketplace seller."
        return Product(
            asin=asin,
            series_id=s.series_id,
            title=e.title,
            title_ja=e.title_ja,
            format=e.fmt,
            volume=e.volume,
            volume_end=e.volume_end,
            language=e.language,
            medium=e.medium,
            isbn=isbn,
            currency=currency,
            price=price,
            list_price=list_price,
            stock=stock,
            release_date=e.release,
            rating=rating,
            rating_count=count,
            seller=seller.name,
            trust_score=seller.trust_score,
            description=description,
        )


def _scale(value: Decimal, factor: float, currency: str) -> Decimal:
    scaled = value * Decimal(str(round(factor, 2)))
    return scaled.quantize(Decimal(1)) if currency == "JPY" else to_99(scaled)


def _series_fact(s: Series) -> str:
    authors = " and ".join(s.authors)
    age = AGE_LABEL.get(s.age_rating, "mature (18+)")
    return (
        f"By {authors}; serialised in {s.magazine} ({s.publisher}) from {s.first_year}, "
        f"{s.status}, {s.volumes} volumes in Japan. Age rating: {age}."
    )


def build_catalog(data: DemoData, rng: random.Random, today: date) -> Catalog:
    """All products of the demo store, sorted by ASIN."""
    return _Builder(data, rng, today).run()
