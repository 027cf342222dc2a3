"""Store facts as plain values: series, products, prices, customers, orders, returns, shipping.

These are the shapes every store-service implementation returns and the storefront
serves. Money is `Decimal` (JSON: a string) so price checks are exact; dates are ISO.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

ASIN_RE = re.compile(r"^B0[0-9A-Z]{8}$")

Demographic = Literal["shounen", "seinen", "shoujo", "josei", "kodomo"]
SeriesStatus = Literal["ongoing", "finished"]
AgeRating = Literal["all", "teen", "older_teen", "mature"]
ProductFormat = Literal["volume", "box_set", "omnibus", "deluxe"]
Language = Literal["en", "ja"]
Medium = Literal["print", "digital"]
Currency = Literal["USD", "JPY"]
Tier = Literal["guest", "member", "prime"]
OrderStatus = Literal[
    "processing", "shipped", "in_transit", "out_for_delivery", "delivered", "cancelled", "returned"
]
ReturnReason = Literal["changed_mind", "damaged", "wrong_item", "defective", "other"]
EligibilityReason = Literal[
    "within_window",
    "window_expired",
    "opened",
    "damaged_exception",
    "wrong_item_exception",
    "not_delivered",
    "digital_item",
    "already_returned",
    "item_not_in_order",
]


class Value(BaseModel):
    """Immutable value type; unknown fields are rejected."""

    model_config = ConfigDict(frozen=True, extra="forbid")


def is_asin(value: str) -> bool:
    return bool(ASIN_RE.match(value))


class Series(Value):
    series_id: str
    title_en: str
    title_ja: str
    title_romaji: str
    aliases: tuple[str, ...] = ()
    authors: tuple[str, ...]
    demographic: Demographic
    genres: tuple[str, ...]
    tags: tuple[str, ...] = ()
    publisher: str
    magazine: str
    first_year: int
    status: SeriesStatus
    volumes: int = Field(ge=1)
    age_rating: AgeRating
    synopsis: str
    synopsis_ja: str


class Product(Value):
    asin: str
    series_id: str
    title: str
    title_ja: str
    format: ProductFormat
    volume: int | None = None
    volume_end: int | None = None
    language: Language
    medium: Medium
    isbn: str | None = None
    currency: Currency
    price: Decimal
    list_price: Decimal
    stock: int = Field(ge=0)
    release_date: date
    rating: float = Field(ge=0, le=5)
    rating_count: int = Field(ge=0)
    seller: str
    trust_score: float = Field(ge=0, le=1)
    description: str

    @field_validator("asin")
    @classmethod
    def _asin_format(cls, value: str) -> str:
        if not is_asin(value):
            raise ValueError("asin must be 'B0' followed by 8 upper-case letters or digits")
        return value


class Price(Value):
    asin: str
    currency: Currency
    price: Decimal
    list_price: Decimal


class CustomerProfile(Value):
    customer_id: str
    display_name: str
    tier: Tier
    region: str
    preferred_language: Language
    joined: date
    favourite_genres: tuple[str, ...] = ()


class OrderItem(Value):
    asin: str
    title: str
    quantity: int = Field(ge=1)
    unit_price: Decimal
    currency: Currency
    opened: bool = False


class Order(Value):
    order_id: str
    customer_id: str
    placed_at: datetime
    status: OrderStatus
    carrier: str | None = None
    tracking_number: str | None = None
    eta: date | None = None
    delivered_on: date | None = None
    items: tuple[OrderItem, ...]
    total: Decimal
    currency: Currency
    region: str


class EligibilityV2(Value):
    eligible: bool
    reason: EligibilityReason
    deadline: date | None = None
    message: str


class ReturnEligibility(Value):
    """Return check. `eligible` is the original field; `eligibility_v2` adds the reason.

    Old readers keep reading `eligible`; both always agree.
    """

    order_id: str
    asin: str
    eligible: bool
    eligibility_v2: EligibilityV2


class ShippingOption(Value):
    option_id: str
    region: str
    name: str
    name_ja: str
    price: Decimal
    currency: Currency
    min_days: int = Field(ge=0)
    max_days: int = Field(ge=0)
    free_over: Decimal | None = None
    prime_only: bool = False


class TrackingEvent(Value):
    at: datetime
    location: str
    description: str


class TrackingInfo(Value):
    order_id: str
    carrier: str | None
    tracking_number: str | None
    status: OrderStatus
    eta: date | None
    events: tuple[TrackingEvent, ...] = ()


class Promotion(Value):
    promo_id: str
    title: str
    title_ja: str
    description: str
    description_ja: str
    discount_percent: int = Field(ge=0, le=100)
    starts: date
    ends: date
    series_ids: tuple[str, ...] = ()
    genres: tuple[str, ...] = ()
    min_tier: Tier = "guest"


class Review(Value):
    review_id: str
    asin: str
    rating: int = Field(ge=1, le=5)
    title: str
    body: str
    author: str
    language: Language
    created: date
