"""Spans a store talks about that look like PII but are not: ASINs, ISBNs, order ids, prices,
dates, tracking numbers, volume and page counts. Number-shaped PII overlapping them is dropped.
"""

from __future__ import annotations

import re

from mangaassist.guardrails.pii.checks import digits_of, isbn10_valid, isbn13_valid

_PLAIN = [
    re.compile(r"\bB0[0-9A-Z]{8}\b"),  # ASIN
    re.compile(r"\bMA-\d{5}-\d{5}\b"),  # MangaAssist order id
    re.compile(r"\b1Z[0-9A-Z]{16}\b"),  # UPS
    re.compile(r"\b[A-Z]{2}\d{9}[A-Z]{2}\b"),  # UPU (Japan Post EJ…JP and alike)
    re.compile(r"(?:[$¥￥€£]|USD|JPY)\s?\d[\d,]*(?:\.\d+)?"),  # price, symbol first
    re.compile(r"\d[\d,]*(?:\.\d+)?\s?(?:円|yen|USD|JPY|dollars?)", re.IGNORECASE),
    re.compile(r"\b\d{4}[-/.]\d{1,2}[-/.]\d{1,2}\b"),  # ISO-ish date
    re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b"),  # US date
    re.compile(r"\d{4}年\d{1,2}月(?:\d{1,2}日)?"),
    re.compile(r"(?:vol(?:ume)?s?\.?|#|第)\s?\d{1,4}(?:\s?[-~〜]\s?\d{1,4})?巻?", re.IGNORECASE),
    re.compile(r"\d{1,5}\s?(?:pages?|pp\.?|ページ|頁|volumes?|vols?\.?|巻|冊)", re.IGNORECASE),
    re.compile(r"(?:ISBN(?:-1[03])?:?\s?)[\d\- ]{9,17}[\dXx]", re.IGNORECASE),
    re.compile(r"(?:tracking|追跡|お問い合わせ番号|伝票番号)[^\d\n]{0,20}[\d\- ]{10,26}\d", re.I),
]
_ISBN13 = re.compile(r"(?<!\d)97[89](?:[- ]?\d){10}(?!\d)")
_ISBN10 = re.compile(r"(?<![\dA-Za-z])\d(?:[- ]?\d){8}[- ]?[\dXx](?![\dA-Za-z])")


def protected_spans(text: str) -> list[tuple[int, int]]:
    """Spans of `text` (already width-folded) that must never be treated as PII."""
    spans = [m.span() for pattern in _PLAIN for m in pattern.finditer(text)]
    spans += [m.span() for m in _ISBN13.finditer(text) if isbn13_valid(digits_of(m.group()))]
    for match in _ISBN10.finditer(text):
        compact = match.group().replace("-", "").replace(" ", "")
        before = text[max(0, match.start() - 12) : match.start()].lower()
        if isbn10_valid(compact) and "isbn" in before:
            spans.append(match.span())
    return spans


def overlaps_any(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(s < end and start < e for s, e in spans)
