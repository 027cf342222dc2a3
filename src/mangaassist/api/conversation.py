"""One message in, protocol frames out: the orchestrator's events bound to the wire rules.

Holds the session lock for the turn, answers a repeated `message_id` from the frames
kept with the session (never generating twice), keeps every frame as it is sent so a
reconnecting client can `resend`, and marks a response `interrupted` when the client
goes away mid-stream (such a response may be asked for again and is regenerated).
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncGenerator, AsyncIterator
from dataclasses import dataclass

from mangaassist.api.protocol import ResponseStream, frames_after, load_frame
from mangaassist.chat.events import Actions, Cards, Done, Failed, Replace, TextDelta
from mangaassist.chat.orchestrator import Orchestrator, TurnInput
from mangaassist.domain.frames import ErrorFrame, ServerFrame
from mangaassist.state.sessions import ResponseStatus, SessionBusy, SessionStore

FLUSH_EVERY = 16
_FLUSH_NOW = frozenset({"correction", "products", "actions"})


def new_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_urlsafe(12)}"


@dataclass(frozen=True, slots=True)
class Message:
    session_id: str
    message_id: str | None
    text: str
    customer_id: str | None
    tier: str
    context_hints: dict[str, str]


class Conversation:
    def __init__(self, orchestrator: Orchestrator, sessions: SessionStore) -> None:
        self.orchestrator = orchestrator
        self.sessions = sessions

    async def answer(self, message: Message) -> AsyncGenerator[ServerFrame, None]:
        """Frames of the answer, kept with the session as they go out."""
        if message.message_id is not None:
            kept = await self.sessions.response_for_message(message.session_id, message.message_id)
            if kept is not None and kept.status is not ResponseStatus.INTERRUPTED:
                for data in kept.frames:
                    yield load_frame(data)
                return
        try:
            async with self.sessions.lock(message.session_id):
                async for frame in self._generate(message):
                    yield frame
        except SessionBusy:
            stream = ResponseStream(new_id("r"))
            yield stream.error(
                "session_busy", "another message of this session is being answered", 1.0
            )

    async def _generate(self, message: Message) -> AsyncIterator[ServerFrame]:
        response_id = new_id("r")
        stream = ResponseStream(response_id)
        await self.sessions.start_response(message.session_id, response_id, message.message_id)
        turn = TurnInput(
            session_id=message.session_id,
            response_id=response_id,
            request_id=new_id("q"),
            text=message.text,
            customer_id=message.customer_id,
            tier=message.tier,
            message_id=message.message_id,
            context_hints=message.context_hints,
        )
        status = ResponseStatus.INTERRUPTED
        pending: list[dict[str, object]] = []

        async def flush() -> None:
            if pending:
                batch = list(pending)
                pending.clear()
                await self.sessions.add_frames(message.session_id, response_id, batch)

        try:
            async for event in self.orchestrator.run(turn):
                frame = _frame(stream, event)
                data = frame.model_dump(mode="json")
                pending.append(data)
                # Text is kept in batches; anything that changes the answer at once; the
                # last frames go with the final status in _close.
                if len(pending) >= FLUSH_EVERY or data["type"] in _FLUSH_NOW:
                    await flush()
                yield frame
            status = ResponseStatus.FINISHED
        except asyncio.CancelledError:
            raise
        except Exception:
            frame = stream.error("internal_error", "something went wrong; please try again")
            pending.append(frame.model_dump(mode="json"))
            status = ResponseStatus.FINISHED
            yield frame
        finally:
            await asyncio.shield(self._close(message.session_id, response_id, status, pending))

    async def _close(
        self,
        session_id: str,
        response_id: str,
        status: ResponseStatus,
        pending: list[dict[str, object]],
    ) -> None:
        """The frames not yet kept and the final status, in one write."""
        await self.sessions.finish_response(session_id, response_id, status, pending)

    async def resend(self, session_id: str, response_id: str, last_seq: int) -> list[ServerFrame]:
        kept = await self.sessions.get_response(session_id, response_id)
        if kept is None:
            return [
                _standalone_error("unknown_response", f"no response {response_id} in this session")
            ]
        frames = [load_frame(data) for data in kept.frames]
        missing = frames_after(frames, last_seq)
        if kept.status is ResponseStatus.INTERRUPTED:
            seq = len(frames)
            missing.append(
                ErrorFrame(
                    response_id=response_id,
                    seq=seq,
                    code="interrupted",
                    message="this answer was interrupted; send the message again",
                )
            )
        return missing


def _frame(stream: ResponseStream, event: object) -> ServerFrame:
    if isinstance(event, TextDelta):
        return stream.chunk(event.text)
    if isinstance(event, Replace):
        return stream.correction(event.text, event.reason)
    if isinstance(event, Cards):
        return stream.products(event.cards)
    if isinstance(event, Actions):
        return stream.actions(event.items)
    if isinstance(event, Done):
        return stream.complete(event.metadata)
    if isinstance(event, Failed):
        return stream.error(event.code, event.message, event.retry_after)
    raise TypeError(f"unknown event {event!r}")


def _standalone_error(code: str, message: str, retry_after: float | None = None) -> ErrorFrame:
    return ResponseStream(new_id("e")).error(code, message, retry_after)


standalone_error = _standalone_error
