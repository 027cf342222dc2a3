"""Distribution and paired tests: Mann-Whitney U, two-sample Kolmogorov-Smirnov, McNemar,
Wilcoxon signed-rank and a paired bootstrap.

The rank and KS statistics come from `scipy.stats` (the reference implementations); this
module adds what a decision needs around them — validated inputs with typed errors, the
direction ("larger" means treatment above control, as everywhere in this package), an
effect size, and one result type. McNemar's exact test is the binomial test on the
discordant pairs, its asymptotic form the chi-square with or without continuity correction
(the correction is clamped at zero: with as many changes each way the statistic is 0, where
statsmodels reports 1/(b + c)).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

from mangaassist.experiments import validate
from mangaassist.experiments.errors import StatsInputError
from mangaassist.experiments.validate import ArrayLike

_SCIPY_SIDE = {"two-sided": "two-sided", "larger": "greater", "smaller": "less"}


@dataclass(frozen=True, slots=True)
class TestResult:
    test: str
    statistic: float
    p_value: float
    alternative: str
    #: An effect size on the test's own scale (see each function).
    effect: float
    alpha: float = 0.05

    @property
    def significant(self) -> bool:
        return self.p_value < self.alpha


def mann_whitney(
    control: ArrayLike,
    treatment: ArrayLike,
    *,
    alternative: str = "two-sided",
    method: str = "auto",
    alpha: float = 0.05,
) -> TestResult:
    """Does treatment tend to be larger than control? U of the treatment sample; effect is
    the probability that a random treatment value exceeds a random control value (ties
    count half), the common-language effect size U / (n_c * n_t)."""
    c = validate.sample("control", control, min_size=1)
    t = validate.sample("treatment", treatment, min_size=1)
    side = validate.alternative(alternative)
    if method not in ("auto", "exact", "asymptotic"):
        raise StatsInputError("method", "must be auto, exact or asymptotic")
    if np.ptp(np.concatenate([c, t])) == 0:
        raise StatsInputError("treatment", "every value is identical: nothing to rank")
    result = stats.mannwhitneyu(t, c, alternative=_SCIPY_SIDE[side], method=method)
    u = float(result.statistic)
    return TestResult("Mann-Whitney U", u, float(result.pvalue), side, u / (c.size * t.size), alpha)


def ks_two_sample(control: ArrayLike, treatment: ArrayLike, *, alpha: float = 0.05) -> TestResult:
    """Do the two distributions differ anywhere (tails included)? D is the largest gap
    between the empirical CDFs, also reported as the effect."""
    c = validate.sample("control", control, min_size=1)
    t = validate.sample("treatment", treatment, min_size=1)
    result = stats.ks_2samp(c, t)
    d = float(result.statistic)
    return TestResult("Kolmogorov-Smirnov", d, float(result.pvalue), "two-sided", d, alpha)


def mcnemar(
    both: int,
    only_control: int,
    only_treatment: int,
    neither: int,
    *,
    exact: bool = True,
    correction: bool = True,
    alpha: float = 0.05,
) -> TestResult:
    """Paired binary outcomes (shadow mode: the same requests answered by both models).
    Counts are of pairs: both succeed, only control, only treatment, neither. Effect is the
    difference in success rates (treatment - control)."""
    b = validate.count("only_control", only_control)
    c = validate.count("only_treatment", only_treatment)
    n = b + c + validate.count("both", both) + validate.count("neither", neither)
    if n == 0:
        raise StatsInputError("both", "no pairs")
    effect = (c - b) / n
    if b + c == 0:
        return TestResult("McNemar", 0.0, 1.0, "two-sided", effect, alpha)
    if exact:
        p = float(stats.binomtest(min(b, c), b + c, 0.5).pvalue)
        return TestResult("McNemar (exact)", float(min(b, c)), p, "two-sided", effect, alpha)
    gap = max(abs(b - c) - (1 if correction else 0), 0)
    chi2 = gap * gap / (b + c)
    p = float(stats.chi2.sf(chi2, 1))
    name = "McNemar (chi-square, corrected)" if correction else "McNemar (chi-square)"
    return TestResult(name, chi2, p, "two-sided", effect, alpha)


def wilcoxon_signed_rank(
    control: ArrayLike,
    treatment: ArrayLike,
    *,
    alternative: str = "two-sided",
    alpha: float = 0.05,
) -> TestResult:
    """Paired continuous outcomes (the same requests, two latencies). Effect is the median
    of the differences treatment - control."""
    c = validate.sample("control", control, min_size=1)
    t = validate.sample("treatment", treatment, min_size=1)
    validate.same_length("control", c, "treatment", t)
    side = validate.alternative(alternative)
    differences = t - c
    if not np.any(differences):
        raise StatsInputError("treatment", "every pair is equal: nothing to test")
    result = stats.wilcoxon(t, c, alternative=_SCIPY_SIDE[side])
    return TestResult(
        "Wilcoxon signed-rank",
        float(result.statistic),
        float(result.pvalue),
        side,
        float(np.median(differences)),
        alpha,
    )


@dataclass(frozen=True, slots=True)
class BootstrapInterval:
    mean_difference: float
    ci_low: float
    ci_high: float
    resamples: int
    level: float


def paired_bootstrap(
    control: ArrayLike,
    treatment: ArrayLike,
    *,
    resamples: int = 10_000,
    level: float = 0.95,
    seed: int = 0,
) -> BootstrapInterval:
    """Percentile bootstrap interval of the mean paired difference (pairs resampled
    together, so the correlation between the two arms is kept). Seeded: reproducible."""
    c = validate.sample("control", control, min_size=2)
    t = validate.sample("treatment", treatment, min_size=2)
    validate.same_length("control", c, "treatment", t)
    if resamples < 100:
        raise StatsInputError("resamples", "must be at least 100")
    confidence = validate.probability("level", level)
    differences = t - c
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, differences.size, size=(resamples, differences.size))
    means = differences[picks].mean(axis=1)
    tail = (1 - confidence) / 2
    low, high = np.quantile(means, [tail, 1 - tail])
    return BootstrapInterval(
        float(differences.mean()), float(low), float(high), resamples, confidence
    )
