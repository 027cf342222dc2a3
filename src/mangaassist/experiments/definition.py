"""Experiment definitions (YAML): variants, unit, pre-registered metrics, MDE, alpha, power.

```yaml
id: prompt-v2
unit: session                    # customer or session
variants: [{name: control, weight: 0.5}, {name: treatment, weight: 0.5}]
primary:   {name: conversion, event: conversion, kind: proportion, mde: 0.01,
            min_effect: 0.005}
secondary: [{name: order_value, event: order, kind: mean, mde: 2.0}]
guardrails: [{name: escalation, event: escalation, kind: proportion, direction: lower}]
alpha: 0.05
power: 0.8
start: 2026-11-01
end: 2026-11-29
```

A metric is `proportion` (share of exposed units with at least one such event) or `mean`
(per exposed unit, the sum of the events' values; units without events count 0).
`direction` says which way is good (`higher` by default; `lower` for escalations,
thumbs-down or latency). `min_effect` is the minimum effect of interest: a significant
change smaller than it is "significant but too small to matter".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal

import yaml

from mangaassist.experiments.assignment import Variant, validate_variants
from mangaassist.experiments.errors import StatsInputError
from mangaassist.yamlio import load_yaml


@dataclass(frozen=True, slots=True)
class Metric:
    name: str
    event: str
    kind: Literal["proportion", "mean"]
    direction: Literal["higher", "lower"] = "higher"
    mde: float | None = None
    min_effect: float = 0.0


@dataclass(frozen=True, slots=True)
class Definition:
    experiment_id: str
    unit: Literal["customer", "session"]
    variants: tuple[Variant, ...]
    primary: Metric
    secondary: tuple[Metric, ...] = ()
    guardrails: tuple[Metric, ...] = ()
    alpha: float = 0.05
    power: float = 0.8
    start: date | None = None
    end: date | None = None
    sequential: bool = False

    @property
    def metrics(self) -> tuple[Metric, ...]:
        return (self.primary, *self.secondary, *self.guardrails)

    @property
    def control(self) -> str:
        return self.variants[0].name


def _metric(raw: Any, where: str) -> Metric:
    if not isinstance(raw, dict):
        raise StatsInputError(where, "a metric is a mapping with name, event and kind")
    name, event, kind = raw.get("name"), raw.get("event"), raw.get("kind")
    if not isinstance(name, str) or not name or not isinstance(event, str) or not event:
        raise StatsInputError(where, "needs a non-empty 'name' and 'event'")
    if kind not in ("proportion", "mean"):
        raise StatsInputError(f"{where}.kind", "must be proportion or mean")
    direction = raw.get("direction", "higher")
    if direction not in ("higher", "lower"):
        raise StatsInputError(f"{where}.direction", "must be higher or lower")
    mde = raw.get("mde")
    if mde is not None and (not isinstance(mde, int | float) or mde <= 0):
        raise StatsInputError(f"{where}.mde", "must be a positive number")
    min_effect = raw.get("min_effect", 0.0)
    if not isinstance(min_effect, int | float) or min_effect < 0:
        raise StatsInputError(f"{where}.min_effect", "must be a non-negative number")
    return Metric(name, event, kind, direction, None if mde is None else float(mde), min_effect)


def parse_definition(raw: Any) -> Definition:
    if not isinstance(raw, dict):
        raise StatsInputError("definition", "must be a YAML mapping")
    experiment_id = raw.get("id")
    if not isinstance(experiment_id, str) or not experiment_id:
        raise StatsInputError("id", "must be a non-empty string")
    unit = raw.get("unit", "customer")
    if unit not in ("customer", "session"):
        raise StatsInputError("unit", "must be customer or session")
    raw_variants = raw.get("variants")
    if not isinstance(raw_variants, list):
        raise StatsInputError("variants", "must be a list of {name, weight}")
    try:
        variants = validate_variants(
            [Variant(str(v["name"]), float(v["weight"])) for v in raw_variants]
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise StatsInputError("variants", "each needs a name and a numeric weight") from exc
    if "primary" not in raw:
        raise StatsInputError("primary", "the primary metric must be pre-registered")
    primary = _metric(raw["primary"], "primary")
    secondary = tuple(_metric(m, f"secondary[{i}]") for i, m in enumerate(raw.get("secondary", [])))
    guardrails = tuple(
        _metric(m, f"guardrails[{i}]") for i, m in enumerate(raw.get("guardrails", []))
    )
    names = [m.name for m in (primary, *secondary, *guardrails)]
    if len(set(names)) != len(names):
        raise StatsInputError("metrics", "metric names must be unique")
    alpha, power = raw.get("alpha", 0.05), raw.get("power", 0.8)
    if not isinstance(alpha, float) or not 0 < alpha < 0.5:
        raise StatsInputError("alpha", "must be a number in (0, 0.5)")
    if not isinstance(power, float) or not 0.5 <= power < 1:
        raise StatsInputError("power", "must be a number in [0.5, 1)")
    start, end = raw.get("start"), raw.get("end")
    for name, value in (("start", start), ("end", end)):
        if value is not None and not isinstance(value, date):
            raise StatsInputError(name, "must be a date (YYYY-MM-DD)")
    if start and end and end < start:
        raise StatsInputError("end", "must not be before start")
    sequential = bool(raw.get("sequential", False))
    if sequential and not (primary.min_effect or primary.mde):
        raise StatsInputError(
            "primary", "a sequential experiment needs min_effect or mde (the mSPRT mixing SD)"
        )
    return Definition(
        experiment_id,
        unit,
        variants,
        primary,
        secondary,
        guardrails,
        alpha,
        power,
        start,
        end,
        sequential,
    )


def load_definition(path: Path) -> Definition:
    try:
        raw = load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise StatsInputError("definition", f"{path}: cannot read ({exc})") from exc
    return parse_definition(raw)
