"""Finds money amounts in English and Japanese text.

Forms: $12.99, USD 12.99, 12.99 dollars, ¥1,980, 748円, JPY 748, and bare numbers after
"priced at", "costs", "sells for".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

_NUMBER = r"(?P<whole>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<cents>\d{1,2}))?"
_PATTERNS: list[tuple[str, str, re.Pattern[str]]] = [
    ("USD", "symbol", re.compile(rf"(?:US)?\$\s?{_NUMBER}")),
    ("USD", "code_before", re.compile(rf"\bUSD\s?{_NUMBER}")),
    ("USD", "word_after", re.compile(rf"{_NUMBER}\s?(?:USD|dollars?|ドル)\b", re.IGNORECASE)),
    ("JPY", "symbol", re.compile(rf"[¥￥]\s?{_NUMBER}")),
    ("JPY", "code_before", re.compile(rf"\bJPY\s?{_NUMBER}")),
    ("JPY", "word_after", re.compile(rf"{_NUMBER}\s?(?:円|yen\b|JPY\b)", re.IGNORECASE)),
    (
        "USD",
        "bare",
        re.compile(
            r"\b(?:priced at|costs|cost of|sells for|for only|price is|only) "
            rf"(?P<amt>{_NUMBER})(?!\d)"
            r"(?!\s*(?:%|percent|volumes?|vols?|巻|pages?|copies|items|books))",
            re.IGNORECASE,
        ),
    ),
]


@dataclass(frozen=True, slots=True)
class Amount:
    currency: str
    value: Decimal
    start: int
    end: int
    style: str


_BARE_HINT = re.compile(r"priced at|costs|cost of|sells for|for only|price is|only ", re.I)
_MONEY_HINT = re.compile(r"[$¥￥]|\b(?:USD|JPY)\b|dollar|yen|ドル|円", re.I)


def find_amounts(text: str) -> list[Amount]:
    found: list[Amount] = []
    if not any(ch.isdigit() for ch in text):
        return found
    money_hint = _MONEY_HINT.search(text) is not None
    bare_hint = _BARE_HINT.search(text) is not None
    taken = bytearray(len(text))
    for currency, style, pattern in _PATTERNS:
        if (style == "bare" and not bare_hint) or (style != "bare" and not money_hint):
            continue
        for match in pattern.finditer(text):
            if any(taken[match.start() : match.end()]):
                continue
            if style == "bare" and text[match.end() : match.end() + 1] in {"%", "円", "¥"}:
                continue
            whole = match.group("whole").replace(",", "")
            cents = match.group("cents") or ""
            try:
                value = Decimal(f"{whole}.{cents}" if cents else whole)
            except InvalidOperation:
                continue
            start, end = match.span("amt") if "amt" in pattern.groupindex else match.span()
            taken[match.start() : match.end()] = b"\x01" * (match.end() - match.start())
            found.append(Amount(currency, value, start, end, style))
    return sorted(found, key=lambda a: a.start)


def format_amount(currency: str, value: Decimal, style: str = "symbol") -> str:
    if currency == "JPY":
        whole = f"{int(value):,}"
        return f"{whole}円" if style == "word_after" else f"¥{whole}"
    return f"${value:.2f}"


def same_amount(currency: str, a: Decimal, b: Decimal) -> bool:
    tolerance = Decimal("1") if currency == "JPY" else Decimal("0.01")
    return abs(a - b) < tolerance
