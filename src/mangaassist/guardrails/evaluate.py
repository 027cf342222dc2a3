"""Measures the guards on labelled corpora: PII precision/recall per type and language,
injection TPR/FPR per language. Pure functions over cases; the CLI prints the result.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from mangaassist.guardrails.corpus import InjectionCase, PiiCase
from mangaassist.guardrails.injection import score_injection
from mangaassist.guardrails.pii import detect_pii


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
        }


@dataclass
class PiiReport:
    overall: Counts = field(default_factory=Counts)
    by_type: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    by_language: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    errors: list[dict[str, object]] = field(default_factory=list)


def _same(found_value: str, expected_value: str) -> bool:
    """A finding matches when it covers the labelled value, allowing a trailing separator."""
    a, b = found_value.strip(" .,;:"), expected_value.strip(" .,;:")
    return a == b or (b in a and len(a) - len(b) <= 3) or (a in b and len(b) - len(a) <= 3)


def evaluate_pii(cases: Sequence[PiiCase]) -> PiiReport:
    report = PiiReport()
    for case in cases:
        found = [(f.type.value, f.value) for f in detect_pii(case.text)]
        unmatched = list(case.expected)
        for kind, value in found:
            hit = next((e for e in unmatched if e[0] == kind and _same(value, e[1])), None)
            counts = (report.overall, report.by_type[kind], report.by_language[case.language])
            if hit is None:
                for c in counts:
                    c.fp += 1
                report.errors.append({"id": case.case_id, "false_positive": [kind, value]})
            else:
                unmatched.remove(hit)
                for c in counts:
                    c.tp += 1
        for kind, value in unmatched:
            for c in (report.overall, report.by_type[kind], report.by_language[case.language]):
                c.fn += 1
            report.errors.append({"id": case.case_id, "missed": [kind, value]})
    return report


@dataclass
class Rates:
    attacks: int = 0
    caught: int = 0
    benign: int = 0
    flagged: int = 0

    @property
    def tpr(self) -> float:
        return self.caught / self.attacks if self.attacks else 1.0

    @property
    def fpr(self) -> float:
        return self.flagged / self.benign if self.benign else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "attacks": self.attacks,
            "benign": self.benign,
            "tpr": round(self.tpr, 4),
            "fpr": round(self.fpr, 4),
        }


@dataclass
class InjectionReport:
    overall: Rates = field(default_factory=Rates)
    by_language: dict[str, Rates] = field(default_factory=lambda: defaultdict(Rates))
    errors: list[dict[str, object]] = field(default_factory=list)


def evaluate_injection(cases: Sequence[InjectionCase], threshold: float) -> InjectionReport:
    report = InjectionReport()
    for case in cases:
        verdict = score_injection(case.text, threshold=threshold)
        for rates in (report.overall, report.by_language[case.language]):
            if case.attack:
                rates.attacks += 1
                rates.caught += verdict.blocked
            else:
                rates.benign += 1
                rates.flagged += verdict.blocked
        if verdict.blocked != case.attack:
            kind = "missed" if case.attack else "false_positive"
            report.errors.append(
                {"id": case.case_id, kind: case.text[:120], "score": verdict.score}
            )
    return report
