from __future__ import annotations

import pytest

from mangaassist.experiments.errors import StatsInputError
from mangaassist.experiments.stats.practical import Verdict, horizon_check, practical_verdict
from mangaassist.experiments.stats.proportions import two_proportion_ztest


@pytest.mark.parametrize(
    ("counts", "min_effect", "verdict"),
    [
        ((4_200, 50_000, 4_700, 50_000), 0.005, Verdict.SIGNIFICANT_AND_MEANINGFUL),
        ((4_200, 50_000, 4_700, 50_000), 0.02, Verdict.SIGNIFICANT_BUT_TOO_SMALL),
        ((42_000, 500_000, 42_100, 500_000), 0.005, Verdict.NOT_SIGNIFICANT),
        ((42, 500, 47, 500), 0.005, Verdict.INCONCLUSIVE),
        ((4_700, 50_000, 4_200, 50_000), 0.005, Verdict.SIGNIFICANT_AND_MEANINGFUL),
    ],
)
def test_practical_verdicts(
    counts: tuple[int, int, int, int], min_effect: float, verdict: Verdict
) -> None:
    assert practical_verdict(two_proportion_ztest(*counts), min_effect) is verdict


def test_practical_verdict_needs_a_positive_min_effect() -> None:
    with pytest.raises(StatsInputError) as raised:
        practical_verdict(two_proportion_ztest(42, 500, 47, 500), 0.0)
    assert raised.value.argument == "min_effect"


def test_horizon_check_refuses_an_early_fixed_horizon_call() -> None:
    early = horizon_check(3_000, 3_100, 4_000)
    assert (early.verdict, early.units_still_needed_per_group) == ("keep_running", 1_000)
    assert horizon_check(4_000, 4_050, 4_000).verdict == "ready"
    sequential = horizon_check(3_000, 3_100, 4_000, sequential=True)
    assert (sequential.verdict, sequential.units_still_needed_per_group) == ("ready", 0)


@pytest.mark.parametrize(
    ("args", "argument"),
    [
        ((-1, 10, 10), "n_control"),
        ((10, 1.5, 10), "n_treatment"),
        ((10, 10, 0), "planned_per_group"),
    ],
)
def test_horizon_check_bad_input(args: tuple[float, float, float], argument: str) -> None:
    with pytest.raises(StatsInputError) as raised:
        horizon_check(*args)  # type: ignore[arg-type]
    assert raised.value.argument == argument
