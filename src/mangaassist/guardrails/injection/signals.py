"""Injection signals: a named, weighted pattern over deobfuscated text, registered per language.

A signal may name anchors: substrings at least one of which must occur for the pattern
to match at all. Checking them first (a C-speed substring test) skips most regex work
on ordinary messages; CJK and Korean signals only run when those scripts are present.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SIGNALS: list[Signal] = []


@dataclass(frozen=True, slots=True)
class Signal:
    """One kind of evidence. `weight` is how sure a single match makes us (0-1)."""

    name: str
    language: str
    weight: float
    pattern: re.Pattern[str]
    anchors: tuple[str, ...] = ()

    def could_match(self, text: str) -> bool:
        return not self.anchors or any(anchor in text for anchor in self.anchors)


def signal(
    name: str, language: str, weight: float, *patterns: str, anchors: tuple[str, ...] = ()
) -> None:
    """Register one signal per pattern (all case-insensitive, over normalised text)."""
    for pattern in patterns:
        compiled = re.compile(pattern, re.IGNORECASE)
        SIGNALS.append(Signal(name, language, weight, compiled, anchors))
