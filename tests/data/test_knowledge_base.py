"""The knowledge base agrees with itself and with the store's canonical facts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from mangaassist.config import REPO_ROOT
from mangaassist.retrieval.ingest import knowledge_base_chunks, parse_document

KB = REPO_ROOT / "data" / "kb"
DOCS = sorted(KB.glob("*/*.md"))
FRONT = re.compile(r"^---\n(.*?)\n---\n", re.DOTALL)
COMPETITORS = re.compile(
    r"amazon|rakuten|楽天|bookwalker|barnes|kinokuniya|紀伊國屋|right stuf|crunchyroll|"
    r"mercari|メルカリ",
    re.IGNORECASE,
)


def meta(path: Path) -> dict[str, object]:
    match = FRONT.match(path.read_text(encoding="utf-8"))
    assert match, path
    data: dict[str, object] = yaml.safe_load(match.group(1))
    return data


def test_there_is_a_knowledge_base() -> None:
    assert len(list((KB / "en").glob("*.md"))) >= 15


@pytest.mark.parametrize("path", DOCS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_front_matter_and_shape(path: Path) -> None:
    data = meta(path)
    assert {"doc_id", "title", "language", "topic", "keywords", "updated"} <= data.keys()
    assert data["doc_id"] == path.stem
    assert data["language"] == path.parent.name
    chunks = parse_document(path)
    assert len(chunks) >= 3, "a summary paragraph and at least two sections"
    text = path.read_text(encoding="utf-8")
    assert not COMPETITORS.search(text)
    if data["language"] == "ja":
        japanese = sum(1 for ch in text if "\u3040" <= ch <= "\u9fff")
        assert japanese > 100


def test_every_document_exists_in_both_languages() -> None:
    en = {p.stem for p in (KB / "en").glob("*.md")}
    ja = {p.stem for p in (KB / "ja").glob("*.md")}
    assert en == ja


@pytest.mark.parametrize(
    ("doc_id", "facts"),
    [
        ("returns", {"en": ["15 days", "30 days"], "ja": ["15日", "30日"]}),
        ("refunds", {"en": ["5-7 business days"], "ja": ["5〜7営業日"]}),
        ("shipping", {"en": ["$4.99", "$35"], "ja": ["$4.99", "$35"]}),
        (
            "international-shipping-and-customs",
            {"en": ["¥1,200", "¥600"], "ja": ["¥1,200", "¥600"]},
        ),
        ("gift-wrap", {"en": ["$3.99", "200 characters"], "ja": ["$3.99", "200文字"]}),
        ("membership", {"en": ["$59", "$6.99"], "ja": ["$59", "$6.99"]}),
        ("privacy", {"en": ["24 hours"], "ja": ["24時間"]}),
    ],
)
def test_canonical_facts_in_both_languages(doc_id: str, facts: dict[str, list[str]]) -> None:
    for language, needles in facts.items():
        text = (KB / language / f"{doc_id}.md").read_text(encoding="utf-8")
        for needle in needles:
            assert needle in text, (language, doc_id, needle)


def test_no_document_is_flagged_as_injected() -> None:
    assert [c.chunk_id for c in knowledge_base_chunks(KB) if c.flagged] == []
