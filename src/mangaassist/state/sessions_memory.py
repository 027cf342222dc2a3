"""Sessions in process memory: for tests and a single process without a database."""

from __future__ import annotations

import secrets
from collections import OrderedDict
from collections.abc import AsyncIterator, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from mangaassist.state.sessions import (
    KeptResponse,
    OpenOutcome,
    ResponseStatus,
    Session,
    SessionBusy,
    SessionLimits,
    SessionNotFound,
    Turn,
)


def new_session_id() -> str:
    return "s_" + secrets.token_urlsafe(16)


@dataclass
class _Entry:
    session: Session
    turns: list[Turn] = field(default_factory=list)
    responses: OrderedDict[str, KeptResponse] = field(default_factory=OrderedDict)
    by_message: dict[str, str] = field(default_factory=dict)


class MemorySessionStore:
    def __init__(self, limits: SessionLimits | None = None) -> None:
        self.limits = limits or SessionLimits()
        self._entries: dict[str, _Entry] = {}
        self._locks: set[str] = set()

    def _ttl(self) -> timedelta:
        return timedelta(seconds=self.limits.ttl_s)

    def _fresh(self, customer_id: str | None, now: datetime) -> Session:
        session = Session(new_session_id(), customer_id, now, now, now + self._ttl())
        self._entries[session.session_id] = _Entry(session)
        return session

    async def open(
        self, session_id: str | None, customer_id: str | None, now: datetime
    ) -> tuple[Session, OpenOutcome]:
        entry = self._entries.get(session_id) if session_id else None
        if entry is None or entry.session.customer_id != customer_id:
            return self._fresh(customer_id, now), OpenOutcome.NEW
        if entry.session.expires <= now:
            return self._fresh(customer_id, now), OpenOutcome.EXPIRED
        entry.session = replace(entry.session, last_seen=now, expires=now + self._ttl())
        return entry.session, OpenOutcome.RESUMED

    async def get(self, session_id: str, customer_id: str | None, now: datetime) -> Session:
        entry = self._entries.get(session_id)
        if (
            entry is None
            or entry.session.customer_id != customer_id
            or entry.session.expires <= now
        ):
            raise SessionNotFound(session_id)
        return entry.session

    def _entry(self, session_id: str) -> _Entry:
        entry = self._entries.get(session_id)
        if entry is None:
            raise SessionNotFound(session_id)
        return entry

    async def append_turn(self, session_id: str, *turns: Turn) -> None:
        entry = self._entry(session_id)
        entry.turns.extend(turns)
        del entry.turns[: -self.limits.max_turns]

    async def recent_turns(self, session_id: str, limit: int) -> list[Turn]:
        return self._entry(session_id).turns[-limit:] if limit > 0 else []

    async def start_response(
        self, session_id: str, response_id: str, message_id: str | None
    ) -> None:
        entry = self._entry(session_id)
        entry.responses[response_id] = KeptResponse(
            response_id, message_id, ResponseStatus.STREAMING
        )
        if message_id is not None:
            entry.by_message[message_id] = response_id
        while len(entry.responses) > self.limits.max_responses:
            old_id, old = entry.responses.popitem(last=False)
            if old.message_id is not None and entry.by_message.get(old.message_id) == old_id:
                del entry.by_message[old.message_id]

    async def add_frames(
        self, session_id: str, response_id: str, frames: Sequence[dict[str, Any]]
    ) -> None:
        entry = self._entry(session_id)
        kept = entry.responses[response_id]
        entry.responses[response_id] = replace(kept, frames=kept.frames + tuple(frames))

    async def finish_response(
        self,
        session_id: str,
        response_id: str,
        status: ResponseStatus,
        frames: Sequence[dict[str, Any]] = (),
    ) -> None:
        if frames:
            await self.add_frames(session_id, response_id, frames)
        entry = self._entry(session_id)
        entry.responses[response_id] = replace(entry.responses[response_id], status=status)

    async def get_response(self, session_id: str, response_id: str) -> KeptResponse | None:
        entry = self._entries.get(session_id)
        return None if entry is None else entry.responses.get(response_id)

    async def response_for_message(self, session_id: str, message_id: str) -> KeptResponse | None:
        entry = self._entries.get(session_id)
        if entry is None or message_id not in entry.by_message:
            return None
        return entry.responses.get(entry.by_message[message_id])

    @asynccontextmanager
    async def _held(self, session_id: str) -> AsyncIterator[None]:
        if session_id in self._locks:
            raise SessionBusy(session_id)
        self._locks.add(session_id)
        try:
            yield
        finally:
            self._locks.discard(session_id)

    def lock(self, session_id: str) -> AbstractAsyncContextManager[None]:
        return self._held(session_id)

    async def prune(self, now: datetime) -> int:
        grace = timedelta(seconds=self.limits.tombstone_s)
        pruned = 0
        for session_id, entry in list(self._entries.items()):
            if entry.session.expires <= now and (entry.turns or entry.responses):
                entry.turns.clear()
                entry.responses.clear()
                entry.by_message.clear()
                pruned += 1
            if entry.session.expires + grace <= now:
                del self._entries[session_id]
                pruned += 1
        return pruned

    async def forget_customer(self, customer_id: str) -> int:
        doomed = [k for k, e in self._entries.items() if e.session.customer_id == customer_id]
        for key in doomed:
            del self._entries[key]
        return len(doomed)
