"""Rerankers: a fast feature-based default, and a deadline guard that falls back silently.

The default scores each candidate from lexical overlap with the query, matches in the
title/heading/keywords, popularity, language match and its first-stage rank. A
reranker that fails or misses its deadline leaves first-stage order (counted).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

from mangaassist.retrieval.chunks import Chunk
from mangaassist.retrieval.tokenize import tokens


@dataclass(frozen=True, slots=True)
class Candidate:
    chunk: Chunk
    first_stage: float  # fused score, higher is better


class Reranker(Protocol):
    async def rerank(
        self, query: str, language: str, candidates: Sequence[Candidate], k: int
    ) -> list[Candidate]: ...


@dataclass(frozen=True, slots=True)
class FeatureWeights:
    overlap: float = 1.0
    field: float = 0.8
    popularity: float = 0.2
    language: float = 0.5
    first_stage: float = 1.5


@lru_cache(maxsize=65536)
def _chunk_tokens(chunk: Chunk) -> tuple[frozenset[str], frozenset[str]]:
    """A chunk's body and field tokens, computed once: chunks never change after ingest."""
    fields = " ".join([chunk.title, chunk.heading, " ".join(chunk.keywords)])
    return frozenset(tokens(chunk.text)), frozenset(tokens(fields))


class FeatureReranker:
    def __init__(self, weights: FeatureWeights | None = None) -> None:
        self.weights = weights or FeatureWeights()

    def score(
        self, query_tokens: set[str], language: str, candidate: Candidate, top: float
    ) -> float:
        chunk, w = candidate.chunk, self.weights
        body = set(tokens(chunk.text))
        fields = set(tokens(" ".join([chunk.title, chunk.heading, " ".join(chunk.keywords)])))
        size = max(1, len(query_tokens))
        overlap = len(query_tokens & body) / size
        field = len(query_tokens & fields) / size
        same_language = 1.0 if chunk.language == language else 0.0
        prior = candidate.first_stage / top if top > 0 else 0.0
        return (
            w.overlap * overlap
            + w.field * field
            + w.popularity * chunk.popularity
            + w.language * same_language
            + w.first_stage * prior
        )

    async def rerank(
        self, query: str, language: str, candidates: Sequence[Candidate], k: int
    ) -> list[Candidate]:
        query_tokens = set(tokens(query))
        top = max((c.first_stage for c in candidates), default=0.0)
        scored = [
            (self.score(query_tokens, language, c, top), i, c) for i, c in enumerate(candidates)
        ]
        scored.sort(key=lambda item: (-item[0], item[1]))
        return [c for _, _, c in scored[:k]]


class DeadlineReranker:
    """Wraps a reranker: on error or past `deadline_s`, first-stage order (and a count)."""

    def __init__(self, inner: Reranker, deadline_s: float) -> None:
        self.inner = inner
        self.deadline_s = deadline_s
        self.fallbacks = 0

    async def rerank(
        self, query: str, language: str, candidates: Sequence[Candidate], k: int
    ) -> list[Candidate]:
        try:
            return await asyncio.wait_for(
                self.inner.rerank(query, language, candidates, k), self.deadline_s
            )
        except Exception:
            self.fallbacks += 1
            return list(candidates[:k])
