"""Model routing: intent -> tier -> fallback chain of providers, each behind its own breaker.

Tiers: `template` (no model: chitchat, hand-offs, redirects, pure store facts), `small`
(simple intents) and `large` (recommendations, product questions). Each tier has an ordered
chain of providers; each provider has a circuit breaker (`resilience.breaker`): it opens when
more than 20% of calls in a 60 s window fail or take longer than 10 s (after a minimum
number of calls), lets about 10% of traffic probe when half-open, and closes after
successful probes.

Failure policy (the router owns the only retry loop; SDK retries are off):
- Before the first token: the next provider in the chain is tried. The shopper sees
  nothing of it but a slightly later first token.
- After the first token: the partial answer cannot be taken back silently. The router
  yields a `Reset` event (the service sends a `correction` frame that clears the text) and
  continues on the next provider from the start.
- A provider whose breaker is open is skipped without a call.
- When the chain is exhausted, `AllProvidersFailed` is raised: the caller degrades (tier 2).

Degradation levels (`DegradationMonitor`), reported in /v1/admin/status and in every
`complete` frame: 0 normal; 1 a primary provider is down and a secondary answers; 2 every
model is down (answers come from pre-generated answers and store facts, with a hand-off
offer for the rest); 3 level 2 has lasted longer than `outage_banner_s`: new sessions get a
banner and the service runs in limited mode. Levels fall back as breakers close.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import IntEnum, StrEnum
from typing import Any, Protocol

from mangaassist.resilience.breaker import (
    BreakerConfig,
    BreakerOpen,
    BreakerState,
    CircuitBreaker,
)
from mangaassist.resilience.clock import SYSTEM_CLOCK, Clock


class Tier(StrEnum):
    TEMPLATE = "template"
    SMALL = "small"
    LARGE = "large"


#: Which tier answers each intent unless Settings say otherwise.
DEFAULT_INTENT_TIERS: dict[str, Tier] = {
    "chitchat": Tier.TEMPLATE,
    "escalation": Tier.TEMPLATE,
    "out_of_scope": Tier.TEMPLATE,
    "order_tracking": Tier.SMALL,
    "return_request": Tier.SMALL,
    "shipping": Tier.SMALL,
    "promotions": Tier.SMALL,
    "faq": Tier.SMALL,
    "product_question": Tier.LARGE,
    "recommendation": Tier.LARGE,
}

#: The router's breakers: failure rate over 20% in 60 s (at least 10 calls), or calls over
#: 10 s counted as failures; half-open lets about 10% of traffic through.
MODEL_BREAKER = BreakerConfig(
    window_s=60.0,
    min_calls=10,
    failure_rate=0.2,
    open_s=30.0,
    half_open_fraction=0.1,
    probe_successes=3,
    slow_call_s=10.0,
)


class StreamingProvider(Protocol):
    """What the router needs of a provider: a name and a stream of events. Text events are
    `str` or carry `.text`; anything else (usage, stop reason) passes through untouched."""

    name: str

    def stream(self, request: Any) -> AsyncIterator[Any]: ...


@dataclass(frozen=True, slots=True)
class Reset:
    """The partial answer streamed so far is void; the next provider starts over."""

    failed_provider: str
    reason: str


@dataclass(frozen=True, slots=True)
class Served:
    """Which provider finished the answer, after how many fallbacks."""

    provider: str
    tier: Tier
    fallbacks: int


class AllProvidersFailed(Exception):
    """Every provider of the tier failed or was skipped; `attempts` says what happened."""

    def __init__(self, tier: Tier, attempts: Sequence[tuple[str, str]]) -> None:
        detail = "; ".join(f"{name}: {what}" for name, what in attempts) or "no providers"
        super().__init__(f"no model could answer ({tier.value}): {detail}")
        self.tier = tier
        self.attempts = tuple(attempts)


def _is_text(event: Any) -> bool:
    return isinstance(event, str) or isinstance(getattr(event, "text", None), str)


def _counts_as_failure(exc: BaseException) -> bool:
    """A request the provider rejected as malformed says nothing about its health."""
    return bool(getattr(exc, "counts_as_failure", getattr(exc, "retryable", True)))


class Level(IntEnum):
    NORMAL = 0
    SECONDARY = 1
    NO_MODEL = 2
    OUTAGE = 3


@dataclass
class DegradationMonitor:
    """The service's degradation level, from the breakers of the configured chains."""

    chains: Mapping[Tier, Sequence[str]]
    breakers: Mapping[str, CircuitBreaker]
    outage_banner_s: float = 300.0
    clock: Callable[[], float] = time.monotonic
    _down_since: float | None = field(default=None, init=False)

    def _up(self, name: str) -> bool:
        """Only a closed breaker is up: half-open is still probing whether it recovered."""
        return self.breakers[name].state is BreakerState.CLOSED

    def level(self) -> Level:
        chains = [chain for chain in self.chains.values() if chain]
        if not chains:
            return Level.NORMAL  # a template-only deployment has no model to lose
        if all(not any(self._up(n) for n in chain) for chain in chains):
            now = self.clock()
            if self._down_since is None:
                self._down_since = now
            if now - self._down_since >= self.outage_banner_s:
                return Level.OUTAGE
            return Level.NO_MODEL
        self._down_since = None
        if any(not self._up(chain[0]) for chain in chains):
            return Level.SECONDARY
        return Level.NORMAL

    def status(self) -> dict[str, Any]:
        level = self.level()
        return {
            "degradation_level": int(level),
            "degradation": level.name.lower(),
            "providers": {
                name: breaker.snapshot().state.value for name, breaker in self.breakers.items()
            },
        }


class ModelRouter:
    def __init__(
        self,
        providers: Mapping[str, StreamingProvider],
        chains: Mapping[Tier, Sequence[str]],
        *,
        intent_tiers: Mapping[str, Tier] | None = None,
        breaker: BreakerConfig = MODEL_BREAKER,
        clock: Clock = SYSTEM_CLOCK,
        rng: Callable[[], float] | None = None,
        outage_banner_s: float = 300.0,
    ) -> None:
        for tier, chain in chains.items():
            unknown = [name for name in chain if name not in providers]
            if unknown:
                raise ValueError(f"tier {tier.value} names unknown providers {unknown}")
        self.providers = dict(providers)
        self.chains = {tier: tuple(chain) for tier, chain in chains.items()}
        self.intent_tiers = dict(DEFAULT_INTENT_TIERS | dict(intent_tiers or {}))
        extra: dict[str, Any] = {} if rng is None else {"rng": rng}
        self.breakers = {
            name: CircuitBreaker(
                f"llm:{name}", breaker, clock=clock, is_failure=_counts_as_failure, **extra
            )
            for name in providers
        }
        self.monitor = DegradationMonitor(
            self.chains, self.breakers, outage_banner_s, clock=clock.now
        )
        self.counters: dict[str, int] = {}

    def tier_for(self, intent: str) -> Tier:
        tier = self.intent_tiers.get(intent, Tier.LARGE)
        return tier if self.chains.get(tier) else Tier.TEMPLATE

    def _count(self, key: str) -> None:
        self.counters[key] = self.counters.get(key, 0) + 1

    async def stream(self, tier: Tier, request: Any) -> AsyncIterator[Any]:
        """Events of the first provider that finishes; `Reset` where a partial answer is
        abandoned; a final `Served`. Raises `AllProvidersFailed` when none can answer."""
        attempts: list[tuple[str, str]] = []
        for position, name in enumerate(self.chains.get(tier, ())):
            breaker = self.breakers[name]
            try:
                permit = breaker.acquire()
            except BreakerOpen:
                attempts.append((name, "circuit open"))
                self._count(f"skipped:{name}")
                continue
            started = False
            stream = self.providers[name].stream(request)
            try:
                async for event in stream:
                    started = started or _is_text(event)
                    yield event
            except Exception as exc:  # every provider error is typed; all mean "next one"
                breaker.record(permit, breaker.outcome_of(permit, exc))
                what = f"{type(exc).__name__}: {exc}"
                attempts.append((name, what if not started else f"after first token: {what}"))
                self._count(f"failed:{name}")
                if started:
                    self._count("reset")
                    yield Reset(name, type(exc).__name__)
                continue
            finally:
                close = getattr(stream, "aclose", None)
                if close is not None:
                    await close()
            breaker.record(permit, breaker.outcome_of(permit, None))
            if position:
                self._count("fallback")
            yield Served(name, tier, position)
            return
        self._count("exhausted")
        raise AllProvidersFailed(tier, attempts)
