"""Token-bucket rate limiting: a protocol and its in-memory implementation.

A bucket holds up to `capacity` tokens and refills continuously at capacity/period;
each message takes one. Shared-store implementations (Redis) check atomically in the
store, never in local memory, so N replicas do not make the limit N times looser.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Limit:
    capacity: int
    period_s: float

    @property
    def rate(self) -> float:
        return self.capacity / self.period_s


@dataclass(frozen=True, slots=True)
class Decision:
    allowed: bool
    remaining: float
    retry_after: float


class RateLimiter(Protocol):
    async def hit(self, key: str, limit: Limit, cost: float = 1.0) -> Decision: ...


class MemoryRateLimiter:
    """Buckets in process memory: right for one process (the embedded default)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic, max_keys: int = 100_000):
        self._clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._max_keys = max_keys
        self._lock = asyncio.Lock()

    async def hit(self, key: str, limit: Limit, cost: float = 1.0) -> Decision:
        async with self._lock:
            now = self._clock()
            tokens, stamp = self._buckets.pop(key, (float(limit.capacity), now))
            tokens = min(float(limit.capacity), tokens + (now - stamp) * limit.rate)
            if tokens >= cost:
                tokens -= cost
                decision = Decision(True, tokens, 0.0)
            else:
                decision = Decision(False, tokens, (cost - tokens) / limit.rate)
            self._buckets[key] = (tokens, now)
            while len(self._buckets) > self._max_keys:
                self._buckets.popitem(last=False)
            return decision
