from __future__ import annotations

import asyncio

import pytest

from mangaassist.resilience import BreakerConfig, CallGuard, CircuitBreaker, Retrier, RetryPolicy
from mangaassist.testing.clock import FakeClock


class Flaky(Exception):
    """A retryable dependency failure."""


class Timeout(Exception):
    """The guard's own timeout error."""


def guard(clock: FakeClock, *, critical: bool = True) -> CallGuard:
    return CallGuard(
        CircuitBreaker("dep", BreakerConfig(min_calls=100), clock=clock),
        Retrier(
            RetryPolicy(attempts=3), retryable=lambda e: isinstance(e, Flaky), sleep=clock.sleep
        ),
        timeout_s=1.0,
        timeout_error=lambda name, s: Timeout(f"{name} {s}"),
        critical=critical,
        degrades_on=lambda e: isinstance(e, Flaky | Timeout),
    )


class Inner:
    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.calls = 0

    async def __call__(self) -> list[str]:
        self.calls += 1
        if self.calls <= self.failures:
            raise Flaky("down")
        return ["value"]


async def test_read_retries() -> None:
    clock = FakeClock()
    inner = Inner(failures=2)
    assert await guard(clock).read(inner) == ["value"]
    assert inner.calls == 3


async def test_write_is_never_retried() -> None:
    clock = FakeClock()
    inner = Inner(failures=1)
    with pytest.raises(Flaky):
        await guard(clock).write(inner)
    assert inner.calls == 1
    assert clock.sleeps == []


async def test_write_of_non_critical_degrades_without_retry() -> None:
    clock = FakeClock()
    inner = Inner(failures=1)
    checked = guard(clock, critical=False)
    assert await checked.write(inner, neutral=list) == []
    assert (inner.calls, checked.degraded) == (1, 1)


async def test_critical_ignores_the_neutral_value() -> None:
    clock = FakeClock()
    with pytest.raises(Flaky):
        await guard(clock, critical=True).read(Inner(failures=5), neutral=list)


async def test_neutral_value_only_for_degrading_errors() -> None:
    clock = FakeClock()

    async def broken() -> list[str]:
        raise KeyError("a bug, not a dependency failure")

    with pytest.raises(KeyError):
        await guard(clock, critical=False).read(broken, neutral=list)


async def test_cancellation_passes_through_unrecorded() -> None:
    clock = FakeClock()
    checked = guard(clock, critical=False)
    started = asyncio.Event()

    async def hang() -> list[str]:
        started.set()
        await asyncio.Event().wait()
        return []

    task = asyncio.create_task(checked.read(hang, neutral=list))
    await started.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert checked.breaker.snapshot().calls == 0
    assert checked.degraded == 0
    assert clock.sleeps == []
