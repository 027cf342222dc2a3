"""Two-proportion z-test (pooled standard error for the test) with Wald intervals.

The interval for the difference uses the unpooled standard error; the interval for the
relative lift comes from the log risk ratio (delta method). Cross-checked against
statsmodels in tests/experiments/test_proportions.py.
"""

from __future__ import annotations

import math

from scipy import stats

from mangaassist.experiments import validate
from mangaassist.experiments.errors import StatsInputError
from mangaassist.experiments.stats.result import Comparison


def p_value_from_z(z: float, alternative: str) -> float:
    if alternative == "two-sided":
        return float(2 * stats.norm.sf(abs(z)))
    if alternative == "larger":
        return float(stats.norm.sf(z))
    return float(stats.norm.cdf(z))


def two_proportion_ztest(
    successes_control: int,
    trials_control: int,
    successes_treatment: int,
    trials_treatment: int,
    *,
    alternative: str = "two-sided",
    alpha: float = 0.05,
) -> Comparison:
    """Does the treatment's rate differ from the control's ("larger": treatment above)?"""
    n_c = validate.count("trials_control", trials_control, minimum=1)
    n_t = validate.count("trials_treatment", trials_treatment, minimum=1)
    x_c = validate.successes("successes_control", successes_control, "trials_control", n_c)
    x_t = validate.successes("successes_treatment", successes_treatment, "trials_treatment", n_t)
    side = validate.alternative(alternative)
    level = validate.probability("alpha", alpha)
    p_c, p_t = x_c / n_c, x_t / n_t
    pooled = (x_c + x_t) / (n_c + n_t)
    se_pooled = math.sqrt(pooled * (1 - pooled) * (1 / n_c + 1 / n_t))
    if se_pooled == 0:
        raise StatsInputError(
            "successes_treatment",
            "no variance: every trial in both groups has the same outcome",
        )
    diff = p_t - p_c
    z = diff / se_pooled
    se_diff = math.sqrt(p_c * (1 - p_c) / n_c + p_t * (1 - p_t) / n_t)
    crit = float(stats.norm.ppf(1 - level / 2))
    lift = lift_low = lift_high = None
    if p_c > 0 and p_t > 0:
        log_ratio = math.log(p_t / p_c)
        se_log = math.sqrt((1 - p_t) / (n_t * p_t) + (1 - p_c) / (n_c * p_c))
        lift = p_t / p_c - 1
        lift_low = math.exp(log_ratio - crit * se_log) - 1
        lift_high = math.exp(log_ratio + crit * se_log) - 1
    return Comparison(
        test="two-proportion z-test (pooled)",
        alternative=side,
        alpha=level,
        control=p_c,
        treatment=p_t,
        diff=diff,
        statistic=z,
        p_value=p_value_from_z(z, side),
        ci_low=diff - crit * se_diff,
        ci_high=diff + crit * se_diff,
        lift=lift,
        lift_ci_low=lift_low,
        lift_ci_high=lift_high,
    )
