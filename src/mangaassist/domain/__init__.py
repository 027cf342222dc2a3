"""Plain types shared by every part of MangaAssist; imports nothing else of ours."""

from mangaassist.domain.store import (
    ASIN_RE,
    CustomerProfile,
    EligibilityV2,
    Order,
    OrderItem,
    Price,
    Product,
    Promotion,
    ReturnEligibility,
    Review,
    Series,
    ShippingOption,
    TrackingEvent,
    TrackingInfo,
    is_asin,
)

__all__ = [
    "ASIN_RE",
    "CustomerProfile",
    "EligibilityV2",
    "Order",
    "OrderItem",
    "Price",
    "Product",
    "Promotion",
    "ReturnEligibility",
    "Review",
    "Series",
    "ShippingOption",
    "TrackingEvent",
    "TrackingInfo",
    "is_asin",
]
