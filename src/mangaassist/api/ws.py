"""The WebSocket endpoint: it only moves frames; the protocol lives in `api/protocol.py`."""

from __future__ import annotations

import asyncio
import contextlib
import json
from typing import Any

from fastapi import APIRouter, WebSocket
from starlette.websockets import WebSocketDisconnect, WebSocketState

from mangaassist.api.auth import AuthError, Principal
from mangaassist.api.conversation import Message, new_id, standalone_error
from mangaassist.api.protocol import ProtocolError, negotiate_version, parse_client_frame, render
from mangaassist.api.runtime import WELCOME_BACK, Runtime, bearer
from mangaassist.chat import templates
from mangaassist.domain.frames import (
    LATEST_PROTOCOL,
    BannerFrame,
    CompleteFrame,
    ErrorFrame,
    FeedbackFrame,
    MessageFrame,
    PingFrame,
    PongFrame,
    ResendFrame,
    ServerFrame,
    SessionFrame,
)
from mangaassist.guardrails.pii import redact
from mangaassist.state.sessions import OpenOutcome

#: Degradation level at which new sessions get a banner (llm.router.Level.OUTAGE).
OUTAGE_LEVEL = 3

router = APIRouter()
CLOSE_POLICY = 1008
CLOSE_UNAUTHORIZED = 4401


class Connection:
    def __init__(self, ws: WebSocket, runtime: Runtime, version: int) -> None:
        self.ws = ws
        self.runtime = runtime
        self.version = version
        self.answering: asyncio.Task[None] | None = None
        #: The current answer's terminal frame is out; its task is only finishing up.
        self.answer_sent = False

    async def send(self, frame: ServerFrame) -> None:
        await self.ws.send_text(json.dumps(render(frame, self.version), ensure_ascii=False))

    async def error(self, code: str, message: str, retry_after: float | None = None) -> None:
        await self.send(standalone_error(code, message, retry_after))


def _token(ws: WebSocket) -> str | None:
    header = ws.headers.get("authorization")
    return bearer(header) if header else ws.query_params.get("token")


@router.websocket("/v1/chat/ws")
async def chat_ws(ws: WebSocket) -> None:
    runtime: Runtime = ws.app.state.runtime
    await ws.accept()
    try:
        version = negotiate_version(ws.query_params.get("protocol_version"))
    except ProtocolError as exc:
        conn = Connection(ws, runtime, LATEST_PROTOCOL)
        await conn.error(exc.code, exc.message)
        await ws.close(CLOSE_POLICY)
        return
    conn = Connection(ws, runtime, version)
    try:
        principal = runtime.principal(_token(ws))
    except AuthError as exc:
        await conn.error(exc.code, exc.message)
        await ws.close(CLOSE_UNAUTHORIZED)
        return
    session, outcome = await runtime.sessions.open(
        ws.query_params.get("session_id"), principal.customer_id, runtime.clock()
    )
    language = "ja" if ws.query_params.get("lang") == "ja" else "en"
    connect_id = new_id("c")
    await conn.send(
        SessionFrame(
            response_id=connect_id,
            seq=0,
            session_id=session.session_id,
            resumed=outcome is OpenOutcome.RESUMED,
            protocol_version=version,
            welcome=WELCOME_BACK[language] if outcome is OpenOutcome.EXPIRED else None,
        )
    )
    if outcome is not OpenOutcome.RESUMED and runtime.degradation() >= OUTAGE_LEVEL:
        runtime.counters["outage_banners"] += 1
        text = templates.render("outage_banner", language)
        await conn.send(BannerFrame(response_id=connect_id, seq=1, level="degraded", text=text))
    client = ws.client.host if ws.client else "unknown"
    try:
        await _serve(conn, session.session_id, principal, client)
    finally:
        if conn.answering is not None and not conn.answering.done():
            conn.answering.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await conn.answering


async def _serve(conn: Connection, session_id: str, principal: Principal, client: str) -> None:
    runtime = conn.runtime
    max_bytes = runtime.settings.guardrails.max_input_bytes + 2048
    while True:
        try:
            raw = await conn.ws.receive()
        except WebSocketDisconnect:
            return
        if raw["type"] == "websocket.disconnect":
            return
        data: str | bytes | None = raw.get("text")
        if data is None:
            data = raw.get("bytes") or b""
        try:
            frame = parse_client_frame(data, max_bytes=max_bytes)
        except ProtocolError as exc:
            await conn.error(exc.code, exc.message)
            continue
        if isinstance(frame, PingFrame):
            await conn.send(PongFrame(response_id=new_id("p"), seq=0))
        elif isinstance(frame, ResendFrame):
            for kept in await runtime.conversation.resend(
                session_id, frame.response_id, frame.last_seq
            ):
                await conn.send(kept)
        elif isinstance(frame, FeedbackFrame):
            await _feedback(conn, session_id, principal.customer_id, frame)
        elif isinstance(frame, MessageFrame):
            await _message(conn, session_id, principal, client, frame)


async def _feedback(
    conn: Connection, session_id: str, customer_id: str | None, frame: FeedbackFrame
) -> None:
    runtime = conn.runtime
    if await runtime.sessions.get_response(session_id, frame.response_id) is None:
        await conn.error("unknown_response", f"no response {frame.response_id} in this session")
        return
    comment = redact(frame.comment).text if frame.comment else None
    runtime.audit.add_feedback(frame.response_id, session_id, customer_id, frame.rating, comment)
    runtime.counters[f"feedback_{frame.rating}"] += 1


async def _message(
    conn: Connection, session_id: str, principal: Principal, client: str, frame: MessageFrame
) -> None:
    runtime = conn.runtime
    if conn.answering is not None and not conn.answering.done():
        if not conn.answer_sent:
            await conn.error("session_busy", "wait for the current answer to finish", 1.0)
            return
        await conn.answering
    decision = await runtime.admit(principal, client, session_id)
    if not decision.allowed:
        await conn.error(
            "rate_limited",
            "too many messages; please wait a moment",
            round(decision.retry_after, 2),
        )
        return
    message = Message(
        session_id,
        frame.message_id,
        frame.text,
        principal.customer_id,
        principal.tier,
        dict(frame.context_hints),
    )
    conn.answer_sent = False
    conn.answering = asyncio.create_task(_stream(conn, message))


async def _stream(conn: Connection, message: Message) -> None:
    answer = conn.runtime.conversation.answer(message)
    async with contextlib.aclosing(answer):
        async for frame in answer:
            if conn.ws.application_state is not WebSocketState.CONNECTED:
                conn.runtime.counters["client_gone"] += 1
                return
            try:
                await conn.send(frame)
            except (WebSocketDisconnect, RuntimeError):
                conn.runtime.counters["client_gone"] += 1
                return
            if isinstance(frame, CompleteFrame | ErrorFrame):
                conn.answer_sent = True


__all__: list[Any] = ["router"]
