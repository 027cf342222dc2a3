"""Injection signals: a named, weighted pattern over deobfuscated text, registered per language.

A signal may name anchors: substrings at least one of which must occur for the pattern
to match at all. Checking them first (a C-speed substring test) skips most regex work
on ordinary messages; CJK and Korean signals only run when those scripts are present.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SIGNALS: list[Signal] = []
#: Asking for another customer's data is not by itself an attack on the assistant: the
#: order routes already refuse it politely. It blocks only together with another signal
#: (an override, "ignore the privacy policy", a spoofed admin note …).
DATA_REQUEST_WEIGHT = 0.45


@dataclass(frozen=True, slots=True)
class Signal:
    """One kind of evidence. `weight` is how sure a single match makes us (0-1)."""

    name: str
    language: str
    weight: float
    pattern: re.Pattern[str]
    anchors: tuple[str, ...] = ()
    before: re.Pattern[str] | None = None
    before_window: int = 0

    @property
    def key(self) -> str:
        return f"{self.name}:{self.language}"

    def could_match(self, text: str) -> bool:
        return not self.anchors or any(anchor in text for anchor in self.anchors)

    def search(self, text: str) -> bool:
        """The pattern matches and, when `before` is set, is preceded within the window by it."""
        for match in self.pattern.finditer(text):
            if self.before is None:
                return True
            start = max(0, match.start() - self.before_window)
            if self.before.search(text, start, match.start()):
                return True
        return False


def signal(
    name: str,
    language: str,
    weight: float,
    *patterns: str,
    anchors: tuple[str, ...] = (),
    before: str | None = None,
    before_window: int = 40,
) -> None:
    """Register one signal per pattern (all case-insensitive, over normalised text).

    `before`, when given, must match within `before_window` characters ahead of the
    pattern: a rare core phrase is searched first and its verb confirmed after, which
    is far cheaper than a pattern that starts at every verb.
    """
    confirm = re.compile(before, re.IGNORECASE) if before else None
    for pattern in patterns:
        compiled = re.compile(pattern, re.IGNORECASE)
        SIGNALS.append(Signal(name, language, weight, compiled, anchors, confirm, before_window))
