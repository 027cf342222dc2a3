"""A hand-driven clock and sleep for tests of time-dependent code (breakers, retries)."""

from __future__ import annotations


class FakeClock:
    """Monotonic time that moves only when told; `sleep` records the request and advances."""

    def __init__(self, start: float = 1000.0) -> None:
        self._now = start
        self.sleeps: list[float] = []

    def now(self) -> float:
        return self._now

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError(f"a monotonic clock cannot go back ({seconds} s)")
        self._now += seconds

    async def sleep(self, seconds: float) -> None:
        """Stand-in for `asyncio.sleep`: no real waiting, the request is kept in `sleeps`."""
        self.sleeps.append(seconds)
        self.advance(seconds)
