from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mangaassist.resilience.window import Outcome, SlidingWindow, WindowCounts


def test_counts_by_outcome() -> None:
    window = SlidingWindow(60.0)
    for outcome in (Outcome.SUCCESS, Outcome.FAILURE, Outcome.SLOW, Outcome.FAILURE):
        window.add(100.0, outcome)
    assert window.counts(100.0) == WindowCounts(calls=4, failures=2, slow=1)
    assert window.counts(100.0).bad_rate == pytest.approx(0.75)


def test_empty_window_has_zero_rate() -> None:
    assert SlidingWindow(10.0).counts(5.0).bad_rate == 0.0


def test_old_outcomes_expire() -> None:
    window = SlidingWindow(60.0, buckets=60)
    window.add(0.0, Outcome.FAILURE)
    window.add(30.0, Outcome.SUCCESS)
    assert window.counts(59.0).calls == 2
    assert window.counts(60.5) == WindowCounts(calls=1, failures=0, slow=0)
    assert window.counts(91.0).calls == 0


def test_clear() -> None:
    window = SlidingWindow(60.0)
    window.add(1.0, Outcome.FAILURE)
    window.clear()
    assert window.counts(1.0).calls == 0


@pytest.mark.parametrize(("window_s", "buckets"), [(0.0, 10), (-1.0, 10), (10.0, 0)])
def test_bad_arguments(window_s: float, buckets: int) -> None:
    with pytest.raises(ValueError, match="sliding window"):
        SlidingWindow(window_s, buckets)


events = st.lists(
    st.tuples(st.floats(0, 50, allow_nan=False), st.sampled_from(list(Outcome))),
    max_size=60,
)


@settings(deadline=None)
@given(events=events, buckets=st.integers(1, 60), window_s=st.floats(1.0, 20.0))
def test_window_keeps_recent_and_drops_old(
    events: list[tuple[float, Outcome]], buckets: int, window_s: float
) -> None:
    window = SlidingWindow(window_s, buckets)
    now = 0.0
    for gap, outcome in events:
        now += gap
        window.add(now, outcome)
    width = window_s / buckets
    times = []
    now = 0.0
    for gap, _ in events:
        now += gap
        times.append(now)
    counts = window.counts(now)
    surely_kept = sum(1 for t in times if now - t < window_s - width - 1e-9)
    possibly_kept = sum(1 for t in times if now - t <= window_s + 1e-9)
    assert surely_kept <= counts.calls <= possibly_kept
    assert counts.failures + counts.slow <= counts.calls
