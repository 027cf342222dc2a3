"""Ratio metrics by the delta method (revenue per session, tokens per message) and CUPED.

A ratio metric is Σ numerator / Σ denominator over the randomised units; the units, not the
sessions or messages inside them, are independent, so the variance comes from the delta
method on per-unit sums. CUPED removes the part of a metric explained by a pre-period
covariate, with θ the within-group pooled regression slope (the OLS-with-covariate estimate).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

from mangaassist.experiments import validate
from mangaassist.experiments.errors import StatsInputError
from mangaassist.experiments.stats.means import welch_ttest
from mangaassist.experiments.stats.proportions import p_value_from_z
from mangaassist.experiments.stats.result import Comparison
from mangaassist.experiments.validate import ArrayLike, FloatArray


def ratio_variance(numerator: FloatArray, denominator: FloatArray) -> float:
    """Delta-method variance of Σx / Σy from per-unit x and y (sample moments, ddof=1)."""
    n = numerator.size
    mean_x, mean_y = numerator.mean(), denominator.mean()
    cov = np.cov(numerator, denominator, ddof=1)
    ratio = mean_x / mean_y
    return float((cov[0, 0] - 2 * ratio * cov[0, 1] + ratio**2 * cov[1, 1]) / (n * mean_y**2))


def _group(name: str, numerator: ArrayLike, denominator: ArrayLike) -> tuple[float, float]:
    x = validate.sample(f"numerator_{name}", numerator, min_size=2)
    y = validate.sample(f"denominator_{name}", denominator, min_size=2)
    validate.same_length(f"numerator_{name}", x, f"denominator_{name}", y)
    if np.any(y < 0) or y.sum() <= 0:
        raise StatsInputError(f"denominator_{name}", "must be non-negative with a positive sum")
    variance = ratio_variance(x, y)
    if variance <= 0:
        raise StatsInputError(f"numerator_{name}", "zero variance of the ratio: nothing to test")
    return float(x.sum() / y.sum()), variance


def ratio_test(
    numerator_control: ArrayLike,
    denominator_control: ArrayLike,
    numerator_treatment: ArrayLike,
    denominator_treatment: ArrayLike,
    *,
    alternative: str = "two-sided",
    alpha: float = 0.05,
) -> Comparison:
    """z-test of the difference in ratios, with intervals for the difference and the lift."""
    r_c, v_c = _group("control", numerator_control, denominator_control)
    r_t, v_t = _group("treatment", numerator_treatment, denominator_treatment)
    side = validate.alternative(alternative)
    level = validate.probability("alpha", alpha)
    diff, se = r_t - r_c, math.sqrt(v_c + v_t)
    crit = float(stats.norm.ppf(1 - level / 2))
    lift = lift_low = lift_high = None
    if r_c != 0:
        lift = r_t / r_c - 1
        se_lift = math.sqrt(v_t / r_c**2 + r_t**2 * v_c / r_c**4)
        lift_low, lift_high = lift - crit * se_lift, lift + crit * se_lift
    return Comparison(
        test="ratio z-test (delta method)",
        alternative=side,
        alpha=level,
        control=r_c,
        treatment=r_t,
        diff=diff,
        statistic=diff / se,
        p_value=p_value_from_z(diff / se, side),
        ci_low=diff - crit * se,
        ci_high=diff + crit * se,
        lift=lift,
        lift_ci_low=lift_low,
        lift_ci_high=lift_high,
    )


@dataclass(frozen=True, slots=True)
class CupedResult:
    comparison: Comparison  # Welch on the adjusted values
    theta: float
    variance_reduction: float  # 1 - adjusted / unadjusted variance of the difference


def cuped(
    control: ArrayLike,
    control_covariate: ArrayLike,
    treatment: ArrayLike,
    treatment_covariate: ArrayLike,
    *,
    alternative: str = "two-sided",
    alpha: float = 0.05,
) -> CupedResult:
    """Welch's test on y − θ(x − x̄), x the pre-period value of the same unit."""
    y_c = validate.sample("control", control, min_size=3)
    x_c = validate.sample("control_covariate", control_covariate, min_size=3)
    y_t = validate.sample("treatment", treatment, min_size=3)
    x_t = validate.sample("treatment_covariate", treatment_covariate, min_size=3)
    validate.same_length("control", y_c, "control_covariate", x_c)
    validate.same_length("treatment", y_t, "treatment_covariate", x_t)
    dx_c, dx_t = x_c - x_c.mean(), x_t - x_t.mean()
    sxx = float(dx_c @ dx_c + dx_t @ dx_t)
    if sxx == 0:
        raise StatsInputError("treatment_covariate", "the covariate has zero variance")
    theta = float(dx_c @ (y_c - y_c.mean()) + dx_t @ (y_t - y_t.mean())) / sxx
    centre = float(np.concatenate([x_c, x_t]).mean())
    adj_c, adj_t = y_c - theta * (x_c - centre), y_t - theta * (x_t - centre)
    adjusted = welch_ttest(adj_c, adj_t, alternative=alternative, alpha=alpha)
    reduction = 1 - _diff_variance(adj_c, adj_t) / _diff_variance(y_c, y_t)
    return CupedResult(adjusted, theta, reduction)


def _diff_variance(control: FloatArray, treatment: FloatArray) -> float:
    return float(control.var(ddof=1) / control.size + treatment.var(ddof=1) / treatment.size)
