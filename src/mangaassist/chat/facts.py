"""Facts a route gathers from the store and the indexes: all a responder may state."""

from __future__ import annotations

from dataclasses import dataclass, field

from mangaassist.domain.store import (
    CustomerProfile,
    Order,
    Product,
    Promotion,
    ReturnEligibility,
    Series,
    ShippingOption,
    TrackingInfo,
)
from mangaassist.retrieval.chunks import Chunk
from mangaassist.retrieval.recommend.engine import Recommendation
from mangaassist.state.sessions import Turn


@dataclass(frozen=True, slots=True)
class Facts:
    """Everything the answer may be built from. `note` names a situation the responder
    must explain instead (sign in first, no such order, the store is unavailable…)."""

    intent: str
    language: str
    user_text: str
    signed_in: bool = False
    history: tuple[Turn, ...] = ()
    passages: tuple[Chunk, ...] = ()
    products: tuple[Product, ...] = ()
    series: tuple[Series, ...] = ()
    recommendations: tuple[Recommendation, ...] = ()
    orders: tuple[Order, ...] = ()
    tracking: TrackingInfo | None = None
    eligibility: ReturnEligibility | None = None
    shipping_options: tuple[ShippingOption, ...] = ()
    promotions: tuple[Promotion, ...] = ()
    profile: CustomerProfile | None = None
    note: str | None = None
    clarify: tuple[str, ...] = field(default=())
    #: The shopper's tier (guest, member, prime): part of an answer-cache key.
    customer_tier: str = "guest"
    #: Untrusted page context from the client (page, device…): the prompt escapes it.
    context_hints: tuple[tuple[str, str], ...] = ()
