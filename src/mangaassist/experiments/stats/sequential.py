"""Peeking-safe testing: Lan-DeMets O'Brien-Fleming boundaries and mSPRT confidence sequences.

Group-sequential: two-sided symmetric z boundaries; each side spends α/2 by the
O'Brien-Fleming-type function 2 - 2·Φ(z_{1-α/4} / √t) (Lan & DeMets 1983, as in ldbounds and
gsDesign's sfLDOF), found by recursive numerical integration of the score's Brownian motion.

Always valid: the normal-mixture mSPRT (Johari et al. 2017) for a difference θ with
estimated variance V at each look. With mixing distribution N(0, τ²) the likelihood ratio
is Λ = √(V / (V + τ²)) · exp(θ̂² τ² / (2 V (V + τ²))); the p-value min(1, 1 / max Λ) over
looks and the confidence sequence {θ : Λ(θ) < 1/α} hold at every look simultaneously
(exactly for normal data with known variance, asymptotically with a plug-in variance).
τ is a choice made before the data: set it to the effect you care about (the minimum effect
of interest); the sequence is narrowest when V is near τ² and valid for any fixed τ.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import optimize, stats

from mangaassist.experiments import validate
from mangaassist.experiments.errors import StatsInputError
from mangaassist.experiments.validate import ArrayLike

_GRID_POINTS = 1201


@dataclass(frozen=True, slots=True)
class Boundaries:
    """Reject at look k when |z_k| >= z[k]; `alpha_spent` is cumulative."""

    fractions: tuple[float, ...]
    z: tuple[float, ...]
    nominal_p: tuple[float, ...]
    alpha_spent: tuple[float, ...]


def obf_spending(fraction: float, alpha: float) -> float:
    """Cumulative two-sided alpha spent by information fraction t (O'Brien-Fleming type)."""
    return float(4 - 4 * stats.norm.cdf(stats.norm.ppf(1 - alpha / 4) / math.sqrt(fraction)))


def _fractions(values: Sequence[float]) -> list[float]:
    fractions = [validate.finite(f"fractions[{i}]", v) for i, v in enumerate(values)]
    if not fractions:
        raise StatsInputError("fractions", "needs at least one look")
    steps = np.diff([0.0, *fractions])
    if np.any(steps <= 0) or fractions[-1] > 1:
        raise StatsInputError("fractions", "must increase strictly within (0, 1]")
    return fractions


def obf_boundaries(fractions: Sequence[float], *, alpha: float = 0.05) -> Boundaries:
    """Two-sided boundaries at the given information fractions (the last usually 1)."""
    looks = _fractions(fractions)
    level = validate.probability("alpha", alpha)
    spent = [obf_spending(t, level) for t in looks]
    z: list[float] = []
    grid = np.zeros(1)
    density = np.ones(1)  # point mass at 0 before the first look
    previous = 0.0
    for k, t in enumerate(looks):
        step = math.sqrt(t - previous)
        target = spent[k] - (spent[k - 1] if k else 0.0)

        args = (math.sqrt(t), step, grid, density, target)
        c = float(optimize.brentq(_excess_crossing, 0.0, 40.0, args=args, xtol=1e-12))
        z.append(c)
        new_grid = np.linspace(-c * math.sqrt(t), c * math.sqrt(t), _GRID_POINTS)
        kernel = stats.norm.pdf((new_grid[:, None] - grid[None, :]) / step) / step
        density = kernel @ (density * _weights(grid))
        grid, previous = new_grid, t
    nominal = [float(2 * stats.norm.sf(c)) for c in z]
    return Boundaries(tuple(looks), tuple(z), tuple(nominal), tuple(spent))


def _excess_crossing(
    c: float, root_t: float, step: float, grid: np.ndarray, density: np.ndarray, target: float
) -> float:
    """Probability of first crossing ±c at this look, minus the alpha it may spend."""
    edge = c * root_t
    tails = stats.norm.sf((edge - grid) / step) + stats.norm.cdf((-edge - grid) / step)
    return _integrate(density * tails, grid) - target


def _weights(grid: np.ndarray) -> np.ndarray:
    """Simpson weights on an odd uniform grid; weight 1 for the point mass before look 1."""
    if grid.size == 1:
        return np.ones(1)
    weights = np.ones(grid.size)
    weights[1:-1:2], weights[2:-1:2] = 4.0, 2.0
    result: np.ndarray = weights * (grid[1] - grid[0]) / 3
    return result


def _integrate(values: np.ndarray, grid: np.ndarray) -> float:
    return float(np.dot(values, _weights(grid)))


@dataclass(frozen=True, slots=True)
class SequentialLook:
    diff: float
    ci_low: float
    ci_high: float
    p_value: float  # always valid: the running minimum over looks so far


def msprt(
    diffs: ArrayLike, variances: ArrayLike, *, mixing_sd: float, alpha: float = 0.05
) -> list[SequentialLook]:
    """One entry per look: the estimate θ̂ (treatment - control) and its variance V there."""
    theta = validate.sample("diffs", diffs)
    v = validate.sample("variances", variances)
    validate.same_length("diffs", theta, "variances", v)
    if np.any(v <= 0):
        raise StatsInputError("variances", "every variance must be positive")
    tau2 = validate.positive("mixing_sd", mixing_sd) ** 2
    level = validate.probability("alpha", alpha)
    log_lr = 0.5 * np.log(v / (v + tau2)) + theta**2 * tau2 / (2 * v * (v + tau2))
    p = np.minimum(1.0, np.exp(-np.maximum.accumulate(log_lr)))
    half = np.sqrt(v * (v + tau2) / tau2 * (np.log((v + tau2) / v) + 2 * math.log(1 / level)))
    return [
        SequentialLook(float(d), float(d - h), float(d + h), float(q))
        for d, h, q in zip(theta, half, p, strict=True)
    ]


def msprt_means(
    control: ArrayLike,
    treatment: ArrayLike,
    looks: Sequence[int],
    *,
    mixing_sd: float,
    alpha: float = 0.05,
) -> list[SequentialLook]:
    """mSPRT on a difference in means, looking after the first n units of each group for
    each n in `looks` (units in arrival order; plug-in sample variances)."""
    c = validate.sample("control", control, min_size=2)
    t = validate.sample("treatment", treatment, min_size=2)
    sizes = [validate.count(f"looks[{i}]", n, minimum=2) for i, n in enumerate(looks)]
    if not sizes or max(sizes) > min(c.size, t.size):
        raise StatsInputError("looks", "needs looks of at most the smaller group's size")
    diffs = [float(t[:n].mean() - c[:n].mean()) for n in sizes]
    variances = [float(t[:n].var(ddof=1) / n + c[:n].var(ddof=1) / n) for n in sizes]
    if min(variances) <= 0:
        raise StatsInputError("treatment", "zero variance at a look: nothing to test")
    return msprt(diffs, variances, mixing_sd=mixing_sd, alpha=alpha)
