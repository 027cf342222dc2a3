from __future__ import annotations

import numpy as np
import pytest
from scipy import stats
from statsmodels.stats.contingency_tables import mcnemar as sm_mcnemar

from mangaassist.experiments.errors import StatsInputError
from mangaassist.experiments.stats.nonparametric import (
    ks_two_sample,
    mann_whitney,
    mcnemar,
    paired_bootstrap,
    wilcoxon_signed_rank,
)


def test_mann_whitney_matches_scipy_on_random_samples() -> None:
    rng = np.random.default_rng(1)
    for i in range(200):
        c = rng.normal(0, 1, rng.integers(3, 60)).round(1)  # rounding makes ties
        t = rng.normal(0.3, 1, rng.integers(3, 60)).round(1)
        side = ("two-sided", "larger", "smaller")[i % 3]
        method = ("asymptotic", "exact", "auto")[i % 3]
        ours = mann_whitney(c, t, alternative=side, method=method)
        ref = stats.mannwhitneyu(
            t,
            c,
            alternative={"two-sided": "two-sided", "larger": "greater", "smaller": "less"}[side],
            method=method,
        )
        assert ours.statistic == pytest.approx(ref.statistic, abs=1e-9)
        assert ours.p_value == pytest.approx(ref.pvalue, abs=1e-9)
        assert 0 <= ours.effect <= 1


def test_mann_whitney_effect_is_the_probability_of_superiority() -> None:
    result = mann_whitney([1, 2, 3], [4, 5, 6])
    assert result.effect == pytest.approx(1.0)
    assert mann_whitney([1, 2, 3], [1, 2, 3]).effect == pytest.approx(0.5)


def test_ks_matches_scipy() -> None:
    rng = np.random.default_rng(2)
    for _ in range(100):
        c = rng.exponential(100, rng.integers(5, 300))
        t = rng.exponential(110, rng.integers(5, 300))
        ref = stats.ks_2samp(c, t)
        ours = ks_two_sample(c, t)
        assert ours.statistic == pytest.approx(ref.statistic, abs=1e-12)
        assert ours.p_value == pytest.approx(ref.pvalue, abs=1e-9)


def test_mcnemar_matches_statsmodels_exact_and_asymptotic() -> None:
    rng = np.random.default_rng(3)
    for _ in range(200):
        a, b, c, d = (int(x) for x in rng.integers(0, 60, 4))
        if b + c == 0:
            continue
        table = [[a, b], [c, d]]
        exact = mcnemar(a, b, c, d, exact=True)
        assert exact.p_value == pytest.approx(sm_mcnemar(table, exact=True).pvalue, abs=1e-9)
        for correction in (True, False):
            ours = mcnemar(a, b, c, d, exact=False, correction=correction)
            if correction and b == c:
                # statsmodels squares (|b - c| - 1) even when b == c, giving a positive
                # statistic for no difference at all; the correction is clamped at 0 here.
                assert (ours.statistic, ours.p_value) == (0.0, 1.0)
                continue
            ref = sm_mcnemar(table, exact=False, correction=correction)
            assert ours.statistic == pytest.approx(ref.statistic, abs=1e-9)
            assert ours.p_value == pytest.approx(ref.pvalue, abs=1e-9)
    shadow = mcnemar(both=800, only_control=20, only_treatment=45, neither=135)
    assert shadow.effect == pytest.approx(25 / 1000)
    assert shadow.significant


def test_wilcoxon_matches_scipy() -> None:
    rng = np.random.default_rng(4)
    for i in range(100):
        n = int(rng.integers(6, 80))
        c = rng.lognormal(6, 0.4, n)
        t = c * rng.lognormal(0.02, 0.1, n)
        side = ("two-sided", "larger", "smaller")[i % 3]
        ref = stats.wilcoxon(
            t,
            c,
            alternative={"two-sided": "two-sided", "larger": "greater", "smaller": "less"}[side],
        )
        ours = wilcoxon_signed_rank(c, t, alternative=side)
        assert ours.statistic == pytest.approx(ref.statistic, abs=1e-9)
        assert ours.p_value == pytest.approx(ref.pvalue, abs=1e-9)


def test_paired_bootstrap_is_reproducible_and_covers_the_true_difference() -> None:
    rng = np.random.default_rng(5)
    covered = 0
    for trial in range(200):
        base = rng.normal(100, 20, 60)
        treated = base + 3 + rng.normal(0, 5, 60)
        interval = paired_bootstrap(base, treated, resamples=1000, seed=trial)
        covered += interval.ci_low <= 3 <= interval.ci_high
    assert 0.88 <= covered / 200 <= 0.99  # about 95% coverage
    again = paired_bootstrap([1.0, 2.0, 4.0], [2.0, 2.5, 5.0], resamples=500, seed=7)
    assert again == paired_bootstrap([1.0, 2.0, 4.0], [2.0, 2.5, 5.0], resamples=500, seed=7)


@pytest.mark.parametrize(
    ("call", "argument"),
    [
        (lambda: mann_whitney([], [1.0]), "control"),
        (lambda: mann_whitney([1.0, 1.0], [1.0]), "treatment"),
        (lambda: mann_whitney([1.0], [2.0], alternative="up"), "alternative"),
        (lambda: ks_two_sample([1.0, float("nan")], [2.0]), "control"),
        (lambda: mcnemar(1, -1, 2, 3), "only_control"),
        (lambda: mcnemar(0, 0, 0, 0), "both"),
        (lambda: wilcoxon_signed_rank([1.0, 2.0], [1.0]), "treatment"),
        (lambda: wilcoxon_signed_rank([1.0, 2.0], [1.0, 2.0]), "treatment"),
        (lambda: paired_bootstrap([1.0, 2.0], [1.0, 3.0], resamples=10), "resamples"),
    ],
)
def test_bad_input_names_the_argument(call, argument: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(StatsInputError) as info:
        call()
    assert info.value.argument == argument
