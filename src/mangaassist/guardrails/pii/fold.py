"""Length-preserving width folding, so PII spans found in folded text map 1:1 onto the original.

NFKC would change string lengths (and so every span); full-width ASCII and the
ideographic space fold one code point to one code point, which is all PII matching needs.
"""

from __future__ import annotations

import re

_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_EXTRA = {
    0x3000: ord(" "),  # ideographic space
    0x2010: ord("-"),  # hyphen
    0x2011: ord("-"),
    0x2012: ord("-"),
    0x2013: ord("-"),
    0x2014: ord("-"),
    0x2212: ord("-"),  # minus sign
    0x200B: ord(" "),  # zero-width space: keep the length, break nothing
    0x200C: ord(" "),
    0x200D: ord(" "),
    0x2060: ord(" "),
    0xFEFF: ord(" "),
}
_TABLE = {chr(k): chr(v) for k, v in {**_FULLWIDTH, **_EXTRA}.items()}
# str.translate looks every character up in a dict; most text has few or no characters to
# fold, so a regex that visits only those is several times faster.
_OUTSIDE_RANGE = "".join(c for c in _TABLE if not "\uff01" <= c <= "\uff5e")
_FOLDABLE = re.compile(f"[\uff01-\uff5e{_OUTSIDE_RANGE}]")


def _fold(match: re.Match[str]) -> str:
    return _TABLE[match.group()]


# The katakana long mark is often typed for a dash inside numbers (090ー1234ー5678), but in
# words it is a vowel (アットマーク, マイナンバー): it is folded only next to a digit.
_LONG_MARK_IN_NUMBER = re.compile(r"(?<=[0-9０-９])[ーｰ]|[ーｰ](?=[0-9０-９])")


def fold_width(text: str) -> str:
    """Fold full-width ASCII, odd dashes and invisible spaces to ASCII, one char for one."""
    if text.isascii():
        return text
    return _FOLDABLE.sub(_fold, _LONG_MARK_IN_NUMBER.sub("-", text))
