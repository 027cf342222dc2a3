"""A/B analysis from events: per-metric estimates, corrections, SRM, slices and a decision.

Events are rows `{experiment_id, unit_id, event, variant, value, <slice fields>}`. An
`exposure` row assigns a unit to a variant (the first one counts; a unit seen in two
variants is contaminated and left out, and counted). Other rows are metric events: a
`proportion` metric is the share of exposed units with at least one such event, a `mean`
metric the per-unit sum of the events' values (0 for units without any). Slice fields
(device, intent family, locale …) are read from each unit's exposure row.

Per treatment and metric: the estimate per group, the difference with its interval and
relative lift (two-proportion z-test or Welch), p-values corrected with Holm across the
secondary metrics and with Benjamini-Hochberg across slices. Then one decision:

- `do_not_ship` when the sample ratio is off (SRM: the assignment is broken, nothing can
  be trusted), a guardrail metric got significantly worse, the primary metric got
  significantly worse, or it improved by less than its minimum effect of interest
  ("significant but too small to matter");
- `keep_running` when the planned sample (from the primary metric's MDE, alpha and power)
  is not reached yet — a fixed-horizon test is never called early, even when it looks
  significant (peeking inflates false positives) — or the result is not significant yet;
  the units still needed are given;
- `ship` when the primary metric improved significantly by at least the minimum effect,
  at or after the planned sample, with no guardrail harmed.

Columnar and vectorised with numpy (`np.bincount` per metric), so a million rows analyse
in well under two seconds (benchmarks/bench_experiments.py).
"""

from __future__ import annotations

import csv
import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import Any

import numpy as np

from mangaassist.experiments.definition import Definition, Metric
from mangaassist.experiments.errors import StatsInputError
from mangaassist.experiments.power import sample_size_means, sample_size_proportions
from mangaassist.experiments.stats.means import welch_from_summary
from mangaassist.experiments.stats.multiple import benjamini_hochberg, holm
from mangaassist.experiments.stats.proportions import two_proportion_ztest
from mangaassist.experiments.stats.result import Comparison
from mangaassist.experiments.stats.sequential import msprt
from mangaassist.experiments.stats.srm import sample_ratio_mismatch

SLICE_FIELDS = ("device", "intent_family", "locale")


@dataclass
class Events:
    """Columns of the event rows of one experiment."""

    unit: Sequence[Any] | np.ndarray
    event: Sequence[str] | np.ndarray
    variant: Sequence[str] | np.ndarray
    value: np.ndarray
    slices: dict[str, Sequence[str] | np.ndarray] = field(default_factory=dict)

    def __post_init__(self) -> None:
        size = len(self.unit)
        lengths = {len(self.event), len(self.variant), len(self.value)}
        lengths |= {len(v) for v in self.slices.values()}
        if lengths != {size}:
            raise StatsInputError("events", "every column must have one entry per row")

    @classmethod
    def from_rows(cls, rows: Iterable[dict[str, Any]], experiment_id: str) -> Events:
        unit: list[str] = []
        event: list[str] = []
        variant: list[str] = []
        value: list[float] = []
        slices: dict[str, Sequence[str] | np.ndarray] = {name: [] for name in SLICE_FIELDS}
        for number, row in enumerate(rows, 1):
            if str(row.get("experiment_id", "")) != experiment_id:
                continue
            if not row.get("unit_id") or not row.get("event"):
                raise StatsInputError("events", f"row {number} needs unit_id and event")
            raw_value = row.get("value") or 0.0
            try:
                number_value = float(raw_value)
            except (TypeError, ValueError) as exc:
                raise StatsInputError("events", f"row {number}: value {raw_value!r}") from exc
            if number_value != number_value:  # NaN
                raise StatsInputError("events", f"row {number}: value is NaN")
            unit.append(str(row["unit_id"]))
            event.append(str(row["event"]))
            variant.append(str(row.get("variant") or ""))
            value.append(number_value)
            for name in SLICE_FIELDS:
                column = slices[name]
                assert isinstance(column, list)
                column.append(str(row.get(name) or ""))
        return cls(unit, event, variant, np.asarray(value, dtype=float), slices)


def read_rows(path: Path) -> Iterable[dict[str, Any]]:
    """Rows from JSON lines (.jsonl), CSV (.csv) or SQLite (.db/.sqlite3, table `events`)."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise StatsInputError("events", f"{path}: no such file")
    if suffix in (".db", ".sqlite", ".sqlite3"):
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        connection.row_factory = sqlite3.Row
        try:
            return [dict(r) for r in connection.execute("SELECT * FROM events")]
        except sqlite3.Error as exc:
            raise StatsInputError("events", f"{path}: {exc}") from exc
        finally:
            connection.close()
    if suffix == ".csv":
        with path.open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))
    rows = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise StatsInputError("events", f"{path.name}:{number}: invalid JSON") from exc
    return rows


@dataclass(frozen=True, slots=True)
class MetricResult:
    metric: str
    role: str  # primary | secondary | guardrail
    variant: str
    comparison: Comparison
    p_adjusted: float
    min_effect: float
    direction: str

    @property
    def better(self) -> bool:
        diff = self.comparison.diff
        return diff > 0 if self.direction == "higher" else diff < 0

    @property
    def significant(self) -> bool:
        return self.p_adjusted < self.comparison.alpha

    @property
    def meaningful(self) -> bool:
        return abs(self.comparison.diff) >= self.min_effect

    def as_dict(self) -> dict[str, Any]:
        c = self.comparison
        return {
            "metric": self.metric,
            "role": self.role,
            "variant": self.variant,
            "control": c.control,
            "treatment": c.treatment,
            "diff": c.diff,
            "ci_low": c.ci_low,
            "ci_high": c.ci_high,
            "lift": c.lift,
            "p_value": c.p_value,
            "p_adjusted": self.p_adjusted,
            "significant": self.significant,
            "direction": self.direction,
            "min_effect": self.min_effect,
            "test": c.test,
        }


@dataclass
class _Units:
    """Every row's unit as an integer code; per exposed unit its variant (None when
    contaminated) and slice labels."""

    row_unit: np.ndarray  # unit code per row, -1 for units never exposed
    variants: np.ndarray  # variant name per exposed unit (object), None if contaminated
    contaminated: int
    slices: dict[str, tuple[np.ndarray, dict[str, int]]]  # codes per exposed unit, labels
    event_codes: np.ndarray
    event_index: dict[str, int]


_FEW = 64


def _encode(values: Sequence[Any] | np.ndarray) -> tuple[np.ndarray, dict[Any, int]]:
    """Integer codes per row and the code of each distinct value.

    Sorting (`np.unique`) is what costs at a million rows, so it is avoided: non-negative
    integer ids of modest range are their own codes; columns with few distinct values (event
    names, variants, devices) are coded with one vectorised comparison per value; Python
    lists go through a dict built and looked up in C (`dict.fromkeys`, `map`)."""
    if isinstance(values, np.ndarray):
        if values.dtype.kind in "iu" and len(values):
            low, high = int(values.min()), int(values.max())
            if low >= 0 and high < 4 * len(values) + 1024:
                return values.astype(np.int64, copy=False), {}
        elif len(values):
            distinct = list(dict.fromkeys(values.tolist()))
            if len(distinct) <= _FEW:
                codes = np.empty(len(values), dtype=np.int64)
                for code, value in enumerate(distinct):
                    codes[values == value] = code
                return codes, {value: code for code, value in enumerate(distinct)}
        uniques, inverse = np.unique(values, return_inverse=True)
        return inverse.astype(np.int64).ravel(), {v: i for i, v in enumerate(uniques.tolist())}
    index = {value: code for code, value in enumerate(dict.fromkeys(values))}
    codes = np.fromiter(map(index.__getitem__, values), dtype=np.int64, count=len(values))
    return codes, index


def _take(column: Sequence[Any] | np.ndarray, rows: np.ndarray) -> Sequence[Any] | np.ndarray:
    """column[rows]: numpy indexing, or itemgetter (C speed) for a plain list."""
    if isinstance(column, np.ndarray):
        picked_rows: np.ndarray = column[rows]
        return picked_rows
    if len(rows) == 0:
        return []
    picked = itemgetter(*rows.tolist())(column)
    return [picked] if len(rows) == 1 else list(picked)


def _units(events: Events) -> _Units:
    unit_codes, _ = _encode(events.unit)
    event_codes, event_index = _encode(events.event)
    exposure = event_index.get("exposure", -1)
    exposed_rows = np.flatnonzero(event_codes == exposure)
    variant_codes, variant_index = _encode(_take(events.variant, exposed_rows))
    first_units, first = np.unique(unit_codes[exposed_rows], return_index=True)
    # Units exposed to two variants: some exposure row disagrees with the unit's first one.
    per_unit_first = np.full(unit_codes.max() + 1 if len(unit_codes) else 0, -1, np.int64)
    per_unit_first[first_units] = variant_codes[first]
    disagree = per_unit_first[unit_codes[exposed_rows]] != variant_codes
    bad_units = np.unique(unit_codes[exposed_rows][disagree])
    # Exposed units renumbered 0..U-1 in code order; rows of other units map to -1.
    dense = np.full(len(per_unit_first), -1, np.int64)
    dense[first_units] = np.arange(len(first_units))
    names = np.array(list(variant_index), dtype=object)
    variants = names[variant_codes[first]] if len(first) else np.zeros(0, dtype=object)
    variants = variants.astype(object)
    variants[dense[bad_units]] = None
    first_rows = exposed_rows[first]
    slices = {name: _encode(_take(column, first_rows)) for name, column in events.slices.items()}
    return _Units(dense[unit_codes], variants, len(bad_units), slices, event_codes, event_index)


def _per_unit(events: Events, units: _Units, metric: Metric) -> np.ndarray:
    size = len(units.variants)
    code = units.event_index.get(metric.event)
    if code is None:
        return np.zeros(size)
    rows = np.flatnonzero(units.event_codes == code)
    owners = units.row_unit[rows]
    keep = owners >= 0
    if metric.kind == "proportion":
        return (np.bincount(owners[keep], minlength=size) > 0).astype(float)
    return np.bincount(owners[keep], weights=events.value[rows][keep], minlength=size)


def _compare(
    metric: Metric, control: np.ndarray, treatment: np.ndarray, alpha: float
) -> Comparison:
    if metric.kind == "proportion":
        return two_proportion_ztest(
            int(control.sum()), len(control), int(treatment.sum()), len(treatment), alpha=alpha
        )
    return welch_from_summary(
        float(control.mean()),
        float(control.std(ddof=1)),
        len(control),
        float(treatment.mean()),
        float(treatment.std(ddof=1)),
        len(treatment),
        alpha=alpha,
    )


def _always_valid_p(metric: Metric, comparison: Comparison) -> float:
    """For a sequential experiment: the mSPRT always-valid p-value of the primary metric at
    this look (normal mixture with the metric's minimum effect of interest, else its MDE, as
    the mixing SD), which may be read after every look without inflating false positives."""
    from scipy import stats as _stats

    z = float(_stats.norm.ppf(1 - comparison.alpha / 2))
    standard_error = (comparison.ci_high - comparison.ci_low) / (2 * z)
    mixing = metric.min_effect or metric.mde
    if mixing is None or standard_error <= 0:
        raise StatsInputError(
            "primary", "a sequential experiment needs the primary metric's min_effect or mde"
        )
    (look,) = msprt(
        [comparison.diff], [standard_error**2], mixing_sd=mixing, alpha=comparison.alpha
    )
    return look.p_value


def planned_sample(definition: Definition, control: np.ndarray) -> int | None:
    metric = definition.primary
    if metric.mde is None or len(control) < 2:
        return None
    alpha, power = definition.alpha, definition.power
    try:
        if metric.kind == "proportion":
            rate = float(control.mean())
            return sample_size_proportions(rate, metric.mde, alpha=alpha, power=power)
        return sample_size_means(float(control.std(ddof=1)), metric.mde, alpha=alpha, power=power)
    except StatsInputError:
        return None


@dataclass
class Analysis:
    definition: Definition
    units: dict[str, int]
    contaminated: int
    srm: dict[str, Any]
    results: list[MetricResult]
    slices: list[dict[str, Any]]
    decisions: dict[str, dict[str, Any]]

    def as_dict(self) -> dict[str, Any]:
        return {
            "experiment_id": self.definition.experiment_id,
            "units": self.units,
            "contaminated_units": self.contaminated,
            "srm": self.srm,
            "metrics": [r.as_dict() for r in self.results],
            "slices": self.slices,
            "decisions": self.decisions,
        }


def _decide(
    definition: Definition,
    variant: str,
    results: Sequence[MetricResult],
    n: int,
    planned: int | None,
    srm_broken: bool,
) -> dict[str, Any]:
    primary = next(r for r in results if r.role == "primary" and r.variant == variant)
    harmed = [
        r.metric
        for r in results
        if r.role == "guardrail" and r.variant == variant and r.significant and not r.better
    ]
    needed = None if planned is None else max(0, planned - n)
    if srm_broken:
        return {
            "decision": "do_not_ship",
            "reason": "sample ratio mismatch: the assignment is broken",
        }
    if harmed:
        return {"decision": "do_not_ship", "reason": f"guardrail metrics got worse: {harmed}"}
    if needed and not definition.sequential:
        return {
            "decision": "keep_running",
            "reason": "the planned sample is not reached; a fixed-horizon test is not called early",
            "units_still_needed_per_group": needed,
        }
    if not primary.significant:
        if needed is None and planned is None:
            return {"decision": "keep_running", "reason": "not significant (no MDE was registered)"}
        return {"decision": "do_not_ship", "reason": "no significant effect at the planned sample"}
    if not primary.better:
        return {"decision": "do_not_ship", "reason": "the primary metric got significantly worse"}
    if not primary.meaningful:
        return {"decision": "do_not_ship", "reason": "significant but too small to matter"}
    return {
        "decision": "ship",
        "reason": "the primary metric improved by at least the minimum effect",
    }


def analyze(definition: Definition, events: Events) -> Analysis:
    units = _units(events)
    variants, contaminated = units.variants, units.contaminated
    names = [v.name for v in definition.variants]
    unknown = {v for v in variants if v is not None} - set(names)
    if unknown:
        raise StatsInputError(
            "events", f"exposures to variants not in the definition: {sorted(unknown)}"
        )
    masks = {name: variants == name for name in names}
    counts = {name: int(mask.sum()) for name, mask in masks.items()}
    if counts[definition.control] < 2 or any(c < 2 for c in counts.values()):
        raise StatsInputError("events", f"each variant needs at least two exposed units: {counts}")
    srm = sample_ratio_mismatch(list(counts.values()), [v.weight for v in definition.variants])
    per_unit = {m.name: _per_unit(events, units, m) for m in definition.metrics}
    control_mask = masks[definition.control]
    alpha = definition.alpha
    results: list[MetricResult] = []
    for variant in names[1:]:
        mask = masks[variant]
        raw: list[tuple[Metric, str, Comparison]] = []
        for role, metrics in (
            ("primary", [definition.primary]),
            ("secondary", definition.secondary),
            ("guardrail", definition.guardrails),
        ):
            for metric in metrics:
                values = per_unit[metric.name]
                raw.append(
                    (metric, role, _compare(metric, values[control_mask], values[mask], alpha))
                )
        secondary_p = [c.p_value for m, role, c in raw if role == "secondary"]
        adjusted = iter(holm(secondary_p).tolist()) if secondary_p else iter(())
        for metric, role, comparison in raw:
            p = next(adjusted) if role == "secondary" else comparison.p_value
            if role == "primary" and definition.sequential:
                p = _always_valid_p(metric, comparison)
            results.append(
                MetricResult(
                    metric.name,
                    role,
                    variant,
                    comparison,
                    float(p),
                    metric.min_effect,
                    metric.direction,
                )
            )
    slices = _slices(definition, per_unit[definition.primary.name], masks, units.slices)
    primary_control = per_unit[definition.primary.name][control_mask]
    planned = planned_sample(definition, primary_control)
    decisions = {
        variant: _decide(
            definition,
            variant,
            results,
            min(counts[definition.control], counts[variant]),
            planned,
            srm.mismatch,
        )
        | {"planned_units_per_group": planned}
        for variant in names[1:]
    }
    return Analysis(
        definition,
        counts,
        contaminated,
        {"statistic": srm.statistic, "p_value": srm.p_value, "mismatch": srm.mismatch},
        results,
        slices,
        decisions,
    )


def _slices(
    definition: Definition,
    values: np.ndarray,
    masks: dict[str, np.ndarray],
    unit_slices: dict[str, tuple[np.ndarray, dict[str, int]]],
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    control = masks[definition.control]
    for name, (codes, labels) in unit_slices.items():
        for label in sorted(set(labels) - {""}):
            inside = codes == labels[label]
            for variant, mask in masks.items():
                if variant == definition.control:
                    continue
                c, t = values[control & inside], values[mask & inside]
                if len(c) < 2 or len(t) < 2:
                    continue
                try:
                    comparison = _compare(definition.primary, c, t, definition.alpha)
                except StatsInputError:
                    continue
                rows.append(
                    {
                        "slice": name,
                        "value": label,
                        "variant": variant,
                        "units": int(len(c) + len(t)),
                        "diff": comparison.diff,
                        "ci_low": comparison.ci_low,
                        "ci_high": comparison.ci_high,
                        "p_value": comparison.p_value,
                    }
                )
    if rows:
        for row, p in zip(
            rows, benjamini_hochberg([r["p_value"] for r in rows]).tolist(), strict=True
        ):
            row["p_adjusted"] = p
            row["significant"] = p < definition.alpha
    return rows
