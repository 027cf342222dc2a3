"""Optional dense index: cosine similarity over embeddings from a local model.

The `embeddings` extra installs sentence-transformers; the model is read from a local
path only (nothing is downloaded at run time). Without it, retrieval is lexical.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

from mangaassist.retrieval.chunks import Chunk
from mangaassist.retrieval.lexical import Filters, filter_mask


class Embedder(Protocol):
    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


class SentenceTransformerEmbedder:
    def __init__(self, model_path: Path) -> None:
        if not model_path.is_dir():
            raise FileNotFoundError(f"embedding model folder not found: {model_path}")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:  # pragma: no cover - depends on the optional extra
            raise RuntimeError(
                "dense retrieval needs the 'embeddings' extra: "
                "pip install 'mangaassist[embeddings]'"
            ) from exc
        self._model = SentenceTransformer(str(model_path), local_files_only=True)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        vectors = self._model.encode(list(texts), normalize_embeddings=True)
        return np.asarray(vectors, dtype=np.float32)


class DenseIndex:
    def __init__(self, chunks: Sequence[Chunk], embedder: Embedder) -> None:
        self.chunks = list(chunks)
        self._embedder = embedder
        matrix = embedder.encode([c.searchable for c in self.chunks])
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        self._matrix = matrix / np.where(norms == 0, 1, norms)
        self._language = np.array([c.language for c in self.chunks])
        self._doc_type = np.array([c.doc_type for c in self.chunks])
        self._flagged = np.array([c.flagged for c in self.chunks], dtype=bool)
        self._genres = [frozenset(c.genres) for c in self.chunks]

    def search(self, query: str, filters: Filters, k: int = 10) -> list[tuple[Chunk, float]]:
        vector = self._embedder.encode([query])[0]
        norm = np.linalg.norm(vector)
        if norm == 0 or not self.chunks:
            return []
        scores = self._matrix @ (vector / norm)
        mask = filter_mask(filters, self._language, self._doc_type, self._flagged, self._genres)
        scores = np.where(mask, scores, -np.inf)
        top = np.argsort(-scores)[:k]
        return [(self.chunks[i], float(scores[i])) for i in top if np.isfinite(scores[i])]
