"""Labelled utterances of data/intents/: loading, validation, the seeded train/dev/test split.

Each utterance lands in a split by a hash of its normalised text and the seed, so the
split is deterministic and an utterance never moves when files grow.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import yaml

from mangaassist.domain.intent import Intent
from mangaassist.nlu.normalize import match_key
from mangaassist.yamlio import load_yaml

Split = Literal["train", "dev", "test"]
SPLITS: tuple[Split, ...] = ("train", "dev", "test")
DEFAULT_SEED = 20261122
#: Percent of utterances in train and dev; the rest is test.
TRAIN_PERCENT = 70
DEV_PERCENT = 15


class IntentDataError(ValueError):
    """The intent data files are malformed (bad YAML, unknown intent, conflicting labels)."""


@dataclass(frozen=True, slots=True)
class Utterance:
    text: str
    intent: Intent
    lang: str
    source: str


def split_of(text: str, seed: int = DEFAULT_SEED) -> Split:
    digest = hashlib.sha256(f"{seed}\x00{match_key(text)}".encode()).digest()
    bucket = int.from_bytes(digest[:8], "big") % 100
    if bucket < TRAIN_PERCENT:
        return "train"
    if bucket < TRAIN_PERCENT + DEV_PERCENT:
        return "dev"
    return "test"


def _parse_file(path: Path) -> list[Utterance]:
    try:
        raw = load_yaml(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise IntentDataError(f"{path.name}: not valid YAML ({error})") from error
    if not isinstance(raw, dict) or "intent" not in raw:
        raise IntentDataError(f"{path.name}: expected a mapping with an 'intent' key")
    try:
        intent = Intent(raw["intent"])
    except ValueError as error:
        raise IntentDataError(f"{path.name}: unknown intent {raw['intent']!r}") from error
    found: list[Utterance] = []
    for lang in ("en", "ja"):
        block = raw.get(lang, "")
        if not isinstance(block, str):
            raise IntentDataError(f"{path.name}: '{lang}' must be a block of lines")
        for line in block.splitlines():
            text = line.strip()
            if text:
                found.append(Utterance(text, intent, lang, path.name))
    return found


def load_utterances(directory: Path) -> list[Utterance]:
    """All utterances of `directory/*.yaml`, de-duplicated by normalised text, in stable order."""
    files = sorted(directory.glob("*.yaml"))
    if not files:
        raise IntentDataError(f"no intent files (*.yaml) in {directory}")
    seen: dict[str, Utterance] = {}
    for path in files:
        for utterance in _parse_file(path):
            key = match_key(utterance.text)
            previous = seen.get(key)
            if previous is not None and previous.intent != utterance.intent:
                raise IntentDataError(
                    f"{utterance.text!r} is labelled {previous.intent} in {previous.source} "
                    f"and {utterance.intent} in {utterance.source}"
                )
            seen.setdefault(key, utterance)
    return list(seen.values())


def select(
    utterances: Iterable[Utterance], splits: Sequence[Split], seed: int = DEFAULT_SEED
) -> list[Utterance]:
    wanted = set(splits)
    return [u for u in utterances if split_of(u.text, seed) in wanted]


def data_hash(utterances: Iterable[Utterance]) -> str:
    """A digest of the labelled data, for the artifact's metadata."""
    digest = hashlib.sha256()
    for utterance in sorted(utterances, key=lambda u: (u.intent.value, u.text)):
        digest.update(f"{utterance.intent.value}\t{utterance.text}\n".encode())
    return digest.hexdigest()
