from __future__ import annotations

import math
import random

import numpy as np
import pytest

from mangaassist.experiments.drift import (
    RollingBaseline,
    SustainedRule,
    Thresholds,
    compare_categorical,
    compare_numeric,
    js_distance,
    monitor,
    psi_categorical,
    psi_from_counts,
    psi_numeric,
)
from mangaassist.experiments.errors import StatsInputError


def reference_psi(b: list[float], c: list[float], eps: float = 1e-4) -> float:
    bs = [x / sum(b) + eps for x in b]
    cs = [x / sum(c) + eps for x in c]
    bs = [x / sum(bs) for x in bs]
    cs = [x / sum(cs) for x in cs]
    return sum((ci - bi) * math.log(ci / bi) for bi, ci in zip(bs, cs, strict=True))


def test_psi_matches_the_formula_on_random_counts() -> None:
    rng = random.Random(3)
    for _ in range(200):
        bins = rng.randint(2, 12)
        b = [rng.randint(0, 500) for _ in range(bins)]
        c = [rng.randint(0, 500) for _ in range(bins)]
        b[0] += 1
        c[0] += 1
        assert psi_from_counts(b, c) == pytest.approx(reference_psi(b, c), abs=1e-12)


def test_psi_is_near_zero_for_the_same_distribution_and_large_for_a_shift() -> None:
    rng = np.random.default_rng(1)
    base = rng.lognormal(6, 0.5, 20_000)
    assert psi_numeric(base, rng.lognormal(6, 0.5, 20_000)) < 0.01
    assert psi_numeric(base, rng.lognormal(6.5, 0.5, 20_000)) > 0.2


def test_empty_bins_are_smoothed_not_infinite() -> None:
    assert math.isfinite(psi_from_counts([100, 0, 100], [0, 200, 0]))
    assert math.isfinite(psi_categorical(["faq"] * 50 + ["rec"] * 50, ["escalation"] * 100))


def test_js_matches_scipy_and_is_bounded() -> None:
    from scipy.spatial.distance import jensenshannon

    base = ["faq"] * 60 + ["rec"] * 30 + ["ship"] * 10
    now = ["faq"] * 30 + ["rec"] * 30 + ["ship"] * 40
    expected = jensenshannon([0.6, 0.3, 0.1], [0.3, 0.3, 0.4], base=2)
    assert js_distance(base, now) == pytest.approx(expected, abs=1e-12)
    assert js_distance(base, base) == pytest.approx(0.0, abs=1e-12)
    assert js_distance(["a"] * 5, ["b"] * 5) == pytest.approx(1.0)


def test_intent_mix_shift_is_an_alert_and_steady_mix_is_ok() -> None:
    rng = random.Random(9)
    intents = ["faq", "recommendation", "order_tracking", "shipping", "chitchat"]
    steady = [0.3, 0.3, 0.2, 0.1, 0.1]
    base = rng.choices(intents, steady, k=5000)
    same = compare_categorical("intent", base, rng.choices(intents, steady, k=5000))
    assert same.status == "ok"
    assert same.p_value > 0.001
    shifted = compare_categorical(
        "intent", base, rng.choices(intents, [0.1, 0.2, 0.5, 0.1, 0.1], k=5000)
    )
    assert shifted.status == "alert"
    assert shifted.p_value < 1e-6


def test_numeric_comparison_uses_ks_too() -> None:
    rng = np.random.default_rng(4)
    result = compare_numeric("latency_ms", rng.normal(100, 10, 3000), rng.normal(104, 10, 3000))
    assert result.p_value < 0.001  # KS sees it
    assert result.status in ("ok", "warn")  # small in PSI terms
    assert result.as_dict()["kind"] == "numeric"


def test_rolling_baseline_and_sustained_rule() -> None:
    baseline = RollingBaseline(windows=2)
    baseline.add([1, 2])
    assert not baseline.ready
    baseline.add([3])
    baseline.add([4, 5])
    assert baseline.ready
    assert baseline.values() == [3, 4, 5]
    rule = SustainedRule(k=2, n=3)
    assert [rule.observe(s) for s in ["alert", "ok", "ok", "alert", "alert"]] == [
        False,
        False,
        False,
        False,
        True,
    ]


def test_monitor_fires_on_a_lasting_shift_not_on_one_noisy_window() -> None:
    rng = random.Random(2)
    intents = ["faq", "rec", "order"]
    normal = [0.5, 0.3, 0.2]
    windows = [rng.choices(intents, normal, k=800) for _ in range(10)]
    windows[7] = rng.choices(intents, [0.1, 0.1, 0.8], k=800)  # one odd day
    rows = monitor(
        "intent", windows, kind="categorical", baseline_windows=5, rule=SustainedRule(k=2, n=3)
    )
    assert [r["window"] for r in rows] == [5, 6, 7, 8, 9]
    assert rows[2]["status"] == "alert"
    assert not any(r["sustained_alert"] for r in rows)
    lasting = windows[:6] + [rng.choices(intents, [0.1, 0.1, 0.8], k=800) for _ in range(4)]
    fired = monitor(
        "intent", lasting, kind="categorical", baseline_windows=5, rule=SustainedRule(k=2, n=3)
    )
    assert fired[-1]["sustained_alert"]


@pytest.mark.parametrize(
    ("call", "argument"),
    [
        (lambda: psi_from_counts([1, 2], [1, 2, 3]), "current"),
        (lambda: psi_from_counts([0, 0], [1, 2]), "counts"),
        (lambda: psi_from_counts([1, -2], [1, 2]), "counts"),
        (lambda: psi_numeric([1.0], [1.0, 2.0]), "baseline"),
        (lambda: psi_numeric([1.0, float("nan")], [1.0, 2.0]), "baseline"),
        (lambda: Thresholds(psi_warn=0.3, psi_alert=0.2), "thresholds"),
        (lambda: SustainedRule(k=4, n=3), "k"),
        (lambda: RollingBaseline(windows=0), "windows"),
    ],
)
def test_bad_input_names_the_argument(call, argument: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(StatsInputError) as info:
        call()
    assert info.value.argument == argument
