"""The Anthropic provider against a loopback server speaking Anthropic's Messages SSE."""

from __future__ import annotations

import pytest

from mangaassist.llm.anthropic_messages import AnthropicProvider
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
from mangaassist.testing.llm_servers import WORDS, anthropic_server

pytestmark = pytest.mark.asyncio
REQUEST = LlmRequest(
    system="You are the store's assistant.",
    messages=(ChatMessage("user", "what is your return policy?"),),
    max_tokens=64,
    stop=("</answer>",),
)


def provider(base_url: str, name: str = "claude", timeout_s: float = 10) -> AnthropicProvider:
    return AnthropicProvider(
        name, model="claude-haiku-4-5", api_key="sk-test", base_url=base_url, timeout_s=timeout_s
    )


async def collect(p: AnthropicProvider) -> list[object]:
    try:
        return [event async for event in p.stream(REQUEST)]
    finally:
        await p.aclose()


async def test_a_normal_stream_gives_text_then_usage() -> None:
    with anthropic_server() as server:
        events = await collect(provider(server.base_url))
        sent = server.script.requests[0]
    assert "".join(e for e in events if isinstance(e, str)) == "".join(WORDS)
    assert events[-1] == Usage(42, len(WORDS), "end_turn")
    assert sent["stream"] is True
    assert sent["model"] == "claude-haiku-4-5"
    assert sent["system"] == "You are the store's assistant."
    assert sent["messages"] == [{"role": "user", "content": "what is your return policy?"}]
    assert sent["stop_sequences"] == ["</answer>"]
    headers = sent["headers"]  # SDKs have sent the key either way
    assert "sk-test" in (headers.get("x-api-key", ""), headers.get("authorization", "")[7:])
    assert "anthropic-version" in sent["headers"]


@pytest.mark.parametrize(
    ("behaviour", "error"),
    [("429", Throttled), ("500", Unavailable), ("529", Unavailable), ("400", BadRequest)],
)
async def test_http_failures_are_typed(behaviour: str, error: type[Exception]) -> None:
    with anthropic_server([behaviour]) as server:
        with pytest.raises(error) as info:
            await collect(provider(server.base_url))
        assert len(server.script.requests) == 1  # the SDK did not retry on its own
    if isinstance(info.value, Throttled):
        assert info.value.retry_after == 7.0
    assert getattr(info.value, "retryable", None) is (behaviour != "400")


async def read_into(p: AnthropicProvider, seen: list[object]) -> None:
    try:
        async for event in p.stream(REQUEST):
            seen.append(event)
    finally:
        await p.aclose()


@pytest.mark.parametrize("behaviour", ["overloaded", "break"])
async def test_failures_after_the_first_tokens_are_unavailable(behaviour: str) -> None:
    """An `error` event mid-stream, or the connection dropping, after two words."""
    seen: list[object] = []
    with anthropic_server([behaviour]) as server, pytest.raises(Unavailable):
        await read_into(provider(server.base_url), seen)
    assert seen == list(WORDS[:2])


async def test_malformed_events_refusals_and_slow_first_tokens() -> None:
    with anthropic_server(["malformed", "refusal", "slow"], slow_s=5.0) as server:
        with pytest.raises(MalformedStream):
            await collect(provider(server.base_url))
        with pytest.raises(ContentFiltered):
            await collect(provider(server.base_url))
        with pytest.raises(ProviderTimeout):
            await collect(provider(server.base_url, timeout_s=0.3))


async def test_router_falls_back_from_anthropic_after_a_broken_stream() -> None:
    with (
        anthropic_server(["529"]) as first,
        anthropic_server(["break"]) as second,
        anthropic_server([]) as third,
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
    assert [r.failed_provider for r in resets] == ["b"]
    after = events[events.index(resets[0]) + 1 :]
    assert "".join(e for e in after if isinstance(e, str)) == "".join(WORDS)
    assert events[-1] == Served("c", Tier.LARGE, 2)


async def test_configuration_errors_fail_at_construction() -> None:
    with pytest.raises(ConfigurationError, match="needs a model"):
        AnthropicProvider("x", model="", api_key="k")
    with pytest.raises(ConfigurationError, match="needs an api_key"):
        AnthropicProvider("x", model="claude-haiku-4-5")
