"""Fake catalog and pricing at the store-protocol boundary, for output-stage tests."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from mangaassist.domain.store import Price, Product
from mangaassist.store.errors import NotFound


def product(
    asin: str,
    title: str,
    price: str,
    *,
    volume: int | None = None,
    currency: str = "USD",
    list_price: str | None = None,
    trust: float = 0.98,
) -> Product:
    return Product(
        asin=asin,
        series_id=title.split(" Vol")[0].lower().replace(" ", "-"),
        title=title,
        title_ja=title,
        format="volume",
        volume=volume,
        language="ja" if currency == "JPY" else "en",
        medium="print",
        currency=currency,  # type: ignore[arg-type]
        price=Decimal(price),
        list_price=Decimal(list_price or price),
        stock=5,
        release_date=date(2020, 1, 1),
        rating=4.5,
        rating_count=100,
        seller="MangaAssist Books",
        trust_score=trust,
        description="",
    )


class FakeCatalog:
    def __init__(self, products: Sequence[Product]) -> None:
        self.products = {p.asin: p for p in products}
        self.calls = 0

    async def get(self, asin: str) -> Product:
        if asin not in self.products:
            raise NotFound(asin)
        return self.products[asin]

    async def get_many(self, asins: Sequence[str]) -> dict[str, Product]:
        self.calls += 1
        return {a: self.products[a] for a in asins if a in self.products}


class FakePricing:
    def __init__(self, catalog: FakeCatalog, *, hang: bool = False) -> None:
        self._catalog = catalog
        self._hang = hang

    async def get_prices(self, asins: Sequence[str]) -> dict[str, Price]:
        if self._hang:
            await asyncio.Event().wait()
        return {
            a: Price(asin=a, currency=p.currency, price=p.price, list_price=p.list_price)
            for a, p in self._catalog.products.items()
            if a in asins
        }
