from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from scipy import stats

from mangaassist.experiments.assignment import (
    ExposureLog,
    Variant,
    assign,
    bucket,
    validate_variants,
)
from mangaassist.experiments.errors import StatsInputError

HALF = (Variant("control", 0.5), Variant("treatment", 0.5))


def test_buckets_are_uniform() -> None:
    counts = Counter(int(bucket("exp-a", f"C{i:06d}") * 20) for i in range(100_000))
    result = stats.chisquare([counts[b] for b in range(20)])
    assert result.pvalue > 0.001


def test_weights_are_respected() -> None:
    variants = validate_variants([Variant("control", 0.8), Variant("a", 0.1), Variant("b", 0.1)])
    counts = Counter(assign("exp-w", f"u{i}", variants) for i in range(50_000))
    expected = [40_000, 5_000, 5_000]
    result = stats.chisquare([counts["control"], counts["a"], counts["b"]], expected)
    assert result.pvalue > 0.001


def test_experiments_are_independent() -> None:
    units = [f"s_{i}" for i in range(40_000)]
    first = [assign("exp-1", u, HALF) for u in units]
    second = [assign("exp-2", u, HALF) for u in units]
    table = Counter(zip(first, second, strict=True))
    contingency = [
        [table[("control", "control")], table[("control", "treatment")]],
        [table[("treatment", "control")], table[("treatment", "treatment")]],
    ]
    assert stats.chi2_contingency(contingency).pvalue > 0.001


def test_assignment_is_sticky_across_processes() -> None:
    here = [assign("exp-sticky", f"C{i}", HALF) for i in range(50)]
    code = (
        "from mangaassist.experiments.assignment import Variant, assign;"
        "v=(Variant('control',0.5),Variant('treatment',0.5));"
        "print(','.join(assign('exp-sticky', f'C{i}', v) for i in range(50)))"
    )
    env_salted = {"PYTHONHASHSEED": "12345"}
    other = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**__import__("os").environ, **env_salted},
    )
    assert other.stdout.strip().split(",") == here


def test_salt_reshuffles_and_weights_move_only_edge_units() -> None:
    units = [f"u{i}" for i in range(10_000)]
    plain = [assign("exp-s", u, HALF) for u in units]
    salted = [assign("exp-s", u, HALF, salt="v2") for u in units]
    assert 0.4 < sum(a != b for a, b in zip(plain, salted, strict=True)) / len(units) < 0.6
    wider = (Variant("control", 0.45), Variant("treatment", 0.55))
    moved = [assign("exp-s", u, wider) for u in units]
    changes = [(a, b) for a, b in zip(plain, moved, strict=True) if a != b]
    assert all(change == ("control", "treatment") for change in changes)
    assert 0.03 < len(changes) / len(units) < 0.07


@pytest.mark.parametrize(
    ("variants", "message"),
    [
        ([Variant("a", 1.0)], "at least two"),
        ([Variant("a", 0.5), Variant("a", 0.5)], "unique"),
        ([Variant("a", 0.7), Variant("b", 0.7)], "sum to 1"),
        ([Variant("a", 1.0), Variant("b", 0.0)], "positive"),
    ],
)
def test_bad_variants_are_named(variants: list[Variant], message: str) -> None:
    with pytest.raises(StatsInputError, match=message) as info:
        validate_variants(variants)
    assert info.value.argument == "variants"


def test_empty_ids_are_rejected() -> None:
    with pytest.raises(StatsInputError, match="unit_id"):
        bucket("exp", "")
    with pytest.raises(StatsInputError, match="experiment_id"):
        bucket("", "u1")


def test_exposures_are_logged_once_per_unit(tmp_path: Path) -> None:
    log = ExposureLog(tmp_path / "exposures.jsonl")
    assert log.record("exp", "u1", "control")
    assert not log.record("exp", "u1", "control")
    assert log.record("exp", "u2", "treatment")
    lines = [json.loads(x) for x in (tmp_path / "exposures.jsonl").read_text().splitlines()]
    assert [(x["unit_id"], x["variant"]) for x in lines] == [("u1", "control"), ("u2", "treatment")]
    assert all(x["event"] == "exposure" for x in lines)
