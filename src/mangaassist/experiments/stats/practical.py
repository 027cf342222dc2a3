"""Practical significance and the fixed-horizon rule: is an effect big enough, may we call it?"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from mangaassist.experiments import validate
from mangaassist.experiments.stats.result import Comparison


class Verdict(StrEnum):
    SIGNIFICANT_AND_MEANINGFUL = "significant_and_meaningful"
    SIGNIFICANT_BUT_TOO_SMALL = "significant_but_too_small"
    NOT_SIGNIFICANT = "not_significant"
    INCONCLUSIVE = "inconclusive"


def practical_verdict(result: Comparison, min_effect: float) -> Verdict:
    """`min_effect` is a magnitude on the scale of `result.diff`. Significance is the test's
    p-value; "meaningful" is |diff| >= min_effect. A non-significant result whose interval
    still reaches ±min_effect is inconclusive (too little data), not evidence of no effect."""
    threshold = validate.positive("min_effect", min_effect)
    if result.significant:
        if abs(result.diff) >= threshold:
            return Verdict.SIGNIFICANT_AND_MEANINGFUL
        return Verdict.SIGNIFICANT_BUT_TOO_SMALL
    if result.ci_low <= -threshold or result.ci_high >= threshold:
        return Verdict.INCONCLUSIVE
    return Verdict.NOT_SIGNIFICANT


@dataclass(frozen=True, slots=True)
class HorizonCheck:
    may_call: bool
    units_still_needed_per_group: int

    @property
    def verdict(self) -> str:
        return "ready" if self.may_call else "keep_running"


def horizon_check(
    n_control: int, n_treatment: int, planned_per_group: int, *, sequential: bool = False
) -> HorizonCheck:
    """A fixed-horizon test is called only once every group reached the planned sample
    (looking earlier inflates false positives); a sequential analysis may be called at any
    look, because its boundaries or always-valid p-values already pay for peeking."""
    smallest = min(
        validate.count("n_control", n_control), validate.count("n_treatment", n_treatment)
    )
    planned = validate.count("planned_per_group", planned_per_group, minimum=1)
    needed = max(0, planned - smallest)
    return HorizonCheck(sequential or needed == 0, 0 if sequential else needed)
