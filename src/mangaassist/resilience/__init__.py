"""Generic resilience primitives: clock seam, circuit breaker, read retries, call guard."""

from mangaassist.resilience.breaker import (
    BreakerConfig,
    BreakerOpen,
    BreakerRegistry,
    BreakerSnapshot,
    BreakerState,
    CircuitBreaker,
    Permit,
    counts_as_failure,
)
from mangaassist.resilience.clock import SYSTEM_CLOCK, Clock, SystemClock
from mangaassist.resilience.guard import CallGuard
from mangaassist.resilience.retry import Retrier, RetryPolicy
from mangaassist.resilience.window import Outcome, SlidingWindow, WindowCounts

__all__ = [
    "SYSTEM_CLOCK",
    "BreakerConfig",
    "BreakerOpen",
    "BreakerRegistry",
    "BreakerSnapshot",
    "BreakerState",
    "CallGuard",
    "CircuitBreaker",
    "Clock",
    "Outcome",
    "Permit",
    "Retrier",
    "RetryPolicy",
    "SlidingWindow",
    "SystemClock",
    "WindowCounts",
    "counts_as_failure",
]
