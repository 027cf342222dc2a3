"""Store numbers that look like PII but are not: ISBNs and numbers introduced as tracking,
order or invoice numbers. Prices, dates, volume and page counts are too short to collide
with the number-shaped recognisers (which need 9+ digits); ASINs and carrier codes hold letters.
"""

from __future__ import annotations

import re

from mangaassist.guardrails.pii.checks import digits_of, isbn13_valid

_BEFORE_STORE_NUMBER = re.compile(
    r"(?:tracking|追跡|お問い合わせ|伝票|荷物|order|注文|オーダー|isbn|invoice|請求|parcel|package|"
    r"part|item|model|sku|serial|reference|ref|catalog(?:ue)?|品番|型番|部品)"
    r"\s*(?:number|no\.?|num|#|番号|id|code)?\s*(?:is|was|:|：|は|が)?\s*$",
    re.IGNORECASE,
)
_PHONE_WORDS = re.compile(
    r"phone|call|tel\b|cell|mobile|fax|contact|reach me|電話|携帯|連絡|ファックス", re.IGNORECASE
)


def is_store_number(text: str, start: int, end: int) -> bool:
    """Whether a long digit run at [start, end) is a store identifier, not personal data:
    a valid ISBN, or a number introduced as a tracking, order or invoice number."""
    digits = digits_of(text[start:end])
    if isbn13_valid(digits):
        return True
    before = max(0, start - 40)
    if _PHONE_WORDS.search(text, before, start):
        return False
    return _BEFORE_STORE_NUMBER.search(text, before, start) is not None
