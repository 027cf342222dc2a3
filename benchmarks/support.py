"""Shared by the pytest-benchmark files: p50/p99 from the raw samples of one benchmark."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pytest_benchmark.fixture import BenchmarkFixture


def percentiles(
    benchmark: BenchmarkFixture, fn: Callable[[], Any], rounds: int = 2000, warmup: int = 50
) -> Any:
    """Run `fn` once per round and record p50/p99 in microseconds in the extra info."""
    value = benchmark.pedantic(fn, rounds=rounds, iterations=1, warmup_rounds=warmup)
    stats = benchmark.stats
    assert stats is not None
    data = sorted(stats.stats.data)
    benchmark.extra_info["p50_us"] = round(data[len(data) // 2] * 1e6, 1)
    benchmark.extra_info["p99_us"] = round(data[int(len(data) * 0.99)] * 1e6, 1)
    return value
