"""Input checks shared by every statistic: finite arrays, sane counts, known options.

Each check raises `StatsInputError` naming the argument, so no statistic ever returns NaN.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal, cast, get_args

import numpy as np
import numpy.typing as npt

from mangaassist.experiments.errors import StatsInputError

FloatArray = npt.NDArray[np.float64]
Alternative = Literal["two-sided", "larger", "smaller"]
ArrayLike = Sequence[float] | npt.NDArray[np.generic]


def sample(name: str, values: ArrayLike, min_size: int = 1) -> FloatArray:
    """A 1-d float array of finite values with at least `min_size` elements."""
    try:
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise StatsInputError(name, f"must be numbers ({exc})") from None
    if array.ndim != 1:
        raise StatsInputError(name, f"must be one-dimensional, got {array.ndim} dimensions")
    if array.size < min_size:
        raise StatsInputError(name, f"needs at least {min_size} values, got {array.size}")
    if not np.all(np.isfinite(array)):
        raise StatsInputError(name, "contains NaN or infinite values")
    return array


def same_length(name_a: str, a: FloatArray, name_b: str, b: FloatArray) -> None:
    if a.size != b.size:
        raise StatsInputError(
            name_b, f"must have the same length as {name_a} ({b.size} != {a.size})"
        )


def finite(name: str, value: float) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise StatsInputError(name, f"must be a number, got {value!r}") from None
    if not math.isfinite(number):
        raise StatsInputError(name, "must be finite, got NaN or infinity")
    return number


def positive(name: str, value: float) -> float:
    number = finite(name, value)
    if number <= 0:
        raise StatsInputError(name, f"must be positive, got {value}")
    return number


def non_negative(name: str, value: float) -> float:
    number = finite(name, value)
    if number < 0:
        raise StatsInputError(name, f"must not be negative, got {value}")
    return number


def count(name: str, value: float, minimum: int = 0) -> int:
    number = finite(name, value)
    if number != int(number):
        raise StatsInputError(name, f"must be a whole number, got {value}")
    if number < minimum:
        qualifier = "negative" if minimum == 0 else f"below {minimum}"
        raise StatsInputError(name, f"must not be {qualifier}, got {int(number)}")
    return int(number)


def successes(name: str, value: float, trials_name: str, trials: int) -> int:
    hits = count(name, value)
    if hits > trials:
        raise StatsInputError(name, f"{hits} successes exceed {trials_name}={trials}")
    return hits


def probability(name: str, value: float) -> float:
    """A probability strictly between 0 and 1 (alpha, power, confidence, rates)."""
    number = finite(name, value)
    if not 0.0 < number < 1.0:
        raise StatsInputError(name, f"must be strictly between 0 and 1, got {value}")
    return number


def alternative(value: str) -> Alternative:
    allowed = get_args(Alternative)
    if value not in allowed:
        raise StatsInputError("alternative", f"must be one of {', '.join(allowed)}, got {value!r}")
    return cast(Alternative, value)


def weights(name: str, values: Sequence[float]) -> FloatArray:
    array = sample(name, values, min_size=2)
    if np.any(array <= 0):
        raise StatsInputError(name, "every weight must be positive")
    normalised: FloatArray = array / array.sum()
    return normalised
