"""WebSocket frames of the chat protocol (versions 1 and 2), as validated values.

Every server frame carries `type`, `response_id` and `seq` (per response, from 0, no
gaps). Version 2 adds `rating` and `rating_count` to product cards; a version-1 client
never sees them. docs/protocol.md holds the JSON Schema of each frame, generated from
these models.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

PROTOCOL_VERSIONS = (1, 2)
LATEST_PROTOCOL = 2


class Frame(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


# ---- client -> server -------------------------------------------------------------


class MessageFrame(Frame):
    type: Literal["message"] = "message"
    message_id: str = Field(min_length=1, max_length=128)
    text: str = Field(min_length=1)
    context_hints: dict[str, str] = Field(default_factory=dict)


class FeedbackFrame(Frame):
    type: Literal["feedback"] = "feedback"
    response_id: str = Field(min_length=1, max_length=128)
    rating: Literal["up", "down"]
    comment: str | None = Field(None, max_length=1000)


class ResendFrame(Frame):
    type: Literal["resend"] = "resend"
    response_id: str = Field(min_length=1, max_length=128)
    last_seq: int = Field(ge=-1)


class PingFrame(Frame):
    type: Literal["ping"] = "ping"


ClientFrame = Annotated[
    MessageFrame | FeedbackFrame | ResendFrame | PingFrame, Field(discriminator="type")
]

# ---- server -> client -------------------------------------------------------------


class ServerFrame(Frame):
    response_id: str
    seq: int = Field(ge=0)


class SessionFrame(ServerFrame):
    type: Literal["session"] = "session"
    session_id: str
    resumed: bool
    protocol_version: int
    welcome: str | None = None


class ChunkFrame(ServerFrame):
    type: Literal["chunk"] = "chunk"
    text: str


class CorrectionFrame(ServerFrame):
    """Replaces everything streamed so far in this response with `text`."""

    type: Literal["correction"] = "correction"
    text: str
    reason: str


class ProductCard(Frame):
    asin: str
    title: str
    price: str
    list_price: str
    currency: Literal["USD", "JPY"]
    in_stock: bool
    url: str
    reason: str | None = None
    rating: float | None = None
    rating_count: int | None = None


class ProductsFrame(ServerFrame):
    type: Literal["products"] = "products"
    products: tuple[ProductCard, ...]


class ActionItem(Frame):
    kind: Literal["handoff", "sign_in", "open_url"]
    label: str
    ticket_id: str | None = None
    url: str | None = None


class ActionsFrame(ServerFrame):
    type: Literal["actions"] = "actions"
    actions: tuple[ActionItem, ...]


class CompleteFrame(ServerFrame):
    type: Literal["complete"] = "complete"
    metadata: dict[str, Any]


class ErrorFrame(ServerFrame):
    type: Literal["error"] = "error"
    code: str
    message: str
    retry_after: float | None = None


class BannerFrame(ServerFrame):
    type: Literal["banner"] = "banner"
    level: Literal["info", "warning", "degraded"]
    text: str


class PongFrame(ServerFrame):
    type: Literal["pong"] = "pong"


AnyServerFrame = Annotated[
    SessionFrame
    | ChunkFrame
    | CorrectionFrame
    | ProductsFrame
    | ActionsFrame
    | CompleteFrame
    | ErrorFrame
    | BannerFrame
    | PongFrame,
    Field(discriminator="type"),
]
FINAL_TYPES = frozenset({"products", "actions", "complete", "error"})
