"""The golden set: curated conversations with expectations (data/golden/*.yaml).

Each case is one conversation: the shopper's turns (all sent, the last one scored), who is
signed in, the expected intent of the last turn, text expectations (any-of groups, all-of,
none-of), whether product cards are expected, and tags. Loading validates every case and
names the file and case id of the first problem (`GoldenError`), so a typo in a data file is
a one-line error, not a confusing failure later.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

from mangaassist.domain.intent import Intent
from mangaassist.yamlio import load_yaml

INTENTS = frozenset(i.value for i in Intent)
LANGUAGES = frozenset({"en", "ja"})
_CUSTOMER = re.compile(r"^(guest|C\d{5})$")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,79}$")
_CASE_KEYS = frozenset(
    {"id", "lang", "customer", "turns", "expect", "tags", "reconnect_before_last"}
)
_EXPECT_KEYS = frozenset({"intent", "any_of", "all_of", "none_of", "cards", "max_chars"})


class GoldenError(ValueError):
    """A golden case is malformed; the message names the file and the case."""


@dataclass(frozen=True, slots=True)
class Expect:
    intent: str
    any_of: tuple[tuple[str, ...], ...] = ()
    all_of: tuple[str, ...] = ()
    none_of: tuple[str, ...] = ()
    cards: bool | None = None
    max_chars: int | None = None


@dataclass(frozen=True, slots=True)
class GoldenCase:
    case_id: str
    language: str
    customer: str | None  # None = guest
    turns: tuple[str, ...]
    expect: Expect
    tags: tuple[str, ...] = ()
    reconnect_before_last: bool = False
    source: str = field(default="", compare=False)

    @property
    def multi_turn(self) -> bool:
        return len(self.turns) > 1

    def fingerprint(self) -> str:
        """Stable hash of what the case sends and expects (cache keys, run comparison)."""
        payload = asdict(self)
        payload.pop("source")
        return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:16]

    def as_yaml_dict(self) -> dict[str, Any]:
        expect: dict[str, Any] = {"intent": self.expect.intent}
        if self.expect.any_of:
            expect["any_of"] = [list(g) for g in self.expect.any_of]
        if self.expect.all_of:
            expect["all_of"] = list(self.expect.all_of)
        if self.expect.none_of:
            expect["none_of"] = list(self.expect.none_of)
        if self.expect.cards is not None:
            expect["cards"] = self.expect.cards
        if self.expect.max_chars is not None:
            expect["max_chars"] = self.expect.max_chars
        out: dict[str, Any] = {
            "id": self.case_id,
            "lang": self.language,
            "customer": self.customer or "guest",
            "turns": list(self.turns),
            "expect": expect,
        }
        if self.tags:
            out["tags"] = list(self.tags)
        if self.reconnect_before_last:
            out["reconnect_before_last"] = True
        return out


def _strings(value: Any, where: str, name: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise GoldenError(f"{where}: '{name}' must be a list of non-empty strings")
    return tuple(value)


def parse_case(raw: Any, where: str) -> GoldenCase:
    if not isinstance(raw, dict):
        raise GoldenError(f"{where}: each case must be a mapping")
    case_id = raw.get("id")
    if not isinstance(case_id, str) or not _ID.match(case_id):
        raise GoldenError(f"{where}: 'id' must be a short identifier, got {case_id!r}")
    where = f"{where} ({case_id})"
    unknown = set(raw) - _CASE_KEYS
    if unknown:
        raise GoldenError(f"{where}: unknown keys {sorted(unknown)}")
    language = raw.get("lang")
    if language not in LANGUAGES:
        raise GoldenError(f"{where}: 'lang' must be one of {sorted(LANGUAGES)}")
    customer = str(raw.get("customer", "guest"))
    if not _CUSTOMER.match(customer):
        raise GoldenError(f"{where}: 'customer' must be 'guest' or a customer id like C10001")
    turns = _strings(raw.get("turns"), where, "turns")
    if not turns:
        raise GoldenError(f"{where}: 'turns' needs at least one message")
    expect_raw = raw.get("expect")
    if not isinstance(expect_raw, dict):
        raise GoldenError(f"{where}: 'expect' must be a mapping")
    unknown = set(expect_raw) - _EXPECT_KEYS
    if unknown:
        raise GoldenError(f"{where}: unknown expect keys {sorted(unknown)}")
    intent = expect_raw.get("intent")
    if intent not in INTENTS:
        raise GoldenError(f"{where}: expect.intent must be one of {sorted(INTENTS)}")
    groups_raw = expect_raw.get("any_of") or []
    if not isinstance(groups_raw, list):
        raise GoldenError(f"{where}: 'any_of' must be a list of lists of strings")
    groups = tuple(_strings(g, where, "any_of group") for g in groups_raw)
    if any(not g for g in groups):
        raise GoldenError(f"{where}: an 'any_of' group is empty")
    cards = expect_raw.get("cards")
    if cards is not None and not isinstance(cards, bool):
        raise GoldenError(f"{where}: 'cards' must be true or false")
    max_chars = expect_raw.get("max_chars")
    if max_chars is not None and (not isinstance(max_chars, int) or max_chars < 1):
        raise GoldenError(f"{where}: 'max_chars' must be a positive integer")
    reconnect = raw.get("reconnect_before_last", False)
    if not isinstance(reconnect, bool):
        raise GoldenError(f"{where}: 'reconnect_before_last' must be true or false")
    if reconnect and len(turns) < 2:
        raise GoldenError(f"{where}: 'reconnect_before_last' needs at least two turns")
    return GoldenCase(
        case_id=case_id,
        language=language,
        customer=None if customer == "guest" else customer,
        turns=turns,
        expect=Expect(
            intent=intent,
            any_of=groups,
            all_of=_strings(expect_raw.get("all_of"), where, "all_of"),
            none_of=_strings(expect_raw.get("none_of"), where, "none_of"),
            cards=cards,
            max_chars=max_chars,
        ),
        tags=_strings(raw.get("tags"), where, "tags"),
        reconnect_before_last=reconnect,
        source=where.split(" (")[0],
    )


def load_cases(paths: Iterable[Path]) -> list[GoldenCase]:
    """Cases from YAML files and folders of them, in file and then list order."""
    files: list[Path] = []
    for path in paths:
        if not path.exists():
            raise GoldenError(f"{path}: no such file or folder")
        files += sorted(path.glob("*.yaml")) if path.is_dir() else [path]
    if not files:
        raise GoldenError("no golden case files found")
    cases: list[GoldenCase] = []
    seen: dict[str, str] = {}
    for file in files:
        try:
            raw = load_yaml(file.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise GoldenError(f"{file.name}: cannot read ({exc})") from exc
        if raw is None:
            continue
        if not isinstance(raw, list):
            raise GoldenError(f"{file.name}: a golden file is a YAML list of cases")
        for index, item in enumerate(raw):
            case = parse_case(item, f"{file.name}#{index + 1}")
            if case.case_id in seen:
                raise GoldenError(
                    f"{file.name}: id {case.case_id!r} already used in {seen[case.case_id]}"
                )
            seen[case.case_id] = file.name
            cases.append(case)
    return cases


def select(
    cases: Sequence[GoldenCase],
    *,
    intents: Sequence[str] = (),
    languages: Sequence[str] = (),
    tags: Sequence[str] = (),
    ids: Sequence[str] = (),
) -> list[GoldenCase]:
    return [
        c
        for c in cases
        if (not intents or c.expect.intent in intents)
        and (not languages or c.language in languages)
        and (not tags or set(tags) & set(c.tags))
        and (not ids or c.case_id in ids)
    ]
