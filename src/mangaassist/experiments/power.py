"""Sample size and minimum detectable effect for proportions and means (two groups, equal size).

Normal approximations as used by experimentation platforms: proportions on the arcsine scale
(Cohen's h), means with a known standard deviation. Cross-checked against statsmodels'
`NormalIndPower`.
"""

from __future__ import annotations

import math

from scipy import optimize, stats

from mangaassist.experiments import validate
from mangaassist.experiments.errors import StatsInputError


def _z(alpha: float, power: float, two_sided: bool) -> float:
    a = validate.probability("alpha", alpha)
    b = validate.probability("power", power)
    z_alpha = stats.norm.ppf(1 - a / 2) if two_sided else stats.norm.ppf(1 - a)
    return float(z_alpha + stats.norm.ppf(b))


def sample_size_proportions(
    baseline: float, mde: float, *, alpha: float = 0.05, power: float = 0.8, two_sided: bool = True
) -> int:
    """Units per group to detect an absolute change `mde` from the `baseline` rate."""
    p1 = validate.probability("baseline", baseline)
    p2 = p1 + validate.finite("mde", mde)
    if mde == 0 or not 0 < p2 < 1:
        raise StatsInputError("mde", "must be non-zero and keep baseline + mde within (0, 1)")
    h = abs(2 * math.asin(math.sqrt(p2)) - 2 * math.asin(math.sqrt(p1)))
    # 2·asin(√p) has variance 1/n per group, so the difference has 2/n.
    return math.ceil(2 * (_z(alpha, power, two_sided) / h) ** 2)


def sample_size_means(
    sd: float, mde: float, *, alpha: float = 0.05, power: float = 0.8, two_sided: bool = True
) -> int:
    """Units per group to detect a change `mde` in a mean with standard deviation `sd`."""
    sigma = validate.positive("sd", sd)
    delta = validate.finite("mde", mde)
    if delta == 0:
        raise StatsInputError("mde", "must be non-zero")
    return math.ceil(2 * (_z(alpha, power, two_sided) * sigma / delta) ** 2)


def mde_means(
    sd: float, n_per_group: int, *, alpha: float = 0.05, power: float = 0.8, two_sided: bool = True
) -> float:
    """Smallest change in a mean detectable with `n_per_group` units per group.

    Two-sided power counts both rejection tails, so the effect is solved for exactly
    rather than taken from the one-tail closed form (they differ in the sixth digit)."""
    sigma = validate.positive("sd", sd)
    n = validate.count("n_per_group", n_per_group, minimum=2)
    target = validate.probability("power", power)
    scale = sigma * math.sqrt(2 / n)
    closed_form = _z(alpha, target, two_sided) * scale
    if not two_sided:
        return closed_form
    z_alpha = float(stats.norm.ppf(1 - validate.probability("alpha", alpha) / 2))

    def shortfall(effect: float) -> float:
        shift = effect / scale
        achieved = stats.norm.sf(z_alpha - shift) + stats.norm.cdf(-z_alpha - shift)
        return float(achieved - target)

    return float(optimize.brentq(shortfall, 0.0, 2 * closed_form, xtol=1e-14))
