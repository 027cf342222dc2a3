"""Case-by-case comparison of two runs (their JSON reports), with McNemar's test.

Each case present and scored in both runs is a pair: pass->fail is a regression,
fail->pass a fix; pass->pass with a different answer is "changed but still correct" (a
format change, not a regression). Cases that errored in either run are listed apart and
left out of the test. McNemar's exact test (binomial on the discordant pairs) says whether
the change in pass rate is more than chance; with repeats, a case passes when most of its
repeats pass.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mangaassist.nlu.normalize import normalize


class CompareError(ValueError):
    """A run file is missing or is not a run report."""


@dataclass(frozen=True, slots=True)
class CaseOutcome:
    outcome: str  # pass | fail | error
    answer: str
    reasons: tuple[str, ...]


def load_run(path: Path) -> dict[str, CaseOutcome]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        rows = data["results"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise CompareError(f"{path}: not a run report ({exc})") from exc
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        grouped[str(row["id"])].append(row)
    out = {}
    for case_id, runs in grouped.items():
        scored = [r for r in runs if r["outcome"] != "error"]
        if not scored:
            out[case_id] = CaseOutcome("error", "", (str(runs[0].get("error")),))
            continue
        passes = sum(r["outcome"] == "pass" for r in scored)
        first = scored[0]
        reasons = tuple(f"{f['name']}: {f['detail']}" for f in first.get("failures", []))
        outcome = "pass" if passes * 2 > len(scored) else "fail"
        out[case_id] = CaseOutcome(outcome, str(first.get("answer", "")), reasons)
    return out


def mcnemar_exact(regressions: int, fixes: int) -> float:
    """Two-sided exact McNemar p-value: binomial test of the discordant pairs at 1/2."""
    from scipy.stats import binomtest

    discordant = regressions + fixes
    if discordant == 0:
        return 1.0
    return float(binomtest(min(regressions, fixes), discordant, 0.5).pvalue)


@dataclass
class Comparison:
    regressions: list[tuple[str, tuple[str, ...]]]
    fixes: list[str]
    changed_but_correct: list[str]
    unchanged: int
    errors: list[str]
    only_in_one: list[str]
    pass_rate_a: float
    pass_rate_b: float
    p_value: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "regressions": [{"id": i, "reasons": list(r)} for i, r in self.regressions],
            "fixes": self.fixes,
            "changed_but_correct": self.changed_but_correct,
            "unchanged": self.unchanged,
            "errors": self.errors,
            "only_in_one": self.only_in_one,
            "pass_rate_a": round(self.pass_rate_a, 4),
            "pass_rate_b": round(self.pass_rate_b, 4),
            "mcnemar_p": round(self.p_value, 6),
        }


def compare_runs(a: dict[str, CaseOutcome], b: dict[str, CaseOutcome]) -> Comparison:
    regressions, fixes, changed, errors = [], [], [], []
    unchanged = 0
    both = sorted(set(a) & set(b))
    passes_a = passes_b = scored = 0
    for case_id in both:
        old, new = a[case_id], b[case_id]
        if "error" in (old.outcome, new.outcome):
            errors.append(case_id)
            continue
        scored += 1
        passes_a += old.outcome == "pass"
        passes_b += new.outcome == "pass"
        if old.outcome == "pass" and new.outcome == "fail":
            regressions.append((case_id, new.reasons))
        elif old.outcome == "fail" and new.outcome == "pass":
            fixes.append(case_id)
        elif old.outcome == "pass" and normalize(old.answer) != normalize(new.answer):
            changed.append(case_id)
        else:
            unchanged += 1
    return Comparison(
        regressions=regressions,
        fixes=fixes,
        changed_but_correct=changed,
        unchanged=unchanged,
        errors=errors,
        only_in_one=sorted(set(a) ^ set(b)),
        pass_rate_a=passes_a / scored if scored else 0.0,
        pass_rate_b=passes_b / scored if scored else 0.0,
        p_value=mcnemar_exact(len(regressions), len(fixes)),
    )
