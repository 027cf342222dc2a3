"""Text folding for catalog search: width, case, Latin accents, katakana vs hiragana, long vowels.

Written by hand because it is a few lines over `unicodedata` and no library folds kana and
romaji long vowels together the way shoppers type titles ("haikyuu", "はいきゅー", "Haikyū").
"""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^\w]+")
_KATAKANA = range(0x30A1, 0x30F7)
_LONG_VOWELS = (("ou", "o"), ("oo", "o"), ("uu", "u"))


def _char(c: str) -> str:
    if ord(c) in _KATAKANA:
        return chr(ord(c) - 0x60)
    if ord(c) < 0x250:
        return "".join(x for x in unicodedata.normalize("NFKD", c) if not unicodedata.combining(x))
    return c


def fold(text: str) -> str:
    """Lower-case, width-folded, accent-free words in hiragana, separated by single spaces."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = "".join(_char(c) for c in text)
    words = _NON_WORD.sub(" ", text).replace("_", " ").split()
    out = []
    for word in words:
        if word.isascii():
            for long, short in _LONG_VOWELS:
                word = word.replace(long, short)
        out.append(word)
    return " ".join(out)


def compact(folded: str) -> str:
    return folded.replace(" ", "")


def token_matches(token: str, words: frozenset[str], joined: str) -> bool:
    """A query token hits a field: a whole word, a word prefix (3+ letters), or CJK substring."""
    if token in words:
        return True
    if token.isdigit():
        return False
    if not token.isascii():
        return token in joined
    return len(token) >= 3 and any(w.startswith(token) for w in words)
