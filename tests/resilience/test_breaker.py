from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from itertools import cycle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mangaassist.config import ResilienceSettings
from mangaassist.resilience.breaker import (
    BreakerConfig,
    BreakerOpen,
    BreakerRegistry,
    BreakerState,
    CircuitBreaker,
)
from mangaassist.resilience.window import Outcome
from mangaassist.testing.clock import FakeClock


class Boom(Exception):
    """A dependency failure."""


class Answer(Exception):
    """An error that is an answer (like NotFound), not a failure."""

    counts_as_failure = False


def make(
    clock: FakeClock,
    rng: Callable[[], float] = lambda: 0.99,
    **config: float | int | None,
) -> CircuitBreaker:
    defaults: dict[str, float | int | None] = {"min_calls": 10, "open_s": 30.0}
    defaults.update(config)
    return CircuitBreaker(
        "dep",
        BreakerConfig(**defaults),  # type: ignore[arg-type]
        clock=clock,
        rng=rng,
    )


async def ok() -> str:
    return "ok"


async def boom() -> str:
    raise Boom("down")


async def feed(breaker: CircuitBreaker, successes: int, failures: int) -> None:
    for _ in range(successes):
        await breaker.call(ok)
    for _ in range(failures):
        with pytest.raises(Boom):
            await breaker.call(boom)


async def open_breaker(breaker: CircuitBreaker) -> None:
    await feed(breaker, 0, breaker.config.min_calls)
    assert breaker.state is BreakerState.OPEN


async def test_stays_closed_below_min_calls() -> None:
    breaker = make(FakeClock())
    await feed(breaker, 0, 9)
    assert breaker.state is BreakerState.CLOSED


async def test_opens_only_above_the_failure_rate() -> None:
    breaker = make(FakeClock())
    await feed(breaker, 8, 2)
    assert breaker.state is BreakerState.CLOSED  # 20 % is not above 20 %
    await feed(breaker, 0, 1)
    assert breaker.state is BreakerState.OPEN


async def test_old_failures_leave_the_window() -> None:
    clock = FakeClock()
    breaker = make(clock, window_s=60.0)
    await feed(breaker, 0, 5)
    clock.advance(61.0)
    await feed(breaker, 9, 1)
    snapshot = breaker.snapshot()
    assert snapshot.state is BreakerState.CLOSED
    assert (snapshot.calls_in_window, snapshot.failures_in_window) == (10, 1)


async def test_errors_that_are_answers_count_as_successes() -> None:
    breaker = make(FakeClock())

    async def not_found() -> str:
        raise Answer("no such thing")

    for _ in range(20):
        with pytest.raises(Answer):
            await breaker.call(not_found)
    assert breaker.snapshot().failure_rate == 0.0
    assert breaker.state is BreakerState.CLOSED


async def test_open_rejects_without_calling() -> None:
    breaker = make(FakeClock())
    await open_breaker(breaker)
    called = 0

    async def counted() -> str:
        nonlocal called
        called += 1
        return "ok"

    for _ in range(5):
        with pytest.raises(BreakerOpen, match="'dep' is open"):
            await breaker.call(counted)
    assert called == 0
    assert breaker.snapshot().rejected == 5


async def test_half_open_after_the_open_period() -> None:
    clock = FakeClock()
    breaker = make(clock, open_s=30.0)
    await open_breaker(breaker)
    clock.advance(29.9)
    assert breaker.state is BreakerState.OPEN
    clock.advance(0.1)
    assert breaker.state is BreakerState.HALF_OPEN


async def test_half_open_lets_about_a_tenth_through() -> None:
    clock = FakeClock()
    breaker = make(clock, rng=random.Random(7).random, half_open_fraction=0.1)
    await open_breaker(breaker)
    clock.advance(30.0)
    admitted = 0
    for _ in range(2000):
        try:
            breaker.acquire()
        except BreakerOpen:
            continue
        admitted += 1
    # The first call after the open period always probes; then about 10 %.
    assert 150 <= admitted <= 250
    snapshot = breaker.snapshot()
    assert snapshot.probes == admitted
    assert snapshot.rejected == 2000 - admitted


async def test_probe_decision_uses_the_random_source() -> None:
    clock = FakeClock()
    draws: Iterator[float] = cycle([0.5, 0.05])
    breaker = make(clock, rng=lambda: next(draws), probe_successes=5)
    await open_breaker(breaker)
    clock.advance(30.0)
    assert breaker.acquire().probe  # the free first probe
    with pytest.raises(BreakerOpen):
        breaker.acquire()  # 0.5 >= 0.1
    assert breaker.acquire().probe  # 0.05 < 0.1


async def test_successful_probes_close() -> None:
    clock = FakeClock()
    breaker = make(clock, rng=lambda: 0.0, probe_successes=2)
    await open_breaker(breaker)
    clock.advance(30.0)
    await breaker.call(ok)
    assert breaker.state is BreakerState.HALF_OPEN
    await breaker.call(ok)
    snapshot = breaker.snapshot()
    assert snapshot.state is BreakerState.CLOSED
    assert snapshot.calls_in_window == 0  # a closed breaker starts from a clean window


async def test_failed_probe_reopens() -> None:
    clock = FakeClock()
    breaker = make(clock, rng=lambda: 0.0)
    await open_breaker(breaker)
    first_open = breaker.snapshot().opened_at
    clock.advance(30.0)
    with pytest.raises(Boom):
        await breaker.call(boom)
    snapshot = breaker.snapshot()
    assert snapshot.state is BreakerState.OPEN
    assert snapshot.opened_at == clock.now() != first_open
    assert snapshot.times_opened == 2


async def test_slow_calls_count_against_the_breaker() -> None:
    clock = FakeClock()
    breaker = make(clock, slow_call_s=10.0)

    async def slow() -> str:
        clock.advance(11.0)
        return "late"

    await feed(breaker, 8, 0)
    for _ in range(3):
        assert await breaker.call(slow) == "late"
    snapshot = breaker.snapshot()
    assert snapshot.state is BreakerState.OPEN
    assert snapshot.slow == 3
    assert snapshot.failures == 0


async def test_failures_and_slow_calls_add_up() -> None:
    clock = FakeClock()
    breaker = make(clock, slow_call_s=10.0, failure_rate=0.2)

    async def slow() -> str:
        clock.advance(10.5)
        return "late"

    await feed(breaker, 8, 1)
    assert breaker.state is BreakerState.CLOSED
    await breaker.call(slow)
    assert breaker.state is BreakerState.CLOSED  # 2 of 10 is not above 20 %
    await breaker.call(slow)
    assert breaker.state is BreakerState.OPEN


async def test_slow_probe_reopens() -> None:
    clock = FakeClock()
    breaker = make(clock, rng=lambda: 0.0, slow_call_s=1.0)
    await open_breaker(breaker)
    clock.advance(30.0)

    async def slow() -> str:
        clock.advance(2.0)
        return "late"

    await breaker.call(slow)
    assert breaker.state is BreakerState.OPEN


async def test_outcomes_of_calls_from_an_earlier_state_are_ignored() -> None:
    clock = FakeClock()
    breaker = make(clock, rng=lambda: 0.0, probe_successes=1)
    stale = breaker.acquire()
    await open_breaker(breaker)
    clock.advance(30.0)
    probe = breaker.acquire()
    breaker.record(stale, Outcome.FAILURE)
    assert breaker.state is BreakerState.HALF_OPEN
    breaker.record(probe, Outcome.SUCCESS)
    assert breaker.state is BreakerState.CLOSED


async def test_cancellation_is_not_an_outcome() -> None:
    breaker = make(FakeClock())

    async def cancelled() -> str:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        await breaker.call(cancelled)
    assert breaker.snapshot().calls == 0


async def test_snapshot_contents() -> None:
    clock = FakeClock(start=500.0)
    breaker = make(clock)
    fresh = breaker.snapshot()
    assert fresh.state is BreakerState.CLOSED
    assert fresh.opened_at is None
    await feed(breaker, 7, 3)
    with pytest.raises(BreakerOpen):
        await breaker.call(ok)
    snapshot = breaker.snapshot()
    assert snapshot.name == "dep"
    assert snapshot.state is BreakerState.OPEN
    assert snapshot.opened_at == 500.0
    assert (snapshot.calls, snapshot.failures, snapshot.slow) == (10, 3, 0)
    assert snapshot.rejected == 1
    assert snapshot.times_opened == 1
    assert snapshot.calls_in_window == 0  # the window restarts on every transition
    assert snapshot.failure_rate == 0.0


async def test_listeners_see_every_transition() -> None:
    clock = FakeClock()
    breaker = make(clock, rng=lambda: 0.0, probe_successes=1)
    seen: list[tuple[str, str, str]] = []
    breaker.add_listener(lambda name, old, new: seen.append((name, old.value, new.value)))
    await open_breaker(breaker)
    clock.advance(30.0)
    await breaker.call(ok)
    assert seen == [
        ("dep", "closed", "open"),
        ("dep", "open", "half_open"),
        ("dep", "half_open", "closed"),
    ]


def test_custom_rejection_error() -> None:
    class Closed(Exception):
        pass

    breaker = CircuitBreaker(
        "x", BreakerConfig(min_calls=1), clock=FakeClock(), open_error=lambda n: Closed(n)
    )
    breaker.record(breaker.acquire(), Outcome.FAILURE)
    with pytest.raises(Closed, match="x"):
        breaker.acquire()


def test_config_from_settings() -> None:
    settings = ResilienceSettings(breaker_min_calls=4, breaker_slow_call_s=10.0)
    config = BreakerConfig.from_settings(settings)
    assert config.min_calls == 4
    assert config.slow_call_s == 10.0
    assert config.failure_rate == settings.breaker_failure_rate


@pytest.mark.parametrize(
    "bad",
    [
        {"window_s": 0.0},
        {"open_s": -1.0},
        {"min_calls": 0},
        {"failure_rate": 0.0},
        {"failure_rate": 1.5},
        {"half_open_fraction": 0.0},
        {"probe_successes": 0},
        {"slow_call_s": 0.0},
    ],
)
def test_config_rejects_bad_values(bad: dict[str, float]) -> None:
    with pytest.raises(ValueError, match=r"must|needs"):
        BreakerConfig(**bad)  # type: ignore[arg-type]


def test_registry() -> None:
    registry = BreakerRegistry()
    clock = FakeClock()
    registry.register(CircuitBreaker("a", clock=clock))
    registry.register(CircuitBreaker("b", clock=clock))
    assert registry.names() == ["a", "b"]
    assert "a" in registry
    assert len(registry) == 2
    assert registry["b"].name == "b"
    assert {n: s.state for n, s in registry.snapshots().items()} == {
        "a": BreakerState.CLOSED,
        "b": BreakerState.CLOSED,
    }
    with pytest.raises(ValueError, match="already registered"):
        registry.register(CircuitBreaker("a", clock=clock))


@settings(deadline=None)
@given(
    failures=st.lists(st.booleans(), max_size=80),
    min_calls=st.integers(1, 20),
    rate=st.floats(0.05, 1.0),
)
def test_opens_exactly_when_some_prefix_is_over_the_rate(
    failures: list[bool], min_calls: int, rate: float
) -> None:
    """Within one instant, the breaker opens iff some prefix has enough calls over the rate."""
    breaker = CircuitBreaker(
        "p", BreakerConfig(min_calls=min_calls, failure_rate=rate), clock=FakeClock()
    )
    expected_open, bad = False, 0
    for calls, failed in enumerate(failures, start=1):
        if breaker.state is BreakerState.OPEN:
            break
        breaker.record(breaker.acquire(), Outcome.FAILURE if failed else Outcome.SUCCESS)
        bad += failed
        if calls >= min_calls and bad / calls > rate:
            expected_open = True
            break
    assert (breaker.state is BreakerState.OPEN) == expected_open
