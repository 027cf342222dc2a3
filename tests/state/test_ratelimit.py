from __future__ import annotations

from mangaassist.state.ratelimit import Limit, MemoryRateLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


PER_MINUTE_30 = Limit(30, 60.0)


async def test_31st_message_in_a_minute_is_blocked_then_refills() -> None:
    clock = Clock()
    limiter = MemoryRateLimiter(clock)
    decisions = [await limiter.hit("c1", PER_MINUTE_30) for _ in range(31)]
    assert all(d.allowed for d in decisions[:30])
    assert not decisions[30].allowed
    assert 1.9 < decisions[30].retry_after <= 2.0
    clock.now += 2.0
    assert (await limiter.hit("c1", PER_MINUTE_30)).allowed
    assert not (await limiter.hit("c1", PER_MINUTE_30)).allowed
    clock.now += 60
    assert [(await limiter.hit("c1", PER_MINUTE_30)).allowed for _ in range(30)] == [True] * 30


async def test_keys_are_independent() -> None:
    limiter = MemoryRateLimiter(Clock())
    limit = Limit(1, 60.0)
    assert (await limiter.hit("a", limit)).allowed
    assert not (await limiter.hit("a", limit)).allowed
    assert (await limiter.hit("b", limit)).allowed


async def test_bucket_never_exceeds_capacity() -> None:
    clock = Clock()
    limiter = MemoryRateLimiter(clock)
    limit = Limit(3, 60.0)
    await limiter.hit("k", limit)
    clock.now += 10_000
    allowed = [(await limiter.hit("k", limit)).allowed for _ in range(4)]
    assert allowed == [True, True, True, False]


async def test_key_table_is_bounded() -> None:
    limiter = MemoryRateLimiter(Clock(), max_keys=10)
    for i in range(50):
        await limiter.hit(f"k{i}", Limit(1, 60.0))
    assert len(limiter._buckets) == 10
