"""The labelled retrieval and recommendation sets: sizes, language share, ids that exist."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from mangaassist.config import REPO_ROOT
from mangaassist.nlu.entities import load_series_dir
from mangaassist.retrieval.evaluate import (
    LikeRequest,
    Question,
    parse_like_requests,
    parse_questions,
    split_of,
)

DATA = REPO_ROOT / "data"


def _yaml(path: Path) -> object:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def series_ids() -> set[str]:
    return {s.series_id for s in load_series_dir(DATA / "catalog" / "series")}


@pytest.fixture(scope="module")
def questions() -> list[Question]:
    return parse_questions(_yaml(DATA / "retrieval" / "questions.yaml"))


@pytest.fixture(scope="module")
def requests() -> list[LikeRequest]:
    return parse_like_requests(_yaml(DATA / "recommendations" / "like_requests.yaml"))


def test_questions_are_many_and_bilingual(questions: list[Question]) -> None:
    assert len(questions) >= 220
    japanese = sum(q.language == "ja" for q in questions) / len(questions)
    assert japanese >= 0.4
    assert len({q.text for q in questions}) == len(questions)


def test_question_targets_exist(questions: list[Question], series_ids: set[str]) -> None:
    kb = {lang: {p.stem for p in (DATA / "kb" / lang).glob("*.md")} for lang in ("en", "ja")}
    missing = [
        (q.qid, doc)
        for q in questions
        for doc in q.expected
        if not (
            doc.removeprefix("series:") in series_ids
            if doc.startswith("series:")
            else doc in kb[q.language]
        )
    ]
    assert missing == []


def test_every_kb_document_is_asked_about(questions: list[Question]) -> None:
    for lang in ("en", "ja"):
        asked = {d for q in questions if q.language == lang for d in q.expected}
        docs = {p.stem for p in (DATA / "kb" / lang).glob("*.md")}
        assert docs <= asked


def test_both_splits_hold_both_languages(questions: list[Question]) -> None:
    pairs = {(split_of(q.qid), q.language) for q in questions}
    assert pairs == {("dev", "en"), ("dev", "ja"), ("test", "en"), ("test", "ja")}


def test_like_requests_are_many_and_their_series_exist(
    requests: list[LikeRequest], series_ids: set[str]
) -> None:
    assert len(requests) >= 60
    assert sum(r.language == "ja" for r in requests) >= 20
    unknown = [
        (r.rid, s) for r in requests for s in (*r.acceptable, *r.forbidden) if s not in series_ids
    ]
    assert unknown == []
