from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from mangaassist.experiments.analysis import Events, analyze, read_rows
from mangaassist.experiments.definition import load_definition, parse_definition
from mangaassist.experiments.errors import StatsInputError
from mangaassist.experiments.stats.proportions import two_proportion_ztest

BASE: dict[str, Any] = {
    "id": "exp",
    "unit": "session",
    "variants": [{"name": "control", "weight": 0.5}, {"name": "treatment", "weight": 0.5}],
    "primary": {"name": "conversion", "event": "conversion", "kind": "proportion"},
    "secondary": [{"name": "order_value", "event": "order", "kind": "mean"}],
    "guardrails": [
        {"name": "escalation", "event": "escalation", "kind": "proportion", "direction": "lower"}
    ],
}


def rows(
    n: int,
    conv: tuple[float, float],
    esc: tuple[float, float] = (0.02, 0.02),
    seed: int = 0,
    split: float = 0.5,
) -> list[dict[str, Any]]:
    rng = np.random.default_rng(seed)
    out: list[dict[str, Any]] = []
    for i in range(n):
        variant = "treatment" if rng.random() < split else "control"
        t = variant == "treatment"
        device = "mobile" if i % 2 else "desktop"
        out.append(
            {
                "experiment_id": "exp",
                "unit_id": f"u{i}",
                "event": "exposure",
                "variant": variant,
                "device": device,
            }
        )
        if rng.random() < conv[t]:
            out.append({"experiment_id": "exp", "unit_id": f"u{i}", "event": "conversion"})
            out.append(
                {
                    "experiment_id": "exp",
                    "unit_id": f"u{i}",
                    "event": "order",
                    "value": float(rng.normal(40, 10)),
                }
            )
        if rng.random() < esc[t]:
            out.append({"experiment_id": "exp", "unit_id": f"u{i}", "event": "escalation"})
    return out


def run(definition: dict[str, Any], data: list[dict[str, Any]]) -> dict[str, Any]:
    return analyze(parse_definition(definition), Events.from_rows(data, "exp")).as_dict()


def test_estimates_match_a_direct_computation() -> None:
    data = rows(4000, (0.10, 0.13))
    result = run(BASE, data)
    exposed = {r["unit_id"]: r["variant"] for r in data if r["event"] == "exposure"}
    converted = {r["unit_id"] for r in data if r["event"] == "conversion"}
    n = {v: sum(1 for x in exposed.values() if x == v) for v in ("control", "treatment")}
    x = {v: sum(1 for u in converted if exposed[u] == v) for v in ("control", "treatment")}
    expected = two_proportion_ztest(x["control"], n["control"], x["treatment"], n["treatment"])
    primary = next(m for m in result["metrics"] if m["metric"] == "conversion")
    assert primary["p_value"] == pytest.approx(expected.p_value, abs=1e-12)
    assert primary["diff"] == pytest.approx(expected.diff, abs=1e-12)
    assert result["units"] == n
    order = next(m for m in result["metrics"] if m["metric"] == "order_value")
    values = {v: [0.0] * 0 for v in ("control", "treatment")}
    per_unit: dict[str, float] = {}
    for r in data:
        if r["event"] == "order":
            per_unit[r["unit_id"]] = per_unit.get(r["unit_id"], 0.0) + r["value"]
    for unit, variant in exposed.items():
        values[variant].append(per_unit.get(unit, 0.0))
    assert order["control"] == pytest.approx(np.mean(values["control"]))
    assert order["treatment"] == pytest.approx(np.mean(values["treatment"]))


def test_ship_when_big_enough_and_planned_sample_reached() -> None:
    definition = BASE | {"primary": BASE["primary"] | {"mde": 0.03, "min_effect": 0.01}}
    result = run(definition, rows(6000, (0.10, 0.15)))
    assert result["decisions"]["treatment"]["decision"] == "ship"


def test_fixed_horizon_is_not_called_before_the_planned_sample() -> None:
    definition = BASE | {"primary": BASE["primary"] | {"mde": 0.005}}
    decision = run(definition, rows(6000, (0.10, 0.15)))["decisions"]["treatment"]
    assert decision["decision"] == "keep_running"
    assert decision["units_still_needed_per_group"] > 0
    sequential = run(definition | {"sequential": True}, rows(6000, (0.10, 0.15)))
    assert sequential["decisions"]["treatment"]["decision"] == "ship"


def test_significant_but_too_small_to_matter() -> None:
    definition = BASE | {"primary": BASE["primary"] | {"mde": 0.03, "min_effect": 0.2}}
    decision = run(definition, rows(6000, (0.10, 0.15)))["decisions"]["treatment"]
    assert decision == decision | {
        "decision": "do_not_ship",
        "reason": "significant but too small to matter",
    }


def test_a_harmed_guardrail_blocks_shipping() -> None:
    definition = BASE | {"primary": BASE["primary"] | {"mde": 0.03}}
    decision = run(definition, rows(6000, (0.10, 0.15), esc=(0.02, 0.08)))["decisions"]
    assert decision["treatment"]["decision"] == "do_not_ship"
    assert "escalation" in decision["treatment"]["reason"]


def test_sample_ratio_mismatch_blocks_everything() -> None:
    result = run(BASE, rows(6000, (0.10, 0.15), split=0.56))
    assert result["srm"]["mismatch"]
    assert result["decisions"]["treatment"]["decision"] == "do_not_ship"


def test_contaminated_units_are_left_out_and_counted() -> None:
    data = rows(200, (0.1, 0.1))
    data.append(
        {
            "experiment_id": "exp",
            "unit_id": "u0",
            "event": "exposure",
            "variant": "treatment" if data[0]["variant"] == "control" else "control",
        }
    )
    result = run(BASE, data)
    assert result["contaminated_units"] == 1
    assert sum(result["units"].values()) == 199


def test_slices_are_corrected_with_benjamini_hochberg() -> None:
    result = run(BASE, rows(4000, (0.10, 0.13)))
    slices = [s for s in result["slices"] if s["slice"] == "device"]
    assert {s["value"] for s in slices} == {"mobile", "desktop"}
    assert all(s["p_adjusted"] >= s["p_value"] for s in slices)


def test_readers_agree_on_jsonl_csv_and_sqlite(tmp_path: Path) -> None:
    data = rows(300, (0.2, 0.3))
    fields = ["experiment_id", "unit_id", "event", "variant", "value", "device"]
    (tmp_path / "e.jsonl").write_text("".join(json.dumps(r) + "\n" for r in data), "utf-8")
    with (tmp_path / "e.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fields)
        writer.writeheader()
        writer.writerows(data)
    db = sqlite3.connect(tmp_path / "e.db")
    db.execute(f"CREATE TABLE events ({', '.join(fields)})")
    db.executemany(
        f"INSERT INTO events VALUES ({', '.join('?' * len(fields))})",
        [tuple(r.get(f) for f in fields) for r in data],
    )
    db.commit()
    db.close()
    results = [
        run(BASE, list(read_rows(tmp_path / name)))["metrics"]
        for name in ("e.jsonl", "e.csv", "e.db")
    ]
    p_values = [[m["p_value"] for m in result] for result in results]
    assert p_values[0] == pytest.approx(p_values[1], abs=1e-12)
    assert p_values[0] == pytest.approx(p_values[2], abs=1e-12)


@pytest.mark.parametrize(
    ("change", "argument"),
    [
        ({"variants": [{"name": "a", "weight": 1.0}]}, "variants"),
        ({"primary": None}, "primary"),
        ({"alpha": 0.7}, "alpha"),
        ({"unit": "visitor"}, "unit"),
        ({"primary": {"name": "x", "event": "y", "kind": "ratio"}}, "primary.kind"),
        ({"secondary": [{"name": "conversion", "event": "c", "kind": "mean"}]}, "metrics"),
    ],
)
def test_bad_definitions_name_the_field(change: dict[str, Any], argument: str) -> None:
    raw = BASE | change
    if change.get("primary", 1) is None:
        raw.pop("primary")
    with pytest.raises(StatsInputError) as info:
        parse_definition(raw)
    assert info.value.argument == argument


def test_bad_events_are_named(tmp_path: Path) -> None:
    with pytest.raises(StatsInputError, match="at least two exposed units"):
        run(BASE, rows(1, (0.1, 0.1)))
    bad = [
        *rows(50, (0.1, 0.1)),
        {"experiment_id": "exp", "unit_id": "u1", "event": "order", "value": "lots"},
    ]
    with pytest.raises(StatsInputError, match="value 'lots'"):
        run(BASE, bad)
    unknown = [
        *rows(50, (0.1, 0.1)),
        {"experiment_id": "exp", "unit_id": "z", "event": "exposure", "variant": "blue"},
    ]
    with pytest.raises(StatsInputError, match="not in the definition"):
        run(BASE, unknown)
    with pytest.raises(StatsInputError, match="no such file"):
        read_rows(tmp_path / "missing.jsonl")
    (tmp_path / "d.yaml").write_text("id: [", encoding="utf-8")
    with pytest.raises(StatsInputError, match="cannot read"):
        load_definition(tmp_path / "d.yaml")


def test_sequential_experiments_use_always_valid_p_values() -> None:
    data = rows(6000, (0.10, 0.12))
    fixed = run(BASE | {"primary": BASE["primary"] | {"mde": 0.03}}, data)
    sequential = run(BASE | {"primary": BASE["primary"] | {"mde": 0.03}, "sequential": True}, data)
    p_fixed = next(m for m in fixed["metrics"] if m["role"] == "primary")["p_adjusted"]
    p_seq = next(m for m in sequential["metrics"] if m["role"] == "primary")["p_adjusted"]
    assert p_seq > p_fixed  # the price of being allowed to look at any time
    with pytest.raises(StatsInputError) as info:
        parse_definition(BASE | {"sequential": True})
    assert info.value.argument == "primary"
