"""Human-labelled answers for judge calibration (data/golden/judge/labels.yaml).

Each item is a conversation, the answer the assistant gave, and a person's pass/fail on
the rubric (helpfulness, tone, reasoning). The slice is small and written by the team.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from mangaassist.evaluation.golden import GoldenError, parse_case
from mangaassist.evaluation.judge import LabelledAnswer
from mangaassist.evaluation.targets import TurnResult
from mangaassist.yamlio import load_yaml


class LabelError(ValueError):
    """The labels file is missing or malformed; the message names the item."""


def _item(raw: Any, where: str) -> LabelledAnswer:
    if not isinstance(raw, dict):
        raise LabelError(f"{where}: each label is a mapping")
    human = raw.get("human")
    if human not in ("pass", "fail"):
        raise LabelError(f"{where}: 'human' must be 'pass' or 'fail'")
    answer = raw.get("answer")
    if not isinstance(answer, str):
        raise LabelError(f"{where}: 'answer' must be a string")
    cards = raw.get("cards", 0)
    if not isinstance(cards, int) or cards < 0:
        raise LabelError(f"{where}: 'cards' must be a count")
    case_raw = {
        "id": raw.get("id"),
        "lang": raw.get("lang"),
        "customer": raw.get("customer", "guest"),
        "turns": raw.get("turns"),
        "expect": {"intent": raw.get("intent")},
    }
    try:
        case = parse_case(case_raw, where)
    except GoldenError as exc:
        raise LabelError(str(exc)) from exc
    got = raw.get("got_intent", case.expect.intent)
    result = TurnResult(
        text=answer,
        intent=str(got),
        cards=tuple({"asin": f"card{i}"} for i in range(cards)),
    )
    return LabelledAnswer(case, result, human == "pass")


def load_labels(path: Path) -> list[LabelledAnswer]:
    try:
        raw = load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise LabelError(f"{path}: cannot read ({exc})") from exc
    if not isinstance(raw, list) or not raw:
        raise LabelError(f"{path}: a non-empty YAML list of labelled answers is expected")
    return [_item(item, f"{path.name}#{i + 1}") for i, item in enumerate(raw)]
