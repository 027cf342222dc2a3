"""Language detection for en, ja, zh, ko and other: by script, then cheap character statistics.

Language-ID libraries either need downloaded models or guess badly on short chat lines;
script counting is exact for kana and hangul, and a few marker sets settle Han-only and
Latin text.
"""

from __future__ import annotations

import re

from mangaassist.domain.intent import DetectedLanguage
from mangaassist.nlu.normalize import normalize

# Characters only written in simplified (or traditional) Chinese, never in Japanese text.
_ZH_MARKERS = frozenset(
    "们这吗么说买书发货钱运单问题时间还没页请给谁为怎吧呢个对让从关开门东车长见费订邮"
    "們這嗎麼說發錢單對讓從關國"
)
# Japanese-only forms (shinjitai, kokuji) and very common Japanese words written in kanji.
_JA_MARKERS = frozenset("円気広駅売図様込県働込択読続発払届辺訳応戻返済込")
_LATIN_WORD = re.compile(r"[a-z]+")
_EN_WORDS = frozenset(
    [
        "the",
        "a",
        "an",
        "is",
        "are",
        "was",
        "be",
        "to",
        "of",
        "and",
        "or",
        "in",
        "on",
        "for",
        "with",
        "my",
        "me",
        "i",
        "you",
        "it",
        "this",
        "that",
        "do",
        "does",
        "can",
        "how",
        "what",
        "where",
        "when",
        "which",
        "who",
        "why",
        "want",
        "need",
        "have",
        "has",
        "please",
        "buy",
        "order",
        "book",
        "books",
        "manga",
        "volume",
        "vol",
        "any",
        "some",
        "like",
        "get",
        "there",
        "your",
        "not",
        "no",
        "yes",
        "hi",
        "hello",
        "thanks",
        "thank",
    ]
)
_OTHER_WORDS = frozenset(
    [
        "el",
        "la",
        "los",
        "las",
        "de",
        "que",
        "y",
        "en",
        "un",
        "una",
        "es",
        "por",
        "para",
        "con",
        "del",
        "se",
        "mi",
        "quiero",
        "tiene",
        "le",
        "les",
        "des",
        "et",
        "est",
        "je",
        "une",
        "pour",
        "pas",
        "avec",
        "mon",
        "ne",
        "der",
        "die",
        "das",
        "und",
        "ist",
        "ich",
        "nicht",
        "mit",
        "ein",
        "eine",
        "zu",
        "auf",
        "fur",
        "o",
        "os",
        "as",
        "um",
        "uma",
        "voce",
        "nao",
        "com",
        "e",
        "il",
        "di",
        "che",
        "non",
        "per",
        "sono",
    ]
)


def _script_counts(text: str) -> tuple[int, int, int, int]:
    kana = han = hangul = latin = 0
    for char in text:
        code = ord(char)
        if 0x3040 <= code <= 0x30FF or 0x31F0 <= code <= 0x31FF:
            kana += 1
        elif 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF:
            han += 1
        elif 0xAC00 <= code <= 0xD7AF or 0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F:
            hangul += 1
        elif "a" <= char <= "z":
            latin += 1
    return kana, han, hangul, latin


def _han_language(text: str) -> DetectedLanguage:
    zh = sum(char in _ZH_MARKERS for char in text)
    ja = sum(char in _JA_MARKERS for char in text)
    # A store for Japanese books: short kanji-only lines (返品希望, 在庫確認) are Japanese.
    return "zh" if zh > ja else "ja"


def _latin_language(text: str) -> DetectedLanguage:
    words = _LATIN_WORD.findall(text)
    english = sum(word in _EN_WORDS for word in words)
    other = sum(word in _OTHER_WORDS for word in words)
    if other > english and other >= 2:
        return "other"
    return "en"


def detect_language(text: str) -> DetectedLanguage:
    """The language of a message: 'en', 'ja', 'zh', 'ko' or 'other' (also for empty text)."""
    text = normalize(text)
    kana, han, hangul, latin = _script_counts(text)
    if kana and kana * 5 >= hangul:
        return "ja"
    if hangul and hangul >= han:
        return "ko"
    if han:
        return _han_language(text)
    if latin:
        return _latin_language(text)
    return "other"
