from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mangaassist.config import ResilienceSettings
from mangaassist.resilience.retry import Retrier, RetryPolicy
from mangaassist.testing.clock import FakeClock


class Flaky(Exception):
    """A retryable failure."""


class Final(Exception):
    """A failure that must not be retried."""


class Inner:
    """Fails with the scripted errors, one per call, then answers."""

    def __init__(self, *errors: Exception) -> None:
        self.errors = list(errors)
        self.calls = 0

    async def __call__(self) -> str:
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return "answer"


def retrier(
    clock: FakeClock, attempts: int = 3, base_s: float = 0.05, max_s: float = 1.0
) -> Retrier:
    return Retrier(
        RetryPolicy(attempts=attempts, base_s=base_s, max_s=max_s),
        retryable=lambda exc: isinstance(exc, Flaky),
        sleep=clock.sleep,
    )


async def test_first_success_needs_no_sleep() -> None:
    clock = FakeClock()
    inner = Inner()
    assert await retrier(clock)(inner) == "answer"
    assert inner.calls == 1
    assert clock.sleeps == []


async def test_retries_retryable_errors_with_bounded_jittered_sleeps() -> None:
    clock = FakeClock()
    retry = retrier(clock, attempts=3, base_s=0.05, max_s=1.0)
    inner = Inner(Flaky("1"), Flaky("2"))
    assert await retry(inner) == "answer"
    assert inner.calls == 3
    assert len(clock.sleeps) == 2
    assert 0 <= clock.sleeps[0] <= 0.05
    assert 0 <= clock.sleeps[1] <= 0.10
    assert retry.retries == 2


async def test_gives_up_after_the_attempts_with_the_last_error() -> None:
    clock = FakeClock()
    inner = Inner(Flaky("1"), Flaky("2"), Flaky("3"), Flaky("4"))
    with pytest.raises(Flaky, match="3"):
        await retrier(clock, attempts=3)(inner)
    assert inner.calls == 3


async def test_non_retryable_errors_are_raised_at_once() -> None:
    clock = FakeClock()
    inner = Inner(Final("no"))
    with pytest.raises(Final):
        await retrier(clock)(inner)
    assert inner.calls == 1
    assert clock.sleeps == []


async def test_non_retryable_error_on_a_retry_stops_the_loop() -> None:
    clock = FakeClock()
    inner = Inner(Flaky("1"), Final("no"), Flaky("never reached"))
    with pytest.raises(Final):
        await retrier(clock, attempts=5)(inner)
    assert inner.calls == 2


async def test_one_attempt_means_no_retry() -> None:
    clock = FakeClock()
    inner = Inner(Flaky("1"))
    with pytest.raises(Flaky):
        await retrier(clock, attempts=1)(inner)
    assert inner.calls == 1


def test_policy_from_settings_and_bounds() -> None:
    policy = RetryPolicy.from_settings(
        ResilienceSettings(retry_attempts=4, backoff_base_s=0.1, backoff_max_s=0.3)
    )
    assert policy == RetryPolicy(attempts=4, base_s=0.1, max_s=0.3)
    assert [policy.max_sleep_s(n) for n in (1, 2, 3, 4)] == [0.1, 0.2, 0.3, 0.3]


@pytest.mark.parametrize("bad", [{"attempts": 0}, {"base_s": 0.0}, {"max_s": -1.0}])
def test_policy_rejects_bad_values(bad: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="retry policy"):
        RetryPolicy(**bad)  # type: ignore[arg-type]


@settings(max_examples=50, deadline=None)
@given(
    attempts=st.integers(1, 7),
    base_s=st.floats(0.001, 1.0),
    max_s=st.floats(0.001, 5.0),
)
async def test_full_jitter_sleeps_stay_under_the_capped_exponential(
    attempts: int, base_s: float, max_s: float
) -> None:
    clock = FakeClock()
    retry = retrier(clock, attempts=attempts, base_s=base_s, max_s=max_s)
    inner = Inner(*(Flaky(str(n)) for n in range(attempts)))
    with pytest.raises(Flaky):
        await retry(inner)
    assert inner.calls == attempts
    assert len(clock.sleeps) == attempts - 1
    for attempt, slept in enumerate(clock.sleeps, start=1):
        assert 0 <= slept <= retry.policy.max_sleep_s(attempt) + 1e-12
