"""Judges for the subjective qualities: helpfulness, tone, reasoning (rubric `RUBRIC_VERSION`).

A judge never replaces the deterministic checks; it adds a verdict on what code cannot
measure. Two kinds:

- `BuiltinJudge`: deterministic heuristics, offline, used in CI. It scores the same three
  criteria 1-5 from observable signals (an answer of substance that engages with the
  question; no rude or dismissive wording; recommendations and refusals that give reasons).
- `ModelJudge`: a model through the provider layer, at temperature 0, given the rubric and
  asked for strict JSON. Anything that does not parse into the schema is a `JudgeError`
  (the case becomes an `error`, never a pass or a fail). Verdicts are cached on disk by
  judge model, rubric version and input.

`calibrate` measures a judge against a human-labelled slice: accuracy and Cohen's kappa.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from mangaassist.evaluation.golden import GoldenCase
from mangaassist.evaluation.targets import TurnResult
from mangaassist.nlu.normalize import normalize

RUBRIC_VERSION = "rubric-v1"
CRITERIA = ("helpfulness", "tone", "reasoning")
PASS_MARK = 3
RUBRIC = """Score the assistant's answer to the shopper from 1 (bad) to 5 (excellent) on:
- helpfulness: does it engage with what was asked and move the shopper forward (an answer,
  a next step, or a clear explanation of why it cannot help)?
- tone: is it polite, warm and respectful, never rude, dismissive or preachy?
- reasoning: are recommendations and refusals explained (why this book, why not this request)?
The answer passes when every score is 3 or more.
Reply with JSON only: {"helpfulness": n, "tone": n, "reasoning": n, "rationale": "one sentence"}"""


class JudgeError(RuntimeError):
    """The judge could not give a verdict (unreachable, or its reply did not parse)."""


@dataclass(frozen=True, slots=True)
class Verdict:
    scores: dict[str, int]
    rationale: str
    rubric_version: str = RUBRIC_VERSION

    @property
    def passed(self) -> bool:
        return all(self.scores.get(c, 0) >= PASS_MARK for c in CRITERIA)


class Judge(Protocol):
    name: str

    async def judge(self, case: GoldenCase, answer: TurnResult) -> Verdict | None: ...


def parse_verdict(reply: str) -> Verdict:
    """Strict: one JSON object with an integer 1-5 per criterion and a string rationale."""
    text = reply.strip()
    if text.startswith("```"):
        text = re.sub(r"^```(?:json)?\s*|\s*```$", "", text)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise JudgeError(f"judge reply is not JSON: {reply[:80]!r}") from exc
    if not isinstance(data, dict):
        raise JudgeError("judge reply is not a JSON object")
    scores = {}
    for criterion in CRITERIA:
        value = data.get(criterion)
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
            raise JudgeError(f"judge score {criterion!r} must be an integer 1-5, got {value!r}")
        scores[criterion] = value
    rationale = data.get("rationale")
    if not isinstance(rationale, str):
        raise JudgeError("judge reply needs a string 'rationale'")
    return Verdict(scores, rationale)


_RUDE = re.compile(
    r"\b(stupid|idiot|dumb|shut up|whatever|obviously you|read the faq yourself|not my problem)\b"
    r"|バカ|馬鹿|うるさい|知らない(?:よ|ね)|自分で調べ",
    re.IGNORECASE,
)
_REASON_WORDS = re.compile(
    r"\b(because|since|if you (?:liked|enjoy|want)|similar|like|fans of|so that|which means)\b"
    r"|ので|から|ため|似て|好きなら|おすすめ|なら",
    re.IGNORECASE,
)
_NEXT_STEP = re.compile(
    r"\b(you can|please|let me|i can|would you|sign in|contact|here (?:is|are))\b"
    r"|できます|ください|お手伝い|ログイン|ご案内|いかがでしょう",
    re.IGNORECASE,
)


class BuiltinJudge:
    """Deterministic rubric scoring from observable signals (offline, reproducible)."""

    name = f"builtin/{RUBRIC_VERSION}"

    async def judge(self, case: GoldenCase, answer: TurnResult) -> Verdict:
        text = answer.text.strip()
        words = len(text.split()) if case.language == "en" else len(text) // 3
        engaged = answer.intent == case.expect.intent and answer.error is None
        helpfulness = 1 if not text else 2 if words < 5 else 3
        if engaged and (_NEXT_STEP.search(text) or answer.cards or words >= 12):
            helpfulness += 1
        if engaged and words >= 12 and (answer.cards or answer.actions or _NEXT_STEP.search(text)):
            helpfulness += 1
        tone = 1 if _RUDE.search(text) else 5 if _NEXT_STEP.search(text) else 4
        needs_reasons = case.expect.intent in ("recommendation", "out_of_scope")
        reasoning = 2 if needs_reasons and not _REASON_WORDS.search(text) else 4
        reasons = []
        if helpfulness < PASS_MARK:
            reasons.append("the answer does not engage with the question")
        if tone < PASS_MARK:
            reasons.append("rude or dismissive wording")
        if reasoning < PASS_MARK:
            reasons.append("no reason is given")
        scores = {"helpfulness": helpfulness, "tone": tone, "reasoning": reasoning}
        return Verdict(scores, "; ".join(reasons) or "meets the rubric")


Complete = Callable[[str, str], Awaitable[str]]


class ModelJudge:
    """A model as judge. `complete(system, user)` returns the model's full reply text at
    temperature 0 (the provider layer supplies it); replies are cached in `cache_dir`."""

    def __init__(
        self,
        model: str,
        complete: Complete,
        cache_dir: Path | None = None,
        close: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        self.model = model
        self.name = f"model:{model}/{RUBRIC_VERSION}"
        self._complete = complete
        self._cache = cache_dir
        self._close = close
        if cache_dir is not None:
            cache_dir.mkdir(parents=True, exist_ok=True)

    def _prompt(self, case: GoldenCase, answer: TurnResult) -> str:
        conversation = "\n".join(f"Shopper: {t}" for t in case.turns)
        return (
            f"{conversation}\nAssistant: {answer.text}\n\n"
            f"(expected topic: {case.expect.intent}; language: {case.language})"
        )

    async def aclose(self) -> None:
        """Close the judge model's connections (after a run)."""
        if self._close is not None:
            await self._close()

    async def judge(self, case: GoldenCase, answer: TurnResult) -> Verdict:
        prompt = self._prompt(case, answer)
        key = hashlib.sha256(f"{self.model}\x1f{RUBRIC_VERSION}\x1f{prompt}".encode()).hexdigest()
        path = None if self._cache is None else self._cache / f"{key[:32]}.json"
        if path is not None and path.exists():
            return parse_verdict(path.read_text(encoding="utf-8"))
        try:
            reply = await self._complete(RUBRIC, prompt)
        except Exception as exc:
            raise JudgeError(f"judge model failed: {type(exc).__name__}: {exc}") from exc
        verdict = parse_verdict(reply)  # only a parsable reply is cached
        if path is not None:
            path.write_text(reply, encoding="utf-8")
        return verdict


@dataclass(frozen=True, slots=True)
class Calibration:
    items: int
    accuracy: float
    kappa: float
    errors: int
    disagreements: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "items": self.items,
            "accuracy": round(self.accuracy, 4),
            "kappa": round(self.kappa, 4),
            "errors": self.errors,
            "disagreements": list(self.disagreements),
        }


@dataclass(frozen=True, slots=True)
class LabelledAnswer:
    case: GoldenCase
    answer: TurnResult
    human_pass: bool


async def calibrate(judge: Judge, items: Sequence[LabelledAnswer]) -> Calibration:
    """Agreement of `judge` with human pass/fail labels (accuracy and Cohen's kappa)."""
    from sklearn.metrics import cohen_kappa_score

    human, machine, disagreements, errors = [], [], [], 0
    for item in items:
        try:
            verdict = await judge.judge(item.case, item.answer)
        except JudgeError:
            errors += 1
            continue
        if verdict is None:
            continue
        human.append(item.human_pass)
        machine.append(verdict.passed)
        if verdict.passed != item.human_pass:
            disagreements.append(item.case.case_id)
    if not human:
        raise JudgeError("no labelled item got a verdict")
    accuracy = sum(h == m for h, m in zip(human, machine, strict=True)) / len(human)
    kappa = 1.0 if len(set(human) | set(machine)) == 1 else float(cohen_kappa_score(human, machine))
    return Calibration(len(human), accuracy, kappa, errors, tuple(disagreements))


def same_answer(a: str, b: str) -> bool:
    """Equal after normalisation (case, width, spacing): the basis of "changed format"."""
    return normalize(a) == normalize(b)
