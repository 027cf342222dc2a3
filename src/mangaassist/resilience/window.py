"""Sliding time window of call outcomes, kept in fixed-width buckets so memory stays bounded."""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass
from enum import Enum


class Outcome(Enum):
    SUCCESS = "success"
    FAILURE = "failure"
    #: Finished without a failure but slower than the slow-call threshold.
    SLOW = "slow"


@dataclass(frozen=True, slots=True)
class WindowCounts:
    calls: int
    failures: int
    slow: int

    @property
    def bad_rate(self) -> float:
        """Share of calls that failed or were slow (0 when the window is empty)."""
        return (self.failures + self.slow) / self.calls if self.calls else 0.0


@dataclass(slots=True)
class _Bucket:
    index: int
    calls: int = 0
    failures: int = 0
    slow: int = 0


class SlidingWindow:
    """Outcomes of the last `window_s` seconds, at a resolution of `window_s / buckets`.

    An outcome leaves the window between `window_s - width` and `window_s` after it was
    added (a whole bucket expires at once), which is exact enough for a breaker and keeps
    memory at `buckets` entries however busy the dependency is.
    """

    def __init__(self, window_s: float, buckets: int = 60) -> None:
        if window_s <= 0 or buckets < 1:
            raise ValueError("a sliding window needs window_s > 0 and at least one bucket")
        self._width = window_s / buckets
        self._span = buckets
        self._buckets: deque[_Bucket] = deque()
        self._calls = 0
        self._failures = 0
        self._slow = 0

    def add(self, now: float, outcome: Outcome) -> None:
        index = math.floor(now / self._width)
        self._expire(index)
        if self._buckets and self._buckets[-1].index == index:
            bucket = self._buckets[-1]
        else:
            bucket = _Bucket(index)
            self._buckets.append(bucket)
        bucket.calls += 1
        self._calls += 1
        if outcome is Outcome.FAILURE:
            bucket.failures += 1
            self._failures += 1
        elif outcome is Outcome.SLOW:
            bucket.slow += 1
            self._slow += 1

    def counts(self, now: float) -> WindowCounts:
        self._expire(math.floor(now / self._width))
        return WindowCounts(self._calls, self._failures, self._slow)

    def over(self, min_calls: int, rate: float) -> bool:
        """As of the last `add`: at least `min_calls` calls and a bad share above `rate`?"""
        return self._calls >= min_calls and (self._failures + self._slow) / self._calls > rate

    def clear(self) -> None:
        self._buckets.clear()
        self._calls = self._failures = self._slow = 0

    def _expire(self, index: int) -> None:
        oldest_kept = index - self._span + 1
        while self._buckets and self._buckets[0].index < oldest_kept:
            gone = self._buckets.popleft()
            self._calls -= gone.calls
            self._failures -= gone.failures
            self._slow -= gone.slow
