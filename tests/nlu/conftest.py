"""Shared fixtures for nlu tests: the real intent data and one model fitted on its train split."""

from __future__ import annotations

from pathlib import Path

import pytest

from mangaassist.domain.store import Series
from mangaassist.nlu.artifact import IntentArtifact, train_artifact
from mangaassist.nlu.dataset import Utterance, load_utterances

INTENTS_DIR = Path(__file__).parents[2] / "data" / "intents"


@pytest.fixture(scope="session")
def utterances() -> list[Utterance]:
    return load_utterances(INTENTS_DIR)


@pytest.fixture(scope="session")
def train_artifact_fixture(utterances: list[Utterance]) -> IntentArtifact:
    return train_artifact(utterances, splits=("train",))


def make_series(series_id: str, en: str, ja: str, romaji: str, *aliases: str) -> Series:
    return Series(
        series_id=series_id,
        title_en=en,
        title_ja=ja,
        title_romaji=romaji,
        aliases=aliases,
        authors=("Someone",),
        demographic="shounen",
        genres=("action",),
        publisher="Publisher",
        magazine="Magazine",
        first_year=2000,
        status="ongoing",
        volumes=10,
        age_rating="teen",
        synopsis="A story.",
        synopsis_ja="物語。",
    )
