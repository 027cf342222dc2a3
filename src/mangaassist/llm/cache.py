"""Answer cache for user-independent questions, with early recomputation and coalescing.

Only answers that do not depend on who asks are cached: `faq`, and generic
recommendations for guests without history (`is_cacheable`). The key is the question
normalised for matching (NFKC, case, width, kana folding, punctuation and spacing removed)
plus intent, customer tier, language and prompt version, so "What's your RETURN policy?"
and "whats your return policy" share an entry while a new prompt version starts afresh.

What is cached is the model's raw text. Every serve still runs the output guard (prices
are checked against live pricing) and product cards are built fresh, so a cached answer
never carries a stale price or stock level.

Stampedes: probabilistic early recomputation (XFetch: Vattani, Chierichetti and Lowenstein,
"Optimal Probabilistic Cache Stampede Prevention", VLDB 2015) lets one caller refresh an
entry shortly before it expires while others keep being served, and concurrent misses for
one key share a single computation (request coalescing). Written here because the
libraries at hand (cachetools, aiocache) offer neither on asyncio.
"""

from __future__ import annotations

import asyncio
import hashlib
import math
import random
import re
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Protocol

from mangaassist.nlu.normalize import match_key

CACHEABLE_INTENTS = frozenset({"faq", "recommendation"})
_APOSTROPHES = re.compile(r"['’‘`]")
_PUNCTUATION = re.compile(r"[^\w\s]+")
_SPACES = re.compile(r"\s+")


def is_cacheable(intent: str, *, signed_in: bool, has_history: bool) -> bool:
    """FAQ answers always; recommendations only when nothing personal shapes them."""
    if intent == "faq":
        return True
    return intent == "recommendation" and not signed_in and not has_history


def cache_key(text: str, *, intent: str, tier: str, language: str, prompt_version: str) -> str:
    """A stable key (SHA-256, never Python's salted `hash()`), equal across processes."""
    folded = _APOSTROPHES.sub("", match_key(text))  # "what's" and "whats" are one question
    question = _SPACES.sub(" ", _PUNCTUATION.sub(" ", folded)).strip()
    material = "\x1f".join((question, intent, tier, language, prompt_version))
    return hashlib.sha256(material.encode()).hexdigest()


class ComputeAbandoned(Exception):
    """The caller computing an entry was cancelled; waiters on it must compute themselves."""


@dataclass(frozen=True, slots=True)
class CachedAnswer:
    text: str
    model: str
    prompt_version: str


@dataclass(slots=True)
class _Entry:
    answer: CachedAnswer
    expires: float
    #: How long computing the answer took: XFetch refreshes earlier for slower answers.
    delta: float


@dataclass
class CacheStats:
    hits: int = 0
    misses: int = 0
    early_refreshes: int = 0
    coalesced: int = 0
    evictions: int = 0
    errors: int = 0
    size: int = 0

    def as_dict(self) -> dict[str, int]:
        return {
            "hits": self.hits,
            "misses": self.misses,
            "early_refreshes": self.early_refreshes,
            "coalesced": self.coalesced,
            "evictions": self.evictions,
            "errors": self.errors,
            "size": self.size,
        }


Compute = Callable[[], Awaitable[CachedAnswer]]


class AnswerCache(Protocol):
    stats: CacheStats

    async def get_or_compute(self, key: str, compute: Compute) -> tuple[CachedAnswer, bool]:
        """The cached answer and True, or a freshly computed (and stored) one and False."""
        ...


@dataclass
class MemoryAnswerCache:
    """Bounded LRU with a TTL per entry, XFetch early refresh and request coalescing.

    `beta` > 1 refreshes earlier, < 1 later (1 is the paper's optimum); `clock` and `rng`
    are injectable so tests decide time and chance.
    """

    max_entries: int = 10_000
    ttl_s: float = 3600.0
    beta: float = 1.0
    clock: Callable[[], float] = time.monotonic
    rng: random.Random = field(default_factory=random.Random)
    stats: CacheStats = field(default_factory=CacheStats)
    _entries: OrderedDict[str, _Entry] = field(default_factory=OrderedDict)
    _inflight: dict[str, asyncio.Future[CachedAnswer]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.max_entries < 1 or self.ttl_s <= 0 or self.beta <= 0:
            raise ValueError("max_entries >= 1, ttl_s > 0 and beta > 0 are required")

    def _fresh(self, entry: _Entry) -> bool:
        """XFetch: recompute when now - delta * beta * ln(u) reaches the expiry (u in (0, 1])."""
        u = 1.0 - self.rng.random()
        return self.clock() - entry.delta * self.beta * math.log(u) < entry.expires

    async def get_or_compute(self, key: str, compute: Compute) -> tuple[CachedAnswer, bool]:
        entry = self._entries.get(key)
        if entry is not None:
            if self._fresh(entry):
                self._entries.move_to_end(key)
                self.stats.hits += 1
                return entry.answer, True
            if self.clock() < entry.expires:
                self.stats.early_refreshes += 1
                if key in self._inflight:  # someone is refreshing: serve the current answer
                    self.stats.hits += 1
                    return entry.answer, True
        pending = self._inflight.get(key)
        if pending is not None:
            self.stats.coalesced += 1
            return await asyncio.shield(pending), False
        self.stats.misses += 1
        return await self._compute(key, compute), False

    async def _compute(self, key: str, compute: Compute) -> CachedAnswer:
        future: asyncio.Future[CachedAnswer] = asyncio.get_running_loop().create_future()
        self._inflight[key] = future
        started = self.clock()
        try:
            answer = await compute()
        except BaseException as exc:
            self.stats.errors += 1
            if not future.done():
                # A cancelled leader (its shopper left) must not look like the waiters'
                # own cancellation: they get ComputeAbandoned and compute for themselves.
                shared = (
                    ComputeAbandoned("the computation was cancelled")
                    if isinstance(exc, asyncio.CancelledError)
                    else exc
                )
                future.set_exception(shared)
                future.exception()  # retrieved here, so a waiterless failure is not logged
            raise
        finally:
            self._inflight.pop(key, None)
        now = self.clock()
        self._entries[key] = _Entry(answer, now + self.ttl_s, max(0.0, now - started))
        self._entries.move_to_end(key)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)
            self.stats.evictions += 1
        self.stats.size = len(self._entries)
        future.set_result(answer)
        return answer

    def clear(self) -> None:
        self._entries.clear()
        self.stats.size = 0
