"""The chat wire protocol as a pure state machine: parsing, versions, seq, resume.

The WebSocket endpoint only moves frames; everything the protocol promises lives here:
a typed error for every bad client frame, gap-free `seq` per response, a fixed order
of frames within a response (text, then cards and actions, then one terminal frame),
and the kept frames a reconnecting client gets again with `resend`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from enum import Enum
from typing import Any

from pydantic import TypeAdapter, ValidationError

from mangaassist.domain.frames import (
    LATEST_PROTOCOL,
    PROTOCOL_VERSIONS,
    ActionItem,
    ActionsFrame,
    AnyServerFrame,
    ChunkFrame,
    ClientFrame,
    CompleteFrame,
    CorrectionFrame,
    ErrorFrame,
    ProductCard,
    ProductsFrame,
    ServerFrame,
)

_CLIENT = TypeAdapter(ClientFrame)
_SERVER = TypeAdapter(AnyServerFrame)
CLIENT_TYPES = ("message", "feedback", "resend", "ping")


class ProtocolError(Exception):
    """A client frame or connection parameter the protocol cannot accept."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def negotiate_version(requested: str | None) -> int:
    if requested is None or requested == "":
        return LATEST_PROTOCOL
    try:
        version = int(requested)
    except ValueError:
        version = -1
    if version not in PROTOCOL_VERSIONS:
        supported = ", ".join(map(str, PROTOCOL_VERSIONS))
        raise ProtocolError(
            "unsupported_protocol_version",
            f"protocol_version {requested!r} is not supported; use one of {supported}",
        )
    return version


def parse_client_frame(raw: str | bytes, *, max_bytes: int) -> ClientFrame:
    if isinstance(raw, bytes):
        raise ProtocolError("binary_frame", "binary frames are not supported; send JSON text")
    size = len(raw.encode("utf-8"))
    if size > max_bytes:
        raise ProtocolError(
            "payload_too_large", f"frame has {size} bytes; the limit is {max_bytes}"
        )
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ProtocolError("invalid_json", f"frame is not valid JSON: {exc.msg}") from exc
    if not isinstance(data, dict):
        raise ProtocolError("invalid_frame", "a frame must be a JSON object")
    kind = data.get("type")
    if kind is None:
        raise ProtocolError("missing_field", "frame has no 'type'")
    if kind not in CLIENT_TYPES:
        raise ProtocolError(
            "unknown_frame_type", f"unknown frame type {kind!r}; expected one of {CLIENT_TYPES}"
        )
    try:
        return _CLIENT.validate_python(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(part) for part in first["loc"][1:]) or "frame"
        code = "missing_field" if first["type"] == "missing" else "invalid_field"
        raise ProtocolError(code, f"{kind} frame: {field}: {first['msg']}") from exc


class StreamState(Enum):
    TEXT = "text"  # chunks and corrections may follow
    CARDS = "cards"  # products/actions sent; only more cards or the end may follow
    FINISHED = "finished"  # complete or error sent


class IllegalTransition(RuntimeError):
    """A frame was emitted out of the protocol's order (a programming error)."""


class ResponseStream:
    """The frames of one response, numbered from 0 without gaps, in protocol order."""

    def __init__(self, response_id: str) -> None:
        self.response_id = response_id
        self.state = StreamState.TEXT
        self.frames: list[ServerFrame] = []
        self.text = ""

    @property
    def next_seq(self) -> int:
        return len(self.frames)

    def _add(self, frame: ServerFrame) -> ServerFrame:
        self.frames.append(frame)
        return frame

    def _require(self, *allowed: StreamState) -> None:
        if self.state not in allowed:
            raise IllegalTransition(f"cannot emit in state {self.state.value}")

    def chunk(self, text: str) -> ChunkFrame:
        self._require(StreamState.TEXT)
        self.text += text
        frame = ChunkFrame(response_id=self.response_id, seq=self.next_seq, text=text)
        self._add(frame)
        return frame

    def correction(self, text: str, reason: str) -> CorrectionFrame:
        self._require(StreamState.TEXT)
        self.text = text
        frame = CorrectionFrame(
            response_id=self.response_id, seq=self.next_seq, text=text, reason=reason
        )
        self._add(frame)
        return frame

    def products(self, cards: Sequence[ProductCard]) -> ProductsFrame:
        self._require(StreamState.TEXT, StreamState.CARDS)
        self.state = StreamState.CARDS
        frame = ProductsFrame(
            response_id=self.response_id, seq=self.next_seq, products=tuple(cards)
        )
        self._add(frame)
        return frame

    def actions(self, items: Sequence[ActionItem]) -> ActionsFrame:
        self._require(StreamState.TEXT, StreamState.CARDS)
        self.state = StreamState.CARDS
        frame = ActionsFrame(response_id=self.response_id, seq=self.next_seq, actions=tuple(items))
        self._add(frame)
        return frame

    def complete(self, metadata: dict[str, Any]) -> CompleteFrame:
        self._require(StreamState.TEXT, StreamState.CARDS)
        self.state = StreamState.FINISHED
        frame = CompleteFrame(response_id=self.response_id, seq=self.next_seq, metadata=metadata)
        self._add(frame)
        return frame

    def error(self, code: str, message: str, retry_after: float | None = None) -> ErrorFrame:
        self._require(StreamState.TEXT, StreamState.CARDS)
        self.state = StreamState.FINISHED
        frame = ErrorFrame(
            response_id=self.response_id,
            seq=self.next_seq,
            code=code,
            message=message,
            retry_after=retry_after,
        )
        self._add(frame)
        return frame

    @property
    def finished(self) -> bool:
        return self.state is StreamState.FINISHED


def frames_after(frames: Sequence[ServerFrame], last_seq: int) -> list[ServerFrame]:
    """What a client that saw up to `last_seq` is missing (everything when it is -1)."""
    return [frame for frame in frames if frame.seq > last_seq]


def render(frame: ServerFrame, version: int) -> dict[str, Any]:
    """The JSON object sent for `frame` to a client speaking `version`."""
    data = frame.model_dump(mode="json")
    if version < 2 and data["type"] == "products":
        for card in data["products"]:
            card.pop("rating", None)
            card.pop("rating_count", None)
    if data["type"] == "error" and data.get("retry_after") is None:
        data.pop("retry_after", None)
    return data


def load_frame(data: dict[str, Any]) -> ServerFrame:
    """A kept frame read back from storage."""
    frame: ServerFrame = _SERVER.validate_python(data)
    return frame
