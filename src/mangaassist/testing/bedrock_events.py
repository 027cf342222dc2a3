"""A loopback server speaking Bedrock's `ConverseStream` wire format.

`POST /model/{modelId}/converse-stream` answers `application/vnd.amazon.eventstream`: binary
event-stream messages (prelude with total and header lengths and its CRC32, string headers
`:event-type`, `:content-type`, `:message-type`, a JSON payload, the message CRC32), in
Bedrock's order: `messageStart`, `contentBlockDelta` per word, `contentBlockStop`,
`messageStop`, `metadata` (usage, metrics). The encoder is written here because botocore
ships only the decoder. Any SigV4 signature is accepted.

Behaviours, one per request: "ok", "429" (ThrottlingException), "500"
(InternalServerException), "503" (ServiceUnavailableException), "400" (ValidationException),
"slow" (the first event after `slow_s`), "break" (the connection drops after two words),
"malformed" (a message with a wrong CRC), "exception" (an in-stream `throttlingException`
after two words), "filter" (stopReason `content_filtered`).
"""

from __future__ import annotations

import asyncio
import json
import struct
import zlib
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from mangaassist.testing.llm_servers import WORDS, LoopbackServer, Script, serve

_STRING = 7  # event-stream header value type: UTF-8 string


def _headers(values: dict[str, str]) -> bytes:
    out = b""
    for name, value in values.items():
        raw_name, raw_value = name.encode(), value.encode()
        out += struct.pack("!B", len(raw_name)) + raw_name
        out += struct.pack("!BH", _STRING, len(raw_value)) + raw_value
    return out


def encode_message(headers: dict[str, str], payload: bytes, *, corrupt: bool = False) -> bytes:
    """One event-stream message; `corrupt` breaks its message CRC."""
    head = _headers(headers)
    total = 12 + len(head) + len(payload) + 4
    prelude = struct.pack("!II", total, len(head))
    prelude += struct.pack("!I", zlib.crc32(prelude))
    body = prelude + head + payload
    crc = zlib.crc32(body) ^ (0xFFFFFFFF if corrupt else 0)
    return body + struct.pack("!I", crc)


def event(kind: str, payload: dict[str, Any], *, corrupt: bool = False) -> bytes:
    headers = {
        ":event-type": kind,
        ":content-type": "application/json",
        ":message-type": "event",
    }
    return encode_message(headers, json.dumps(payload).encode(), corrupt=corrupt)


def exception(kind: str, message: str) -> bytes:
    headers = {
        ":exception-type": kind,
        ":content-type": "application/json",
        ":message-type": "exception",
    }
    return encode_message(headers, json.dumps({"message": message}).encode())


_HTTP_ERRORS = {
    "429": ("ThrottlingException", "Too many requests, please wait before trying again."),
    "500": ("InternalServerException", "The server encountered an internal error."),
    "503": ("ServiceUnavailableException", "The service is unavailable."),
    "400": ("ValidationException", "The provided model identifier is invalid."),
}


class _BrokenStream(Exception):
    """Raised inside the body: uvicorn drops the connection mid-stream."""


def _app(script: Script, slow_s: float) -> Starlette:
    async def converse_stream(request: Request) -> Response:
        body = await request.json()
        model = request.path_params["model"]
        script.requests.append({**body, "model": model, "headers": dict(request.headers)})
        behaviour = script.next()
        if behaviour in _HTTP_ERRORS:
            kind, message = _HTTP_ERRORS[behaviour]
            return JSONResponse(
                {"message": message},
                status_code=int(behaviour),
                headers={"x-amzn-ErrorType": f"{kind}:http://internal.amazon.com/coral/"},
            )

        async def events() -> AsyncIterator[bytes]:
            if behaviour == "slow":
                await asyncio.sleep(slow_s)  # a slow model, not synchronisation
            yield event("messageStart", {"role": "assistant"})
            for index, word in enumerate(WORDS):
                if index == 2 and behaviour == "break":
                    raise _BrokenStream("connection dropped on purpose")
                if index == 2 and behaviour == "exception":
                    yield exception("throttlingException", "Too many tokens, please wait.")
                    return
                delta = {"contentBlockIndex": 0, "delta": {"text": word}}
                yield event(
                    "contentBlockDelta", delta, corrupt=index == 2 and behaviour == "malformed"
                )
            yield event("contentBlockStop", {"contentBlockIndex": 0})
            stop = "content_filtered" if behaviour == "filter" else "end_turn"
            yield event("messageStop", {"stopReason": stop})
            usage = {"inputTokens": 42, "outputTokens": len(WORDS), "totalTokens": 42 + len(WORDS)}
            yield event("metadata", {"usage": usage, "metrics": {"latencyMs": 120}})

        return StreamingResponse(events(), media_type="application/vnd.amazon.eventstream")

    return Starlette(
        routes=[Route("/model/{model:path}/converse-stream", converse_stream, methods=["POST"])]
    )


@contextmanager
def bedrock_server(
    behaviours: list[str] | None = None, *, slow_s: float = 5.0
) -> Iterator[LoopbackServer]:
    """Bedrock runtime on loopback; `base_url` is the endpoint URL for the client."""
    script = Script(list(behaviours or []))
    with serve(_app(script, slow_s)) as origin:
        yield LoopbackServer(origin, script)
