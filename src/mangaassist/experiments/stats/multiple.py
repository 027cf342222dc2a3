"""Multiple-comparison corrections for secondary metrics and slices: Holm and Benjamini-Hochberg.

Both return adjusted p-values in the input order (monotone, capped at 1), cross-checked
against statsmodels' `multipletests`.
"""

from __future__ import annotations

import numpy as np

from mangaassist.experiments import validate
from mangaassist.experiments.errors import StatsInputError
from mangaassist.experiments.validate import ArrayLike, FloatArray


def _p_values(p_values: ArrayLike) -> FloatArray:
    values = validate.sample("p_values", p_values)
    if np.any((values < 0) | (values > 1)):
        raise StatsInputError("p_values", "every p-value must lie between 0 and 1")
    return values


def holm(p_values: ArrayLike) -> FloatArray:
    """Holm's step-down adjustment (controls the family-wise error rate)."""
    values = _p_values(p_values)
    m = values.size
    order = np.argsort(values, kind="stable")
    stepped = (m - np.arange(m)) * values[order]
    adjusted_sorted = np.minimum(np.maximum.accumulate(stepped), 1.0)
    adjusted = np.empty(m)
    adjusted[order] = adjusted_sorted
    return adjusted


def benjamini_hochberg(p_values: ArrayLike) -> FloatArray:
    """Benjamini-Hochberg step-up adjustment (controls the false discovery rate)."""
    values = _p_values(p_values)
    m = values.size
    order = np.argsort(values, kind="stable")
    ranked = values[order] * m / np.arange(1, m + 1)
    adjusted_sorted = np.minimum(np.minimum.accumulate(ranked[::-1])[::-1], 1.0)
    adjusted = np.empty(m)
    adjusted[order] = adjusted_sorted
    return adjusted
