"""OpenAI-compatible chat completions, streamed: OpenAI itself, vLLM, Ollama, llama.cpp's
server, LM Studio — anything that speaks `/v1/chat/completions` with `stream: true`.

Uses the official `openai` SDK (an extra: `pip install mangaassist[openai]`, imported
lazily) with its retries off (`max_retries=0`): the router owns the only retry loop. SDK
exceptions become the typed errors of `llm.provider`; a `finish_reason` of
`content_filter` becomes `ContentFiltered` after the text streamed so far.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx

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


class OpenAICompatibleProvider:
    def __init__(
        self,
        name: str,
        *,
        model: str,
        base_url: str | None = None,
        api_key: str | None = None,
        timeout_s: float = 30.0,
    ) -> None:
        try:
            import openai
        except ImportError as exc:  # pragma: no cover - exercised only without the extra
            raise ConfigurationError(
                f"provider {name!r} needs the openai SDK: pip install 'mangaassist[openai]'"
            ) from exc
        if not model:
            raise ConfigurationError(f"provider {name!r} needs a model name")
        if base_url is None and not api_key:
            raise ConfigurationError(
                f"provider {name!r}: set api_key for api.openai.com, or base_url for a local "
                "OpenAI-compatible server"
            )
        self.name = name
        self.model = model
        self._openai = openai
        self._client = openai.AsyncOpenAI(
            base_url=base_url,
            api_key=api_key or "not-needed",  # local servers accept any key
            max_retries=0,
            timeout=timeout_s,
        )

    async def aclose(self) -> None:
        """Close the HTTP connections (at shutdown)."""
        await self._client.close()

    def _error(self, exc: Exception) -> LlmError:
        o = self._openai
        message = f"{type(exc).__name__}: {exc}"
        if isinstance(exc, o.RateLimitError):
            return Throttled(self.name, message, retry_after(exc))
        if isinstance(exc, o.APITimeoutError):
            return ProviderTimeout(self.name, message)
        if isinstance(exc, o.APIConnectionError | o.InternalServerError):
            return Unavailable(self.name, message)
        if isinstance(exc, o.APIStatusError):
            if exc.status_code >= 500:
                return Unavailable(self.name, message)
            return BadRequest(self.name, message)
        if isinstance(exc, o.APIResponseValidationError | ValueError):
            return MalformedStream(self.name, message)
        return Unavailable(self.name, message)

    async def stream(self, request: LlmRequest) -> AsyncIterator[StreamEvent]:
        messages = [{"role": "system", "content": request.system}] + [
            {"role": m.role, "content": m.content} for m in request.messages
        ]
        try:
            # Typed loosely: the SDK's overloads enumerate OpenAI's own model names, and
            # local servers take any.
            create: Any = self._client.chat.completions.create
            stream = await create(
                model=self.model,
                messages=messages,
                max_tokens=request.max_tokens,
                temperature=request.temperature,
                stop=list(request.stop) or None,
                stream=True,
                stream_options={"include_usage": True},
            )
        except self._openai.OpenAIError as exc:
            raise self._error(exc) from exc
        finish = "stop"
        usage: Usage | None = None
        try:
            async for chunk in stream:
                for choice in chunk.choices:
                    if choice.delta.content:
                        yield choice.delta.content
                    if choice.finish_reason:
                        finish = choice.finish_reason
                if chunk.usage is not None:
                    usage = Usage(chunk.usage.prompt_tokens, chunk.usage.completion_tokens, finish)
        except self._openai.OpenAIError as exc:
            raise self._error(exc) from exc
        except ValueError as exc:  # an event whose data is not JSON
            raise MalformedStream(self.name, f"{type(exc).__name__}: {exc}") from exc
        except httpx.HTTPError as exc:  # the connection dropped mid-stream
            raise Unavailable(self.name, f"{type(exc).__name__}: {exc}") from exc
        finally:
            await stream.close()
        if finish == "content_filter":
            raise ContentFiltered(self.name, "the answer was stopped by the content filter")
        yield usage or Usage(0, 0, finish)
