"""The one provider protocol every model backend implements, and its typed errors.

`stream(request)` is an async iterator of events: text deltas (`str`) and, last, one
`Usage` (input and output tokens, stop reason). Closing the iterator (or cancelling the
task consuming it) closes the underlying HTTP stream. Every failure is one of the typed
errors below; `retryable` says whether another attempt (on this or the next provider) may
succeed, which is what the router's breaker and fallback chain need. SDK-internal retries
are always off: the router owns the only retry loop.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Literal, Protocol


@dataclass(frozen=True, slots=True)
class ChatMessage:
    role: Literal["user", "assistant"]
    content: str


@dataclass(frozen=True, slots=True)
class LlmRequest:
    system: str
    messages: tuple[ChatMessage, ...]
    max_tokens: int = 800
    temperature: float = 0.3
    stop: tuple[str, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class Usage:
    input_tokens: int
    output_tokens: int
    stop_reason: str


StreamEvent = str | Usage


class Provider(Protocol):
    name: str
    model: str

    def stream(self, request: LlmRequest) -> AsyncIterator[StreamEvent]: ...


class LlmError(Exception):
    """A model call failed; `retryable` is False when retrying cannot help (bad request)."""

    retryable = True

    def __init__(self, provider: str, message: str) -> None:
        super().__init__(f"{provider}: {message}")
        self.provider = provider


class Throttled(LlmError):
    """HTTP 429: slow down; `retry_after` seconds when the provider said."""

    def __init__(self, provider: str, message: str, retry_after: float | None = None) -> None:
        super().__init__(provider, message)
        self.retry_after = retry_after


class ProviderTimeout(LlmError):
    """No answer (or no next event) within the configured time."""


class Unavailable(LlmError):
    """5xx, a refused or dropped connection: the provider is unhealthy."""


class BadRequest(LlmError):
    """4xx other than 429: the request itself is wrong; retrying will not help."""

    retryable = False


class ContentFiltered(LlmError):
    """The provider refused or cut the answer for content reasons."""

    retryable = False


class MalformedStream(LlmError):
    """An event that does not parse: the stream cannot be trusted past this point."""


def retry_after(exc: BaseException) -> float | None:
    """Seconds from the `retry-after` header of an SDK error's HTTP response, if any."""
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None)
    value = headers.get("retry-after") if headers is not None else None
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


class ConfigurationError(ValueError):
    """A provider cannot be built from its settings (missing key, unknown model, no SDK)."""
