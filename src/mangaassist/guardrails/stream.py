"""The inline stream guard: masks PII and competitor names chunk by chunk, across boundaries.

A value split over two chunks ("090-12" + "34-5678") must be caught, so the guard
holds back the smallest tail that could still grow into a match and releases it once
the next chunk (or the end of the stream) settles it.
"""

from __future__ import annotations

import re

from mangaassist.guardrails.competitors import CompetitorMatcher
from mangaassist.guardrails.pii import PiiFinding, detect_pii

COMPETITOR_MASK = "another store"
MAX_HOLD = 160

_CONNECTORS = frozenset({"at", "dot", "[at]", "(at)", "[dot]", "(dot)", "@", "＠"})
_JA_MARKERS = re.compile(r"[〒都道府県市区町村丁番号0-9０-９]")
_TOKENS_AFTER_NUMBER = 6
_JA_WINDOW = 24
_ASCII_TAIL = re.compile(r"[\x21-\x7e０-９＠－]+$")


_TOKEN = re.compile(r"\S+")
_HAS_DIGIT = re.compile(r"\d")
_SHORT_TAIL = 64


def _last_tokens(window: str) -> list[re.Match[str]]:
    """The words of `window`; only the last few matter, so a long window is read from a
    short tail when that tail holds enough whole words (its first one may be cut)."""
    if len(window) > _SHORT_TAIL:
        tokens = list(_TOKEN.finditer(window, len(window) - _SHORT_TAIL))
        if len(tokens) > _TOKENS_AFTER_NUMBER + 2:
            return tokens[1:]
    return list(_TOKEN.finditer(window))


def _held_tail_start(buffer: str) -> int:
    """Start of the smallest tail that could still grow into PII.

    The unfinished last word is always held (it may be an e-mail or a name); so is a
    street number with up to six words after it, a digit group with its separators,
    a spelled-out "at"/"dot" e-mail, and Japanese text after a postal mark, an
    administrative-area character or a digit near the end.
    """
    window_start = max(0, len(buffer) - MAX_HOLD)
    window = buffer[window_start:]
    tokens = _last_tokens(window)
    if not tokens:
        return len(buffer)
    last = tokens[-1]
    hold = len(window)
    if not window[-1].isspace():
        # An unfinished word; in unspaced Japanese only its trailing ASCII run (a number,
        # an address being typed) can still grow into PII.
        ascii_tail = _ASCII_TAIL.search(last.group())
        if last.group().isascii():
            hold = last.start()
        elif ascii_tail:
            hold = last.start() + ascii_tail.start()
    recent = tokens[-(_TOKENS_AFTER_NUMBER + 1) :]
    for index, token in enumerate(recent):
        word = token.group().lower()
        if not word.isascii():
            continue
        if word in _CONNECTORS or "@" in word or _HAS_DIGIT.search(word):
            start = recent[index - 1].start() if word in _CONNECTORS and index else token.start()
            hold = min(hold, start)
            break
    if not last.group().isascii():
        for match in _JA_MARKERS.finditer(window, max(last.start(), len(window) - _JA_WINDOW)):
            hold = min(hold, max(last.start(), match.start() - 12))
            break
    return window_start + hold


_MAYBE_PII = re.compile(r"[0-9０-９@＠]|\bat\b|あっと|アットマーク", re.IGNORECASE)


def _maybe_pii(text: str) -> bool:
    """Every recogniser needs a digit, an at-sign or a spelled-out "at"; most chunks have none."""
    return _MAYBE_PII.search(text) is not None


class StreamGuard:
    """One per response. `feed` returns what may be sent now; `finish` returns the rest."""

    def __init__(self, competitors: CompetitorMatcher, *, allow: frozenset[str] = frozenset()):
        self._competitors = competitors
        self._allow = allow
        self._held = ""
        self.findings: list[PiiFinding] = []
        self.competitor_hits = 0

    def feed(self, chunk: str) -> str:
        buffer = self._held + chunk
        pii = detect_pii(buffer, allow=self._allow) if _maybe_pii(buffer) else []
        names = self._competitors.spans(buffer)
        cut = self._safe_cut(buffer)
        for start, end in [(f.start, f.end) for f in pii] + names:
            if start < cut < end:
                cut = start
        cut = max(cut, len(buffer) - MAX_HOLD)
        self._held = buffer[cut:]
        return self._release(buffer[:cut], [f for f in pii if f.end <= cut], names)

    def finish(self) -> str:
        rest, self._held = self._held, ""
        pii = detect_pii(rest, allow=self._allow) if _maybe_pii(rest) else []
        return self._release(rest, pii, self._competitors.spans(rest))

    def _safe_cut(self, buffer: str) -> int:
        cut = _held_tail_start(buffer)
        prefix = self._competitors.prefix_start(buffer)
        return cut if prefix is None else min(cut, prefix)

    def _release(self, text: str, pii: list[PiiFinding], names: list[tuple[int, int]]) -> str:
        if not text:
            return text
        self.findings.extend(pii)
        spans = [(f.start, f.end, f.placeholder) for f in pii]
        spans += [(s, e, COMPETITOR_MASK) for s, e in names if e <= len(text)]
        out, cursor = [], 0
        for start, end, replacement in sorted(spans):
            if start < cursor:
                continue
            self.competitor_hits += replacement == COMPETITOR_MASK
            out += [text[cursor:start], replacement]
            cursor = end
        out.append(text[cursor:])
        return "".join(out)
