"""Labelled guardrail corpora (data/guardrails/*.jsonl): loading, validation and the dev/test split.

A corpus is one file or a folder: `pii_en.jsonl` and `pii_ja.jsonl` together form the PII
corpus (`corpus_files(folder, "pii")`), so each language can be written and reviewed alone.

The split is by a hash of each case id, so it is fixed and stable as files grow: tune on
`dev`, report on `test`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
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


def corpus_files(folder: Path, name: str) -> list[Path]:
    """`folder/name.jsonl` plus every `folder/name_*.jsonl`, in name order."""
    files = sorted(folder.glob(f"{name}_*.jsonl"))
    single = folder / f"{name}.jsonl"
    if single.exists():
        files.insert(0, single)
    if not files:
        raise CorpusError(f"no {name}.jsonl or {name}_*.jsonl in {folder}")
    return files


def _wanted(case_id: str, split: Split) -> bool:
    return split == "all" or split_of(case_id) == split


def _records(paths: Path | Sequence[Path]) -> Iterator[tuple[Path, int, dict[str, Any]]]:
    seen: dict[str, str] = {}
    for path in [paths] if isinstance(paths, Path) else paths:
        for number, record in _lines(path):
            where = f"{path.name}:{number}"
            case_id = record["id"]
            if case_id in seen:
                raise CorpusError(f"{where}: id {case_id!r} already used at {seen[case_id]}")
            seen[case_id] = where
            yield path, number, record


def load_pii(paths: Path | Sequence[Path], split: Split = "all") -> list[PiiCase]:
    cases = []
    for path, number, record in _records(paths):
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


def load_injection(paths: Path | Sequence[Path], split: Split = "all") -> list[InjectionCase]:
    cases = []
    for path, number, record in _records(paths):
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
