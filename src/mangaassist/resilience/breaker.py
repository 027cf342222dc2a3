"""Circuit breaker per dependency: sliding-window failure rate, open period, fractional probes.

Hand-written on purpose. The maintained Python breakers count *consecutive* failures
(pybreaker, aiobreaker, circuitbreaker, purgatory: a threshold of N failures in a row)
and let a single trial call through when half-open. We need what the issue and the LLM
router ask for: an error *rate* (failures plus slow calls) over a sliding time window,
opening only after a minimum number of calls, and a half-open state that lets a
*fraction* of traffic (about 10 %) probe while the rest is rejected at once.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import Enum
from typing import TypeVar

from mangaassist.config import ResilienceSettings
from mangaassist.resilience.clock import SYSTEM_CLOCK, Clock
from mangaassist.resilience.window import Outcome, SlidingWindow

T = TypeVar("T")
log = logging.getLogger(__name__)


class BreakerState(Enum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


class BreakerOpen(Exception):
    """Default rejection of a call by an open (or probing) breaker; never a dependency failure."""

    counts_as_failure = False

    def __init__(self, name: str) -> None:
        super().__init__(f"circuit breaker {name!r} is open")
        self.name = name


@dataclass(frozen=True, slots=True)
class BreakerConfig:
    window_s: float = 60.0
    min_calls: int = 10
    #: The breaker opens when the share of failed or slow calls is *above* this.
    failure_rate: float = 0.2
    open_s: float = 30.0
    half_open_fraction: float = 0.1
    probe_successes: int = 3
    slow_call_s: float | None = None

    def __post_init__(self) -> None:
        if self.window_s <= 0 or self.open_s <= 0 or self.min_calls < 1:
            raise ValueError("breaker needs window_s > 0, open_s > 0 and min_calls >= 1")
        if not 0 < self.failure_rate <= 1 or not 0 < self.half_open_fraction <= 1:
            raise ValueError("failure_rate and half_open_fraction must be in (0, 1]")
        if self.probe_successes < 1:
            raise ValueError("probe_successes must be at least 1")
        if self.slow_call_s is not None and self.slow_call_s <= 0:
            raise ValueError("slow_call_s must be positive (or None)")

    @classmethod
    def from_settings(cls, settings: ResilienceSettings) -> BreakerConfig:
        return cls(
            window_s=settings.breaker_window_s,
            min_calls=settings.breaker_min_calls,
            failure_rate=settings.breaker_failure_rate,
            open_s=settings.breaker_open_s,
            half_open_fraction=settings.breaker_half_open_fraction,
            probe_successes=settings.breaker_probe_successes,
            slow_call_s=settings.breaker_slow_call_s,
        )


@dataclass(frozen=True, slots=True)
class BreakerSnapshot:
    """What a breaker looks like right now, for metrics, /readyz and admin pages."""

    name: str
    state: BreakerState
    #: Share of failed or slow calls in the current window.
    failure_rate: float
    calls_in_window: int
    failures_in_window: int
    slow_in_window: int
    #: Clock time the breaker last opened (None if it never has).
    opened_at: float | None
    #: Totals since the breaker was made.
    calls: int
    failures: int
    slow: int
    rejected: int
    probes: int
    times_opened: int


@dataclass(frozen=True, slots=True)
class Permit:
    """A call the breaker let through; hand it back with the call's outcome."""

    generation: int
    probe: bool
    started: float


def counts_as_failure(exc: BaseException) -> bool:
    """Default: an exception fails the call unless it says `counts_as_failure = False`."""
    return bool(getattr(exc, "counts_as_failure", True))


StateListener = Callable[[str, BreakerState, BreakerState], None]


class CircuitBreaker:
    """One dependency's breaker. Not thread-safe: use it from one event loop."""

    def __init__(
        self,
        name: str,
        config: BreakerConfig | None = None,
        *,
        clock: Clock = SYSTEM_CLOCK,
        rng: Callable[[], float] = random.random,
        is_failure: Callable[[BaseException], bool] = counts_as_failure,
        open_error: Callable[[str], Exception] = BreakerOpen,
    ) -> None:
        self.name = name
        self.config = config or BreakerConfig()
        self._now = clock.now
        self._rng = rng
        self._is_failure = is_failure
        self._open_error = open_error
        self._window = SlidingWindow(self.config.window_s)
        self._listeners: list[StateListener] = []
        self._state = BreakerState.CLOSED
        # Outcomes of calls admitted under an earlier state are ignored after a transition.
        self._generation = 0
        self._opened_at: float | None = None
        self._probe_ok = 0
        self._free_probe = False
        self._calls = self._failures = self._slow = 0
        self._rejected = self._probes = self._times_opened = 0

    @property
    def state(self) -> BreakerState:
        self._refresh(self._now())
        return self._state

    def add_listener(self, listener: StateListener) -> None:
        """Call `listener(name, old, new)` on every state change."""
        self._listeners.append(listener)

    def acquire(self) -> Permit:
        """Admit a call or raise the rejection error (the call must then not be made)."""
        now = self._now()
        if self._state is BreakerState.CLOSED:
            return Permit(self._generation, False, now)
        self._refresh(now)
        if self._state is BreakerState.HALF_OPEN and (
            self._free_probe or self._rng() < self.config.half_open_fraction
        ):
            # The first call after the open period always probes, so a quiet
            # dependency is not left half-open for want of traffic.
            self._free_probe = False
            self._probes += 1
            return Permit(self._generation, True, now)
        self._rejected += 1
        raise self._open_error(self.name)

    def record(self, permit: Permit, outcome: Outcome) -> None:
        now = self._now()
        self._calls += 1
        if outcome is Outcome.FAILURE:
            self._failures += 1
        elif outcome is Outcome.SLOW:
            self._slow += 1
        if permit.generation != self._generation:
            return
        if self._state is BreakerState.HALF_OPEN:
            if outcome is not Outcome.SUCCESS:
                self._transition(BreakerState.OPEN, now)
            else:
                self._probe_ok += 1
                if self._probe_ok >= self.config.probe_successes:
                    self._transition(BreakerState.CLOSED, now)
            return
        self._window.add(now, outcome)
        # Checked after every call, not only failures: reaching `min_calls` may be what tips it.
        if self._window.over(self.config.min_calls, self.config.failure_rate):
            self._transition(BreakerState.OPEN, now)

    def outcome_of(self, permit: Permit, error: BaseException | None) -> Outcome:
        """Classify a finished call: failure by `is_failure`, else slow or success by duration."""
        if error is not None and self._is_failure(error):
            return Outcome.FAILURE
        slow_s = self.config.slow_call_s
        if slow_s is not None and self._now() - permit.started > slow_s:
            return Outcome.SLOW
        return Outcome.SUCCESS

    async def call(self, fn: Callable[[], Awaitable[T]]) -> T:
        """Run `fn` under the breaker. Cancellation is not an outcome and is not recorded."""
        permit = self.acquire()
        try:
            result = await fn()
        except Exception as exc:
            self.record(permit, self.outcome_of(permit, exc))
            raise
        self.record(permit, self.outcome_of(permit, None))
        return result

    def snapshot(self) -> BreakerSnapshot:
        now = self._now()
        self._refresh(now)
        counts = self._window.counts(now)
        return BreakerSnapshot(
            name=self.name,
            state=self._state,
            failure_rate=counts.bad_rate,
            calls_in_window=counts.calls,
            failures_in_window=counts.failures,
            slow_in_window=counts.slow,
            opened_at=self._opened_at,
            calls=self._calls,
            failures=self._failures,
            slow=self._slow,
            rejected=self._rejected,
            probes=self._probes,
            times_opened=self._times_opened,
        )

    def _refresh(self, now: float) -> None:
        if (
            self._state is BreakerState.OPEN
            and self._opened_at is not None
            and now - self._opened_at >= self.config.open_s
        ):
            self._transition(BreakerState.HALF_OPEN, now)

    def _transition(self, new: BreakerState, now: float) -> None:
        old, self._state = self._state, new
        self._generation += 1
        self._probe_ok = 0
        self._free_probe = new is BreakerState.HALF_OPEN
        self._window.clear()
        if new is BreakerState.OPEN:
            self._opened_at = now
            self._times_opened += 1
        level = logging.WARNING if new is BreakerState.OPEN else logging.INFO
        log.log(level, "circuit breaker %s: %s -> %s", self.name, old.value, new.value)
        for listener in self._listeners:
            listener(self.name, old, new)


class BreakerRegistry:
    """Every breaker of a process by name, so metrics and health checks can observe them."""

    def __init__(self) -> None:
        self._breakers: dict[str, CircuitBreaker] = {}

    def register(self, breaker: CircuitBreaker) -> CircuitBreaker:
        if breaker.name in self._breakers:
            raise ValueError(f"a circuit breaker named {breaker.name!r} is already registered")
        self._breakers[breaker.name] = breaker
        return breaker

    def __getitem__(self, name: str) -> CircuitBreaker:
        return self._breakers[name]

    def __contains__(self, name: object) -> bool:
        return name in self._breakers

    def __len__(self) -> int:
        return len(self._breakers)

    def names(self) -> list[str]:
        return list(self._breakers)

    def snapshots(self) -> dict[str, BreakerSnapshot]:
        return {name: breaker.snapshot() for name, breaker in self._breakers.items()}
