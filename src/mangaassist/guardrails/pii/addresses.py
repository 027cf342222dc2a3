"""Street-address recognisers: US (number + street + suffix, PO boxes, city-state-ZIP) and
Japanese (〒 postal codes, prefecture + municipality + block numbers).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from mangaassist.guardrails.pii.recognizers import ScanContext, _finding, register
from mangaassist.guardrails.pii.types import PiiFinding, PiiType

_SUFFIX = (
    r"(?:street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|way|place|pl|"
    r"terrace|ter|parkway|pkwy|circle|cir|highway|hwy|square|sq|trail|trl|loop|alley|plaza|"
    r"close|crescent|cres|gardens|gdns|grove|mews|row|walk|rise)"
)
_STATES = (
    "AL|AK|AZ|AR|CA|CO|CT|DE|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|"
    "NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|DC"
)
_STATE_NAMES = (
    "Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|"
    "Hawaii|Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|"
    "Michigan|Minnesota|Mississippi|Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey|"
    "New Mexico|New York|North Carolina|North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|"
    "Rhode Island|South Carolina|South Dakota|Tennessee|Texas|Utah|Vermont|Virginia|Washington|"
    "West Virginia|Wisconsin|Wyoming"
)
_PROVINCES = "AB|BC|MB|NB|NL|NS|NT|NU|ON|PE|QC|SK|YT"
_CITY = r"(?:[A-Z][a-z]+\.?\s?){1,3}"
# What may follow the street, case-sensitive (city names and codes are capitalised):
# city + state + ZIP, city + province + Canadian postcode, city + UK postcode, or the old
# ", City" / ", ST" / " 12345" pieces.
_US_TAIL = (
    rf"(?-i:\s*,?\s*{_CITY},?\s*(?:{_STATES}|{_STATE_NAMES})\s*,?\s*\d{{5}}(?:-\d{{4}})?"
    rf"|\s*,?\s*{_CITY},?\s*(?:{_PROVINCES})\s+[A-Z]\d[A-Z]\s?\d[A-Z]\d"
    rf"|\s*,?\s*{_CITY},?\s*[A-Z]{{1,2}}\d[A-Z\d]?\s?\d[A-Z]{{2}}\b"
    rf"|(?:\s*,\s*[A-Z][A-Za-z]+(?:\s[A-Z][A-Za-z]+){{0,2}})?"
    rf"(?:\s*,?\s*(?:{_STATES})\b)?(?:\s+\d{{5}}(?:-\d{{4}})?)?)"
)
# Words that never name a street: without them "order MA-10001-00001 is on its way" or
# "3 of them are on the way" read like "1 Main Way".
_NOT_A_STREET_NAME = r"(?!(?:its|the|my|your|our|their|his|her|on|in|is|are|to|of|a|an|and|or)\s)"
_US_STREET = re.compile(
    r"(?:(?:flat|apt\.?|apartment|unit|suite)\s*#?\w{1,5},\s*)?"
    rf"(?<![\w#\-/.])\d{{1,6}}(?:-\d{{1,4}})?[A-Za-z]?\s+(?:[NSEW]\.?\s+)?"
    rf"(?:{_NOT_A_STREET_NAME}(?:\d{{1,3}}(?:st|nd|rd|th)|[A-Za-z][\w'.\-]*)\s+){{1,4}}"
    rf"{_SUFFIX}\b\.?(?:\s+(?:[NS][EW]|[NSEW])\b\.?)?"
    rf"(?:\s*,?\s*(?:apt|apartment|suite|ste|unit|#)\.?\s*[\w\-]+)?"
    rf"{_US_TAIL}",
    re.IGNORECASE | re.ASCII,
)
_US_CITY_STATE_ZIP = re.compile(
    rf"\b[A-Z][a-z]+(?:\s[A-Z][a-z]+){{0,2}},\s*(?:{_STATES})\s+\d{{5}}(?:-\d{{4}})?\b", re.ASCII
)
_PO_BOX = re.compile(r"\bP\.?\s?O\.?\s?Box\s+\d{1,6}\b", re.IGNORECASE | re.ASCII)

_PREFECTURES = (
    "北海道|青森県|岩手県|宮城県|秋田県|山形県|福島県|茨城県|栃木県|群馬県|埼玉県|千葉県|東京都|"
    "神奈川県|新潟県|富山県|石川県|福井県|山梨県|長野県|岐阜県|静岡県|愛知県|三重県|滋賀県|京都府|"
    "大阪府|兵庫県|奈良県|和歌山県|鳥取県|島根県|岡山県|広島県|山口県|徳島県|香川県|愛媛県|高知県|"
    "福岡県|佐賀県|長崎県|熊本県|大分県|宮崎県|鹿児島県|沖縄県"
)
_BLOCK = r"\d{1,4}(?:丁目|番地?の?|-|の)\d{1,4}(?:(?:番地?の?|-|の)\d{1,4})?(?:号)?(?:-\d{1,5})?"
# After the block: a building name with a room or floor ("サンタワーズB棟707", "4F", "14階").
_BUILDING = (
    r"(?:[\s　]?[一-龯ァ-ヶーぁ-んA-Za-z・]{0,20}?"
    r"(?:[A-Z]?棟?\d{1,4}(?:号室|号|階|F|f)?))?"
)
_JP_ADDRESS = re.compile(
    rf"(?:〒\s?\d{{3}}-?\d{{4}}[\s、,]*)?(?:{_PREFECTURES})?"
    rf"[一-龯ぁ-んァ-ヶー々ヶ]{{1,12}}?(?:市|区|町|村|郡)"
    rf"[一-龯ぁ-んァ-ヶー々ヶ]{{0,12}}?{_BLOCK}{_BUILDING}"
)
_PREFECTURE = re.compile(_PREFECTURES)
_POSTAL_MARK = re.compile(r"〒")
# Romaji: "1-2-3 Ebisu, Shibuya-ku, Tokyo 150-0013".
_JP_ROMAJI = re.compile(
    r"\b\d{1,4}(?:-\d{1,4}){1,2}\s+[A-Z][a-z]+(?:[\s-][A-Z]?[a-z]+)?,\s*"
    r"[A-Z][a-z]+-(?:ku|shi|cho|machi|gun|mura)\b"
    r"(?:,\s*[A-Z][a-z]+(?:-(?:to|fu|ken))?)?(?:,?\s*\d{3}-\d{4})?"
)
_JP_HINT = re.compile(r"[〒市区町村郡]|郵便番号")


# Every US pattern needs a street suffix, "box" or a five-digit ZIP. Checking the words
# against a set first is several times faster than any of the patterns on ordinary text.
_GATE_WORDS = frozenset(_SUFFIX.strip("(?:)").split("|")) | {"box"}
_EDGE = ".,;:!?()[]{}<>\"'"
_NON_LETTER = re.compile(r"[^a-z]+")
_FIVE_DIGITS = re.compile(r"(?<!\d)\d{5}(?!\d)")


def _may_hold_us_address(lower: str) -> bool:
    """False only when no US pattern can match: no suffix word, no "box", no 5-digit run."""
    for word in lower.split():
        word = word.strip(_EDGE)
        if word in _GATE_WORDS:
            return True
        if not word.isalpha() and (
            not _GATE_WORDS.isdisjoint(_NON_LETTER.split(word)) or _FIVE_DIGITS.search(word)
        ):
            return True
    return False


@register
def us_addresses(text: str, ctx: ScanContext) -> Iterator[PiiFinding]:
    if ctx.digits == 0 or not _may_hold_us_address(ctx.lower):
        return
    for pattern in (_US_STREET, _US_CITY_STATE_ZIP, _PO_BOX):
        for match in pattern.finditer(text):
            yield _finding(PiiType.ADDRESS, text, match.start(), match.end())


def _trim_lead(text: str, start: int, end: int) -> int:
    """A match may begin with words before the address ("私の住所は東京都…"): start at the
    postal mark or the prefecture when there is one."""
    window = text[start:end]
    postal = _POSTAL_MARK.search(window)
    if postal is not None:
        return start + postal.start()
    prefecture = _PREFECTURE.search(window)
    return start + prefecture.start() if prefecture is not None else start


@register
def japanese_addresses(text: str, ctx: ScanContext) -> Iterator[PiiFinding]:
    if ctx.digits == 0:
        return
    if _JP_HINT.search(text):
        for match in _JP_ADDRESS.finditer(text):
            start = _trim_lead(text, *match.span())
            yield _finding(PiiType.ADDRESS, text, start, match.end())
    if "-" in text and "," in text:
        for match in _JP_ROMAJI.finditer(text):
            yield _finding(PiiType.ADDRESS, text, *match.span())
