"""Sample ratio mismatch: are the observed group sizes consistent with the planned weights?"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats

from mangaassist.experiments import validate
from mangaassist.experiments.errors import StatsInputError

DEFAULT_SRM_ALPHA = 0.001


@dataclass(frozen=True, slots=True)
class SrmResult:
    statistic: float
    p_value: float
    expected: tuple[float, ...]
    mismatch: bool


def sample_ratio_mismatch(
    observed: Sequence[int], weights: Sequence[float], *, alpha: float = DEFAULT_SRM_ALPHA
) -> SrmResult:
    """Pearson chi-square of observed counts against the planned weights; a mismatch at the
    (deliberately strict) `alpha` means the assignment is broken and results are not trusted."""
    counts = np.array([validate.count(f"observed[{i}]", c) for i, c in enumerate(observed)], float)
    shares = validate.weights("weights", weights)
    if counts.size != shares.size:
        raise StatsInputError(
            "weights", f"needs one weight per group ({shares.size} != {counts.size})"
        )
    total = counts.sum()
    if total == 0:
        raise StatsInputError("observed", "no units observed in any group")
    level = validate.probability("alpha", alpha)
    expected = shares * total
    statistic, p_value = stats.chisquare(counts, expected)
    return SrmResult(float(statistic), float(p_value), tuple(expected.tolist()), p_value < level)
