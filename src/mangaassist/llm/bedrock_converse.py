"""AWS Bedrock's Converse API, streamed (`ConverseStream`), on aiobotocore.

An extra (`pip install 'mangaassist[bedrock]'`), imported lazily. Botocore's own retries
are off (`total_max_attempts=1`): the router owns the only retry loop. Model ids are passed
as the Bedrock docs write them (`anthropic.claude-3-5-haiku-20241022-v1:0`, inference
profiles such as `us.anthropic.claude-sonnet-4-5-20250929-v1:0`, or ARNs). Credentials
come from the settings when given, else from the default AWS chain (environment, profile,
instance role). One client lives as long as the provider; `aclose()` closes it.

Errors, whether an HTTP status or an exception message inside the event stream, become the
typed errors of `llm.provider`: throttling → `Throttled`; model timeouts and read
timeouts → `ProviderTimeout`; internal, unavailable and model-stream errors, refused or
dropped connections → `Unavailable`; validation, access and not-found → `BadRequest`; a
message failing its CRC or JSON → `MalformedStream`; stop reasons `content_filtered` and
`guardrail_intervened` → `ContentFiltered` after the text streamed so far.
"""

from __future__ import annotations

import asyncio
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
)

_THROTTLED = frozenset({"throttlingexception", "toomanyrequestsexception"})
_TIMEOUT = frozenset({"modeltimeoutexception"})
_UNAVAILABLE = frozenset(
    {
        "internalserverexception",
        "serviceunavailableexception",
        "modelstreamerrorexception",
        "modelnotreadyexception",
    }
)
_FILTERED = frozenset({"content_filtered", "guardrail_intervened"})


class BedrockProvider:
    def __init__(
        self,
        name: str,
        *,
        model: str,
        region: str = "us-east-1",
        endpoint_url: str | None = None,
        timeout_s: float = 30.0,
        access_key_id: str | None = None,
        secret_access_key: str | None = None,
    ) -> None:
        try:
            import botocore.exceptions
            from aiobotocore.config import AioConfig
            from aiobotocore.session import get_session
        except ImportError as exc:  # pragma: no cover - exercised only without the extra
            raise ConfigurationError(
                f"provider {name!r} needs aiobotocore: pip install 'mangaassist[bedrock]'"
            ) from exc
        if not model:
            raise ConfigurationError(f"provider {name!r} needs a model name")
        if bool(access_key_id) != bool(secret_access_key):
            raise ConfigurationError(
                f"provider {name!r}: give both access_key_id and secret_access_key, or neither"
            )
        self.name = name
        self.model = model
        self._botocore = botocore.exceptions
        self._session = get_session()
        self._client_args: dict[str, Any] = {
            "region_name": region,
            "endpoint_url": endpoint_url,
            "aws_access_key_id": access_key_id,
            "aws_secret_access_key": secret_access_key,
            "config": AioConfig(
                retries={"total_max_attempts": 1},
                connect_timeout=timeout_s,
                read_timeout=timeout_s,
            ),
        }
        self._client: Any = None
        self._exit: Any = None
        self._lock = asyncio.Lock()

    async def _get_client(self) -> Any:
        async with self._lock:
            if self._client is None:
                context = self._session.create_client("bedrock-runtime", **self._client_args)
                self._client = await context.__aenter__()
                self._exit = context.__aexit__
            return self._client

    async def aclose(self) -> None:
        """Close the HTTP connections (at shutdown)."""
        if self._exit is not None:
            exit_, self._exit, self._client = self._exit, None, None
            await exit_(None, None, None)

    def _error(self, exc: BaseException) -> LlmError:
        b = self._botocore
        message = f"{type(exc).__name__}: {exc}"
        if isinstance(exc, b.ReadTimeoutError | b.ConnectTimeoutError | TimeoutError):
            return ProviderTimeout(self.name, message)
        if isinstance(exc, b.ClientError):
            error = exc.response.get("Error", {})
            code = str(error.get("Code", "")).split(":")[0].lower()
            status = int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) or 0)
            if code in _THROTTLED or status == 429:
                return Throttled(self.name, message)
            if code in _TIMEOUT:
                return ProviderTimeout(self.name, message)
            if code in _UNAVAILABLE or status >= 500:
                return Unavailable(self.name, message)
            return BadRequest(self.name, message)
        if isinstance(exc, ValueError) or type(exc).__module__ == "botocore.eventstream":
            return MalformedStream(self.name, message)  # bad CRC, lengths or JSON
        return Unavailable(self.name, message)  # refused, reset or dropped connections

    async def stream(self, request: LlmRequest) -> AsyncIterator[StreamEvent]:
        params: dict[str, Any] = {
            "modelId": self.model,
            "system": [{"text": request.system}],
            "messages": [
                {"role": m.role, "content": [{"text": m.content}]} for m in request.messages
            ],
            "inferenceConfig": {
                "maxTokens": request.max_tokens,
                "temperature": request.temperature,
            },
        }
        if request.stop:
            params["inferenceConfig"]["stopSequences"] = list(request.stop)
        try:
            client = await self._get_client()
            response = await client.converse_stream(**params)
        except Exception as exc:  # every SDK and transport failure is typed below
            raise self._error(exc) from exc
        events = response["stream"]
        stop = "end_turn"
        usage = Usage(0, 0, stop)
        try:
            async for item in events:
                if "contentBlockDelta" in item:
                    text = item["contentBlockDelta"].get("delta", {}).get("text")
                    if text:
                        yield text
                elif "messageStop" in item:
                    stop = item["messageStop"].get("stopReason") or stop
                elif "metadata" in item:
                    counts = item["metadata"].get("usage", {})
                    usage = Usage(counts.get("inputTokens", 0), counts.get("outputTokens", 0), stop)
        except Exception as exc:
            raise self._error(exc) from exc
        finally:
            close = getattr(events, "close", None)
            if close is not None:
                close()
        if stop in _FILTERED:
            raise ContentFiltered(self.name, f"the answer was stopped ({stop})")
        yield Usage(usage.input_tokens, usage.output_tokens, stop)
