"""What the orchestrator yields for one turn; the API turns these into protocol frames."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mangaassist.domain.frames import ActionItem, ProductCard


@dataclass(frozen=True, slots=True)
class TextDelta:
    text: str


@dataclass(frozen=True, slots=True)
class Replace:
    """Everything streamed so far is replaced by `text` (a `correction` frame)."""

    text: str
    reason: str


@dataclass(frozen=True, slots=True)
class Cards:
    cards: tuple[ProductCard, ...]


@dataclass(frozen=True, slots=True)
class Actions:
    items: tuple[ActionItem, ...]


@dataclass(frozen=True, slots=True)
class Done:
    metadata: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Failed:
    code: str
    message: str
    retry_after: float | None = None


Event = TextDelta | Replace | Cards | Actions | Done | Failed


# ---- what a responder may yield besides text ----------------------------------------


@dataclass(frozen=True, slots=True)
class Restart:
    """The text streamed so far is void (a model failed mid-answer); the answer starts over."""

    reason: str


@dataclass(frozen=True, slots=True)
class AnswerInfo:
    """How the answer was made, for `complete.metadata` and the audit record (last event).

    `source`: "model", "cache" (a cached model answer), "template" (no model by design) or
    "knowledge_base" (no model could answer: the built-in responder answered from the
    knowledge base and store facts). `offer_handoff` asks the orchestrator to offer a human.
    """

    model: str
    tier: str
    source: str
    fallbacks: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float | None = None
    prompt_version: str | None = None
    offer_handoff: bool = False


ResponderEvent = str | Restart | AnswerInfo
