"""Built-in PII recognisers, registered the way a third-party recogniser would be.

Each recogniser takes width-folded text plus a ScanContext and yields findings.
Checksums (Luhn, mod-97, My Number, SSN rules) and `phonenumbers` validation keep
precision high; candidates come from cheap regexes so validation runs rarely.
"""

from __future__ import annotations

import functools
import ipaddress
import re
from collections.abc import Callable, Iterable, Iterator

import phonenumbers

from mangaassist.guardrails.pii.checks import (
    digits_of,
    iban_valid,
    luhn_valid,
    my_number_valid,
    ssn_valid,
)
from mangaassist.guardrails.pii.protected import is_store_number
from mangaassist.guardrails.pii.types import PiiFinding, PiiType

_DIGIT = re.compile(r"\d")
_DIGIT_RUN = re.compile(r"[+(]?\d(?:[\s\-.()/]{0,2}\d)+")


class ScanContext:
    """Facts about one (width-folded) text that recognisers use to skip work early."""

    __slots__ = ("digits", "has_at", "lower", "run", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.lower = text.lower()
        digits = _DIGIT.findall(text)
        self.digits = len(digits)
        self.has_at = "@" in text
        #: Digits in the longest run of digits and separators: number-shaped PII needs 9+.
        #: A text with fewer than 9 digits keeps its digit count, an upper bound below 9.
        self.run = (
            max(len(_DIGIT.findall(m.group())) for m in _DIGIT_RUN.finditer(text))
            if self.digits >= 9
            else self.digits
        )


Recognizer = Callable[[str, ScanContext], Iterable[PiiFinding]]
RECOGNIZERS: list[Recognizer] = []


def register(recognizer: Recognizer) -> Recognizer:
    RECOGNIZERS.append(recognizer)
    return recognizer


def _finding(kind: PiiType, text: str, start: int, end: int) -> PiiFinding:
    return PiiFinding(kind, start, end, text[start:end])


_TLD = r"(?:com|net|org|edu|gov|io|co|info|biz|me|us|uk|ca|au|de|fr|jp|ne|or|ac|go|dev|app)"
_EMAIL = re.compile(
    r"[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}", re.ASCII
)
_FILE_NAME = re.compile(
    r"\.(?:png|jpe?g|gif|webp|svg|bmp|tiff?|pdf|zip|mp[34]|mov|psd|heic)$", re.IGNORECASE
)
_AT = r"(?:\s*[\[\(\{<]\s*at\s*[\]\)\}>]\s*|\s+at\s+|\s*アット(?:マーク)?\s*|\s*あっと\s*)"
_DOT = r"(?:\s*[\[\(\{<]\s*dot\s*[\]\)\}>]\s*|\s+dot\s+|\s*ドット\s*|\.)"
_OBFUSCATED_EMAIL = re.compile(
    rf"(?<![A-Za-z0-9])[A-Za-z0-9][A-Za-z0-9_+-]*(?:{_DOT}[A-Za-z0-9_+-]+)*"
    rf"{_AT}[A-Za-z0-9-]+(?:{_DOT}[A-Za-z0-9-]+)*{_DOT}{_TLD}(?![A-Za-z0-9])",
    re.IGNORECASE,
)


# Ordinary words that make "look at it dot com" read like an address; never mailbox parts.
_EMAIL_STOPWORDS = frozenset(
    [
        "it",
        "this",
        "that",
        "the",
        "a",
        "an",
        "home",
        "work",
        "school",
        "night",
        "least",
        "all",
        "once",
        "first",
        "last",
        "times",
        "me",
        "you",
        "them",
        "him",
        "her",
        "us",
        "noon",
        "midnight",
        "what",
        "which",
        "one",
        "some",
        "any",
    ]
)
_WORD_SPLIT = re.compile(r"\s+at\s+|\s+dot\s+|[\[\](){}<>@.\s]+", re.IGNORECASE)


def _plausible_obfuscated(candidate: str) -> bool:
    parts = [p.lower() for p in _WORD_SPLIT.split(candidate) if p]
    return not any(part in _EMAIL_STOPWORDS for part in parts[:-1])


_DOTTED_TLD = re.compile(rf"(?:dot|ドット|\.)\W{{0,3}}{_TLD}(?![a-z0-9])")
_OBFUSCATION_HINT = re.compile(r"\bat\b|アット|あっと|\[at\]|\(at\)|\{at\}|<at>", re.I)
_LOCAL_PART_REACH = 64


def _windows(text: str, anchors: Iterator[int], before: int, after: int) -> Iterator[int]:
    """Start offsets of disjoint windows around each anchor, so a regex scans only near '@'."""
    covered = -1
    for position in anchors:
        start = max(0, position - before, covered)
        if start < position + after:
            yield start
            covered = min(len(text), position + after)


def _near(pattern: re.Pattern[str], text: str, anchors: list[int]) -> Iterator[re.Match[str]]:
    seen: set[tuple[int, int]] = set()
    for anchor in anchors:
        start = max(0, anchor - _LOCAL_PART_REACH)
        for match in pattern.finditer(text, start, min(len(text), anchor + 255)):
            if match.start() <= anchor < match.end() and match.span() not in seen:
                seen.add(match.span())
                yield match


@register
def emails(text: str, ctx: ScanContext) -> Iterator[PiiFinding]:
    if ctx.has_at:
        at_signs = [i for i, ch in enumerate(text) if ch == "@"]
        for match in _near(_EMAIL, text, at_signs):
            if not _FILE_NAME.search(match.group()):  # "cover@2x.png" is an image, not a mailbox
                yield _finding(PiiType.EMAIL, text, *match.span())
    if "at" not in ctx.lower and "アット" not in text and "あっと" not in text:
        return
    hints = [m.start() for m in _OBFUSCATION_HINT.finditer(ctx.lower)]
    # A spelled-out address still ends in "dot com" or ".jp": without such an ending after
    # the first "at", the expensive pattern below cannot match ("volume 3 at $14.99").
    if not hints or _DOTTED_TLD.search(ctx.lower, hints[0]) is None:
        return
    for match in _near(_OBFUSCATED_EMAIL, text, hints):
        if _plausible_obfuscated(match.group()):
            yield _finding(PiiType.EMAIL, text, *match.span())


_PHONE_CANDIDATE = re.compile(
    r"(?:(?<![\w+\-.])|(?<=TEL)|(?<=Tel)|(?<=tel)|(?<=TEL:)|(?<=tel:))"
    r"(?:\+\s?\d{1,3}[\s.\-]?)?(?:\(\d{1,4}\)[\s.\-]?)?\d{1,5}(?:[\s.\-]?\d{1,5}){1,4}(?![\w\-])",
    re.ASCII,
)
# National formats tried for numbers without a country code: the store ships to these.
_PHONE_REGIONS = ("US", "JP", "GB", "AU", "CA")
_EXTENSION = re.compile(r"\s*(?:ext\.?|extension|x|内線)\s*\d{1,5}\b", re.IGNORECASE)


@functools.lru_cache(maxsize=4096)
def _valid_phone(candidate: str) -> bool:
    digit_count = sum(ch.isdigit() for ch in candidate)
    if not 9 <= digit_count <= 15:
        return False
    regions: tuple[str | None, ...] = (
        (None,) if candidate.lstrip().startswith("+") else _PHONE_REGIONS
    )
    for region in regions:
        try:
            number = phonenumbers.parse(candidate, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return True
    return False


@register
def phones(text: str, ctx: ScanContext) -> Iterator[PiiFinding]:
    if ctx.run < 9:
        return
    for match in _PHONE_CANDIDATE.finditer(text):
        start, end = match.span()
        candidate = match.group().rstrip(" .-")
        end = start + len(candidate)
        if sum(ch.isdigit() for ch in candidate) < 9 or is_store_number(text, start, end):
            continue
        if candidate.count(".") >= 3:  # 131.0.6778.86 is a version, not a phone number
            continue
        if _valid_phone(candidate):
            extension = _EXTENSION.match(text, end)
            yield _finding(PiiType.PHONE, text, start, extension.end() if extension else end)


_CARD = re.compile(r"(?<![\d\-])(?:\d[ \-]?){12,18}\d(?![\d\-])", re.ASCII)
_CARD_PREFIXES = ("2", "3", "4", "5", "6")


_GROUPS = re.compile(r"[ \-]")
# Separated card numbers are printed 4-4-4-4(-3), 4-6-5 (Amex) or 4-6-4 (Diners); other
# groupings ("2026-1103-4471-02") are references that happen to pass Luhn.
_CARD_GROUPINGS = frozenset({(4, 4, 4, 4), (4, 4, 4, 4, 3), (4, 6, 5), (4, 6, 4), (4, 4, 4, 3)})


def _card_grouping(candidate: str) -> bool:
    groups = tuple(len(g) for g in _GROUPS.split(candidate) if g)
    return len(groups) == 1 or groups in _CARD_GROUPINGS


@register
def cards(text: str, ctx: ScanContext) -> Iterator[PiiFinding]:
    if ctx.run < 13:
        return
    for match in _CARD.finditer(text):
        number = digits_of(match.group())
        if not number.startswith(_CARD_PREFIXES) or is_store_number(text, *match.span()):
            continue
        if luhn_valid(number) and _card_grouping(match.group()):
            yield _finding(PiiType.CARD, text, *match.span())


_SSN = re.compile(r"(?<![A-Za-z0-9\-])(\d{3})([ \-])(\d{2})\2(\d{4})(?![\d\-])")
_SSN_BARE = re.compile(r"(?<!\d)(\d{3})(\d{2})(\d{4})(?!\d)")
_SSN_CONTEXT = re.compile(r"(?:ssn|social security|社会保障番号)", re.IGNORECASE)


@register
def ssns(text: str, ctx: ScanContext) -> Iterator[PiiFinding]:
    if ctx.run < 9:
        return
    for match in _SSN.finditer(text):
        if ssn_valid(match[1], match[3], match[4]) and not is_store_number(text, *match.span()):
            yield _finding(PiiType.SSN, text, *match.span())
    for match in _SSN_BARE.finditer(text):
        context = text[max(0, match.start() - 40) : match.start()]
        if _SSN_CONTEXT.search(context) and ssn_valid(match[1], match[2], match[3]):
            yield _finding(PiiType.SSN, text, *match.span())


# Not "(?<![\d-])": width folding turns the long mark of "マイナンバー" into '-', and a
# "+" means an international phone number.
_MY_NUMBER = re.compile(r"(?<![\d+])(?<!\d-)\d{4}([ \-]?)\d{4}\1\d{4}(?![\d\-])")
_MY_NUMBER_CONTEXT = re.compile(
    r"(?:マイナンバー|個人番号|my ?number|individual number)", re.IGNORECASE
)
_TRACKING_CONTEXT = re.compile(r"(?:tracking|追跡|伝票|お問い合わせ番号|荷物)", re.IGNORECASE)


@register
def my_numbers(text: str, ctx: ScanContext) -> Iterator[PiiFinding]:
    if ctx.run < 12:
        return
    for match in _MY_NUMBER.finditer(text):
        number = digits_of(match.group())
        context = text[max(0, match.start() - 60) : match.start()]
        if _MY_NUMBER_CONTEXT.search(context) or (
            my_number_valid(number)
            and not _TRACKING_CONTEXT.search(context)
            and not is_store_number(text, *match.span())
        ):
            yield _finding(PiiType.MY_NUMBER, text, *match.span())


# Upper case as printed, or all lower case as typed on a phone (never mixed: a lower-case
# word after an IBAN is not part of it).
_IBAN = re.compile(
    r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b|\b[a-z]{2}\d{2}(?: ?[a-z0-9]){11,30}\b", re.ASCII
)


@register
def ibans(text: str, ctx: ScanContext) -> Iterator[PiiFinding]:
    if ctx.digits < 8:
        return
    for match in _IBAN.finditer(text):
        candidate = match.group().rstrip()
        if iban_valid(candidate.upper()):
            yield _finding(PiiType.IBAN, text, match.start(), match.start() + len(candidate))


_IPV4 = re.compile(
    r"(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
    r"(?![\d]|\.\d)",
    re.ASCII,
)
_IPV6 = re.compile(r"(?<![\w:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:])", re.ASCII)
_IPV4_SHAPE = re.compile(r"\d\.\d{1,3}\.\d{1,3}\.\d", re.ASCII)
# Dotted numbers that are versions, sections or ratings, not addresses.
_VERSION_CONTEXT = re.compile(
    r"(?:version|ver\.?|v|section|sec\.?|chapter|clause|article|rule|step|§|rated|build|"
    r"firmware|release)\s*$",
    re.IGNORECASE,
)


@register
def ip_addresses(text: str, ctx: ScanContext) -> Iterator[PiiFinding]:
    if ctx.digits < 2 or ("." not in text and ":" not in text):
        return
    for match in _IPV4.finditer(text) if _IPV4_SHAPE.search(text) else ():
        if not _VERSION_CONTEXT.search(text[max(0, match.start() - 10) : match.start()]):
            yield _finding(PiiType.IP_ADDRESS, text, *match.span())
    if text.count(":") < 2:
        return
    for match in _IPV6.finditer(text):
        candidate = match.group()
        if candidate.count(":") < 2 or sum(c.isalnum() for c in candidate) < 4:
            continue
        try:
            ipaddress.IPv6Address(candidate)
        except ValueError:
            continue
        yield _finding(PiiType.IP_ADDRESS, text, *match.span())
