"""The orchestrator: one turn through DESIGN §1's stages, each timed, yielding events.

input guard → speculative fan-out (classify ‖ retrieve ‖ profile ‖ purchases ‖ history,
unneeded work cancelled) → route → generate (every chunk through the stream guard) →
output guard (a changed answer becomes a `Replace`) → finish (cards from catalog and
fresh pricing, actions, turns saved redacted, audit record, `Done` with metadata).
A client that goes away cancels the turn; the cancellation is counted and re-raised.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, TypeVar

from mangaassist.chat import templates
from mangaassist.chat.events import (
    Actions,
    AnswerInfo,
    Cards,
    Done,
    Event,
    Failed,
    Replace,
    Restart,
    TextDelta,
)
from mangaassist.chat.facts import Facts
from mangaassist.chat.protocols import AuditSink, IntentClassifier, KnowledgeRetriever, Responder
from mangaassist.chat.routes import (
    NEEDS,
    ROUTES,
    RouteDeps,
    TurnState,
    asks_for_someone_else,
    ticket_id,
)
from mangaassist.domain.frames import ActionItem, ProductCard
from mangaassist.domain.intent import Entity, Intent, IntentResult, OrderIdEntity, TitleEntity
from mangaassist.guardrails.competitors import CompetitorMatcher
from mangaassist.guardrails.input_guard import InputGuard, PayloadTooLarge
from mangaassist.guardrails.output.base import OutputContext
from mangaassist.guardrails.output.pipeline import OutputPipeline
from mangaassist.guardrails.stream import StreamGuard
from mangaassist.guardrails.vault import PiiVault
from mangaassist.retrieval.lexical import Filters
from mangaassist.retrieval.retriever import Retrieved
from mangaassist.state.sessions import SessionStore, Turn
from mangaassist.store.errors import StoreError

T = TypeVar("T")
# Knowledge a route may quote: policy answers only from policy documents.
_DOC_TYPES: dict[str, frozenset[str]] = {
    "faq": frozenset({"faq", "policy"}),
    "shipping": frozenset({"faq", "policy"}),
    "return_request": frozenset({"faq", "policy"}),
}


@dataclass(frozen=True, slots=True)
class TurnInput:
    session_id: str
    response_id: str
    request_id: str
    text: str
    customer_id: str | None
    tier: str
    message_id: str | None = None
    context_hints: Mapping[str, str] = field(default_factory=dict)


@dataclass
class ChatDeps:
    classifier: IntentClassifier
    retriever: KnowledgeRetriever | None
    route_deps: RouteDeps
    responder: Responder
    input_guard: InputGuard
    output_pipeline: OutputPipeline
    competitors: CompetitorMatcher
    sessions: SessionStore
    audit: AuditSink
    vault: PiiVault | None = None
    trust_threshold: float = 0.5
    history_turns: int = 6
    today: Callable[[], date] = date.today
    counters: Counter[str] = field(default_factory=Counter)
    #: The model layer's degradation level (0 normal … 3 outage), in every `complete`.
    degradation: Callable[[], int] = field(default=lambda: 0)


class Timer:
    """Per-stage wall time in milliseconds, for `complete.metadata.timings`."""

    def __init__(self) -> None:
        self.timings: dict[str, float] = {}
        self._start = time.perf_counter()

    def stage(self, name: str, started: float) -> None:
        self.timings[name] = round((time.perf_counter() - started) * 1000, 3)

    @property
    def total_ms(self) -> float:
        return round((time.perf_counter() - self._start) * 1000, 3)


async def _quietly(start: Callable[[], Awaitable[T]], default: T) -> T:
    """Non-critical speculative work: a failure means "without it", never a failed turn.
    Work is started lazily, so a task cancelled before it runs leaves nothing behind."""
    try:
        return await start()
    except (StoreError, LookupError):
        return default


_ORDER_FOLLOW_UPS = frozenset({Intent.ORDER_TRACKING, Intent.RETURN_REQUEST})
_SHORT_REPLY_WORDS = 5


def _follow_up(
    result: IntentResult,
    text: str,
    history: Sequence[Turn],
    entities: Callable[[str], tuple[Entity, ...]],
) -> IntentResult:
    """Read a turn in the light of the ones before it.

    A short reply that names an order continues the conversation about orders ("I want to
    return something" -> "MA-10001-00002"); a shipping question about a named order is about
    that order's delivery; and "can I return it?" after talking about an order is about that
    order (its id is carried over from the last turn that named one)."""
    named = any(isinstance(e, OrderIdEntity) for e in result.entities)
    if not named and result.intent in _ORDER_FOLLOW_UPS:
        for turn in reversed(history):
            if turn.role != "user":
                continue
            earlier = [e for e in entities(turn.text) if isinstance(e, OrderIdEntity)]
            if earlier:
                return result.model_copy(
                    update={"entities": (*result.entities, earlier[0]), "stage": "follow_up"}
                )
        return result
    if not named:
        return result
    if result.intent is Intent.SHIPPING:
        return result.model_copy(
            update={"intent": Intent.ORDER_TRACKING, "needs_clarification": False}
        )
    short = len(text.split()) <= _SHORT_REPLY_WORDS and len(text) <= 40
    last = next((t for t in reversed(history) if t.role == "user" and t.intent), None)
    if short and last is not None and last.intent in _ORDER_FOLLOW_UPS:
        return result.model_copy(
            update={
                "intent": Intent(last.intent),
                "needs_clarification": False,
                "stage": "follow_up",
            }
        )
    return result


#: Intents a short, unclear follow-up keeps talking about ("and how long does it take?").
_TOPIC_FOLLOW_UPS = frozenset(
    {
        Intent.SHIPPING,
        Intent.PROMOTIONS,
        Intent.FAQ,
        Intent.PRODUCT_QUESTION,
        Intent.RECOMMENDATION,
        Intent.RETURN_REQUEST,
        Intent.ORDER_TRACKING,
    }
)
_FOLLOW_UP_CUE = re.compile(
    r"^\s*(?:and|also|but|so|what about|how about|what if|is that|is it|are they|does that|"
    r"does it|do they|how long|how much|how many|which|when|where|can i|could i|"
    r"then|ok(?:ay)?|for)\b|\b(?:it|that|those|them|this one|one)\b|"
    r"^(?:じゃあ|では|それ|あと|ちなみに|なら)|(?:それ|その|あれ|これ)|(?:も|だと|なら|の場合)[？?]?\s*$|"
    r"(?:何日|いくら|どのくらい|どれくらい|いつ)",
    re.IGNORECASE,
)
#: "By the way…" opens a new topic: never a follow-up.
_NEW_TOPIC = re.compile(
    r"\b(?:by the way|btw|unrelated|different question)\b|ところで|話は変わ|別の話"
)


def _topic_follow_up(result: IntentResult, text: str, history: Sequence[Turn]) -> Turn | None:
    """The earlier user turn a short, unclear message continues, if any.

    "what about express?" after a shipping question is about shipping, although alone it
    reads as out of scope or ambiguous. Only short messages with a follow-up cue (a
    connective, a pronoun, a bare "how long/how much" or their Japanese forms) qualify, and
    only when the classifier itself was not sure it was in scope."""
    unsure = result.intent is Intent.OUT_OF_SCOPE or result.needs_clarification
    short = len(text.split()) <= 8 and len(text) <= 60
    if not unsure or not short or not _FOLLOW_UP_CUE.search(text) or _NEW_TOPIC.search(text):
        return None
    last = next((t for t in reversed(history) if t.role == "user" and t.intent), None)
    if last is None or last.intent not in {i.value for i in _TOPIC_FOLLOW_UPS}:
        return None
    return last


_MENTIONS_AN_ORDER = re.compile(
    r"\b(?:orders?|ordered|package|parcel|tracking|shipped|delivered|arrived?)\b|注文|荷物|追跡|届いて",
    re.IGNORECASE,
)


def _order_doubt_without_an_order(result: IntentResult, text: str) -> bool:
    """ "Is this about an order?" is not worth asking when the message names no order at all:
    the doubt between, say, shipping options and tracking resolves to the top intent."""
    alternative = result.alternative
    return (
        alternative in _ORDER_FOLLOW_UPS
        and result.intent not in _ORDER_FOLLOW_UPS
        and not _MENTIONS_AN_ORDER.search(text)
    )


class Orchestrator:
    def __init__(self, deps: ChatDeps) -> None:
        self.deps = deps

    async def run(self, turn: TurnInput) -> AsyncIterator[Event]:
        timer = Timer()
        started = time.perf_counter()
        try:
            verdict = self.deps.input_guard.check(turn.text)
        except PayloadTooLarge as exc:
            yield Failed(exc.code, str(exc))
            return
        timer.stage("input_guard", started)
        if verdict.pii and self.deps.vault is not None:
            self.deps.vault.put(turn.session_id, turn.customer_id, verdict.pii)
        if verdict.blocked:
            self.deps.counters["injection_blocked"] += 1
            async for event in self._blocked(turn, verdict.text, timer, verdict.injection.score):
                yield event
            return
        async for event in self._answer(turn, verdict.text, timer, len(verdict.pii)):
            yield event

    async def _blocked(
        self, turn: TurnInput, redacted: str, timer: Timer, score: float
    ) -> AsyncIterator[Event]:
        language = "ja" if any("\u3040" <= ch <= "\u9fff" for ch in turn.text) else "en"
        reply = templates.render("blocked", language)
        yield TextDelta(reply)
        metadata = self._metadata(turn, timer, "blocked", 1.0, language, "blocked:injection")
        metadata["injection_score"] = score
        await self._save(turn, redacted, reply, "blocked", metadata, ())
        yield Done(metadata)

    async def _answer(
        self, turn: TurnInput, redacted: str, timer: Timer, pii_count: int
    ) -> AsyncIterator[Event]:
        started = time.perf_counter()
        state, tasks = await self._speculate(turn, redacted)
        timer.stage("speculative", started)

        started = time.perf_counter()
        facts, actions = await self._route(turn, state, tasks)
        timer.stage("route", started)
        if facts is None:
            yield Failed("store_unavailable", templates.render("store_unavailable", state.language))
            return

        started = time.perf_counter()
        raw_parts: list[str] = []
        sent_parts: list[str] = []
        guard = StreamGuard(self.deps.competitors, allow=_store_values(facts))
        info: AnswerInfo | None = None
        try:
            async for delta in self.deps.responder.stream(facts):
                if isinstance(delta, AnswerInfo):
                    info = delta
                    continue
                if isinstance(delta, Restart):
                    # A model failed mid-answer: clear the shopper's text, start over.
                    self.deps.counters["model_restarts"] += 1
                    raw_parts.clear()
                    guard = StreamGuard(self.deps.competitors, allow=_store_values(facts))
                    if sent_parts:
                        sent_parts.clear()
                        yield Replace("", delta.reason)
                    continue
                raw_parts.append(delta)
                released = guard.feed(delta)
                if released:
                    sent_parts.append(released)
                    yield TextDelta(released)
            tail = guard.finish()
        except asyncio.CancelledError:
            self.deps.counters["client_gone"] += 1
            raise
        if tail:
            sent_parts.append(tail)
            yield TextDelta(tail)
        timer.stage("generate", started)

        started = time.perf_counter()
        context = OutputContext(
            language=state.language,
            products=facts.products,
            allow=_store_values(facts),
            promotions=facts.promotions,
            intent=state.intent.intent.value,
        )
        outcome = await self.deps.output_pipeline.run("".join(raw_parts), context)
        sent = "".join(sent_parts)
        final = outcome.text
        action = outcome.action
        if final != sent:
            if action == "pass":
                action = "modified:stream"
            yield Replace(final, action)
        timer.stage("output_guard", started)

        started = time.perf_counter()
        if info is not None and info.offer_handoff and not actions:
            ticket = ticket_id()
            label = templates.HANDOFF_LABEL[templates.lang(state.language)]
            actions = (ActionItem(kind="handoff", label=label, ticket_id=ticket),)
        cards = await self._cards(facts, outcome.drop_asins)
        if cards:
            yield Cards(cards)
        if actions:
            yield Actions(actions)
        metadata = self._metadata(
            turn,
            timer,
            state.intent.intent.value,
            state.intent.confidence,
            state.language,
            action,
        )
        metadata.update(
            {
                "classifier_stage": state.intent.stage,
                "pii_redacted": pii_count,
                "products": [c.asin for c in cards],
            }
        )
        if info is not None:
            metadata.update(_answer_metadata(info))
        await self._save(turn, redacted, final, state.intent.intent.value, metadata, cards)
        timer.stage("finish", started)
        metadata["timings"] = timer.timings
        metadata["latency_ms"] = timer.total_ms
        yield Done(metadata)

    async def _speculate(
        self, turn: TurnInput, redacted: str
    ) -> tuple[TurnState, dict[str, asyncio.Task[Any]]]:
        deps = self.deps
        store = deps.route_deps.store
        customer = turn.customer_id
        language_guess = "ja" if any("\u3040" <= ch <= "\u9fff" for ch in redacted) else "en"
        tasks: dict[str, asyncio.Task[Any]] = {
            "history": asyncio.create_task(
                _quietly(
                    lambda: deps.sessions.recent_turns(turn.session_id, deps.history_turns), []
                )
            )
        }
        if deps.retriever is not None:
            retriever = deps.retriever
            filters = Filters(language=language_guess)
            tasks["retrieval"] = asyncio.create_task(
                _quietly(lambda: retriever.search(redacted, language_guess, filters, k=5), [])
            )
        if customer is not None:
            tasks["profile"] = asyncio.create_task(
                _quietly(lambda: store.profiles.get_profile(customer), None)
            )
            tasks["purchases"] = asyncio.create_task(
                _quietly(lambda: store.profiles.purchased_asins(customer), [])
            )
        # Classification is CPU work (~0.2 ms): it runs inline while the tasks above wait to
        # start, so work the route does not need is cancelled before it ever runs; remote
        # calls (store, retrieval services) start at the first await that follows.
        intent = deps.classifier.classify(redacted)
        language = "ja" if intent.language == "ja" else "en"
        needed = NEEDS.get(intent.intent.value, frozenset()) | {"history"}
        for name, task in tasks.items():
            if name not in needed:
                task.cancel()
                deps.counters[f"speculative_cancelled:{name}"] += 1
        state = TurnState(redacted, language, intent, turn.customer_id, deps.today())
        return state, tasks

    async def _route(
        self, turn: TurnInput, state: TurnState, tasks: dict[str, asyncio.Task[Any]]
    ) -> tuple[Facts | None, tuple[ActionItem, ...]]:
        results: dict[str, Any] = {}
        for name, task in tasks.items():
            if not task.cancelled():
                try:
                    results[name] = await task
                except asyncio.CancelledError:
                    continue
        history: list[Turn] = results.get("history", [])
        earlier = _topic_follow_up(state.intent, state.text, history)
        if earlier is not None and earlier.intent is not None:
            state.intent = state.intent.model_copy(
                update={
                    "intent": Intent(earlier.intent),
                    "needs_clarification": False,
                    "stage": "follow_up",
                }
            )
            # Routes read the topic (a region, a title) from both turns, and so does search.
            state.text = f"{earlier.text}\n{state.text}"
            if self.deps.retriever is not None:
                filters = Filters(language=state.language)
                results["retrieval"] = await _quietly(
                    lambda: self.deps.retriever.search(state.text, state.language, filters, k=5),  # type: ignore[union-attr]
                    [],
                )
        state.intent = _follow_up(state.intent, state.text, history, self.deps.classifier.entities)
        kinds = _DOC_TYPES.get(state.intent.intent.value)
        passages = [
            r for r in results.get("retrieval", []) if kinds is None or r.chunk.doc_type in kinds
        ][:3]
        state.passages = self._summary_first(passages)
        state.profile = results.get("profile")
        state.purchased = results.get("purchases", [])
        state.history_series = [
            e.series_id
            for t in history
            if t.role == "user"
            for e in self.deps.classifier.entities(t.text)
            if isinstance(e, TitleEntity)
        ]
        intent = state.intent.intent.value
        facts = Facts(
            intent=intent,
            language=state.language,
            user_text=state.text,
            signed_in=turn.customer_id is not None,
            history=tuple(history),
            customer_tier=turn.tier,
            context_hints=tuple(turn.context_hints.items()),
        )
        actions: tuple[ActionItem, ...] = ()
        if asks_for_someone_else(state.text):
            note = "other_customer" if turn.customer_id else "sign_in_required"
            facts = replace(facts, intent="order_tracking", note=note)
        elif (
            state.intent.needs_clarification
            and state.intent.alternative is not None
            and state.intent.alternative.value != "out_of_scope"
            and not _order_doubt_without_an_order(state.intent, state.text)
        ):
            options = (intent, state.intent.alternative.value)
            return replace(facts, intent="clarify", clarify=options), ()
        if facts.note is None:
            try:
                facts = await ROUTES[intent](state, self.deps.route_deps, facts)
            except StoreError:
                self.deps.counters["store_unavailable"] += 1
                return None, ()
        if intent == "escalation":
            ticket = ticket_id()
            label = templates.HANDOFF_LABEL[templates.lang(state.language)]
            actions = (ActionItem(kind="handoff", label=label, ticket_id=ticket),)
            facts = replace(facts, note=f"ticket:{ticket}")
        elif facts.note == "sign_in_required":
            label = templates.SIGN_IN_LABEL[templates.lang(state.language)]
            actions = (ActionItem(kind="sign_in", label=label, url="/account/sign-in"),)
        return facts, actions

    def _summary_first(self, passages: list[Retrieved]) -> list[Retrieved]:
        """Lead with the best document's summary (written as its one-sentence answer), then
        the best-matching section of that document."""
        if not passages or self.deps.retriever is None:
            return passages
        best = passages[0].chunk
        summary_id = f"{best.language}:{best.doc_id}:0"
        if best.chunk_id == summary_id or best.doc_type in ("product", "series"):
            return passages
        summary = self.deps.retriever.chunk(summary_id)
        if summary is None:
            return passages
        rest = [p for p in passages if p.chunk.chunk_id != summary_id]
        return [Retrieved(summary, passages[0].score), *rest]

    async def _cards(self, facts: Facts, dropped: frozenset[str]) -> tuple[ProductCard, ...]:
        shown = [
            p
            for p in facts.products
            if p.asin not in dropped and p.trust_score >= self.deps.trust_threshold
        ]
        if not shown:
            return ()
        store = self.deps.route_deps.store
        try:
            prices = await store.pricing.get_prices([p.asin for p in shown])
        except StoreError:
            return ()
        reasons = {r.asin: r for r in facts.recommendations}
        cards = []
        for product in shown:
            price = prices.get(product.asin)
            if price is None:
                continue
            reason = reasons.get(product.asin)
            cards.append(
                ProductCard(
                    asin=product.asin,
                    title=product.title_ja if facts.language == "ja" else product.title,
                    price=_money(price.price, price.currency),
                    list_price=_money(price.list_price, price.currency),
                    currency=price.currency,
                    in_stock=product.stock > 0,
                    url=f"/products/{product.asin}",
                    reason=(reason.reason_ja if facts.language == "ja" else reason.reason)
                    if reason
                    else None,
                    rating=product.rating,
                    rating_count=product.rating_count,
                )
            )
        return tuple(cards)

    def _metadata(
        self,
        turn: TurnInput,
        timer: Timer,
        intent: str,
        confidence: float,
        language: str,
        guardrail_action: str,
    ) -> dict[str, Any]:
        return {
            "response_id": turn.response_id,
            "request_id": turn.request_id,
            "intent": intent,
            "confidence": round(confidence, 4),
            "language": language,
            "guardrail_action": guardrail_action,
            "model": self.deps.responder.name,
            "cached": False,
            "degradation_level": self.deps.degradation(),
            "timings": timer.timings,
            "latency_ms": timer.total_ms,
        }

    async def _save(
        self,
        turn: TurnInput,
        redacted: str,
        answer: str,
        intent: str,
        metadata: dict[str, Any],
        cards: tuple[ProductCard, ...],
    ) -> None:
        now = datetime.now(UTC)
        sessions = self.deps.sessions
        await sessions.append_turn(
            turn.session_id,
            Turn("user", redacted, now, turn.response_id, intent),
            Turn("assistant", answer, now, turn.response_id, intent),
        )
        await self.deps.audit.record(
            {
                "response_id": turn.response_id,
                "request_id": turn.request_id,
                "session_id": turn.session_id,
                "customer_id": turn.customer_id or "guest",
                "tier": turn.tier,
                "intent": intent,
                "confidence": metadata["confidence"],
                "products": [c.asin for c in cards],
                "model": metadata["model"],
                "guardrail_action": metadata["guardrail_action"],
                "latency_ms": metadata["latency_ms"],
                "answer_source": metadata.get("answer_source", "builtin"),
                "prompt_version": metadata.get("prompt_version"),
                "cost_usd": metadata.get("cost_usd"),
                "degradation_level": metadata["degradation_level"],
                "variant": turn.context_hints.get("variant", "control"),
                "at": now.isoformat(),
            }
        )


def _answer_metadata(info: AnswerInfo) -> dict[str, Any]:
    """How the answer was made: model, tier, source, fallbacks, tokens, cost, prompt."""
    return {
        "model": info.model,
        "model_tier": info.tier,
        "answer_source": info.source,
        "cached": info.source == "cache",
        "fallbacks": info.fallbacks,
        "usage": {"input_tokens": info.input_tokens, "output_tokens": info.output_tokens},
        "cost_usd": info.cost_usd,
        "prompt_version": info.prompt_version,
    }


def _money(value: Decimal, currency: str) -> str:
    return f"{value:.0f}" if currency == "JPY" else f"{value:.2f}"


def _store_values(facts: Facts) -> frozenset[str]:
    """Identifiers the store itself supplied for this customer: never masked as PII."""
    values: set[str] = set()
    for order in facts.orders:
        values.add(order.order_id)
        if order.tracking_number:
            values.add(order.tracking_number)
    if facts.tracking is not None:
        values.add(facts.tracking.order_id)
        if facts.tracking.tracking_number:
            values.add(facts.tracking.tracking_number)
    return frozenset(values)
