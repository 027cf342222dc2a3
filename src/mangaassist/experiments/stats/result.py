"""The common result of a two-group comparison."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True, slots=True)
class Comparison:
    """Treatment against control. `diff` and its interval are treatment − control;
    `lift` is diff / control with its interval; `alpha` is the test's level and the
    intervals are two-sided at 1 − alpha."""

    test: str
    alternative: str
    alpha: float
    control: float
    treatment: float
    diff: float
    statistic: float
    p_value: float
    ci_low: float
    ci_high: float
    lift: float | None
    lift_ci_low: float | None
    lift_ci_high: float | None
    df: float | None = None

    @property
    def significant(self) -> bool:
        return self.p_value < self.alpha

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["significant"] = self.significant
        return data
