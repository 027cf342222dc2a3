"""The OpenAI-compatible provider against a loopback server speaking OpenAI's SSE format."""

from __future__ import annotations

import pytest

from mangaassist.llm.openai_compat import OpenAICompatibleProvider
from mangaassist.llm.provider import (
    BadRequest,
    ChatMessage,
    ConfigurationError,
    ContentFiltered,
    LlmRequest,
    MalformedStream,
    ProviderTimeout,
    Throttled,
    Unavailable,
    Usage,
)
from mangaassist.llm.router import ModelRouter, Reset, Served, Tier
from mangaassist.testing.llm_servers import WORDS, openai_server

pytestmark = pytest.mark.asyncio
REQUEST = LlmRequest(
    system="You are the store's assistant.",
    messages=(ChatMessage("user", "what is your return policy?"),),
    max_tokens=64,
)


def provider(base_url: str, name: str = "local") -> OpenAICompatibleProvider:
    return OpenAICompatibleProvider(name, model="llama-3.1-8b", base_url=base_url, timeout_s=10)


async def collect(p: OpenAICompatibleProvider) -> list[object]:
    try:
        return [event async for event in p.stream(REQUEST)]
    finally:
        await p.aclose()


async def test_a_normal_stream_gives_text_then_usage() -> None:
    with openai_server() as server:
        events = await collect(provider(server.base_url))
        sent = server.script.requests[0]
    assert "".join(e for e in events if isinstance(e, str)) == "".join(WORDS)
    assert events[-1] == Usage(42, len(WORDS), "stop")
    assert sent["stream"] is True
    assert sent["stream_options"] == {"include_usage": True}
    assert sent["messages"][0] == {"role": "system", "content": "You are the store's assistant."}


@pytest.mark.parametrize(
    ("behaviour", "error"),
    [("429", Throttled), ("500", Unavailable), ("503", Unavailable), ("400", BadRequest)],
)
async def test_http_failures_are_typed(behaviour: str, error: type[Exception]) -> None:
    with openai_server([behaviour]) as server:
        with pytest.raises(error) as info:
            await collect(provider(server.base_url))
        assert len(server.script.requests) == 1  # the SDK did not retry on its own
    if isinstance(info.value, Throttled):
        assert info.value.retry_after == 7.0
    assert info.value.retryable is (behaviour != "400")


async def test_a_stream_that_breaks_after_the_first_tokens() -> None:
    seen: list[object] = []

    async def read(p: OpenAICompatibleProvider) -> None:
        try:
            async for event in p.stream(REQUEST):
                seen.append(event)
        finally:
            await p.aclose()

    with openai_server(["break"]) as server, pytest.raises(Unavailable):
        await read(provider(server.base_url))
    assert seen
    assert all(isinstance(e, str) for e in seen)


async def test_malformed_events_and_content_filter() -> None:
    with openai_server(["malformed", "filter"]) as server:
        with pytest.raises(MalformedStream):
            await collect(provider(server.base_url))
        with pytest.raises(ContentFiltered):
            await collect(provider(server.base_url))


async def test_router_falls_back_across_real_streams() -> None:
    with (
        openai_server(["503"]) as first,
        openai_server(["break"]) as second,
        openai_server([]) as third,
    ):
        router = ModelRouter(
            {
                "a": provider(first.base_url, "a"),
                "b": provider(second.base_url, "b"),
                "c": provider(third.base_url, "c"),
            },
            {Tier.LARGE: ["a", "b", "c"]},
        )
        try:
            events = [e async for e in router.stream(Tier.LARGE, REQUEST)]
        finally:
            for p in router.providers.values():
                await p.aclose()  # type: ignore[attr-defined]
    resets = [e for e in events if isinstance(e, Reset)]
    assert [r.failed_provider for r in resets] == ["b"]  # a failed before its first token
    after = events[events.index(resets[0]) + 1 :]
    assert "".join(e for e in after if isinstance(e, str)) == "".join(WORDS)
    assert events[-1] == Served("c", Tier.LARGE, 2)


async def test_configuration_errors_fail_at_construction() -> None:
    with pytest.raises(ConfigurationError, match="needs a model"):
        OpenAICompatibleProvider("x", model="", base_url="http://127.0.0.1:9/v1")
    with pytest.raises(ConfigurationError, match="set api_key"):
        OpenAICompatibleProvider("x", model="gpt-4o-mini")


async def test_a_slow_first_token_times_out() -> None:
    with openai_server(["slow"], slow_s=5.0) as server:
        p = OpenAICompatibleProvider(
            "local", model="llama-3.1-8b", base_url=server.base_url, timeout_s=0.3
        )
        with pytest.raises(ProviderTimeout):
            await collect(p)
