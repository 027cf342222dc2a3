"""The model responder: facts → prompt → router (tiers, fallback, breakers) → streamed text.

It implements the orchestrator's `Responder` seam, so the orchestrator does not know
whether a model or the built-in responder answers. Per turn:

- Template tier (chitchat, hand-offs, redirects, sign-in requests, clarifying questions,
  an unavailable store): the built-in responder answers; no model is called.
- Otherwise the prompt is built (`chat.prompt`) and streamed through the router. A
  provider failing after its first token becomes `Restart` (a `correction` frame clears
  the text) and the next provider answers from the start.
- Every model down (`AllProvidersFailed`, degradation level 2+): the built-in responder
  answers from the knowledge base and the store facts the route gathered, tagged as such,
  and the orchestrator offers a human (`offer_handoff`).
- User-independent answers (`cache.is_cacheable`) go through the answer cache: a hit is
  streamed from the cache; concurrent misses for one key share one model call, and the
  first caller streams it live while the others wait for the finished text. Answers from
  the knowledge-base fallback are never cached. Product cards and prices never come from
  here: the orchestrator builds them fresh after the text.
- Last, one `AnswerInfo` says which model answered, from which source, with token usage
  and cost from the price table, and the prompt version.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from mangaassist.chat import templates
from mangaassist.chat.events import AnswerInfo, ResponderEvent, Restart
from mangaassist.chat.facts import Facts
from mangaassist.chat.prompt import PromptBuilder
from mangaassist.llm.builtin import BuiltinResponder, compose
from mangaassist.llm.cache import CachedAnswer, ComputeAbandoned, cache_key, is_cacheable
from mangaassist.llm.factory import ModelLayer
from mangaassist.llm.provider import ChatMessage, LlmRequest, Usage
from mangaassist.llm.router import DEFAULT_INTENT_TIERS, AllProvidersFailed, Reset, Served, Tier

#: Situations the built-in templates state exactly; a model adds nothing but risk.
TEMPLATE_NOTES = frozenset({"sign_in_required", "other_customer", "store_unavailable"})
_END = object()


class _NotCached(Exception):
    """The answer came from the knowledge-base fallback: serve it, do not cache it."""


class ModelResponder:
    name = "model"

    def __init__(
        self,
        layer: ModelLayer,
        prompts: PromptBuilder,
        builtin: BuiltinResponder,
        *,
        max_tokens: int = 800,
        temperature: float = 0.3,
    ) -> None:
        self.layer = layer
        self.prompts = prompts
        self.builtin = builtin
        self.max_tokens = max_tokens
        self.temperature = temperature

    def tier_for(self, facts: Facts) -> Tier:
        if facts.note in TEMPLATE_NOTES or facts.intent not in DEFAULT_INTENT_TIERS:
            return Tier.TEMPLATE  # "clarify" and other orchestrator-made situations
        return self.layer.router.tier_for(facts.intent)

    async def stream(self, facts: Facts) -> AsyncIterator[ResponderEvent]:
        tier = self.tier_for(facts)
        if tier is Tier.TEMPLATE:
            async for piece in self.builtin.stream(facts):
                yield piece
            yield AnswerInfo(model="builtin", tier=tier.value, source="template")
            return
        prompt = self.prompts.build(facts, dict(facts.context_hints))
        request = LlmRequest(
            system=prompt.system,
            messages=tuple(ChatMessage(m.role, m.content) for m in prompt.messages),
            max_tokens=self.max_tokens,
            temperature=self.temperature,
        )
        cacheable = self.layer.cache is not None and is_cacheable(
            facts.intent, signed_in=facts.signed_in, has_history=bool(facts.history)
        )
        if not cacheable:
            async for event in self._generate(tier, request, prompt.version, facts):
                yield event
            return
        key = cache_key(
            facts.user_text,
            intent=facts.intent,
            tier=facts.customer_tier,
            language=facts.language,
            prompt_version=prompt.version,
        )
        async for event in self._through_cache(key, tier, request, prompt.version, facts):
            yield event

    async def _generate(
        self, tier: Tier, request: LlmRequest, version: str, facts: Facts
    ) -> AsyncIterator[ResponderEvent]:
        router = self.layer.router
        usage: Usage | None = None
        served: Served | None = None
        try:
            async for event in router.stream(tier, request):
                if isinstance(event, str):
                    yield event
                elif isinstance(event, Reset):
                    usage = None
                    yield Restart(f"model_fallback:{event.failed_provider}")
                elif isinstance(event, Usage):
                    usage = event
                elif isinstance(event, Served):
                    served = event
        except AllProvidersFailed:
            async for fallback in self._knowledge_base(tier, facts):
                yield fallback
            return
        assert served is not None  # the router ends every finished answer with Served
        model = str(getattr(router.providers[served.provider], "model", served.provider))
        usage = usage or Usage(0, 0, "unknown")
        yield AnswerInfo(
            model=f"{served.provider}:{model}",
            tier=tier.value,
            source="model",
            fallbacks=served.fallbacks,
            input_tokens=usage.input_tokens,
            output_tokens=usage.output_tokens,
            cost_usd=self.layer.prices.cost_usd(model, usage),
            prompt_version=version,
        )

    async def _knowledge_base(self, tier: Tier, facts: Facts) -> AsyncIterator[ResponderEvent]:
        text = f"{compose(facts)} {templates.render('knowledge_base_tag', facts.language)}"
        async for piece in self.builtin.stream_text(text, facts.language):
            yield piece
        yield AnswerInfo(
            model="builtin", tier=tier.value, source="knowledge_base", offer_handoff=True
        )

    async def _through_cache(
        self, key: str, tier: Tier, request: LlmRequest, version: str, facts: Facts
    ) -> AsyncIterator[ResponderEvent]:
        cache = self.layer.cache
        assert cache is not None
        queue: asyncio.Queue[object] = asyncio.Queue()
        leader = False

        async def compute() -> CachedAnswer:
            nonlocal leader
            leader = True
            parts: list[str] = []
            info: AnswerInfo | None = None
            try:
                async for event in self._generate(tier, request, version, facts):
                    queue.put_nowait(event)
                    if isinstance(event, str):
                        parts.append(event)
                    elif isinstance(event, Restart):
                        parts.clear()
                    else:
                        info = event
            finally:
                queue.put_nowait(_END)
            if info is None or info.source != "model":
                raise _NotCached
            return CachedAnswer("".join(parts), info.model, version)

        task = asyncio.ensure_future(cache.get_or_compute(key, compute))
        try:
            # The leader's events arrive through the queue while its computation runs.
            while True:
                if not queue.empty():
                    item = queue.get_nowait()
                elif task.done():
                    break
                else:
                    getter = asyncio.ensure_future(queue.get())
                    await asyncio.wait({getter, task}, return_when=asyncio.FIRST_COMPLETED)
                    if not getter.done():
                        getter.cancel()
                        continue
                    item = getter.result()
                if item is _END:
                    break
                assert isinstance(item, str | Restart | AnswerInfo)
                yield item
            try:
                answer, _hit = await task
            except _NotCached:
                if leader:
                    return  # streamed already, from the knowledge base
                async for event in self._generate(tier, request, version, facts):
                    yield event
                return
            except ComputeAbandoned:
                async for event in self._generate(tier, request, version, facts):
                    yield event
                return
        finally:
            if not task.done():
                task.cancel()
        if leader:
            return
        async for piece in self.builtin.stream_text(answer.text, facts.language):
            yield piece
        yield AnswerInfo(
            model=answer.model,
            tier=tier.value,
            source="cache",
            prompt_version=answer.prompt_version,
            cost_usd=0.0,
        )
