"""Monotonic time as a seam: breakers read `Clock.now()` so tests can drive time by hand."""

from __future__ import annotations

import time
from typing import Protocol


class Clock(Protocol):
    def now(self) -> float:
        """Seconds on a monotonic scale (only differences mean anything)."""
        ...


class SystemClock:
    """The process's monotonic clock."""

    def now(self) -> float:
        return time.monotonic()


SYSTEM_CLOCK = SystemClock()
