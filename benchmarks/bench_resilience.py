"""Overhead of the store resilience wrapper (timeout + breaker + retry) over a bare call.

.venv/bin/pytest benchmarks/bench_resilience.py --benchmark-only   (pytest-benchmark)
.venv/bin/python benchmarks/bench_resilience.py                    (plain table, µs per call)

Each round awaits BATCH calls of a trivial inner coroutine inside one event loop, so the
numbers are per call and include the event-loop cost of the timeout handle.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable, Iterator

import pytest
from pytest_benchmark.fixture import BenchmarkFixture

from mangaassist.config import ResilienceSettings
from mangaassist.resilience import BreakerConfig, CircuitBreaker, Retrier, RetryPolicy
from mangaassist.store.resilient import guard_for

BATCH = 2000
Call = Callable[[], Awaitable[int]]


async def inner() -> int:
    return 1


def variants() -> dict[str, Call]:
    settings = ResilienceSettings()
    full = guard_for("pricing", settings, timeout_s=2.0)
    breaker = CircuitBreaker("b", BreakerConfig.from_settings(settings))
    retrier = Retrier(RetryPolicy.from_settings(settings), retryable=lambda exc: False)
    return {
        "bare": inner,
        "breaker": lambda: breaker.call(inner),
        "retry": lambda: retrier(inner),
        "full": lambda: full.read(inner),
    }


def run_batch(loop: asyncio.AbstractEventLoop, call: Call) -> None:
    async def batch() -> None:
        for _ in range(BATCH):
            await call()

    loop.run_until_complete(batch())


@pytest.fixture(scope="module")
def loop() -> Iterator[asyncio.AbstractEventLoop]:
    event_loop = asyncio.new_event_loop()
    yield event_loop
    event_loop.close()


@pytest.mark.parametrize("variant", ["bare", "breaker", "retry", "full"])
def test_overhead_per_call(
    benchmark: BenchmarkFixture, loop: asyncio.AbstractEventLoop, variant: str
) -> None:
    call = variants()[variant]
    benchmark.pedantic(run_batch, args=(loop, call), rounds=200, iterations=1, warmup_rounds=10)
    stats = benchmark.stats
    assert stats is not None
    data = sorted(stats.stats.data)
    benchmark.extra_info["p50_us_per_call"] = round(data[len(data) // 2] / BATCH * 1e6, 2)
    benchmark.extra_info["p99_us_per_call"] = round(data[int(len(data) * 0.99)] / BATCH * 1e6, 2)


def main(rounds: int = 200) -> None:
    loop = asyncio.new_event_loop()
    per_call: dict[str, list[float]] = {}
    calls = variants()
    for _ in range(rounds):
        for name, call in calls.items():
            start = time.perf_counter()
            run_batch(loop, call)
            per_call.setdefault(name, []).append((time.perf_counter() - start) / BATCH * 1e6)
    loop.close()
    bare = statistics.median(per_call["bare"])
    print(f"{'variant':<8} {'p50 µs':>8} {'p99 µs':>8} {'overhead p50 µs':>16}")
    for name, samples in per_call.items():
        samples.sort()
        p50, p99 = statistics.median(samples), samples[int(len(samples) * 0.99)]
        print(f"{name:<8} {p50:8.2f} {p99:8.2f} {p50 - bare:16.2f}")


if __name__ == "__main__":
    main()
