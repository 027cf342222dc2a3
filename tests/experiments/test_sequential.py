from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from mangaassist.experiments.errors import StatsInputError
from mangaassist.experiments.stats.sequential import msprt, msprt_means, obf_boundaries


def test_obf_five_looks_match_published_lan_demets_values() -> None:
    # ldbounds / gsDesign sfLDOF, K=5 equally spaced, two-sided alpha 0.05.
    bounds = obf_boundaries([0.2, 0.4, 0.6, 0.8, 1.0])
    assert bounds.z == pytest.approx((4.8769, 3.3569, 2.6803, 2.2898, 2.0310), abs=2e-4)
    assert bounds.alpha_spent[-1] == pytest.approx(0.05, abs=1e-12)


def test_obf_single_look_is_the_fixed_horizon_test() -> None:
    assert obf_boundaries([1.0]).z[0] == pytest.approx(stats.norm.ppf(0.975), abs=1e-9)
    assert obf_boundaries([0.5, 1.0]).z == pytest.approx((2.9626, 1.9686), abs=2e-4)


def test_peeking_false_positive_rates() -> None:
    rng = np.random.default_rng(11)
    reps, looks, per_look = 2_000, 5, 40
    # A/A: cumulative z at each look of a mean difference with unit variance per unit.
    steps = rng.normal(size=(reps, looks, 2, per_look)).sum(axis=3)
    sums = np.cumsum(steps[:, :, 1] - steps[:, :, 0], axis=1)
    n = per_look * np.arange(1, looks + 1)
    z = sums / np.sqrt(2 * n)
    naive = np.mean(np.any(np.abs(z) > stats.norm.ppf(0.975), axis=1))
    bounds = np.array(obf_boundaries(list(np.arange(1, looks + 1) / looks)).z)
    gated = np.mean(np.any(np.abs(z) > bounds, axis=1))
    variances = 2.0 / n
    always_valid = np.mean(
        [msprt(s / n, variances, mixing_sd=0.2)[-1].p_value < 0.05 for s in sums]
    )
    assert naive > 0.1
    assert gated <= 0.05 + 0.015
    assert always_valid <= 0.05 + 0.015


def test_confidence_sequence_covers_the_truth_at_every_look() -> None:
    rng = np.random.default_rng(5)
    misses = 0
    for _ in range(200):
        control, treatment = rng.normal(0, 1, 400), rng.normal(0.3, 1, 400)
        seq = msprt_means(control, treatment, list(range(20, 401, 20)), mixing_sd=0.3)
        misses += any(not look.ci_low < 0.3 < look.ci_high for look in seq)
    assert misses / 200 <= 0.05 + 0.03
    assert seq[-1].p_value < 0.05  # a real effect of 0.3 SD shows with 400 per group


def test_msprt_p_value_never_rises() -> None:
    seq = msprt([0.5, 0.1, 0.0], [0.04, 0.02, 0.01], mixing_sd=0.2)
    assert seq[0].p_value == seq[1].p_value == seq[2].p_value < 1


@pytest.mark.parametrize(
    ("call", "argument"),
    [
        (lambda: obf_boundaries([0.5, 0.4, 1.0]), "fractions"),
        (lambda: obf_boundaries([]), "fractions"),
        (lambda: obf_boundaries([0.5, 1.0], alpha=0.0), "alpha"),
        (lambda: msprt([0.1], [0.0], mixing_sd=1), "variances"),
        (lambda: msprt([0.1, float("nan")], [1, 1], mixing_sd=1), "diffs"),
        (lambda: msprt([0.1], [1, 1], mixing_sd=1), "variances"),
        (lambda: msprt([0.1], [1], mixing_sd=0), "mixing_sd"),
        (lambda: msprt_means([1, 1, 1], [2, 2, 2], [3], mixing_sd=1), "treatment"),
        (lambda: msprt_means([1, 2, 3], [2, 3, 4], [4], mixing_sd=1), "looks"),
    ],
)
def test_bad_input_names_the_argument(call: object, argument: str) -> None:
    with pytest.raises(StatsInputError) as raised:
        call()  # type: ignore[operator]
    assert raised.value.argument == argument
