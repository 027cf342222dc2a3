"""The seams of the orchestrator: each is swapped by its own issue without touching it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import Protocol

from mangaassist.chat.events import ResponderEvent
from mangaassist.chat.facts import Facts
from mangaassist.domain.intent import Entity, IntentResult
from mangaassist.retrieval.chunks import Chunk
from mangaassist.retrieval.lexical import Filters
from mangaassist.retrieval.retriever import Retrieved


class IntentClassifier(Protocol):
    def classify(self, text: str) -> IntentResult: ...

    def entities(self, text: str) -> tuple[Entity, ...]: ...


class KnowledgeRetriever(Protocol):
    def chunk(self, chunk_id: str) -> Chunk | None: ...

    async def search(
        self, query: str, language: str, filters: Filters | None = None, k: int = 3
    ) -> list[Retrieved]: ...


class Responder(Protocol):
    """Turns facts into answer text, streamed as deltas (the built-in responder or a model).

    Besides text it may yield `Restart` (void what was streamed) and, last, `AnswerInfo`."""

    name: str

    def stream(self, facts: Facts) -> AsyncIterator[ResponderEvent]: ...


class AuditSink(Protocol):
    async def record(self, entry: dict[str, object]) -> None: ...


class Clock(Protocol):
    def __call__(self) -> float: ...


Strings = Sequence[str]
