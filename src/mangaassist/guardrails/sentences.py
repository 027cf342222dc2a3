"""Splits English and Japanese text into sentences with their spans (for sentence-level edits)."""

from __future__ import annotations

import re
from dataclasses import dataclass

# A sentence ends at . ! ? 。！？ (or a newline) followed by whitespace or the end, so decimals
# ("$12.99") never split; abbreviations such as "Vol." and "Dr." are not ends. Candidates are
# found with one cheap pattern; the abbreviation check runs only at those few places.
_END = re.compile(r"[.!?]+(?=\s|$)|[。！？]+|\n+")
_ABBREVIATIONS = frozenset({"vol", "vols", "no", "dr", "mr", "ms", "st"})
_WORD_BEFORE = re.compile(r"([A-Za-z]+)$")


_NEXT_WORD = re.compile(r"\s+(?:[a-z0-9]|[Vv]ol(?:ume)?s?\b|[Vv]ols?\.)")


def _is_abbreviation(text: str, end_mark: int) -> bool:
    """Not a sentence end: "Vol." and the like, or "!"/"?" inside a title ("Yotsuba&! is",
    "Haikyu!! vol 3"): an exclamation the sentence goes on from in lower case."""
    if text[end_mark] in "!?":
        close = end_mark
        while close < len(text) and text[close] in "!?":
            close += 1
        return _NEXT_WORD.match(text, close) is not None
    if text[end_mark] != ".":
        return False
    word = _WORD_BEFORE.search(text, max(0, end_mark - 5), end_mark)
    return word is not None and word.group(1).lower() in _ABBREVIATIONS


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    text: str


def split_sentences(text: str) -> list[Sentence]:
    sentences: list[Sentence] = []
    cursor = 0
    for match in _END.finditer(text):
        if _is_abbreviation(text, match.start()):
            continue
        end = match.end()
        if text[cursor:end].strip():
            sentences.append(Sentence(cursor, end, text[cursor:end]))
        cursor = end
    if text[cursor:].strip():
        sentences.append(Sentence(cursor, len(text), text[cursor:]))
    return sentences


def drop_sentences(text: str, doomed: list[Sentence]) -> str:
    """Text without the given sentences, whitespace tidied where they were."""
    if not doomed:
        return text
    parts, cursor = [], 0
    for sentence in sorted(doomed, key=lambda s: s.start):
        parts.append(text[cursor : sentence.start])
        cursor = sentence.end
    parts.append(text[cursor:])
    return re.sub(r"[ \t]{2,}", " ", "".join(parts)).strip()
