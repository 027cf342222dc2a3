"""Turns a message into the sparse features of the intent model: words, word pairs, script runs
and character n-grams, all from the one normaliser.

Hand-written because scikit-learn's analyzers split neither Japanese (no spaces) nor
mixed-script chat well; the same function feeds training and the fast scorer.
"""

from __future__ import annotations

import itertools
import re

from mangaassist.nlu.cues import cue_families
from mangaassist.nlu.normalize import fold_kana, normalize

_LATIN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_KANJI_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff々]{2,}")
_KATAKANA_RUN = re.compile(r"[\u30a0-\u30ffー]{2,}")
_DIGITS = re.compile(r"[0-9]+")
CHAR_NGRAMS = (1, 2, 3)
#: Cue families count this many times, so a few cue words weigh against many n-grams.
CUE_REPEAT = 3
_STORE_FAMILIES = frozenset({"manga", "order", "ship", "return", "promo", "facts", "policy"})


def _word(token: str) -> str:
    if token.isdigit():
        return f"<num{min(len(token), 6)}>"
    return token


def analyze(text: str) -> list[str]:
    """Feature strings of one message (prefixes keep the families apart)."""
    norm = normalize(text)
    words = [_word(token) for token in _LATIN.findall(norm)]
    features = [f"w:{word}" for word in words]
    features.extend(f"b:{a}_{b}" for a, b in itertools.pairwise(words))
    features.extend(f"k:{run}" for run in _KANJI_RUN.findall(norm))
    features.extend(f"t:{run}" for run in _KATAKANA_RUN.findall(norm))
    folded_text = fold_kana(norm)
    families = cue_families(folded_text)
    features.extend(f"q:{family}" for family in families * CUE_REPEAT)
    # Whether the store's own vocabulary is present changes what a cue means
    # ("recommend a manga" vs "recommend a restaurant").
    context = "store" if _STORE_FAMILIES.intersection(families) else "none"
    features.extend(f"x:{family}|{context}" for family in families)
    features.append(f"x:len{min(len(words) + len(norm) // 12, 8)}|{context}")
    folded = f" {_DIGITS.sub('0', folded_text)} "
    for size in CHAR_NGRAMS:
        features.extend(f"c:{folded[i : i + size]}" for i in range(len(folded) - size + 1))
    return features
