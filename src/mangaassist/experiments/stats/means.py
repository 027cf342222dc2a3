"""Welch's t-test for continuous metrics (order value, latency means), from summaries or samples.

Cross-checked against scipy in tests/experiments/test_means.py.
"""

from __future__ import annotations

import math

from scipy import stats

from mangaassist.experiments import validate
from mangaassist.experiments.errors import StatsInputError
from mangaassist.experiments.stats.result import Comparison
from mangaassist.experiments.validate import ArrayLike


def welch_from_summary(
    mean_control: float,
    sd_control: float,
    n_control: int,
    mean_treatment: float,
    sd_treatment: float,
    n_treatment: int,
    *,
    alternative: str = "two-sided",
    alpha: float = 0.05,
) -> Comparison:
    m_c = validate.finite("mean_control", mean_control)
    m_t = validate.finite("mean_treatment", mean_treatment)
    s_c = validate.non_negative("sd_control", sd_control)
    s_t = validate.non_negative("sd_treatment", sd_treatment)
    n_c = validate.count("n_control", n_control, minimum=2)
    n_t = validate.count("n_treatment", n_treatment, minimum=2)
    side = validate.alternative(alternative)
    level = validate.probability("alpha", alpha)
    v_c, v_t = s_c**2 / n_c, s_t**2 / n_t
    se = math.sqrt(v_c + v_t)
    if se == 0:
        raise StatsInputError("sd_treatment", "zero variance in both groups: nothing to test")
    df = (v_c + v_t) ** 2 / (v_c**2 / (n_c - 1) + v_t**2 / (n_t - 1))
    diff = m_t - m_c
    t = diff / se
    if side == "two-sided":
        p = float(2 * stats.t.sf(abs(t), df))
    elif side == "larger":
        p = float(stats.t.sf(t, df))
    else:
        p = float(stats.t.cdf(t, df))
    crit = float(stats.t.ppf(1 - level / 2, df))
    lift = lift_low = lift_high = None
    if m_c != 0:
        # Delta method for the ratio of means: both means are uncertain.
        lift = m_t / m_c - 1
        se_lift = math.sqrt(v_t / m_c**2 + m_t**2 * v_c / m_c**4)
        lift_low, lift_high = lift - crit * se_lift, lift + crit * se_lift
    return Comparison(
        test="Welch's t-test",
        alternative=side,
        alpha=level,
        control=m_c,
        treatment=m_t,
        diff=diff,
        statistic=t,
        p_value=p,
        ci_low=diff - crit * se,
        ci_high=diff + crit * se,
        lift=lift,
        lift_ci_low=lift_low,
        lift_ci_high=lift_high,
        df=df,
    )


def welch_ttest(
    control: ArrayLike,
    treatment: ArrayLike,
    *,
    alternative: str = "two-sided",
    alpha: float = 0.05,
) -> Comparison:
    c = validate.sample("control", control, min_size=2)
    t = validate.sample("treatment", treatment, min_size=2)
    return welch_from_summary(
        float(c.mean()),
        float(c.std(ddof=1)),
        c.size,
        float(t.mean()),
        float(t.std(ddof=1)),
        t.size,
        alternative=alternative,
        alpha=alpha,
    )
