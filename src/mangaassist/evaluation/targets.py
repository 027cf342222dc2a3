"""Where golden cases are sent: the in-process app (default) or a deployment over WebSocket.

Both speak the same frames, so a case is judged on what a shopper would receive: the text
after any `correction`, the product cards, the actions and the `complete` metadata.
Transport failures raise `TransportError` (retried by the runner); anything else the target
says (an `error` frame) is part of the transcript and judged like an answer.
"""

from __future__ import annotations

import asyncio
import json
import secrets
from collections.abc import AsyncIterator, Iterable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from mangaassist.evaluation.golden import GoldenCase


class TransportError(RuntimeError):
    """The target could not be reached or dropped the conversation (worth a retry)."""


@dataclass(frozen=True, slots=True)
class TurnResult:
    text: str
    intent: str | None
    cards: tuple[dict[str, Any], ...] = ()
    actions: tuple[dict[str, Any], ...] = ()
    metadata: dict[str, Any] = field(default_factory=dict)
    error: str | None = None  # the code of an `error` frame, if the answer was one


@dataclass(frozen=True, slots=True)
class Transcript:
    turns: tuple[TurnResult, ...]
    elapsed_ms: float

    @property
    def last(self) -> TurnResult:
        return self.turns[-1]


def fold_frames(frames: Iterable[dict[str, Any]]) -> TurnResult:
    """The answer a shopper ends up seeing, from one response's frames in order."""
    text = ""
    cards: tuple[dict[str, Any], ...] = ()
    actions: tuple[dict[str, Any], ...] = ()
    metadata: dict[str, Any] = {}
    error = None
    for frame in frames:
        kind = frame.get("type")
        if kind == "chunk":
            text += str(frame.get("text", ""))
        elif kind == "correction":
            text = str(frame.get("text", ""))
        elif kind == "products":
            cards = tuple(frame.get("products", ()))
        elif kind == "actions":
            actions = tuple(frame.get("items", ()))
        elif kind == "complete":
            metadata = dict(frame.get("metadata", {}))
        elif kind == "error":
            error = str(frame.get("code"))
            text = text or str(frame.get("message", ""))
    return TurnResult(text, metadata.get("intent"), cards, actions, metadata, error)


class Target(Protocol):
    """Runs one case's conversation and returns what came back for each turn."""

    description: str

    async def run(self, case: GoldenCase) -> Transcript: ...

    async def aclose(self) -> None: ...


class InProcessTarget:
    """The chat runtime built from Settings, in this process: no sockets, same pipeline."""

    def __init__(self, runtime: Any, description: str = "in-process") -> None:
        self.runtime = runtime
        self.description = description

    @classmethod
    async def create(cls, settings: Any) -> InProcessTarget:
        from mangaassist.app import build_chat_runtime

        runtime = await build_chat_runtime(settings)
        responder = runtime.conversation.orchestrator.deps.responder.name
        return cls(runtime, f"in-process ({responder})")

    async def _tier(self, customer: str | None) -> str:
        if customer is None:
            return "guest"
        demo_tier = self.runtime.demo_tier
        try:
            return str(await demo_tier(customer)) if demo_tier else "member"
        except LookupError:
            return "member"

    async def run(self, case: GoldenCase) -> Transcript:
        from mangaassist.api.conversation import Message

        loop = asyncio.get_running_loop()
        started = loop.time()
        sessions = self.runtime.sessions
        tier = await self._tier(case.customer)
        session, _ = await sessions.open(None, case.customer, datetime.now(UTC))
        results = []
        for index, text in enumerate(case.turns):
            if case.reconnect_before_last and index == len(case.turns) - 1:
                # A reconnect resumes the session by id, exactly as the WebSocket does.
                session, _ = await sessions.open(
                    session.session_id, case.customer, datetime.now(UTC)
                )
            message = Message(
                session.session_id,
                f"eval-{secrets.token_hex(6)}",
                text,
                case.customer,
                tier,
                {},
            )
            frames = [
                frame.model_dump(mode="json")
                async for frame in self.runtime.conversation.answer(message)
            ]
            results.append(fold_frames(frames))
        return Transcript(tuple(results), (loop.time() - started) * 1000)

    async def aclose(self) -> None:
        for resource in (self.runtime.sessions, self.runtime.audit):
            close = getattr(resource, "close", None)
            if close is not None:
                close()


class WebSocketTarget:
    """A running deployment, over the public WebSocket protocol (version 2).

    Signed-in cases need a token: with `token_secret` the runner mints one (the store's
    signing key); otherwise the deployment's demo sign-in endpoint is asked for one.
    """

    def __init__(
        self,
        base_url: str,
        *,
        token_secret: str | None = None,
        turn_timeout_s: float = 30.0,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.ws_url = self.base_url.replace("http://", "ws://").replace("https://", "wss://")
        self.token_secret = token_secret
        self.turn_timeout_s = turn_timeout_s
        self.description = f"websocket {self.base_url}"
        self._tokens: dict[str, str] = {}

    async def _token(self, customer: str) -> str:
        if customer in self._tokens:
            return self._tokens[customer]
        if self.token_secret:
            from mangaassist.api.auth import mint_shopper_token

            token = mint_shopper_token(customer, "member", self.token_secret, ttl_s=3600)
        else:
            import httpx

            try:
                async with httpx.AsyncClient(base_url=self.base_url, timeout=10) as client:
                    reply = await client.post("/v1/dev/token", json={"customer_id": customer})
            except httpx.HTTPError as exc:
                raise TransportError(f"token request failed: {exc}") from exc
            if reply.status_code != 200:
                raise TransportError(
                    f"no token for {customer}: HTTP {reply.status_code} (pass --token-secret)"
                )
            token = str(reply.json()["token"])
        self._tokens[customer] = token
        return token

    @asynccontextmanager
    async def _connect(self, query: str) -> AsyncIterator[Any]:
        from websockets.asyncio.client import connect
        from websockets.exceptions import WebSocketException

        try:
            async with connect(f"{self.ws_url}/v1/chat/ws?{query}", open_timeout=10) as ws:
                yield ws
        except (OSError, WebSocketException, TimeoutError) as exc:
            raise TransportError(f"{type(exc).__name__}: {exc}") from exc

    async def _answer(self, ws: Any, text: str) -> TurnResult:
        from websockets.exceptions import WebSocketException

        await ws.send(
            json.dumps({"type": "message", "message_id": secrets.token_hex(8), "text": text})
        )
        frames = []
        try:
            async with asyncio.timeout(self.turn_timeout_s):
                while True:
                    frame = json.loads(await ws.recv())
                    frames.append(frame)
                    if frame.get("type") in ("complete", "error"):
                        return fold_frames(frames)
        except (WebSocketException, OSError) as exc:
            raise TransportError(f"connection lost mid-answer: {exc}") from exc

    async def run(self, case: GoldenCase) -> Transcript:
        loop = asyncio.get_running_loop()
        started = loop.time()
        query = f"protocol_version=2&lang={case.language}"
        if case.customer is not None:
            query += f"&token={await self._token(case.customer)}"
        results: list[TurnResult] = []
        split = len(case.turns) - 1 if case.reconnect_before_last else len(case.turns)
        async with self._connect(query) as ws:
            session = json.loads(await ws.recv())
            if session.get("type") != "session":
                raise TransportError(f"expected a session frame, got {session.get('type')}")
            for text in case.turns[:split]:
                results.append(await self._answer(ws, text))
        if split < len(case.turns):
            resume = f"{query}&session_id={session['session_id']}"
            async with self._connect(resume) as ws:
                await ws.recv()  # the resumed session frame
                results.append(await self._answer(ws, case.turns[-1]))
        return Transcript(tuple(results), (loop.time() - started) * 1000)

    async def aclose(self) -> None:
        return None


def connect_target(
    target: str, settings: Any, *, token_secret: str | None = None, turn_timeout_s: float = 30.0
) -> AbstractAsyncContextManager[Target]:
    """`inprocess` or an http(s):// base URL of a running MangaAssist."""

    @asynccontextmanager
    async def opened() -> AsyncIterator[Target]:
        chosen: Target
        if target == "inprocess":
            chosen = await InProcessTarget.create(settings)
        elif target.startswith(("http://", "https://")):
            chosen = WebSocketTarget(
                target, token_secret=token_secret, turn_timeout_s=turn_timeout_s
            )
        else:
            raise ValueError(f"target must be 'inprocess' or an http(s):// URL, not {target!r}")
        try:
            yield chosen
        finally:
            await chosen.aclose()

    return opened()


__all__ = [
    "InProcessTarget",
    "Target",
    "Transcript",
    "TransportError",
    "TurnResult",
    "WebSocketTarget",
    "connect_target",
    "fold_frames",
]
