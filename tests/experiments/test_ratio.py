from __future__ import annotations

import numpy as np
import pytest
import statsmodels.api as sm

from mangaassist.experiments.errors import StatsInputError
from mangaassist.experiments.stats.means import welch_ttest
from mangaassist.experiments.stats.ratio import cuped, ratio_test, ratio_variance

RNG = np.random.default_rng(404)


def _sessions(n: int, revenue_per_session: float) -> tuple[np.ndarray, np.ndarray]:
    sessions = RNG.poisson(3, n) + 1.0
    revenue = RNG.gamma(2.0, revenue_per_session / 2, n) * sessions
    return revenue, sessions


@pytest.mark.parametrize("case", range(20))
def test_delta_variance_equals_the_linearised_direct_formula(case: int) -> None:
    x, y = _sessions(int(RNG.integers(20, 2_000)), float(RNG.uniform(1, 50)))
    ratio = x.sum() / y.sum()
    direct = np.var(x - ratio * y, ddof=1) / (x.size * y.mean() ** 2)
    assert ratio_variance(x, y) == pytest.approx(direct, rel=1e-9)


def test_delta_variance_agrees_with_a_large_bootstrap() -> None:
    x, y = _sessions(500, 12.0)
    picks = RNG.integers(0, x.size, size=(20_000, x.size))
    boot = x[picks].sum(axis=1) / y[picks].sum(axis=1)
    assert ratio_variance(x, y) == pytest.approx(boot.var(ddof=1), rel=0.05)


def test_ratio_with_unit_denominators_is_the_mean_z_test() -> None:
    control, treatment = RNG.normal(10, 3, 3_000), RNG.normal(10.3, 3, 3_000)
    ones = np.ones(3_000)
    ours = ratio_test(control, ones, treatment, ones)
    welch = welch_ttest(control, treatment)
    assert ours.diff == pytest.approx(welch.diff, abs=1e-12)
    assert ours.statistic == pytest.approx(welch.statistic, rel=1e-9)
    assert ours.lift == pytest.approx(welch.lift, rel=1e-9)


@pytest.mark.parametrize("case", range(20))
def test_cuped_estimate_is_the_ols_treatment_coefficient(case: int) -> None:
    n_c, n_t = (int(v) for v in RNG.integers(50, 3_000, size=2))
    x_c, x_t = RNG.normal(20, 5, n_c), RNG.normal(20, 5, n_t)
    y_c = 2 + 0.8 * x_c + RNG.normal(0, 3, n_c)
    y_t = 2.5 + 0.8 * x_t + RNG.normal(0, 3, n_t)
    ours = cuped(y_c, x_c, y_t, x_t)
    design = np.column_stack(
        [np.ones(n_c + n_t), np.r_[np.zeros(n_c), np.ones(n_t)], np.r_[x_c, x_t]]
    )
    fit = sm.OLS(np.r_[y_c, y_t], design).fit(cov_type="HC2")
    assert ours.comparison.diff == pytest.approx(fit.params[1], abs=1e-9)
    assert ours.theta == pytest.approx(fit.params[2], abs=1e-9)
    se = (ours.comparison.ci_high - ours.comparison.ci_low) / 2 / 1.96
    assert se == pytest.approx(fit.bse[1], rel=0.03)
    assert ours.variance_reduction > 0.5


@pytest.mark.parametrize(
    ("call", "argument"),
    [
        (
            lambda: ratio_test([1, 2], [1, 1], [1, 2, 3], [1, 1], alpha=0.05),
            "denominator_treatment",
        ),
        (lambda: ratio_test([1, 2], [0, 0], [1, 2], [1, 1]), "denominator_control"),
        (lambda: ratio_test([1, 2], [-1, 2], [1, 2], [1, 1]), "denominator_control"),
        (lambda: ratio_test([2, 2], [1, 1], [1, 2], [1, 1]), "numerator_control"),
        (lambda: ratio_test([1, float("nan")], [1, 1], [1, 2], [1, 1]), "numerator_control"),
        (lambda: cuped([1, 2, 3], [1, 1, 1], [1, 2, 4], [2, 2, 2]), "treatment_covariate"),
        (lambda: cuped([1, 2, 3], [1, 2], [1, 2, 4], [1, 2, 3]), "control_covariate"),
    ],
)
def test_bad_input_names_the_argument(call: object, argument: str) -> None:
    with pytest.raises(StatsInputError) as raised:
        call()  # type: ignore[operator]
    assert raised.value.argument == argument
