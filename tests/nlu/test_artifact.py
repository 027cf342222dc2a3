from __future__ import annotations

import json
from pathlib import Path

import pytest

from mangaassist.nlu.artifact import (
    ArtifactError,
    IntentArtifact,
    load_artifact,
    load_or_train,
    save_artifact,
    train_artifact,
)
from mangaassist.nlu.dataset import Utterance, select

INTENTS_DIR = Path(__file__).parents[2] / "data" / "intents"


def test_fast_scorer_matches_sklearn(
    train_artifact_fixture: IntentArtifact, utterances: list[Utterance]
) -> None:
    dev = [*[u.text for u in select(utterances, ("dev",))][:60], "", "zzz qqq"]
    probabilities = train_artifact_fixture.pipeline.predict_proba(dev)
    classes = list(train_artifact_fixture.pipeline.classes_)
    for text, row in zip(dev, probabilities, strict=True):
        ranked = dict(train_artifact_fixture.scorer.score(text).ranked)
        for name, value in zip(classes, row, strict=True):
            assert ranked[name] == pytest.approx(value, abs=1e-9)


def test_same_data_gives_same_version(utterances: list[Utterance]) -> None:
    subset = utterances[::6]
    first = train_artifact(subset, splits=("train",))
    second = train_artifact(list(reversed(subset)), splits=("train",))
    assert first.version == second.version
    assert first.metadata["data_hash"] == second.metadata["data_hash"]
    other = train_artifact(subset[1:], splits=("train",))
    assert other.version != first.version


def test_save_and_load_round_trip(train_artifact_fixture: IntentArtifact, tmp_path: Path) -> None:
    target = save_artifact(train_artifact_fixture, tmp_path)
    metadata = json.loads((target / "metadata.json").read_text(encoding="utf-8"))
    assert metadata["version"] == train_artifact_fixture.version
    assert {"data_hash", "params", "versions", "weights_hash"} <= set(metadata)
    loaded = load_artifact(tmp_path)
    text = "where is my order"
    assert loaded.scorer.score(text) == train_artifact_fixture.scorer.score(text)


def test_missing_artifact_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ArtifactError, match="nlu train"):
        load_artifact(tmp_path)


def test_corrupt_artifact_is_a_clear_error(
    train_artifact_fixture: IntentArtifact, tmp_path: Path
) -> None:
    target = save_artifact(train_artifact_fixture, tmp_path)
    (target / "metadata.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ArtifactError, match="unreadable"):
        load_artifact(tmp_path)


def test_load_or_train_trains_when_missing_then_reuses(tmp_path: Path) -> None:
    first = load_or_train(tmp_path, INTENTS_DIR)
    assert (tmp_path / "LATEST").read_text(encoding="utf-8").strip() == first.version
    second = load_or_train(tmp_path, INTENTS_DIR)
    assert second.version == first.version
