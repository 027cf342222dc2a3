"""BM25 over chunks (bm25s: scipy-sparse, eager scoring) with metadata filters as masks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import bm25s
import numpy as np

from mangaassist.retrieval.chunks import Chunk
from mangaassist.retrieval.tokenize import tokens


@dataclass(frozen=True, slots=True)
class Filters:
    language: str | None = None
    doc_types: frozenset[str] | None = None
    genre: str | None = None
    include_flagged: bool = False


def filter_mask(
    filters: Filters,
    language: np.ndarray,
    doc_type: np.ndarray,
    flagged: np.ndarray,
    genres: Sequence[frozenset[str]],
) -> np.ndarray:
    """Which chunks pass the filters (flagged chunks only when asked for), as a bool array."""
    mask = np.ones(len(language), dtype=bool)
    if filters.language is not None:
        mask &= language == filters.language
    if filters.doc_types is not None:
        mask &= np.isin(doc_type, list(filters.doc_types))
    if not filters.include_flagged:
        mask &= ~flagged
    if filters.genre is not None:
        mask &= np.fromiter((filters.genre in g for g in genres), bool, len(language))
    return mask


class LexicalIndex:
    def __init__(self, chunks: Sequence[Chunk]) -> None:
        self.chunks = list(chunks)
        self._bm25 = bm25s.BM25()
        corpus = [tokens(c.searchable) or ["\x00"] for c in self.chunks]
        self._bm25.index(corpus, show_progress=False)
        self._language = np.array([c.language for c in self.chunks])
        self._doc_type = np.array([c.doc_type for c in self.chunks])
        self._flagged = np.array([c.flagged for c in self.chunks], dtype=bool)
        self._genres = [frozenset(c.genres) for c in self.chunks]

    def _mask(self, filters: Filters) -> np.ndarray:
        return filter_mask(filters, self._language, self._doc_type, self._flagged, self._genres)

    def search(self, query: str, filters: Filters, k: int = 10) -> list[tuple[Chunk, float]]:
        query_tokens = [t for t in tokens(query) if t in self._bm25.vocab_dict]
        if not query_tokens or not self.chunks:
            return []
        scores = self._bm25.get_scores(query_tokens)
        scores = np.where(self._mask(filters), scores, 0.0)
        top = np.argpartition(-scores, min(k, len(scores) - 1))[:k]
        ranked = sorted(top, key=lambda i: -scores[i])
        return [(self.chunks[i], float(scores[i])) for i in ranked if scores[i] > 0]
