"""Deterministic variant assignment and exposure logging.

A unit (customer or session id) lands in a variant by a stable hash of the experiment id, a
salt and the unit id: SHA-256, never Python's per-process salted `hash()`, so the same unit
gets the same variant in every process, after every restart, on every replica. The first 8
bytes of the digest are a uniform number in [0, 1); the variants' weights cut that interval
in order. Because the experiment id is part of the hashed text, assignments in different
experiments are independent (tests check uniformity and independence with chi-square).

Changing the weights moves only the units near the cut points; changing the salt reshuffles
everyone (use it to start a fresh experiment with the same id).
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from mangaassist.experiments.errors import StatsInputError

_SCALE = float(2**64)


@dataclass(frozen=True, slots=True)
class Variant:
    name: str
    weight: float


def validate_variants(variants: Sequence[Variant]) -> tuple[Variant, ...]:
    if len(variants) < 2:
        raise StatsInputError("variants", "an experiment needs at least two variants")
    names = [v.name for v in variants]
    if len(set(names)) != len(names) or not all(names):
        raise StatsInputError("variants", "variant names must be unique and non-empty")
    if any(not v.weight > 0 for v in variants):
        raise StatsInputError("variants", "every weight must be positive")
    total = sum(v.weight for v in variants)
    if abs(total - 1.0) > 1e-9:
        raise StatsInputError("variants", f"weights must sum to 1, not {total:g}")
    return tuple(variants)


def bucket(experiment_id: str, unit_id: str, salt: str = "") -> float:
    """The unit's position in [0, 1) for this experiment (stable everywhere)."""
    if not experiment_id or not unit_id:
        raise StatsInputError("unit_id" if experiment_id else "experiment_id", "must be non-empty")
    digest = hashlib.sha256(f"{experiment_id}\x1f{salt}\x1f{unit_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / _SCALE


def assign(experiment_id: str, unit_id: str, variants: Sequence[Variant], salt: str = "") -> str:
    """The variant of `unit_id` in `experiment_id`."""
    position = bucket(experiment_id, unit_id, salt)
    edge = 0.0
    for variant in variants:
        edge += variant.weight
        if position < edge:
            return variant.name
    return variants[-1].name  # rounding: the last cut is 1.0


@dataclass(frozen=True, slots=True)
class Exposure:
    experiment_id: str
    unit_id: str
    variant: str
    at: datetime


class ExposureLog:
    """Append-only JSON lines, one per first exposure of a unit (deduplicated in memory
    for this process; analysis deduplicates again, so replicas may each log a unit once)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._seen: set[tuple[str, str]] = set()
        self._lock = threading.Lock()

    def record(self, experiment_id: str, unit_id: str, variant: str) -> bool:
        """Log the exposure unless this unit was already logged; True when written."""
        key = (experiment_id, unit_id)
        with self._lock:
            if key in self._seen:
                return False
            self._seen.add(key)
            line = json.dumps(
                {
                    "event": "exposure",
                    "experiment_id": experiment_id,
                    "unit_id": unit_id,
                    "variant": variant,
                    "at": datetime.now(UTC).isoformat(),
                }
            )
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write(line + "\n")
        return True
