"""Builds the ready-to-use intent classifier from Settings: artifact (trained if missing),
alias index from the catalog files, thresholds. The one place nlu touches the file system.
"""

from __future__ import annotations

from pathlib import Path

from mangaassist.config import Settings
from mangaassist.nlu.artifact import IntentArtifact, load_or_train
from mangaassist.nlu.classifier import IntentClassifier
from mangaassist.nlu.entities import AliasIndex, load_genre_vocabulary, load_series_dir


def intents_dir(settings: Settings) -> Path:
    return settings.nlu.intents_dir or settings.data_dir / "intents"


def artifact_dir(settings: Settings) -> Path:
    return settings.nlu.artifact_dir or settings.state_dir / "nlu"


def file_alias_index(settings: Settings) -> AliasIndex:
    """Alias index from data/catalog/series/*.yaml and the genre vocabulary."""
    catalog = settings.data_dir / "catalog"
    series = load_series_dir(catalog / "series") if (catalog / "series").is_dir() else []
    return AliasIndex.build(series, load_genre_vocabulary(catalog / "vocabulary.yaml"))


def build_classifier(
    settings: Settings,
    *,
    artifact: IntentArtifact | None = None,
    aliases: AliasIndex | None = None,
) -> IntentClassifier:
    """The service's classifier: loads the artifact (training it when missing or stale)."""
    if artifact is None:
        artifact = load_or_train(
            artifact_dir(settings), intents_dir(settings), settings.nlu.split_seed
        )
    return IntentClassifier(
        artifact.scorer,
        aliases=file_alias_index(settings) if aliases is None else aliases,
        rule_sets=None if settings.nlu.rules_enabled else (),
        oos_threshold=settings.nlu.oos_threshold,
        clarify_threshold=settings.nlu.clarify_threshold,
    )
