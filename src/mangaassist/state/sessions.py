"""Chat sessions: the protocol every session backend implements, and its plain values.

A session belongs to one customer (or to a guest). It keeps a bounded list of redacted
turns, the frames of each response (for `resend`), which response answered which
client `message_id` (idempotency), and a lock so one session handles one message at a
time across replicas. Sessions expire after a TTL; an expired session leaves a small
tombstone for a while so a returning shopper is welcomed back, then is pruned.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Literal, Protocol

Role = Literal["user", "assistant"]


class OpenOutcome(StrEnum):
    NEW = "new"
    RESUMED = "resumed"
    EXPIRED = "expired"  # the asked-for session expired: a new one, with a welcome back


class ResponseStatus(StrEnum):
    STREAMING = "streaming"
    FINISHED = "finished"
    INTERRUPTED = "interrupted"  # the client went away before the end; may be regenerated


class SessionBusy(Exception):
    """Another message of this session is being answered right now."""

    code = "session_busy"


class SessionNotFound(Exception):
    """No live session with that id belongs to the caller."""

    code = "session_not_found"


@dataclass(frozen=True, slots=True)
class Session:
    session_id: str
    customer_id: str | None
    created: datetime
    last_seen: datetime
    expires: datetime


@dataclass(frozen=True, slots=True)
class Turn:
    role: Role
    text: str  # always redacted
    at: datetime
    response_id: str | None = None
    intent: str | None = None


@dataclass(frozen=True, slots=True)
class KeptResponse:
    response_id: str
    message_id: str | None
    status: ResponseStatus
    frames: tuple[dict[str, Any], ...] = field(default=())


@dataclass(frozen=True, slots=True)
class SessionLimits:
    ttl_s: float = 24 * 3600
    max_turns: int = 50
    max_responses: int = 50
    tombstone_s: float = 7 * 24 * 3600
    lock_ttl_s: float = 120


class SessionStore(Protocol):
    async def open(
        self, session_id: str | None, customer_id: str | None, now: datetime
    ) -> tuple[Session, OpenOutcome]:
        """Resume the caller's live session, or start a new one. A session of another
        customer is never resumed (a new one is started, as if the id were unknown)."""
        ...

    async def get(self, session_id: str, customer_id: str | None, now: datetime) -> Session:
        """The caller's live session; `SessionNotFound` otherwise (also for others')."""
        ...

    async def append_turn(self, session_id: str, *turns: Turn) -> None:
        """Add turns in order, in one write; the oldest beyond `max_turns` are dropped."""
        ...

    async def recent_turns(self, session_id: str, limit: int) -> list[Turn]: ...

    async def start_response(
        self, session_id: str, response_id: str, message_id: str | None
    ) -> None: ...

    async def add_frames(
        self, session_id: str, response_id: str, frames: Sequence[dict[str, Any]]
    ) -> None: ...

    async def finish_response(
        self,
        session_id: str,
        response_id: str,
        status: ResponseStatus,
        frames: Sequence[dict[str, Any]] = (),
    ) -> None:
        """Keep the last `frames` and set the status, in one write."""
        ...

    async def get_response(self, session_id: str, response_id: str) -> KeptResponse | None: ...

    async def response_for_message(
        self, session_id: str, message_id: str
    ) -> KeptResponse | None: ...

    def lock(self, session_id: str) -> AbstractAsyncContextManager[None]:
        """Hold the session for one message; raises `SessionBusy` if already held."""
        ...

    async def prune(self, now: datetime) -> int:
        """Drop the content of expired sessions and the tombstones past their grace."""
        ...

    async def forget_customer(self, customer_id: str) -> int:
        """Delete every session of a customer (right to be forgotten); returns the count."""
        ...
