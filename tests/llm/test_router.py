from __future__ import annotations

import random
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest

from mangaassist.llm.router import (
    AllProvidersFailed,
    Level,
    ModelRouter,
    Reset,
    Served,
    Tier,
)
from mangaassist.resilience.breaker import BreakerState
from mangaassist.testing.clock import FakeClock

pytestmark = pytest.mark.asyncio


class Boom(Exception):
    retryable = True


class Rejected(Exception):
    """Like a 400: the request was bad, the provider is fine."""

    retryable = False


@dataclass
class Usage:
    output_tokens: int


class FakeProvider:
    """Scripted at the protocol boundary: each call takes the next behaviour."""

    def __init__(self, name: str, clock: FakeClock, script: list[str] | None = None) -> None:
        self.name = name
        self.clock = clock
        self.script = script or []
        self.calls = 0
        self.default = "ok"

    async def stream(self, request: Any) -> AsyncIterator[Any]:
        behaviour = self.script[self.calls] if self.calls < len(self.script) else self.default
        self.calls += 1
        if behaviour == "fail":
            raise Boom("503 from upstream")
        if behaviour == "reject":
            raise Rejected("400 bad request")
        yield f"{self.name} says "
        if behaviour == "break":
            raise Boom("connection dropped")
        if behaviour == "slow":
            self.clock.advance(11)
        yield "hello"
        yield Usage(2)


async def collect(router: ModelRouter, tier: Tier = Tier.LARGE) -> list[Any]:
    return [event async for event in router.stream(tier, {"q": "hi"})]


def make(clock: FakeClock, **scripts: list[str]) -> tuple[ModelRouter, dict[str, FakeProvider]]:
    providers = {name: FakeProvider(name, clock, script) for name, script in scripts.items()}
    names = list(providers)
    router = ModelRouter(
        providers,
        {Tier.LARGE: names, Tier.SMALL: names[-1:]},
        clock=clock,
        rng=random.Random(0).random,
        outage_banner_s=120,
    )
    return router, providers


async def test_primary_answers_and_usage_passes_through() -> None:
    router, providers = make(FakeClock(), primary=[], secondary=[])
    events = await collect(router)
    assert events == ["primary says ", "hello", Usage(2), Served("primary", Tier.LARGE, 0)]
    assert providers["secondary"].calls == 0


async def test_failure_before_first_token_is_invisible() -> None:
    router, _ = make(FakeClock(), primary=["fail"], secondary=[])
    events = await collect(router)
    assert events[0] == "secondary says "
    assert not any(isinstance(e, Reset) for e in events)
    assert events[-1] == Served("secondary", Tier.LARGE, 1)
    assert router.counters == {"failed:primary": 1, "fallback": 1}


async def test_failure_after_first_token_resets_then_continues() -> None:
    router, _ = make(FakeClock(), primary=["break"], secondary=[])
    events = await collect(router)
    assert events[:2] == ["primary says ", Reset("primary", "Boom")]
    assert events[2:4] == ["secondary says ", "hello"]
    assert router.counters["reset"] == 1


async def test_exhausted_chain_names_every_attempt() -> None:
    router, _ = make(FakeClock(), primary=["fail"], secondary=["break"])
    with pytest.raises(AllProvidersFailed) as info:
        await collect(router)
    assert [name for name, _ in info.value.attempts] == ["primary", "secondary"]
    assert "after first token" in info.value.attempts[1][1]


async def test_breaker_opens_on_failure_rate_and_levels_follow() -> None:
    clock = FakeClock()
    router, providers = make(clock, primary=["fail"] * 3 + ["ok"] * 7, secondary=[])
    for _ in range(10):  # 3 of 10 primary calls fail: 30% > 20% once 10 calls are in
        await collect(router)
    assert router.breakers["primary"].state is BreakerState.OPEN
    assert router.monitor.level() is Level.SECONDARY
    calls = providers["primary"].calls
    events = await collect(router)
    assert providers["primary"].calls == calls  # skipped without a call
    assert events[-1] == Served("secondary", Tier.LARGE, 1)


async def test_every_model_down_then_outage_then_recovery() -> None:
    clock = FakeClock()
    router, providers = make(clock, primary=["fail"] * 10, secondary=["fail"] * 20)
    for _ in range(10):
        with pytest.raises(AllProvidersFailed):
            await collect(router)
    assert router.monitor.level() is Level.NO_MODEL
    clock.advance(119)
    assert router.monitor.level() is Level.NO_MODEL
    clock.advance(1)
    assert router.monitor.level() is Level.OUTAGE
    status = router.monitor.status()
    assert status["degradation_level"] == 3
    assert status["providers"] == {"primary": "half_open", "secondary": "half_open"}
    # Recovery: after the open period the breakers probe; successes close them.
    providers["primary"].script = []
    providers["primary"].calls = 0
    providers["secondary"].script = []
    providers["secondary"].calls = 0
    clock.advance(30)
    degraded = 0
    for i in range(400):  # while half-open, most requests are still turned away
        try:
            await collect(router, Tier.LARGE if i % 2 else Tier.SMALL)
        except AllProvidersFailed:
            degraded += 1
    assert degraded > 0
    assert router.breakers["primary"].state is BreakerState.CLOSED
    assert router.monitor.level() is Level.NORMAL


async def test_a_failed_probe_reopens_the_breaker() -> None:
    clock = FakeClock()
    router, providers = make(clock, primary=["fail"] * 1000, secondary=[])
    for _ in range(10):
        await collect(router)
    clock.advance(30)
    before = providers["primary"].calls
    await collect(router)  # the first call after the open period always probes
    assert providers["primary"].calls == before + 1
    assert router.breakers["primary"].state is BreakerState.OPEN


async def test_half_open_admits_about_a_tenth_of_traffic() -> None:
    clock = FakeClock()
    router, _ = make(clock, primary=["fail"] * 10, secondary=[])
    for _ in range(10):
        await collect(router)
    clock.advance(30)
    await collect(router)  # the free probe succeeds: half-open, one success of three
    breaker = router.breakers["primary"]
    admitted = 0
    for _ in range(2000):  # permits taken but not yet finished keep it half-open
        try:
            breaker.acquire()
        except Exception:
            continue
        admitted += 1
    assert breaker.state is BreakerState.HALF_OPEN
    assert 0.07 < admitted / 2000 < 0.13


async def test_slow_calls_count_as_failures() -> None:
    from dataclasses import replace

    from mangaassist.llm.router import MODEL_BREAKER

    clock = FakeClock()
    providers = {"primary": FakeProvider("primary", clock, ["slow"] * 10)}
    # Calls of 11 s one after another: a long window keeps ten of them together, as
    # concurrent traffic would within 60 s.
    router = ModelRouter(
        providers,
        {Tier.LARGE: ["primary"]},
        clock=clock,
        breaker=replace(MODEL_BREAKER, window_s=600),
    )
    for _ in range(10):
        await collect(router)
    assert router.breakers["primary"].state is BreakerState.OPEN


async def test_rejected_requests_do_not_trip_the_breaker() -> None:
    clock = FakeClock()
    router, _ = make(clock, primary=["reject"] * 12, secondary=[])
    for _ in range(12):
        await collect(router)
    assert router.breakers["primary"].state is BreakerState.CLOSED


async def test_intents_map_to_tiers_and_empty_tiers_fall_to_template() -> None:
    router, _ = make(FakeClock(), primary=[])
    assert router.tier_for("recommendation") is Tier.LARGE
    assert router.tier_for("faq") is Tier.SMALL
    assert router.tier_for("chitchat") is Tier.TEMPLATE
    only_large = ModelRouter({"p": FakeProvider("p", FakeClock())}, {Tier.LARGE: ["p"]})
    assert only_large.tier_for("faq") is Tier.TEMPLATE


async def test_unknown_provider_in_a_chain_is_a_start_up_error() -> None:
    with pytest.raises(ValueError, match="unknown providers"):
        ModelRouter({}, {Tier.SMALL: ["ghost"]})
