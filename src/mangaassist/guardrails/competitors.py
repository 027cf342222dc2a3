"""Finds competitor store names (English and Japanese spellings, any width or case)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from mangaassist.guardrails.pii.fold import fold_width


class CompetitorMatcher:
    def __init__(self, names: Iterable[str]) -> None:
        self.names = tuple(sorted({fold_width(n).casefold() for n in names if n.strip()}, key=len))
        parts = []
        for name in sorted(self.names, key=len, reverse=True):
            escaped = re.escape(name).replace(r"\ ", r"\s+")
            parts.append(rf"(?<![a-z0-9]){escaped}(?![a-z0-9])" if name.isascii() else escaped)
        self._pattern = re.compile("|".join(parts) or r"(?!)", re.IGNORECASE)
        self.longest = max((len(n) for n in self.names), default=0)
        self._prefixes = frozenset(n[:i] for n in self.names for i in range(1, len(n)))

    def spans(self, text: str) -> list[tuple[int, int]]:
        folded = fold_width(text)
        lowered = folded.casefold()
        if not any(map(lowered.__contains__, self.names)):
            return []
        return [m.span() for m in self._pattern.finditer(folded)]

    def prefix_start(self, text: str) -> int | None:
        """Start of the shortest tail of `text` that could still grow into a name."""
        folded = fold_width(text[-self.longest :]).casefold()
        offset = len(text) - len(folded)
        for size in range(min(self.longest - 1, len(folded)), 0, -1):
            tail = folded[-size:]
            if tail in self._prefixes:
                start = len(folded) - size
                if start == 0 or not (tail[0].isascii() and folded[start - 1].isalnum()):
                    return offset + start
        return None
