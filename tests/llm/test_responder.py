"""ModelResponder with providers scripted at the protocol boundary (no network)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import replace

import pytest

from mangaassist.chat.events import AnswerInfo, ResponderEvent, Restart
from mangaassist.chat.facts import Facts
from mangaassist.chat.prompt import PromptBuilder, PromptTemplate
from mangaassist.llm.builtin import BuiltinResponder
from mangaassist.llm.cache import CachedAnswer, Compute, MemoryAnswerCache
from mangaassist.llm.factory import ModelLayer
from mangaassist.llm.pricing import PriceTable
from mangaassist.llm.provider import LlmRequest, StreamEvent, Unavailable, Usage
from mangaassist.llm.responder import ModelResponder
from mangaassist.llm.router import ModelRouter, Tier

pytestmark = pytest.mark.asyncio
FAQ = Facts(intent="faq", language="en", user_text="Do you gift wrap?")


class Scripted:
    """Each call takes the next behaviour: ok, fail (before the first token), break
    (after it), or wait (blocks until `release` is set, then answers)."""

    def __init__(self, name: str, model: str, script: list[str] | None = None) -> None:
        self.name = name
        self.model = model
        self.script = list(script or [])
        self.requests: list[LlmRequest] = []
        self.release = asyncio.Event()
        self.started = asyncio.Event()

    async def stream(self, request: LlmRequest) -> AsyncIterator[StreamEvent]:
        self.requests.append(request)
        behaviour = self.script.pop(0) if self.script else "ok"
        if behaviour == "fail":
            raise Unavailable(self.name, "503")
        if behaviour == "wait":
            self.started.set()
            await self.release.wait()
        yield f"{self.name}: gift "
        if behaviour == "break":
            raise Unavailable(self.name, "dropped")
        yield "wrap is $3.99."
        yield Usage(1000, 200, "end_turn")


class WatchedCache(MemoryAnswerCache):
    """Says when a second caller arrives (it joins the first one's computation)."""

    def __init__(self) -> None:
        super().__init__()
        self.callers = 0
        self.second_caller = asyncio.Event()

    async def get_or_compute(self, key: str, compute: Compute) -> tuple[CachedAnswer, bool]:
        self.callers += 1
        if self.callers == 2:
            self.second_caller.set()
        return await super().get_or_compute(key, compute)


def responder(*providers: Scripted, cache: bool = True) -> ModelResponder:
    router = ModelRouter(
        {p.name: p for p in providers},
        {Tier.SMALL: [p.name for p in providers], Tier.LARGE: [p.name for p in providers]},
    )
    layer = ModelLayer(router, WatchedCache() if cache else None, PriceTable())
    prompts = PromptBuilder(PromptTemplate.load(), store_name="Test Books")
    return ModelResponder(layer, prompts, BuiltinResponder())


async def run(r: ModelResponder, facts: Facts = FAQ) -> list[ResponderEvent]:
    return [event async for event in r.stream(facts)]


def text_of(events: list[ResponderEvent]) -> str:
    text = ""
    for event in events:
        if isinstance(event, Restart):
            text = ""
        elif isinstance(event, str):
            text += event
    return text


def info_of(events: list[ResponderEvent]) -> AnswerInfo:
    assert isinstance(events[-1], AnswerInfo)
    return events[-1]


async def test_a_model_answer_carries_model_usage_cost_and_prompt_version() -> None:
    claude = Scripted("claude", "claude-haiku-4-5")
    events = await run(responder(claude))
    info = info_of(events)
    assert text_of(events) == "claude: gift wrap is $3.99."
    assert info.model == "claude:claude-haiku-4-5"
    assert info.source == "model"
    assert info.cost_usd == pytest.approx((1000 * 1.0 + 200 * 5.0) / 1e6)
    assert info.prompt_version is not None
    assert info.prompt_version.startswith("system-v1+")
    request = claude.requests[0]
    assert "<product_data>" in request.system
    assert request.messages[-1].content == "Do you gift wrap?"


async def test_template_intents_and_situations_never_call_a_model() -> None:
    claude = Scripted("claude", "claude-haiku-4-5")
    r = responder(claude)
    for facts in (
        Facts(intent="chitchat", language="en", user_text="hi"),
        Facts(intent="order_tracking", language="en", user_text="x", note="sign_in_required"),
        Facts(intent="clarify", language="en", user_text="x", clarify=("faq", "shipping")),
    ):
        assert info_of(await run(r, facts)).source == "template"
    assert claude.requests == []


async def test_a_break_after_the_first_token_restarts_on_the_next_provider() -> None:
    claude = Scripted("claude", "claude-haiku-4-5", ["break"])
    local = Scripted("local", "llama3.1:8b")
    events = await run(responder(claude, local, cache=False))
    restarts = [e for e in events if isinstance(e, Restart)]
    assert [r.reason for r in restarts] == ["model_fallback:claude"]
    assert text_of(events) == "local: gift wrap is $3.99."
    assert info_of(events).fallbacks == 1
    assert info_of(events).cost_usd is None  # a local model the price table does not know


async def test_every_provider_down_answers_from_the_knowledge_base_and_offers_a_human() -> None:
    claude = Scripted("claude", "claude-haiku-4-5", ["fail"])
    local = Scripted("local", "llama3.1:8b", ["break"])
    events = await run(responder(claude, local))
    info = info_of(events)
    assert info.source == "knowledge_base"
    assert info.offer_handoff is True
    assert "help pages" in text_of(events)


async def test_a_knowledge_base_answer_is_not_cached() -> None:
    claude = Scripted("claude", "claude-haiku-4-5", ["fail"])
    r = responder(claude)
    assert info_of(await run(r)).source == "knowledge_base"
    assert info_of(await run(r)).source == "model"  # asked the model again, not the cache
    assert info_of(await run(r)).source == "cache"


async def test_personal_answers_bypass_the_cache() -> None:
    claude = Scripted("claude", "claude-haiku-4-5")
    r = responder(claude)
    signed_in = replace(FAQ, intent="recommendation", signed_in=True, customer_tier="member")
    await run(r, signed_in)
    await run(r, signed_in)
    assert len(claude.requests) == 2


async def test_concurrent_identical_misses_make_one_call_and_the_first_streams_live() -> None:
    claude = Scripted("claude", "claude-haiku-4-5", ["wait"])
    r = responder(claude)
    tasks = [asyncio.create_task(run(r)) for _ in range(20)]
    await claude.started.wait()
    claude.release.set()
    results = await asyncio.gather(*tasks)
    assert len(claude.requests) == 1
    assert {text_of(events) for events in results} == {"claude: gift wrap is $3.99."}
    sources = sorted(info_of(events).source for events in results)
    assert sources == ["cache"] * 19 + ["model"]


async def test_a_leader_that_goes_away_leaves_the_waiters_to_ask_themselves() -> None:
    claude = Scripted("claude", "claude-haiku-4-5", ["wait"])
    r = responder(claude)
    leader = asyncio.create_task(run(r))
    await claude.started.wait()
    follower = asyncio.create_task(run(r))
    assert isinstance(r.layer.cache, WatchedCache)
    # Set as the follower enters the cache; it runs on without a pause into the wait.
    await r.layer.cache.second_caller.wait()
    leader.cancel()
    with pytest.raises(asyncio.CancelledError):
        await leader
    events = await follower
    assert text_of(events) == "claude: gift wrap is $3.99."
    assert info_of(events).source == "model"
    assert len(claude.requests) == 2
