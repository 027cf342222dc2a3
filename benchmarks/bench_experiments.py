"""A/B analysis speed: 1,000,000 exposure rows, 5 metrics, 3 slice dimensions (target < 2 s).

    .venv/bin/python benchmarks/bench_experiments.py [--units 1000000]

Columns as they come from a database: integer unit ids, text event and variant names,
float values. Prints the median of three runs of `analyze` (encoding, per-unit sums,
tests, Holm across secondary metrics, SRM, slice comparisons with Benjamini-Hochberg).
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from mangaassist.experiments.analysis import Events, analyze
from mangaassist.experiments.definition import parse_definition

DEFINITION = {
    "id": "bench",
    "unit": "session",
    "variants": [{"name": "control", "weight": 0.5}, {"name": "treatment", "weight": 0.5}],
    "primary": {"name": "conversion", "event": "conversion", "kind": "proportion", "mde": 0.005},
    "secondary": [
        {"name": "order_value", "event": "order", "kind": "mean"},
        {"name": "thumbs_down", "event": "thumbs_down", "kind": "proportion", "direction": "lower"},
    ],
    "guardrails": [
        {"name": "escalation", "event": "escalation", "kind": "proportion", "direction": "lower"},
        {"name": "latency", "event": "latency", "kind": "mean", "direction": "lower"},
    ],
}


def events(units: int, seed: int = 0) -> Events:
    rng = np.random.default_rng(seed)
    ids = np.arange(units, dtype=np.int64)
    variant = np.where(rng.random(units) < 0.5, "control", "treatment")
    parts = [(ids, np.full(units, "exposure"), variant, np.zeros(units))]
    rates = {
        "conversion": 0.09,
        "order": 0.09,
        "thumbs_down": 0.02,
        "escalation": 0.03,
        "latency": 0.5,
    }
    for event, rate in rates.items():
        chosen = ids[rng.random(units) < rate]
        value = rng.lognormal(3, 0.5, len(chosen))
        parts.append((chosen, np.full(len(chosen), event), np.full(len(chosen), ""), value))
    unit = np.concatenate([p[0] for p in parts])
    slices = {
        "device": rng.choice(np.array(["mobile", "desktop", "tablet"]), len(unit)),
        "locale": rng.choice(np.array(["en", "ja"]), len(unit)),
        "intent_family": rng.choice(np.array(["discovery", "support", "orders"]), len(unit)),
    }
    return Events(
        unit,
        np.concatenate([p[1] for p in parts]),
        np.concatenate([p[2] for p in parts]),
        np.concatenate([p[3] for p in parts]),
        slices,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=1_000_000, help="exposed units (rows)")
    args = parser.parse_args()
    data = events(args.units)
    definition = parse_definition(DEFINITION)
    times = []
    for _ in range(3):
        started = time.perf_counter()
        result = analyze(definition, data)
        times.append(time.perf_counter() - started)
    print(
        f"{args.units:,} exposure rows + {len(data.unit) - args.units:,} metric events, "
        f"5 metrics, 3 slice dimensions: analyze median {statistics.median(times):.2f} s "
        f"(runs {', '.join(f'{t:.2f}' for t in times)}); {len(result.slices)} slice tests; "
        f"decision {result.decisions['treatment']['decision']}"
    )


if __name__ == "__main__":
    main()
