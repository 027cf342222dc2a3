"""The Bedrock provider against a loopback server speaking Bedrock's event-stream format."""

from __future__ import annotations

import pytest

from mangaassist.llm.bedrock_converse import BedrockProvider
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
from mangaassist.testing.bedrock_events import bedrock_server
from mangaassist.testing.llm_servers import WORDS

pytestmark = pytest.mark.asyncio
MODEL = "anthropic.claude-3-5-haiku-20241022-v1:0"
REQUEST = LlmRequest(
    system="You are the store's assistant.",
    messages=(ChatMessage("user", "what is your return policy?"),),
    max_tokens=64,
    stop=("</answer>",),
)


def provider(url: str, name: str = "bedrock", timeout_s: float = 10) -> BedrockProvider:
    return BedrockProvider(
        name,
        model=MODEL,
        endpoint_url=url,
        timeout_s=timeout_s,
        access_key_id="test",
        secret_access_key="test",
    )


async def collect(p: BedrockProvider) -> list[object]:
    try:
        return [event async for event in p.stream(REQUEST)]
    finally:
        await p.aclose()


async def read_into(p: BedrockProvider, seen: list[object]) -> None:
    try:
        async for event in p.stream(REQUEST):
            seen.append(event)
    finally:
        await p.aclose()


async def test_a_normal_stream_gives_text_then_usage() -> None:
    with bedrock_server() as server:
        events = await collect(provider(server.base_url))
        sent = server.script.requests[0]
    assert "".join(e for e in events if isinstance(e, str)) == "".join(WORDS)
    assert events[-1] == Usage(42, len(WORDS), "end_turn")
    assert sent["model"] == MODEL
    assert sent["system"] == [{"text": "You are the store's assistant."}]
    assert sent["messages"] == [
        {"role": "user", "content": [{"text": "what is your return policy?"}]}
    ]
    assert sent["inferenceConfig"]["maxTokens"] == 64
    assert sent["inferenceConfig"]["stopSequences"] == ["</answer>"]
    assert sent["headers"]["authorization"].startswith("AWS4-HMAC-SHA256")


@pytest.mark.parametrize(
    ("behaviour", "error"),
    [("429", Throttled), ("500", Unavailable), ("503", Unavailable), ("400", BadRequest)],
)
async def test_http_failures_are_typed(behaviour: str, error: type[Exception]) -> None:
    with bedrock_server([behaviour]) as server:
        with pytest.raises(error) as info:
            await collect(provider(server.base_url))
        assert len(server.script.requests) == 1  # botocore did not retry on its own
    assert getattr(info.value, "retryable", None) is (behaviour != "400")


@pytest.mark.parametrize(
    ("behaviour", "error"),
    [("break", Unavailable), ("exception", Throttled), ("malformed", MalformedStream)],
)
async def test_failures_after_the_first_tokens_are_typed(
    behaviour: str, error: type[Exception]
) -> None:
    seen: list[object] = []
    with bedrock_server([behaviour]) as server, pytest.raises(error):
        await read_into(provider(server.base_url), seen)
    assert seen == list(WORDS[:2])


async def test_content_filter_and_slow_first_token() -> None:
    with bedrock_server(["filter", "slow"], slow_s=5.0) as server:
        with pytest.raises(ContentFiltered):
            await collect(provider(server.base_url))
        with pytest.raises(ProviderTimeout):
            await collect(provider(server.base_url, timeout_s=0.3))


async def test_router_falls_back_from_bedrock_after_a_broken_stream() -> None:
    with (
        bedrock_server(["503"]) as first,
        bedrock_server(["break"]) as second,
        bedrock_server([]) as third,
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
        BedrockProvider("x", model="")
    with pytest.raises(ConfigurationError, match="both access_key_id"):
        BedrockProvider("x", model=MODEL, access_key_id="only-half")
