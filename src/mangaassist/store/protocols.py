"""The store services the assistant calls, as protocols. The assistant never owns store data.

Implementations live side by side (`local`, `http`, `grpc`) and raise only the
errors of `mangaassist.store.errors`. Order, return, shipping-tracking and profile
calls always take the *authenticated* customer id: another customer's order is
`NotFound`, never revealed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol, runtime_checkable

from mangaassist.domain.store import (
    CustomerProfile,
    Language,
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


@dataclass(frozen=True, slots=True)
class CatalogQuery:
    """Catalog search. `text` matches titles (English, Japanese, romaji, aliases) and authors."""

    text: str | None = None
    author: str | None = None
    genre: str | None = None
    series_id: str | None = None
    language: Language | None = None
    max_price: Decimal | None = None
    in_stock_only: bool = False
    limit: int = 20


@runtime_checkable
class CatalogService(Protocol):
    async def get(self, asin: str) -> Product: ...

    async def get_many(self, asins: Sequence[str]) -> dict[str, Product]:
        """Products by ASIN; unknown ASINs are left out of the result (not an error)."""
        ...

    async def search(self, query: CatalogQuery) -> list[Product]: ...

    async def get_series(self, series_id: str) -> Series: ...

    async def list_series(self) -> list[Series]: ...

    async def list_products(self, offset: int = 0, limit: int = 500) -> list[Product]:
        """A page of the whole catalog in stable ASIN order (for ingest and indexing)."""
        ...


@runtime_checkable
class PricingService(Protocol):
    async def get_prices(self, asins: Sequence[str]) -> dict[str, Price]:
        """Current and list price per ASIN; unknown ASINs are left out."""
        ...


@runtime_checkable
class OrderService(Protocol):
    async def list_orders(self, customer_id: str, limit: int = 10) -> list[Order]:
        """The customer's orders, newest first."""
        ...

    async def get_order(self, customer_id: str, order_id: str) -> Order:
        """One of the customer's orders; `NotFound` if it is someone else's."""
        ...


@runtime_checkable
class ReturnService(Protocol):
    async def check_eligibility(
        self,
        customer_id: str,
        order_id: str,
        asin: str,
        reason: ReturnReason | None = None,
    ) -> ReturnEligibility: ...


@runtime_checkable
class ShippingService(Protocol):
    async def options(self, region: str, tier: Tier = "guest") -> list[ShippingOption]: ...

    async def track(self, customer_id: str, order_id: str) -> TrackingInfo: ...


@runtime_checkable
class ProfileService(Protocol):
    async def get_profile(self, customer_id: str) -> CustomerProfile: ...

    async def purchased_asins(self, customer_id: str) -> list[str]:
        """Everything the customer has bought (for never recommending what they own)."""
        ...


@runtime_checkable
class PromotionService(Protocol):
    async def active(self, on: date | None = None) -> list[Promotion]: ...


@runtime_checkable
class ReviewService(Protocol):
    async def for_product(self, asin: str, limit: int = 5) -> list[Review]: ...


@dataclass(frozen=True, slots=True)
class StoreServices:
    """All store services one deployment talks to, built by `app.py`."""

    catalog: CatalogService
    pricing: PricingService
    orders: OrderService
    returns: ReturnService
    shipping: ShippingService
    profiles: ProfileService
    promotions: PromotionService
    reviews: ReviewService
