"""Deobfuscated views of a message: what an attacker's text says once tricks are undone.

Views: NFKC + casefold with invisible characters removed; homoglyphs folded to Latin;
leetspeak undone; letters spaced or dotted apart joined again; and payloads hidden as
base64, hex or URL-encoding decoded. Each view is matched; a hit in a decoded payload
is reported as such.
"""

from __future__ import annotations

import base64
import binascii
import re
from urllib.parse import unquote

from mangaassist.nlu.normalize import normalize_spacing_kept

_HOMOGLYPHS = str.maketrans(
    "аеорсухіјѕԁԛԝвкмнтАЕОРСУХІЈЅВКМНТαεοιρτυνκχΑΕΟΙΡΤΥΝΚΧΒΜℓ",
    "aeopcyxijsdqwbkmhtaeopcyxijsbkmhtaeoiptuvkxaeoiptynkxbml",
)
_LEET = str.maketrans(
    {
        "0": "o",
        "1": "i",
        "3": "e",
        "4": "a",
        "5": "s",
        "7": "t",
        "@": "a",
        "$": "s",
        "!": "i",
        "|": "l",
    }
)
# A leet token mixes letters with digits or symbols standing for letters ("1gn0r3"); ASINs,
# e-mail addresses and prices are not words in disguise and are left alone.
_LEET_TOKEN = re.compile(
    r"(?<![\w@.])(?=[a-z0-9@$!|]*(?:[a-z][a-z0-9@$!|]*[0-9@$!|]|[0-9@$!|][a-z0-9@$!|]*[a-z]))"
    r"[a-z0-9@$!|]{2,}[a-z0-9](?![\w@])"
)
_LEET_HINT = re.compile(r"[a-z][0-9@$!|][a-z0-9]|[0-9@$!|][a-z]")

_HOMOGLYPH_CHARS = re.compile("[аеорсухіјѕԁԛԝвкмнтАЕОРСУХІЈЅВКМНТαεοιρτυνκχΑΕΟΙΡΤΥΝΚΧΒΜℓ]")
_SPACED = re.compile(r"(?<![\w])(?:[a-z][\s._\-*/\\|]{1,3}){3,}[a-z](?![\w])")
_SEPARATORS = re.compile(r"[._\-*/\\|]|(?<=\S)\s(?=\S)")
# Kana, kanji or Hangul spaced (or dotted, dashed) one character at a time.
_SPACED_CJK = re.compile(
    r"(?:[\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7a3][\s\u3000.\-·・]+){3,}"
    r"[\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7a3]"
)
_CJK_GAP = re.compile(r"[\s\u3000.\-·・]+")
_SCRIPT_SEAM = re.compile(
    r"(?<=[\u3040-\u30ff\u4e00-\u9fff])(?=[a-z])|(?<=[a-z])(?=[\u3040-\u30ff\u4e00-\u9fff])"
)
_WORD_GAP = re.compile(r"\s{2,}|\s*[/|]{2,}\s*")


def _join_spaced(match: re.Match[str]) -> str:
    # "i.g.n.o.r.e a.l.l": punctuation joins letters and spaces part words;
    # "i g n o r e  a l l": one space sits inside a word, a wider gap between words.
    text = match.group()
    gap = re.compile(r"\s+") if re.search(r"[._\-*/\\|]", text) else _WORD_GAP
    return " ".join(_SEPARATORS.sub("", word) for word in gap.split(text))


_BASE64 = re.compile(r"(?<![A-Za-z0-9+/=])[A-Za-z0-9+/]{16,}={0,2}(?![A-Za-z0-9+/=])")
_HEX = re.compile(r"(?<![0-9a-fA-F])(?:[0-9a-fA-F]{2}[\s:]?){8,}(?![0-9a-fA-F])")
_URLENC = re.compile(r"(?:%[0-9a-fA-F]{2}){4,}")


def normalise(text: str) -> str:
    """The shared normaliser (NFKC, invisible characters dropped, case folded), with
    spacing kept because the spaced-letter view reads it."""
    return normalize_spacing_kept(text)


def _printable(raw: bytes) -> str | None:
    try:
        decoded = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    letters = sum(ch.isalpha() or ch.isspace() for ch in decoded)
    return decoded if decoded and letters / len(decoded) > 0.7 else None


def decoded_payloads(text: str) -> list[tuple[str, str]]:
    """(encoding, decoded text) for each hidden payload found in the raw text."""
    found: list[tuple[str, str]] = []
    for match in _BASE64.finditer(text):
        chunk = match.group()
        try:
            raw = base64.b64decode(chunk + "=" * (-len(chunk) % 4), validate=True)
        except (binascii.Error, ValueError):
            continue
        decoded = _printable(raw)
        if decoded:
            found.append(("base64", decoded))
    for match in _HEX.finditer(text):
        digits = re.sub(r"[\s:]", "", match.group())
        if len(digits) % 2 == 0:
            decoded = _printable(bytes.fromhex(digits))
            if decoded:
                found.append(("hex", decoded))
    for match in _URLENC.finditer(text):
        decoded = unquote(match.group())
        if decoded != match.group():
            found.append(("url", decoded))
    return found


def _deleet(match: re.Match[str]) -> str:
    token = match.group()
    # Short words are mostly digits in leet ("4r3"); longer mostly-digit tokens are codes.
    letters = sum(c.isalpha() for c in token)
    if (token.startswith("b0") and len(token) == 10) or letters * (
        3 if len(token) <= 4 else 2
    ) < len(token):
        return token
    return token.translate(_LEET)


# "ig.no.re", "in-str-uc-tions": words cut into short pieces by inner punctuation.
_CHOPPED = re.compile(r"(?<![\w@.])(?:[a-z]{1,4}[._\-*]+){2,}[a-z]{1,4}(?![\w@])")
_INNER_PUNCT = re.compile(r"[._\-*]+")


def views(text: str) -> list[str]:
    """The normalised text and each deobfuscated variant that differs from it."""
    base = normalise(text)
    folded = base.translate(_HOMOGLYPHS) if _HOMOGLYPH_CHARS.search(base) else base
    deleet = _LEET_TOKEN.sub(_deleet, folded) if _LEET_HINT.search(folded) else folded
    joined = _SPACED.sub(_join_spaced, deleet)
    squeezed = _CHOPPED.sub(lambda m: _INNER_PUNCT.sub("", m.group()), joined)
    # Japanese or Chinese spaced out one character at a time ("ル ー ル を 忘 れ て").
    if not squeezed.isascii():
        squeezed = _SPACED_CJK.sub(lambda m: _CJK_GAP.sub("", m.group()), squeezed)
        # "あとforget your rules": no word boundary between kana and Latin letters otherwise.
        squeezed = _SCRIPT_SEAM.sub(" ", squeezed)
    result = [base]
    for variant in (folded, deleet, joined, squeezed):
        if variant not in result:
            result.append(variant)
    return result
