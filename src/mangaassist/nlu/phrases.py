"""Longest-match phrase lookup over word and CJK-character units, ignoring spaces and punctuation.

Used for title aliases and genre words. Hand-written because the match must respect word
boundaries in Latin text but not in Japanese, and stay well under a millisecond.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from mangaassist.nlu.normalize import match_key

# A unit is a Latin/digit word or a single CJK/kana character.
_UNIT = re.compile(r"[a-z0-9]+|[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff々ー]")
_IGNORED_UNITS = frozenset({"x", "×"})

Unit = tuple[str, int, int]


def units(key: str) -> list[Unit]:
    """(unit, start, end) for a `match_key` text; offsets index that text."""
    return [
        (m.group(), m.start(), m.end())
        for m in _UNIT.finditer(key)
        if m.group() not in _IGNORED_UNITS
    ]


def phrase_key(phrase: str) -> tuple[str, ...]:
    return tuple(unit for unit, _, _ in units(match_key(phrase)))


@dataclass(frozen=True, slots=True)
class PhraseMatch:
    value: str
    phrase: tuple[str, ...]
    start: int
    end: int


@dataclass(slots=True)
class PhraseIndex:
    """Maps phrases to values (e.g. alias -> series_id); finds non-overlapping longest matches."""

    _phrases: dict[tuple[str, ...], str] = field(default_factory=dict)
    _max_len: dict[str, int] = field(default_factory=dict)

    def add(self, phrase: str, value: str) -> None:
        key = phrase_key(phrase)
        if not key:
            return
        self._phrases.setdefault(key, value)
        self._max_len[key[0]] = max(self._max_len.get(key[0], 0), len(key))

    def add_all(self, pairs: Iterable[tuple[str, str]]) -> None:
        for phrase, value in pairs:
            self.add(phrase, value)

    def __len__(self) -> int:
        return len(self._phrases)

    def find(self, key: str) -> list[PhraseMatch]:
        return self.find_units(units(key))

    def find_units(self, text_units: list[Unit]) -> list[PhraseMatch]:
        """Like `find`, for units already computed (several indexes over one text)."""
        found: list[PhraseMatch] = []
        words = [unit for unit, _, _ in text_units]
        i = 0
        while i < len(words):
            longest = min(self._max_len.get(words[i], 0), len(words) - i)
            for length in range(longest, 0, -1):
                candidate = tuple(words[i : i + length])
                value = self._phrases.get(candidate)
                if value is not None:
                    start, end = text_units[i][1], text_units[i + length - 1][2]
                    found.append(PhraseMatch(value, candidate, start, end))
                    i += length
                    break
            else:
                i += 1
        return found
