"""Intent classification results as plain values: the ten intents, entities, and the verdict."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict

DetectedLanguage = Literal["en", "ja", "zh", "ko", "other"]
IntentStage = Literal["rules", "model", "fallback", "follow_up"]
EntityKind = Literal["title", "volume", "order_id", "genre", "price_limit"]


class Intent(StrEnum):
    RECOMMENDATION = "recommendation"
    PRODUCT_QUESTION = "product_question"
    FAQ = "faq"
    ORDER_TRACKING = "order_tracking"
    RETURN_REQUEST = "return_request"
    SHIPPING = "shipping"
    PROMOTIONS = "promotions"
    CHITCHAT = "chitchat"
    ESCALATION = "escalation"
    OUT_OF_SCOPE = "out_of_scope"


#: Whether answering an intent needs the language model; the rest are templates or store facts.
REQUIRES_LLM: dict[Intent, bool] = {
    Intent.RECOMMENDATION: True,
    Intent.PRODUCT_QUESTION: True,
    Intent.FAQ: True,
    Intent.SHIPPING: True,
    Intent.ORDER_TRACKING: False,
    Intent.RETURN_REQUEST: False,
    Intent.PROMOTIONS: False,
    Intent.CHITCHAT: False,
    Intent.ESCALATION: False,
    Intent.OUT_OF_SCOPE: False,
}


class _Entity(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    #: Character span in the *normalised* text.
    start: int
    end: int
    surface: str


class TitleEntity(_Entity):
    kind: Literal["title"] = "title"
    series_id: str
    alias: str


class VolumeEntity(_Entity):
    kind: Literal["volume"] = "volume"
    first: int
    last: int


class OrderIdEntity(_Entity):
    kind: Literal["order_id"] = "order_id"
    order_id: str


class GenreEntity(_Entity):
    kind: Literal["genre"] = "genre"
    genre: str


class PriceLimitEntity(_Entity):
    kind: Literal["price_limit"] = "price_limit"
    amount: Decimal
    currency: Literal["USD", "JPY"]
    bound: Literal["max", "min"] = "max"


Entity = TitleEntity | VolumeEntity | OrderIdEntity | GenreEntity | PriceLimitEntity


class IntentResult(BaseModel):
    """What the classifier decided about one message, and how sure it is."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    intent: Intent
    confidence: float
    requires_llm: bool
    language: DetectedLanguage
    entities: tuple[Entity, ...] = ()
    stage: IntentStage
    #: True when the top intent is plausible but not sure: the caller should ask which it meant.
    needs_clarification: bool = False
    #: The runner-up intent (model stage only), to phrase a clarifying question.
    alternative: Intent | None = None
