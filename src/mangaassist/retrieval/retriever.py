"""Hybrid retrieval: lexical (+ dense) candidates fused by RRF, reranked, top-k."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from mangaassist.retrieval.chunks import Chunk
from mangaassist.retrieval.fusion import reciprocal_rank_fusion
from mangaassist.retrieval.lexical import Filters
from mangaassist.retrieval.rerank import Candidate, Reranker


class Index(Protocol):
    def search(self, query: str, filters: Filters, k: int = 10) -> list[tuple[Chunk, float]]: ...


@dataclass(frozen=True, slots=True)
class Retrieved:
    chunk: Chunk
    score: float


class HybridRetriever:
    def __init__(
        self, indexes: Sequence[Index], reranker: Reranker, *, candidates: int = 10
    ) -> None:
        self.indexes = list(indexes)
        self.reranker = reranker
        self.candidates = candidates
        self._by_id = {c.chunk_id: c for index in self.indexes for c in _chunks_of(index)}

    def chunk(self, chunk_id: str) -> Chunk | None:
        return self._by_id.get(chunk_id)

    async def search(
        self, query: str, language: str, filters: Filters | None = None, k: int = 3
    ) -> list[Retrieved]:
        filters = filters or Filters()
        rankings = [
            [chunk.chunk_id for chunk, _ in index.search(query, filters, self.candidates)]
            for index in self.indexes
        ]
        fused = reciprocal_rank_fusion(rankings)[: self.candidates]
        candidates = [Candidate(self._by_id[chunk_id], score) for chunk_id, score in fused]
        reranked = await self.reranker.rerank(query, language, candidates, k)
        return [Retrieved(c.chunk, c.first_stage) for c in reranked]


def _chunks_of(index: Index) -> list[Chunk]:
    chunks: list[Chunk] = getattr(index, "chunks", [])
    return chunks
