"""Drift detection: is the current window's distribution still the baseline's?

Statistics:
- PSI (population stability index), sum over bins of (c - b) * ln(c / b) with b, c the
  baseline and current shares. Numeric values are binned at the baseline's deciles (so each
  baseline bin holds about a tenth); categorical values use their categories. Empty bins
  are smoothed by adding `epsilon` (1e-4) to every share and renormalising, so one empty bin
  does not make PSI infinite. Conventional reading: < 0.1 stable, 0.1-0.2 warn, > 0.2 alert.
- KS: two-sample Kolmogorov-Smirnov statistic and p-value for numeric values (latency,
  answer length).
- Chi-square: test of the current counts against the baseline shares (categorical, e.g.
  the intent mix), with categories unseen in the baseline pooled into "other".
- Jensen-Shannon distance (base 2, in [0, 1]) between the two categorical distributions.

Baselines roll: `RollingBaseline` keeps the last `windows` windows (not a frozen launch
day), so slow seasonal change is absorbed while a sudden shift is caught. Alerts need
persistence: `SustainedRule` fires when at least k of the last n windows crossed the alert
threshold, so one noisy window does not page anyone.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from scipy import stats
from scipy.spatial.distance import jensenshannon

from mangaassist.experiments.errors import StatsInputError

EPSILON = 1e-4
Status = Literal["ok", "warn", "alert"]


@dataclass(frozen=True, slots=True)
class Thresholds:
    psi_warn: float = 0.1
    psi_alert: float = 0.2
    p_value: float = 0.01  # KS / chi-square: below this the shift is significant
    js_warn: float = 0.1
    js_alert: float = 0.2

    def __post_init__(self) -> None:
        if not 0 < self.psi_warn <= self.psi_alert or not 0 < self.js_warn <= self.js_alert:
            raise StatsInputError("thresholds", "need 0 < warn <= alert")
        if not 0 < self.p_value < 1:
            raise StatsInputError("thresholds", "p_value must be in (0, 1)")


def _shares(counts: np.ndarray, epsilon: float) -> np.ndarray:
    total = counts.sum()
    shares = counts / total if total else np.zeros_like(counts, dtype=float)
    smoothed = shares + epsilon
    return np.asarray(smoothed / smoothed.sum(), dtype=float)


def psi_from_counts(
    baseline: Sequence[float] | np.ndarray,
    current: Sequence[float] | np.ndarray,
    epsilon: float = EPSILON,
) -> float:
    b = np.asarray(baseline, dtype=float)
    c = np.asarray(current, dtype=float)
    if b.shape != c.shape or b.ndim != 1 or len(b) < 2:
        raise StatsInputError("current", "needs the same bins as the baseline (two or more)")
    if (b < 0).any() or (c < 0).any() or not np.isfinite(b).all() or not np.isfinite(c).all():
        raise StatsInputError("counts", "must be finite and non-negative")
    if b.sum() == 0 or c.sum() == 0:
        raise StatsInputError("counts", "baseline and current each need at least one value")
    bs, cs = _shares(b, epsilon), _shares(c, epsilon)
    return float(np.sum((cs - bs) * np.log(cs / bs)))


def _numeric(name: str, values: Iterable[float]) -> np.ndarray:
    array = np.asarray(list(values), dtype=float)
    if array.size < 2:
        raise StatsInputError(name, "needs at least two values")
    if not np.isfinite(array).all():
        raise StatsInputError(name, "contains NaN or infinite values")
    return array


def decile_edges(baseline: np.ndarray, bins: int = 10) -> np.ndarray:
    """Inner bin edges at the baseline's quantiles (duplicates dropped for discrete data)."""
    return np.unique(np.quantile(baseline, np.linspace(0, 1, bins + 1)[1:-1]))


def psi_numeric(baseline: Iterable[float], current: Iterable[float], bins: int = 10) -> float:
    b = _numeric("baseline", baseline)
    c = _numeric("current", current)
    edges = decile_edges(b, bins)
    b_counts = np.bincount(np.searchsorted(edges, b, side="right"), minlength=len(edges) + 1)
    c_counts = np.bincount(np.searchsorted(edges, c, side="right"), minlength=len(edges) + 1)
    return psi_from_counts(b_counts, c_counts)


def _aligned(
    baseline: Counter[Hashable], current: Counter[Hashable]
) -> tuple[list[Hashable], np.ndarray, np.ndarray]:
    categories = sorted(set(baseline) | set(current), key=str)
    b = np.array([baseline.get(k, 0) for k in categories], dtype=float)
    c = np.array([current.get(k, 0) for k in categories], dtype=float)
    return categories, b, c


def psi_categorical(baseline: Iterable[Hashable], current: Iterable[Hashable]) -> float:
    _, b, c = _aligned(Counter(baseline), Counter(current))
    if len(b) < 2:
        raise StatsInputError("baseline", "needs at least two categories")
    return psi_from_counts(b, c)


def js_distance(baseline: Iterable[Hashable], current: Iterable[Hashable]) -> float:
    _, b, c = _aligned(Counter(baseline), Counter(current))
    if b.sum() == 0 or c.sum() == 0:
        raise StatsInputError("counts", "baseline and current each need at least one value")
    return float(jensenshannon(b / b.sum(), c / c.sum(), base=2))


def chi_square(baseline: Iterable[Hashable], current: Iterable[Hashable]) -> tuple[float, float]:
    """Current counts against the baseline's shares; unseen categories pooled as 'other'."""
    base, now = Counter(baseline), Counter(current)
    if sum(base.values()) == 0 or sum(now.values()) == 0:
        raise StatsInputError("counts", "baseline and current each need at least one value")
    categories = sorted(base, key=str)
    observed = [now.get(k, 0) for k in categories]
    unseen = sum(v for k, v in now.items() if k not in base)
    shares = np.array([base[k] for k in categories], dtype=float)
    shares = (shares + EPSILON) / (shares + EPSILON).sum()
    if unseen:
        observed.append(unseen)
        shares = np.append(shares * (1 - EPSILON), EPSILON)
    if len(observed) < 2:
        raise StatsInputError("baseline", "needs at least two categories")
    expected = shares * sum(observed)
    result = stats.chisquare(observed, expected)
    return float(result.statistic), float(result.pvalue)


def ks(baseline: Iterable[float], current: Iterable[float]) -> tuple[float, float]:
    result = stats.ks_2samp(_numeric("baseline", baseline), _numeric("current", current))
    return float(result.statistic), float(result.pvalue)


@dataclass(frozen=True, slots=True)
class DriftResult:
    metric: str
    kind: Literal["numeric", "categorical"]
    psi: float
    status: Status
    p_value: float
    statistic: float  # KS D or chi-square
    js: float | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "metric": self.metric,
            "kind": self.kind,
            "psi": round(self.psi, 6),
            "status": self.status,
            "p_value": self.p_value,
            "statistic": round(self.statistic, 6),
            "js_distance": None if self.js is None else round(self.js, 6),
        }


def _status(psi: float, js: float | None, thresholds: Thresholds) -> Status:
    if psi > thresholds.psi_alert or (js is not None and js > thresholds.js_alert):
        return "alert"
    if psi > thresholds.psi_warn or (js is not None and js > thresholds.js_warn):
        return "warn"
    return "ok"


def compare_numeric(
    metric: str,
    baseline: Sequence[float],
    current: Sequence[float],
    thresholds: Thresholds | None = None,
) -> DriftResult:
    limits = thresholds or Thresholds()
    psi = psi_numeric(baseline, current)
    statistic, p_value = ks(baseline, current)
    return DriftResult(metric, "numeric", psi, _status(psi, None, limits), p_value, statistic)


def compare_categorical(
    metric: str,
    baseline: Sequence[Hashable],
    current: Sequence[Hashable],
    thresholds: Thresholds | None = None,
) -> DriftResult:
    limits = thresholds or Thresholds()
    psi = psi_categorical(baseline, current)
    js = js_distance(baseline, current)
    statistic, p_value = chi_square(baseline, current)
    return DriftResult(metric, "categorical", psi, _status(psi, js, limits), p_value, statistic, js)


@dataclass
class RollingBaseline:
    """The pooled values of the last `windows` windows: the reference for the next one."""

    windows: int = 7
    _kept: deque[list[Any]] = field(default_factory=deque)

    def __post_init__(self) -> None:
        if self.windows < 1:
            raise StatsInputError("windows", "must be at least 1")
        self._kept = deque(maxlen=self.windows)

    def add(self, values: Sequence[Any]) -> None:
        self._kept.append(list(values))

    @property
    def ready(self) -> bool:
        return len(self._kept) == self.windows

    def values(self) -> list[Any]:
        return [v for window in self._kept for v in window]


@dataclass
class SustainedRule:
    """Alert only when at least `k` of the last `n` windows were in alert."""

    k: int = 3
    n: int = 5
    _recent: deque[bool] = field(default_factory=deque)

    def __post_init__(self) -> None:
        if not 1 <= self.k <= self.n:
            raise StatsInputError("k", "must satisfy 1 <= k <= n")
        self._recent = deque(maxlen=self.n)

    def observe(self, status: Status) -> bool:
        self._recent.append(status == "alert")
        return sum(self._recent) >= self.k


def monitor(
    metric: str,
    windows: Sequence[Sequence[Any]],
    *,
    kind: Literal["numeric", "categorical"],
    baseline_windows: int = 7,
    rule: SustainedRule | None = None,
    thresholds: Thresholds | None = None,
) -> list[dict[str, Any]]:
    """Walk windows in time order: each is compared with the rolling baseline of the ones
    before it, then joins the baseline. Returns one row per compared window."""
    baseline = RollingBaseline(baseline_windows)
    sustained = rule or SustainedRule()
    compare = compare_numeric if kind == "numeric" else compare_categorical
    rows = []
    for index, window in enumerate(windows):
        if baseline.ready and len(window) >= 2:
            result = compare(metric, baseline.values(), list(window), thresholds)
            fired = sustained.observe(result.status)
            rows.append(result.as_dict() | {"window": index, "sustained_alert": fired})
        baseline.add(window)
    return rows
