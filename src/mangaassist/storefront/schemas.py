"""The storefront REST contract: route paths, id patterns and the JSON bodies besides domain values.

Both the server (`storefront.rest`) and the HTTP client (`store.http`) use these
definitions, so a drift between them is a type error rather than a runtime surprise.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from mangaassist.domain.store import (
    Language,
    Order,
    Price,
    Product,
    Promotion,
    Review,
    Series,
    ShippingOption,
)

#: An ASIN as a path or body value (same rule as `domain.store.ASIN_RE`).
ASIN_PATTERN = r"^B0[0-9A-Z]{8}$"
#: Customer, order, series and region ids: letters, digits, `_`, `-`, `.`; no slashes.
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$"
#: Most ASINs one batch request may carry; the HTTP client splits larger batches.
MAX_BATCH = 500
#: Largest page of `GET /v1/catalog/products`.
MAX_PAGE = 1000

ErrorCode = Literal[
    "not_found",
    "invalid_argument",
    "unauthenticated",
    "unavailable",
    "timeout",
    "bad_response",
    "circuit_open",
    "store_error",
    "internal",
]


class Body(BaseModel):
    """A JSON body: immutable, unknown fields rejected."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class ErrorDetail(Body):
    code: ErrorCode = Field(description="Machine-readable error kind.")
    message: str = Field(description="What went wrong, for a developer.")


class ErrorBody(Body):
    """Every non-2xx answer of the storefront has this shape."""

    error: ErrorDetail


class Health(Body):
    status: Literal["ok"] = "ok"


class AsinBatch(Body):
    asins: tuple[str, ...] = Field(
        max_length=MAX_BATCH, description=f"ASINs to look up (at most {MAX_BATCH})."
    )


class ProductsByAsin(Body):
    products: dict[str, Product] = Field(description="Known products by ASIN; unknown left out.")


class PricesByAsin(Body):
    prices: dict[str, Price] = Field(description="Prices by ASIN; unknown ASINs left out.")


class ProductList(Body):
    products: tuple[Product, ...]


class ProductPage(Body):
    products: tuple[Product, ...]
    next_offset: int | None = Field(
        description="Offset of the next page, or null when this page is the last."
    )


class SeriesList(Body):
    series: tuple[Series, ...]


class OrderList(Body):
    orders: tuple[Order, ...] = Field(description="The customer's orders, newest first.")


class ShippingOptionList(Body):
    options: tuple[ShippingOption, ...]


class AsinList(Body):
    asins: tuple[str, ...]


class PromotionList(Body):
    promotions: tuple[Promotion, ...]


class ReviewList(Body):
    reviews: tuple[Review, ...]


class SearchParams(Body):
    """Query string of `GET /v1/catalog/search` (mirrors `store.protocols.CatalogQuery`)."""

    text: str | None = Field(None, max_length=200)
    author: str | None = Field(None, max_length=200)
    genre: str | None = Field(None, max_length=100)
    series_id: str | None = Field(None, pattern=ID_PATTERN)
    language: Language | None = None
    max_price: Decimal | None = Field(None, ge=0)
    in_stock_only: bool = False
    limit: int = Field(20, ge=1, le=MAX_PAGE)


__all__ = [
    "ASIN_PATTERN",
    "ID_PATTERN",
    "MAX_BATCH",
    "MAX_PAGE",
    "AsinBatch",
    "AsinList",
    "ErrorBody",
    "ErrorCode",
    "ErrorDetail",
    "Health",
    "OrderList",
    "PricesByAsin",
    "ProductList",
    "ProductPage",
    "ProductsByAsin",
    "PromotionList",
    "ReviewList",
    "SearchParams",
    "SeriesList",
    "ShippingOptionList",
]
