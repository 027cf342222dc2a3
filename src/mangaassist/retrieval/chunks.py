"""Chunks: the unit of retrieval, with the metadata filters and the reranker use."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

DocType = Literal["faq", "policy", "product", "series"]


@dataclass(frozen=True, slots=True)
class Chunk:
    chunk_id: str
    doc_id: str
    doc_type: DocType
    language: str
    title: str
    heading: str
    text: str
    keywords: tuple[str, ...] = ()
    genres: tuple[str, ...] = ()
    series_id: str | None = None
    asin: str | None = None
    popularity: float = 0.0
    flagged: bool = False  # suspected injected instructions: never shown to the model
    flag_reasons: tuple[str, ...] = field(default=())

    @property
    def searchable(self) -> str:
        """What the lexical index reads: title, heading, keywords and body."""
        return " ".join([self.title, self.heading, " ".join(self.keywords), self.text])
