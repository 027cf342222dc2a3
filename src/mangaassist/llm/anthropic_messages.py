"""Anthropic's Messages API, streamed, on the official `anthropic` SDK.

An extra (`pip install 'mangaassist[anthropic]'`), imported lazily. SDK retries are off
(`max_retries=0`): the router owns the only retry loop. HTTP failures and the `error`
events Anthropic sends inside a stream (e.g. `overloaded_error` after the first tokens)
become the typed errors of `llm.provider`; a `refusal` stop reason becomes
`ContentFiltered` after the text streamed so far. `base_url` points the provider at any
server speaking the same wire format (a gateway, or the loopback server in tests).
`temperature` is sent only when the installed SDK still accepts it: recent SDKs dropped
sampling parameters, which current Claude models fix on the server.
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator
from typing import Any

from mangaassist.llm.provider import (
    BadRequest,
    ConfigurationError,
    ContentFiltered,
    LlmError,
    LlmRequest,
    MalformedStream,
    ProviderTimeout,
    StreamEvent,
    Throttled,
    Unavailable,
    Usage,
    retry_after,
)

#: Error `type`s of Anthropic's error bodies that mean "the service is unwell, try another".
_UNAVAILABLE_TYPES = frozenset({"api_error", "overloaded_error", "timeout_error"})
_REFUSALS = frozenset({"refusal"})


def _http_errors(name: str) -> tuple[type[BaseException], ...]:
    """The HTTP client's own exceptions named `name` (the SDK wraps most, not a body cut
    or timed out mid-stream); the SDK has used both httpx and its successor httpx2."""
    errors: list[type[BaseException]] = []
    for module in ("httpx", "httpx2"):
        try:
            errors.append(getattr(__import__(module), name))
        except (ImportError, AttributeError):
            continue
    return tuple(errors)


def _error_type(body: object) -> str | None:
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict) and isinstance(error.get("type"), str):
            return str(error["type"])
    return None


class AnthropicProvider:
    def __init__(
        self,
        name: str,
        *,
        model: str,
        api_key: str | None = None,
        base_url: str | None = None,
        timeout_s: float = 30.0,
    ) -> None:
        try:
            import anthropic
        except ImportError as exc:  # pragma: no cover - exercised only without the extra
            raise ConfigurationError(
                f"provider {name!r} needs the anthropic SDK: pip install 'mangaassist[anthropic]'"
            ) from exc
        if not model:
            raise ConfigurationError(f"provider {name!r} needs a model name")
        if not api_key:
            raise ConfigurationError(f"provider {name!r} needs an api_key (Anthropic API key)")
        self.name = name
        self.model = model
        self._anthropic = anthropic
        self._transport = _http_errors("HTTPError")
        self._timeouts = _http_errors("TimeoutException")
        self._client = anthropic.AsyncAnthropic(
            api_key=api_key, base_url=base_url, max_retries=0, timeout=timeout_s
        )
        # Recent SDKs dropped sampling parameters (current Claude models fix them server-side).
        parameters = inspect.signature(self._client.messages.create).parameters
        self._takes_temperature = "temperature" in parameters

    async def aclose(self) -> None:
        """Close the HTTP connections (at shutdown)."""
        await self._client.close()

    def _error(self, exc: BaseException) -> LlmError:
        a = self._anthropic
        message = f"{type(exc).__name__}: {exc}"
        if isinstance(exc, (a.APITimeoutError, *self._timeouts)):
            return ProviderTimeout(self.name, message)
        if isinstance(exc, (a.APIConnectionError, *self._transport)):
            return Unavailable(self.name, message)
        if isinstance(exc, a.APIStatusError):
            kind = _error_type(exc.body)
            if exc.status_code == 429 or kind == "rate_limit_error":
                return Throttled(self.name, message, retry_after(exc))
            if exc.status_code >= 500 or kind in _UNAVAILABLE_TYPES:
                return Unavailable(self.name, message)
            return BadRequest(self.name, message)
        if isinstance(exc, a.APIResponseValidationError | ValueError):
            return MalformedStream(self.name, message)
        return Unavailable(self.name, message)

    async def stream(self, request: LlmRequest) -> AsyncIterator[StreamEvent]:
        params: dict[str, Any] = {
            "model": self.model,
            "system": request.system,
            "messages": [{"role": m.role, "content": m.content} for m in request.messages],
            "max_tokens": request.max_tokens,
            "stream": True,
        }
        if self._takes_temperature:
            params["temperature"] = request.temperature
        if request.stop:
            params["stop_sequences"] = list(request.stop)
        failures: tuple[type[BaseException], ...] = (
            self._anthropic.AnthropicError,
            ValueError,
            *self._transport,
        )
        try:
            create: Any = self._client.messages.create
            stream = await create(**params)
        except failures as exc:
            raise self._error(exc) from exc
        input_tokens = output_tokens = 0
        stop = "end_turn"
        try:
            async for event in stream:
                kind = event.type
                if kind == "content_block_delta":
                    text = getattr(event.delta, "text", None)
                    if text:
                        yield text
                elif kind == "message_start":
                    input_tokens = event.message.usage.input_tokens or 0
                elif kind == "message_delta":
                    stop = event.delta.stop_reason or stop
                    output_tokens = event.usage.output_tokens or output_tokens
        except failures as exc:
            raise self._error(exc) from exc
        finally:
            await stream.close()
        if stop in _REFUSALS:
            raise ContentFiltered(self.name, "the model refused to answer")
        yield Usage(input_tokens, output_tokens, stop)
