"""The one text normaliser used by the classifier, guardrails and cache keys.

`unicodedata` does NFKC; the rest (invisible-character removal, kana folding, Latin
accent stripping) are small translation tables because no library does exactly this.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

#: Zero-width characters and bidirectional controls: invisible, used to split or disguise words.
INVISIBLE = (
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e"
    "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\u206a\u206b\u206c\u206d\u206e\u206f"
    "\ufeff\u3164\uffa0"
    "\ufe00\ufe01\ufe02\ufe03\ufe04\ufe05\ufe06\ufe07\ufe08\ufe09\ufe0a\ufe0b\ufe0c\ufe0d\ufe0e\ufe0f"
)
_DROP = {ord(c): None for c in INVISIBLE}
_INVISIBLE_RE = re.compile("[" + re.escape(INVISIBLE) + "]")


def _drop_invisible(text: str) -> str:
    # Most text has none: a C-speed search first avoids a per-character translate.
    return _INVISIBLE_RE.sub("", text) if _INVISIBLE_RE.search(text) else text


_SPACE = re.compile(r"\s+")
# Katakana U+30A1..U+30F6 map to hiragana 0x60 lower; ヽヾ are the iteration marks.
_KANA_FOLD = {code: code - 0x60 for code in range(0x30A1, 0x30F7)} | {
    0x30FD: 0x309D,
    0x30FE: 0x309E,
}


def _latin_base(char: str) -> str:
    decomposed = unicodedata.normalize("NFD", char)
    return decomposed[0] if decomposed and decomposed[0].isascii() else char


# Accented Latin letters (é, ō, ü …) fold to their base letter for matching romaji and names.
_ACCENT_FOLD = {
    code: _latin_base(chr(code))
    for code in range(0x00C0, 0x0250)
    if _latin_base(chr(code)) != chr(code)
}


def normalize(text: str) -> str:
    """NFKC (full/half width), invisible characters removed, case-folded, whitespace collapsed.

    Keeps scripts as written (katakana stays katakana): safe to show and to hash as a cache key.
    """
    text = unicodedata.normalize("NFKC", text.translate(_DROP)).casefold()
    # Case folding can leave non-NFKC sequences; a second pass makes the result idempotent.
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text).translate(_DROP)).strip()


def normalize_spacing_kept(text: str) -> str:
    """`normalize` without collapsing whitespace: for detectors that read spacing itself
    (letters spaced apart to hide a word, double spaces between disguised words)."""
    return unicodedata.normalize("NFKC", _drop_invisible(text)).casefold()


def fold_kana(text: str) -> str:
    """Katakana to hiragana, so that マンガ and まんが match."""
    return text.translate(_KANA_FOLD)


@lru_cache(maxsize=4096)
def match_key(text: str) -> str:
    """`normalize` plus kana and accent folding: the form used for matching and features."""
    return normalize(text).translate(_KANA_FOLD).translate(_ACCENT_FOLD)
