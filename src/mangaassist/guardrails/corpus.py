"""Labelled guardrail corpora (data/guardrails/*.jsonl): loading, validation and the dev/test split.

The split is by a hash of each case id, so it is fixed and stable as files grow: tune on
`dev`, report on `test`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

Split = Literal["dev", "test", "all"]
LANGUAGES = ("en", "ja", "zh", "ko")


class CorpusError(ValueError):
    """A corpus line is malformed; the message names the file and line."""


@dataclass(frozen=True, slots=True)
class PiiCase:
    case_id: str
    text: str
    language: str
    expected: tuple[tuple[str, str], ...]  # (pii type, exact value)


@dataclass(frozen=True, slots=True)
class InjectionCase:
    case_id: str
    text: str
    language: str
    attack: bool
    technique: str


def split_of(case_id: str) -> Literal["dev", "test"]:
    digest = hashlib.sha256(case_id.encode()).digest()
    return "dev" if digest[0] % 2 == 0 else "test"


def _lines(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise CorpusError(f"{path.name}:{number}: invalid JSON ({exc.msg})") from exc
            if not isinstance(record, dict) or not isinstance(record.get("id"), str):
                raise CorpusError(f"{path.name}:{number}: each line needs a string 'id'")
            if not isinstance(record.get("text"), str) or record.get("lang") not in LANGUAGES:
                raise CorpusError(f"{path.name}:{number}: needs 'text' and 'lang' in {LANGUAGES}")
            yield number, record


def _wanted(case_id: str, split: Split) -> bool:
    return split == "all" or split_of(case_id) == split


def load_pii(path: Path, split: Split = "all") -> list[PiiCase]:
    cases = []
    for number, record in _lines(path):
        spans = record.get("pii", [])
        if not isinstance(spans, list) or not all(
            isinstance(s, dict) and {"type", "value"} <= s.keys() for s in spans
        ):
            raise CorpusError(f"{path.name}:{number}: 'pii' must be a list of {{type, value}}")
        for span in spans:
            if span["value"] not in record["text"]:
                raise CorpusError(f"{path.name}:{number}: value {span['value']!r} not in text")
        if _wanted(record["id"], split):
            expected = tuple((s["type"], s["value"]) for s in spans)
            cases.append(PiiCase(record["id"], record["text"], record["lang"], expected))
    return cases


def load_injection(path: Path, split: Split = "all") -> list[InjectionCase]:
    cases = []
    for number, record in _lines(path):
        label = record.get("label")
        if label not in ("attack", "benign"):
            raise CorpusError(f"{path.name}:{number}: 'label' must be 'attack' or 'benign'")
        if _wanted(record["id"], split):
            cases.append(
                InjectionCase(
                    record["id"],
                    record["text"],
                    record["lang"],
                    label == "attack",
                    str(record.get("technique", "")),
                )
            )
    return cases
