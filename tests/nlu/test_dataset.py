from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from mangaassist.domain.intent import Intent
from mangaassist.nlu.dataset import (
    IntentDataError,
    Utterance,
    data_hash,
    load_utterances,
    select,
    split_of,
)


def test_every_intent_has_at_least_150_utterances(utterances: list[Utterance]) -> None:
    counts = Counter(u.intent for u in utterances)
    assert set(counts) == set(Intent)
    assert min(counts.values()) >= 150


def test_at_least_40_percent_japanese(utterances: list[Utterance]) -> None:
    assert sum(u.lang == "ja" for u in utterances) / len(utterances) >= 0.4


def test_split_is_deterministic_and_depends_on_seed(utterances: list[Utterance]) -> None:
    first = [split_of(u.text) for u in utterances]
    assert first == [split_of(u.text) for u in utterances]
    assert first != [split_of(u.text, seed=1) for u in utterances]
    share = Counter(first)
    assert 0.6 < share["train"] / len(first) < 0.8


def test_split_of_ignores_case_and_width() -> None:
    assert split_of("Where is my ORDER") == split_of("ｗｈｅｒｅ is my order")


def test_splits_do_not_overlap(utterances: list[Utterance]) -> None:
    train = {u.text for u in select(utterances, ("train",))}
    test = {u.text for u in select(utterances, ("test",))}
    assert train
    assert test
    assert not train & test


def _write(folder: Path, name: str, body: str) -> None:
    (folder / name).write_text(body, encoding="utf-8")


def test_split_is_stable_when_files_grow(tmp_path: Path) -> None:
    _write(tmp_path, "a.yaml", "intent: faq\nen: |\n  one\n  two\n")
    before = {u.text: split_of(u.text) for u in load_utterances(tmp_path)}
    _write(tmp_path, "a.yaml", "intent: faq\nen: |\n  zero\n  one\n  two\n  three\n")
    after = {u.text: split_of(u.text) for u in load_utterances(tmp_path)}
    assert all(after[text] == split for text, split in before.items())


def test_conflicting_labels_are_an_error(tmp_path: Path) -> None:
    _write(tmp_path, "a.yaml", "intent: faq\nen: |\n  Same text\n")
    _write(tmp_path, "b.yaml", "intent: shipping\nja: |\n  same  TEXT\n")
    with pytest.raises(IntentDataError, match="labelled faq"):
        load_utterances(tmp_path)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("intent: nonsense\nen: |\n  hi\n", "unknown intent"),
        ("- just a list\n", "expected a mapping"),
        ("intent: faq\nen: [a, b]\n", "block of lines"),
        ("intent: faq\nen: |\n  ok\n bad: [\n", "not valid YAML"),
    ],
)
def test_bad_files_get_clear_errors(tmp_path: Path, body: str, message: str) -> None:
    _write(tmp_path, "x.yaml", body)
    with pytest.raises(IntentDataError, match=message):
        load_utterances(tmp_path)


def test_empty_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(IntentDataError, match="no intent files"):
        load_utterances(tmp_path)


def test_data_hash_ignores_order(utterances: list[Utterance]) -> None:
    assert data_hash(utterances) == data_hash(list(reversed(utterances)))
    assert data_hash(utterances) != data_hash(utterances[1:])
