from __future__ import annotations

import asyncio
import random

import pytest

from mangaassist.llm.cache import CachedAnswer, MemoryAnswerCache, cache_key, is_cacheable

pytestmark = pytest.mark.asyncio


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def answer(text: str = "Returns are free within 30 days.") -> CachedAnswer:
    return CachedAnswer(text=text, model="m", prompt_version="v1")


def key(text: str, **kw: str) -> str:
    args = {"intent": "faq", "tier": "guest", "language": "en", "prompt_version": "v1"} | kw
    return cache_key(text, **args)


async def test_key_ignores_case_width_punctuation_and_kana_but_not_context() -> None:
    base = key("What's your return policy?")
    assert key("whats your RETURN policy") == base
    assert key("ｗｈａｔ’ｓ　your return policy？") == base
    assert key("返品ポリシーは？", language="ja") == key("返品ぽりしーは", language="ja")
    assert key("What's your return policy?", prompt_version="v2") != base
    assert key("What's your return policy?", tier="prime") != base
    assert key("What's your return policy?", language="ja") != base
    assert key("What's your return policy?", intent="shipping") != base
    assert len(base) == 64


async def test_only_user_independent_answers_are_cacheable() -> None:
    assert is_cacheable("faq", signed_in=True, has_history=True)
    assert is_cacheable("recommendation", signed_in=False, has_history=False)
    assert not is_cacheable("recommendation", signed_in=True, has_history=False)
    assert not is_cacheable("recommendation", signed_in=False, has_history=True)
    assert not is_cacheable("order_tracking", signed_in=False, has_history=False)


async def test_hit_after_miss_and_expiry_after_ttl() -> None:
    clock = Clock()
    cache = MemoryAnswerCache(ttl_s=60, clock=clock, rng=random.Random(1))
    calls = 0

    async def compute() -> CachedAnswer:
        nonlocal calls
        calls += 1
        return answer(f"v{calls}")

    first, hit = await cache.get_or_compute("k", compute)
    assert (first.text, hit) == ("v1", False)
    again, hit = await cache.get_or_compute("k", compute)
    assert (again.text, hit) == ("v1", True)
    clock.now += 61
    later, hit = await cache.get_or_compute("k", compute)
    assert (later.text, hit) == ("v2", False)
    assert cache.stats.as_dict() | {"size": 0} == {
        "hits": 1,
        "misses": 2,
        "early_refreshes": 0,
        "coalesced": 0,
        "evictions": 0,
        "errors": 0,
        "size": 0,
    }


async def test_concurrent_misses_share_one_computation() -> None:
    cache = MemoryAnswerCache()
    release = asyncio.Event()
    calls = 0

    async def compute() -> CachedAnswer:
        nonlocal calls
        calls += 1
        await release.wait()
        return answer()

    tasks = [asyncio.create_task(cache.get_or_compute("k", compute)) for _ in range(100)]
    await asyncio.sleep(0)  # let every task reach the cache before the computation ends
    release.set()
    results = await asyncio.gather(*tasks)
    assert calls == 1
    assert {r[0].text for r in results} == {answer().text}
    assert cache.stats.coalesced == 99
    assert cache.stats.misses == 1


async def test_a_failed_computation_reaches_every_waiter_and_is_not_cached() -> None:
    cache = MemoryAnswerCache()
    release = asyncio.Event()

    async def broken() -> CachedAnswer:
        await release.wait()
        raise TimeoutError("model timed out")

    tasks = [asyncio.create_task(cache.get_or_compute("k", broken)) for _ in range(3)]
    await asyncio.sleep(0)
    release.set()
    outcomes = await asyncio.gather(*tasks, return_exceptions=True)
    assert all(isinstance(o, TimeoutError) for o in outcomes)

    async def works() -> CachedAnswer:
        return answer("ok")

    assert (await cache.get_or_compute("k", works))[0].text == "ok"
    assert cache.stats.errors == 1


async def test_xfetch_refreshes_before_expiry_more_often_as_expiry_nears() -> None:
    clock = Clock()

    async def slow() -> CachedAnswer:
        clock.now += 2.0  # the answer took 2 s to compute
        return answer()

    cache = MemoryAnswerCache(ttl_s=100, clock=clock, rng=random.Random(7))
    await cache.get_or_compute("k", slow)
    stored_at = clock.now
    rates = []
    for before in (60.0, 6.0, 0.5):
        clock.now = stored_at + 100 - before
        fresh = sum(cache._fresh(cache._entries["k"]) for _ in range(2000))
        rates.append(1 - fresh / 2000)
    # Far from expiry almost never; close to it more and more often (exp(-before/delta)).
    assert rates[0] < 0.001
    assert 0.01 < rates[1] < 0.1
    assert rates[2] > 0.7


async def test_early_refresh_serves_others_the_current_answer_meanwhile() -> None:
    clock = Clock()
    rng = random.Random(3)
    cache = MemoryAnswerCache(ttl_s=10, clock=clock, rng=rng, beta=1000.0)
    release = asyncio.Event()
    versions = iter(["old", "new"])

    async def compute() -> CachedAnswer:
        text = next(versions)
        if text == "new":
            await release.wait()
        else:
            clock.now += 1.0  # the first answer took 1 s
        return answer(text)

    await cache.get_or_compute("k", compute)
    clock.now += 5  # half the TTL left; a large beta makes an early refresh near certain
    refresher = asyncio.create_task(cache.get_or_compute("k", compute))
    await asyncio.sleep(0)
    served, hit = await cache.get_or_compute("k", compute)
    assert (served.text, hit) == ("old", True)
    release.set()
    refreshed, hit = await refresher
    assert (refreshed.text, hit) == ("new", False)
    assert cache.stats.early_refreshes == 2


async def test_size_is_bounded_least_recently_used_first() -> None:
    cache = MemoryAnswerCache(max_entries=2)

    def make(text: str):  # type: ignore[no-untyped-def]
        async def compute() -> CachedAnswer:
            return answer(text)

        return compute

    await cache.get_or_compute("a", make("a"))
    await cache.get_or_compute("b", make("b"))
    await cache.get_or_compute("a", make("a2"))  # touch a
    await cache.get_or_compute("c", make("c"))  # evicts b
    assert (await cache.get_or_compute("a", make("x")))[1] is True
    assert (await cache.get_or_compute("b", make("b2")))[0].text == "b2"
    assert cache.stats.evictions == 2
    assert cache.stats.size == 2


async def test_bad_settings_are_rejected() -> None:
    with pytest.raises(ValueError, match="max_entries"):
        MemoryAnswerCache(max_entries=0)
    with pytest.raises(ValueError, match="ttl_s"):
        MemoryAnswerCache(ttl_s=0)
