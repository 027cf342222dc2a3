"""Retries for idempotent reads: tenacity with exponential backoff and full jitter.

tenacity runs the loop (`wait_random_exponential` is full jitter: a uniform sleep
below `min(max_s, base_s * 2**(attempt - 1))`). The only hand-written part is a fast
path: the first attempt runs outside tenacity, whose per-call set-up costs about
20 µs, and only a retryable failure enters the loop, replaying that first outcome as
attempt 1 so tenacity's attempt numbering, stop and wait stay exactly its own.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception,
    stop_after_attempt,
    wait_random_exponential,
)

from mangaassist.config import ResilienceSettings

T = TypeVar("T")
Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    #: Total attempts, the first included (1 means no retry).
    attempts: int = 3
    base_s: float = 0.05
    max_s: float = 1.0

    def __post_init__(self) -> None:
        if self.attempts < 1 or self.base_s <= 0 or self.max_s <= 0:
            raise ValueError("retry policy needs attempts >= 1, base_s > 0 and max_s > 0")

    @classmethod
    def from_settings(cls, settings: ResilienceSettings) -> RetryPolicy:
        return cls(
            attempts=settings.retry_attempts,
            base_s=settings.backoff_base_s,
            max_s=settings.backoff_max_s,
        )

    def max_sleep_s(self, attempt: int) -> float:
        """Upper bound of the sleep after failed attempt number `attempt` (1-based)."""
        return float(min(self.max_s, self.base_s * 2 ** (attempt - 1)))


class Retrier:
    """Runs a call, retrying errors for which `retryable(exc)` is true, up to the policy."""

    def __init__(
        self,
        policy: RetryPolicy,
        *,
        retryable: Callable[[BaseException], bool],
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.policy = policy
        self._retryable = retryable
        self._retrying = AsyncRetrying(
            stop=stop_after_attempt(policy.attempts),
            wait=wait_random_exponential(multiplier=policy.base_s, max=policy.max_s),
            retry=retry_if_exception(retryable),
            sleep=sleep,
            before_sleep=self._count_retry,
            reraise=True,
        )
        #: Retries made (attempts after the first), for metrics.
        self.retries = 0

    async def __call__(self, fn: Callable[[], Awaitable[T]]) -> T:
        try:
            return await fn()
        except Exception as exc:
            if self.policy.attempts == 1 or not self._retryable(exc):
                raise
            first_error = exc
        attempts = 0

        async def replay_then_call() -> T:
            nonlocal attempts
            attempts += 1
            if attempts == 1:
                raise first_error
            return await fn()

        # A copy per looping call: tenacity keeps statistics on the instance.
        return await self._retrying.copy()(replay_then_call)

    def _count_retry(self, _state: RetryCallState) -> None:
        self.retries += 1
