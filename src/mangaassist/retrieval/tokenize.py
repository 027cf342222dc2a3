"""Tokens for BM25 in English and Japanese, over the shared normaliser.

English: lower-cased words with a light plural/suffix trim. Japanese (and other CJK):
overlapping character bigrams of each CJK run, after katakana→hiragana folding, so
"返品ポリシー" and "へんぴん" style variants share tokens without a dictionary. Why not a
morphological analyser: bigrams need no dictionary download and match partial words
(compounds, unknown titles) that a segmenter would split differently.
"""

from __future__ import annotations

import re

from mangaassist.nlu.normalize import match_key

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_CJK_RUN = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff々ー]+")
_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "of",
        "to",
        "in",
        "on",
        "for",
        "is",
        "are",
        "was",
        "be",
        "it",
        "i",
        "you",
        "my",
        "me",
        "we",
        "do",
        "does",
        "can",
        "with",
        "what",
        "how",
        "when",
        "where",
        "which",
        "who",
        "this",
        "that",
        "there",
        "please",
        "about",
        "at",
        "by",
        "from",
        "your",
        "any",
    ]
)


def _undouble(stem: str) -> str:
    """ "wrapp" -> "wrap", "shipp" -> "ship": the doubled consonant of -ing/-ed forms."""
    if len(stem) > 3 and stem[-1] == stem[-2] and stem[-1] not in "aeiouls":
        return stem[:-1]
    return stem


def _trim(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    if len(word) > 5 and word.endswith("ing"):
        return _undouble(word[:-3])
    if len(word) > 4 and word.endswith("ed"):
        return _undouble(word[:-2])
    return word


def tokens(text: str) -> list[str]:
    key = match_key(text)
    out = [_trim(w.replace("'", "")) for w in _WORD.findall(key) if w not in _STOP]
    for run in _CJK_RUN.findall(key):
        if len(run) == 1:
            out.append(run)
        else:
            out.extend(run[i : i + 2] for i in range(len(run) - 1))
    return out
