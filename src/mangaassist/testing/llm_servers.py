"""Local servers that speak a model provider's real streaming wire format, on loopback.

`anthropic_server()` serves `POST /v1/messages` with `stream: true` as Anthropic does:
named Server-Sent Events (`message_start`, `content_block_start`, `ping`,
`content_block_delta` with `text_delta`s, `content_block_stop`, `message_delta` with the
stop reason and output tokens, `message_stop`) and typed error bodies. Its behaviours:
"ok", "429", "500", "529" (overloaded), "400", "slow" (the first event comes after
`slow_s`), "break", "malformed", "overloaded" (an `error` event after the first tokens) and
"refusal" (stop_reason `refusal`).

`openai_server()` serves `POST /v1/chat/completions` with `stream: true` as OpenAI does:
Server-Sent Events, one `chat.completion.chunk` JSON per `data:` line, a final usage chunk
(`stream_options.include_usage`), then `data: [DONE]`. Each request takes the next scripted
behaviour: "ok", "429" (with Retry-After), "500", "503", "break" (the connection drops
after the first tokens), "malformed" (an event that is not JSON), "filter" (finish_reason
content_filter), "slow" (the first event after `slow_s`). The server runs uvicorn in a
thread on an ephemeral port.
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

WORDS = ("Unopened ", "items ", "can ", "be ", "returned ", "within ", "15 ", "days.")


@dataclass
class Script:
    behaviours: list[str] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)

    def next(self) -> str:
        return self.behaviours.pop(0) if self.behaviours else "ok"


def _chunk(model: str, content: str | None, finish: str | None = None) -> str:
    delta = {} if content is None else {"content": content}
    body = {
        "id": "chatcmpl-loopback",
        "object": "chat.completion.chunk",
        "created": 1_700_000_000,
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }
    return f"data: {json.dumps(body)}\n\n"


def _usage(model: str) -> str:
    body = {
        "id": "chatcmpl-loopback",
        "object": "chat.completion.chunk",
        "created": 1_700_000_000,
        "model": model,
        "choices": [],
        "usage": {"prompt_tokens": 42, "completion_tokens": len(WORDS), "total_tokens": 50},
    }
    return f"data: {json.dumps(body)}\n\n"


class _BrokenStream(Exception):
    """Raised inside the response body: uvicorn drops the connection mid-stream."""


def _app(script: Script, slow_s: float = 5.0) -> Starlette:
    async def completions(request: Request) -> Response:
        body = await request.json()
        script.requests.append(body)
        behaviour = script.next()
        model = str(body.get("model", "loopback"))
        if behaviour == "429":
            error = {"error": {"message": "Rate limit reached", "type": "rate_limit_exceeded"}}
            return JSONResponse(error, status_code=429, headers={"retry-after": "7"})
        if behaviour in ("500", "503"):
            error = {"error": {"message": "upstream failure", "type": "server_error"}}
            return JSONResponse(error, status_code=int(behaviour))
        if behaviour == "400":
            error = {"error": {"message": "unknown model", "type": "invalid_request_error"}}
            return JSONResponse(error, status_code=400)

        async def events() -> AsyncIterator[str]:
            if behaviour == "slow":
                await asyncio.sleep(slow_s)  # a slow model, not synchronisation
            yield _chunk(model, "")
            for index, word in enumerate(WORDS):
                if behaviour == "break" and index == 2:
                    raise _BrokenStream("connection dropped on purpose")
                if behaviour == "malformed" and index == 2:
                    yield "data: {not json\n\n"
                    return
                yield _chunk(model, word)
            finish = "content_filter" if behaviour == "filter" else "stop"
            yield _chunk(model, None, finish)
            yield _usage(model)
            yield "data: [DONE]\n\n"

        return StreamingResponse(events(), media_type="text/event-stream")

    return Starlette(routes=[Route("/v1/chat/completions", completions, methods=["POST"])])


def _sse(event: str, body: dict[str, Any]) -> str:
    return f"event: {event}\ndata: {json.dumps(body)}\n\n"


def _anthropic_error(kind: str, message: str) -> dict[str, Any]:
    return {"type": "error", "error": {"type": kind, "message": message}}


_ANTHROPIC_HTTP_ERRORS = {
    "429": ("rate_limit_error", "Number of request tokens has exceeded your rate limit"),
    "500": ("api_error", "Internal server error"),
    "529": ("overloaded_error", "Overloaded"),
    "400": ("invalid_request_error", "model: unknown model"),
}


def _anthropic_app(script: Script, slow_s: float, words: tuple[str, ...]) -> Starlette:
    async def messages(request: Request) -> Response:
        body = await request.json()
        script.requests.append({**body, "headers": dict(request.headers)})
        behaviour = script.next()
        model = str(body.get("model", "loopback"))
        if behaviour in _ANTHROPIC_HTTP_ERRORS:
            kind, message = _ANTHROPIC_HTTP_ERRORS[behaviour]
            headers = {"retry-after": "7"} if behaviour == "429" else {}
            return JSONResponse(
                _anthropic_error(kind, message), status_code=int(behaviour), headers=headers
            )

        async def events() -> AsyncIterator[str]:
            if behaviour == "slow":
                await asyncio.sleep(slow_s)  # a slow model, not synchronisation
            message: dict[str, Any] = {
                "id": "msg_loopback",
                "type": "message",
                "role": "assistant",
                "content": [],
                "model": model,
                "stop_reason": None,
                "stop_sequence": None,
                "usage": {"input_tokens": 42, "output_tokens": 1},
            }
            yield _sse("message_start", {"type": "message_start", "message": message})
            yield _sse(
                "content_block_start",
                {
                    "type": "content_block_start",
                    "index": 0,
                    "content_block": {"type": "text", "text": ""},
                },
            )
            yield _sse("ping", {"type": "ping"})
            for index, word in enumerate(words):
                if index == 2 and behaviour == "break":
                    raise _BrokenStream("connection dropped on purpose")
                if index == 2 and behaviour == "malformed":
                    yield "event: content_block_delta\ndata: {not json\n\n"
                    return
                if index == 2 and behaviour == "overloaded":
                    yield _sse("error", _anthropic_error("overloaded_error", "Overloaded"))
                    return
                delta = {"type": "text_delta", "text": word}
                yield _sse(
                    "content_block_delta",
                    {"type": "content_block_delta", "index": 0, "delta": delta},
                )
            yield _sse("content_block_stop", {"type": "content_block_stop", "index": 0})
            stop = "refusal" if behaviour == "refusal" else "end_turn"
            yield _sse(
                "message_delta",
                {
                    "type": "message_delta",
                    "delta": {"stop_reason": stop, "stop_sequence": None},
                    "usage": {"output_tokens": len(words)},
                },
            )
            yield _sse("message_stop", {"type": "message_stop"})

        return StreamingResponse(events(), media_type="text/event-stream")

    return Starlette(routes=[Route("/v1/messages", messages, methods=["POST"])])


@dataclass(frozen=True)
class LoopbackServer:
    base_url: str
    script: Script


@contextmanager
def serve(app: Starlette) -> Iterator[str]:
    """Run `app` with uvicorn in a thread on an ephemeral loopback port; yields its origin
    (``http://127.0.0.1:PORT``) once uvicorn reports it started."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="critical", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        # Readiness is uvicorn's own flag; this waits for its thread, it does not guess a time.
        while not server.started:
            if not thread.is_alive():
                raise RuntimeError("loopback server failed to start")
            time.sleep(0.001)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@contextmanager
def openai_server(
    behaviours: list[str] | None = None, *, slow_s: float = 5.0
) -> Iterator[LoopbackServer]:
    script = Script(list(behaviours or []))
    with serve(_app(script, slow_s)) as origin:
        yield LoopbackServer(f"{origin}/v1", script)


@contextmanager
def anthropic_server(
    behaviours: list[str] | None = None,
    *,
    slow_s: float = 5.0,
    words: tuple[str, ...] = WORDS,
) -> Iterator[LoopbackServer]:
    """Anthropic's Messages streaming on loopback; `base_url` is the origin (the SDK adds
    `/v1/messages`). `words` are the answer's text deltas."""
    script = Script(list(behaviours or []))
    with serve(_anthropic_app(script, slow_s, words)) as origin:
        yield LoopbackServer(origin, script)
