"""Retrieval and recommendation metrics (recall@k, MRR, acceptable-answer rate) and the
labelled data sets they run on, parsed from plain mappings; no I/O here."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

Split = Literal["dev", "test", "all"]
SPLITS: tuple[Split, ...] = ("dev", "test", "all")


class DataSetError(ValueError):
    """A labelled data set is malformed; the message names the entry."""


def split_of(item_id: str, dev_share: float = 0.4) -> Literal["dev", "test"]:
    """A stable split from a hash of the id, so adding items never moves old ones."""
    bucket = int(hashlib.sha256(item_id.encode("utf-8")).hexdigest()[:8], 16) / 0xFFFFFFFF
    return "dev" if bucket < dev_share else "test"


def in_split(item_id: str, split: Split) -> bool:
    return split == "all" or split_of(item_id) == split


@dataclass(frozen=True, slots=True)
class Question:
    qid: str
    text: str
    language: str
    expected: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class LikeRequest:
    rid: str
    text: str
    language: str
    acceptable: tuple[str, ...]
    forbidden: tuple[str, ...] = ()


def _strings(entry: Mapping[str, Any], key: str, where: str, required: bool) -> tuple[str, ...]:
    value = entry.get(key)
    if value is None and not required:
        return ()
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise DataSetError(f"{where}: '{key}' must be a non-empty list of strings")
    return tuple(value)


def _common(entry: Any, index: int, id_key: str) -> tuple[str, str, str]:
    if not isinstance(entry, Mapping):
        raise DataSetError(f"entry {index}: expected a mapping")
    for key in (id_key, "text", "language"):
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            raise DataSetError(f"entry {index}: '{key}' must be a non-empty string")
    if entry["language"] not in ("en", "ja"):
        raise DataSetError(f"{entry[id_key]}: language must be en or ja")
    return str(entry[id_key]), str(entry["text"]), str(entry["language"])


def parse_questions(raw: Any) -> list[Question]:
    if not isinstance(raw, list):
        raise DataSetError("questions: expected a list")
    out: list[Question] = []
    for index, entry in enumerate(raw):
        qid, text, language = _common(entry, index, "id")
        out.append(Question(qid, text, language, _strings(entry, "expected", qid, True)))
    _unique([q.qid for q in out])
    return out


def parse_like_requests(raw: Any) -> list[LikeRequest]:
    if not isinstance(raw, list):
        raise DataSetError("like requests: expected a list")
    out: list[LikeRequest] = []
    for index, entry in enumerate(raw):
        rid, text, language = _common(entry, index, "id")
        acceptable = _strings(entry, "acceptable", rid, True)
        forbidden = _strings(entry, "forbidden", rid, False)
        if set(acceptable) & set(forbidden):
            raise DataSetError(f"{rid}: a series is both acceptable and forbidden")
        out.append(LikeRequest(rid, text, language, acceptable, forbidden))
    _unique([r.rid for r in out])
    return out


def _unique(ids: Sequence[str]) -> None:
    seen: set[str] = set()
    for item in ids:
        if item in seen:
            raise DataSetError(f"duplicate id {item!r}")
        seen.add(item)


def recall_at_k(ranked: Sequence[str], expected: Iterable[str], k: int) -> float:
    """1.0 when any expected id is among the first k, else 0.0."""
    wanted = set(expected)
    return 1.0 if any(item in wanted for item in ranked[:k]) else 0.0


def reciprocal_rank(ranked: Sequence[str], expected: Iterable[str]) -> float:
    wanted = set(expected)
    for rank, item in enumerate(ranked, start=1):
        if item in wanted:
            return 1.0 / rank
    return 0.0


@dataclass(frozen=True, slots=True)
class RetrievalScore:
    count: int
    recall_at_1: float
    recall_at_3: float
    mrr: float


def score_rankings(runs: Sequence[tuple[Sequence[str], Sequence[str]]]) -> RetrievalScore:
    """Mean recall@1, recall@3 and MRR over (ranked ids, expected ids) pairs."""
    if not runs:
        return RetrievalScore(0, 0.0, 0.0, 0.0)
    n = len(runs)
    return RetrievalScore(
        n,
        sum(recall_at_k(r, e, 1) for r, e in runs) / n,
        sum(recall_at_k(r, e, 3) for r, e in runs) / n,
        sum(reciprocal_rank(r, e) for r, e in runs) / n,
    )


def request_passes(
    picks: Sequence[str],
    acceptable: Iterable[str],
    forbidden: Iterable[str] = (),
    *,
    accept_k: int = 5,
    forbid_k: int = 10,
) -> bool:
    """At least one acceptable series in the first `accept_k`, none forbidden in `forbid_k`."""
    good = set(acceptable)
    bad = set(forbidden)
    return any(p in good for p in picks[:accept_k]) and not any(p in bad for p in picks[:forbid_k])


def rate(outcomes: Sequence[bool]) -> float:
    return sum(outcomes) / len(outcomes) if outcomes else 0.0
