"""One dependency's call path: retry (reads only) around breaker around per-attempt timeout.

The order is deliberate: each attempt is timed out on its own and recorded by the
breaker, so a retried read counts as several calls to a sick dependency, and an open
breaker stops the retry loop at once (its rejection is never retryable). Non-critical
dependencies turn failures into a neutral value here, and count it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from functools import partial
from typing import TypeVar

from mangaassist.resilience.breaker import CircuitBreaker
from mangaassist.resilience.retry import Retrier

T = TypeVar("T")


class CallGuard:
    """Wraps calls to one dependency; `read` may retry, `write` never does."""

    def __init__(
        self,
        breaker: CircuitBreaker,
        retrier: Retrier,
        *,
        timeout_s: float,
        timeout_error: Callable[[str, float], Exception],
        critical: bool,
        degrades_on: Callable[[BaseException], bool],
    ) -> None:
        if timeout_s <= 0:
            raise ValueError(f"timeout_s must be positive, got {timeout_s}")
        self.name = breaker.name
        self.breaker = breaker
        self.retrier = retrier
        self.timeout_s = timeout_s
        self.critical = critical
        self._timeout_error = timeout_error
        self._degrades_on = degrades_on
        #: Calls answered with a neutral value because the dependency failed.
        self.degraded = 0

    async def read(
        self, fn: Callable[[], Awaitable[T]], *, neutral: Callable[[], T] | None = None
    ) -> T:
        """An idempotent call: retried on retryable errors."""
        try:
            return await self.retrier(partial(self._attempt, fn))
        except Exception as exc:
            return self._degrade(exc, neutral)

    async def write(
        self, fn: Callable[[], Awaitable[T]], *, neutral: Callable[[], T] | None = None
    ) -> T:
        """A call with side effects: one attempt, never retried."""
        try:
            return await self._attempt(fn)
        except Exception as exc:
            return self._degrade(exc, neutral)

    async def _attempt(self, fn: Callable[[], Awaitable[T]]) -> T:
        return await self.breaker.call(partial(self._timed, fn))

    async def _timed(self, fn: Callable[[], Awaitable[T]]) -> T:
        timeout = asyncio.timeout(self.timeout_s)
        try:
            async with timeout:
                return await fn()
        except TimeoutError as exc:
            if timeout.expired():
                raise self._timeout_error(self.name, self.timeout_s) from exc
            raise

    def _degrade(self, exc: Exception, neutral: Callable[[], T] | None) -> T:
        if neutral is None or self.critical or not self._degrades_on(exc):
            raise exc
        self.degraded += 1
        return neutral()
