from __future__ import annotations

import pytest

from mangaassist.resilience.clock import SYSTEM_CLOCK
from mangaassist.testing.clock import FakeClock


def test_system_clock_is_monotonic() -> None:
    first = SYSTEM_CLOCK.now()
    assert SYSTEM_CLOCK.now() >= first


async def test_fake_clock_moves_only_when_told() -> None:
    clock = FakeClock(start=5.0)
    assert clock.now() == 5.0
    clock.advance(2.5)
    await clock.sleep(1.5)
    assert clock.now() == 9.0
    assert clock.sleeps == [1.5]


def test_fake_clock_refuses_to_go_back() -> None:
    with pytest.raises(ValueError, match="cannot go back"):
        FakeClock().advance(-1.0)
