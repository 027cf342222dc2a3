"""LLM layer overhead: router + breaker per request, answer-cache hit path, coalescing.

.venv/bin/pytest benchmarks/bench_llm.py --benchmark-only -p no:randomly

A zero-latency provider (three text deltas and a usage event) stands in for the model, so
what is measured is the router's own work: breaker admission and bookkeeping, the fallback
loop and event pass-through. Targets: router + breaker < 200 µs per request; cache hit
p99 < 1 ms; 100 concurrent identical misses -> 1 upstream call.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
from pytest_benchmark.fixture import BenchmarkFixture
from support import percentiles

from mangaassist.llm.cache import CachedAnswer, MemoryAnswerCache, cache_key
from mangaassist.llm.router import ModelRouter, Tier


class InstantProvider:
    def __init__(self, name: str) -> None:
        self.name = name

    async def stream(self, request: Any) -> AsyncIterator[Any]:
        yield "Unopened items "
        yield "can be returned "
        yield "within 15 days."
        yield {"input_tokens": 900, "output_tokens": 12, "stop_reason": "end_turn"}


@pytest.fixture(scope="module")
def loop() -> Any:
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


def test_router_and_breaker_overhead(benchmark: BenchmarkFixture, loop: Any) -> None:
    router = ModelRouter(
        {"primary": InstantProvider("primary"), "secondary": InstantProvider("secondary")},
        {Tier.SMALL: ["primary", "secondary"]},
    )
    provider = InstantProvider("bare")

    async def routed() -> int:
        return len([e async for e in router.stream(Tier.SMALL, None)])

    async def bare() -> int:
        return len([e async for e in provider.stream(None)])

    # The same stream without the router, measured in the same run: the difference is the
    # router's overhead (a coroutine switch per event plus breaker bookkeeping).
    samples = []
    for _ in range(3000):
        started = time.perf_counter()
        assert loop.run_until_complete(bare()) == 4
        samples.append(time.perf_counter() - started)
    samples.sort()
    benchmark.extra_info["bare_stream_p50_us"] = round(samples[len(samples) // 2] * 1e6, 1)
    events = percentiles(benchmark, lambda: loop.run_until_complete(routed()), rounds=3000)
    assert events == 5  # four provider events and the final Served


def test_cache_hit_path(benchmark: BenchmarkFixture, loop: Any) -> None:
    cache = MemoryAnswerCache()
    answer = CachedAnswer("Returns within 15 days.", "m", "v1")

    async def compute() -> CachedAnswer:
        return answer

    key = cache_key(
        "What's your return policy?", intent="faq", tier="guest", language="en", prompt_version="v1"
    )
    loop.run_until_complete(cache.get_or_compute(key, compute))

    async def hit() -> bool:
        question = "whats your RETURN policy"
        k = cache_key(question, intent="faq", tier="guest", language="en", prompt_version="v1")
        return (await cache.get_or_compute(k, compute))[1]

    assert percentiles(benchmark, lambda: loop.run_until_complete(hit()), rounds=5000)


def test_coalescing_100_concurrent_misses(benchmark: BenchmarkFixture, loop: Any) -> None:
    calls = 0

    async def burst() -> int:
        nonlocal calls
        cache = MemoryAnswerCache()
        release = asyncio.Event()

        async def compute() -> CachedAnswer:
            nonlocal calls
            calls += 1
            await release.wait()
            return CachedAnswer("x", "m", "v1")

        tasks = [asyncio.create_task(cache.get_or_compute("k", compute)) for _ in range(100)]
        await asyncio.sleep(0)
        release.set()
        await asyncio.gather(*tasks)
        return cache.stats.coalesced

    coalesced = percentiles(benchmark, lambda: loop.run_until_complete(burst()), rounds=200)
    assert coalesced == 99
    benchmark.extra_info["upstream_calls_per_burst"] = calls / (200 + 100)
