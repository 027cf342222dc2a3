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
