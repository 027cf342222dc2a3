from __future__ import annotations

import numpy as np
import pytest
from scipy import stats
from statsmodels.stats.proportion import confint_proportions_2indep, proportions_ztest

from mangaassist.experiments.errors import StatsInputError
from mangaassist.experiments.stats.means import welch_from_summary, welch_ttest
from mangaassist.experiments.stats.proportions import two_proportion_ztest

RNG = np.random.default_rng(20261122)
SIDES = {"two-sided": "two-sided", "larger": "larger", "smaller": "smaller"}


@pytest.mark.parametrize("case", range(60))
def test_proportions_agree_with_statsmodels(case: int) -> None:
    n_c, n_t = (int(v) for v in RNG.integers(50, 50_000, size=2))
    x_c = int(RNG.integers(1, n_c))
    x_t = int(RNG.integers(1, n_t))
    side = list(SIDES)[case % 3]
    ours = two_proportion_ztest(x_c, n_c, x_t, n_t, alternative=side)
    z, p = proportions_ztest([x_t, x_c], [n_t, n_c], alternative=SIDES[side])
    assert ours.statistic == pytest.approx(z, abs=1e-9)
    assert ours.p_value == pytest.approx(p, abs=1e-9)
    low, high = confint_proportions_2indep(x_t, n_t, x_c, n_c, method="wald", compare="diff")
    assert (ours.ci_low, ours.ci_high) == (
        pytest.approx(low, abs=1e-9),
        pytest.approx(high, abs=1e-9),
    )


@pytest.mark.parametrize("case", range(60))
def test_welch_agrees_with_scipy(case: int) -> None:
    control = RNG.normal(50, RNG.uniform(1, 20), size=int(RNG.integers(5, 400)))
    treatment = RNG.normal(52, RNG.uniform(1, 20), size=int(RNG.integers(5, 400)))
    side = list(SIDES)[case % 3]
    scipy_side = {"two-sided": "two-sided", "larger": "greater", "smaller": "less"}[side]
    ours = welch_ttest(control, treatment, alternative=side)
    ref = stats.ttest_ind(treatment, control, equal_var=False, alternative=scipy_side)
    assert ours.statistic == pytest.approx(ref.statistic, abs=1e-9)
    assert ours.p_value == pytest.approx(ref.pvalue, abs=1e-9)
    two = stats.ttest_ind(treatment, control, equal_var=False).confidence_interval(0.95)
    assert ours.ci_low == pytest.approx(two.low, abs=1e-9)
    assert ours.ci_high == pytest.approx(two.high, abs=1e-9)


def test_worked_example_canary_escalations() -> None:
    # Canary 700/5,000 escalations vs baseline 59,400/495,000: the material says z ≈ 4.33.
    result = two_proportion_ztest(59_400, 495_000, 700, 5_000, alternative="larger")
    assert result.control == pytest.approx(0.12)
    assert result.treatment == pytest.approx(0.14)
    # Checked by hand: pooled p = 60,100 / 500,000, SE = sqrt(p(1-p)(1/495,000 + 1/5,000)).
    assert result.statistic == pytest.approx(4.32701, abs=1e-5)
    assert result.p_value == pytest.approx(7.5572e-6, rel=1e-3)
    assert result.ci_low == pytest.approx(0.0103397, abs=1e-6)
    assert result.ci_high == pytest.approx(0.0296603, abs=1e-6)


def test_worked_example_ab_conversions() -> None:
    result = two_proportion_ztest(4_200, 50_000, 4_700, 50_000)
    assert result.diff == pytest.approx(0.01)
    assert result.statistic == pytest.approx(5.55285, abs=1e-5)
    assert result.p_value == pytest.approx(2.8105e-8, rel=1e-3)
    assert result.lift == pytest.approx(4_700 / 4_200 - 1)
    assert result.ci_low == pytest.approx(0.006470, abs=1e-6)
    assert result.ci_high == pytest.approx(0.013530, abs=1e-6)
    assert result.lift_ci_low is not None
    assert result.lift_ci_low > 0


def test_welch_from_summary_matches_scipy_from_stats() -> None:
    ours = welch_from_summary(40.0, 12.0, 800, 41.5, 13.0, 760)
    ref = stats.ttest_ind_from_stats(41.5, 13.0, 760, 40.0, 12.0, 800, equal_var=False)
    assert ours.statistic == pytest.approx(ref.statistic, abs=1e-9)
    assert ours.p_value == pytest.approx(ref.pvalue, abs=1e-9)
    assert ours.lift == pytest.approx(41.5 / 40 - 1)
    assert ours.lift_ci_low is not None
    assert ours.lift_ci_high is not None
    assert ours.lift_ci_low < ours.lift < ours.lift_ci_high


@pytest.mark.parametrize(
    ("call", "argument"),
    [
        (lambda: two_proportion_ztest(10, 0, 5, 10), "trials_control"),
        (lambda: two_proportion_ztest(-1, 10, 5, 10), "successes_control"),
        (lambda: two_proportion_ztest(11, 10, 5, 10), "successes_control"),
        (lambda: two_proportion_ztest(5, 10, 5, 10, alternative="bigger"), "alternative"),
        (lambda: two_proportion_ztest(5, 10, 5, 10, alpha=1.5), "alpha"),
        (lambda: two_proportion_ztest(10, 10, 20, 20), "successes_treatment"),
        (lambda: two_proportion_ztest(float("nan"), 10, 5, 10), "successes_control"),
        (lambda: welch_from_summary(1, 0, 10, 2, 0, 10), "sd_treatment"),
        (lambda: welch_from_summary(1, 1, 1, 2, 1, 10), "n_control"),
        (lambda: welch_ttest([1.0, float("nan")], [1.0, 2.0]), "control"),
        (lambda: welch_ttest([1.0], [1.0, 2.0]), "control"),
    ],
)
def test_bad_input_names_the_argument(call: object, argument: str) -> None:
    with pytest.raises(StatsInputError) as raised:
        call()  # type: ignore[operator]
    assert raised.value.argument == argument
