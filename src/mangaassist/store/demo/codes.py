"""Identifier formats of the demo store: ASINs, ISBN-13s, order ids, carrier tracking numbers.

ASINs and ISBNs come from a SHA-256 of a stable product key (never `hash()`, which is salted
per process), so the same catalog always gets the same codes.
"""

from __future__ import annotations

import hashlib
import random
import re
import string

ORDER_ID_RE = re.compile(r"^MA-\d{5}-\d{5}$")
_BASE36 = string.digits + string.ascii_uppercase


def _digest(kind: str, key: str) -> int:
    return int.from_bytes(hashlib.sha256(f"{kind}:{key}".encode()).digest()[:16], "big")


def asin_for(key: str) -> str:
    """'B0' + 8 upper-case letters/digits derived from the product key."""
    value = _digest("asin", key)
    chars = []
    for _ in range(8):
        value, rem = divmod(value, 36)
        chars.append(_BASE36[rem])
    return "B0" + "".join(chars)


def isbn13_check_digit(first12: str) -> str:
    total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(first12))
    return str((10 - total % 10) % 10)


def is_valid_isbn13(isbn: str) -> bool:
    return len(isbn) == 13 and isbn.isdigit() and isbn13_check_digit(isbn[:12]) == isbn[12]


def isbn_for(key: str, group: str) -> str:
    """ISBN-13 (digits only) with prefix 978 and registration group `group` ('1' or '4')."""
    body = f"{_digest('isbn', key) % 10**8:08d}"
    first12 = "978" + group + body
    return first12 + isbn13_check_digit(first12)


def order_id(first: int, second: int) -> str:
    return f"MA-{first:05d}-{second:05d}"


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(string.digits) for _ in range(n))


def tracking_number(fmt: str, rng: random.Random) -> str:
    """A tracking number shaped like the carrier's real ones (random, not checksummed)."""
    if fmt == "ups":
        shipper = "".join(rng.choice(_BASE36) for _ in range(6))
        return f"1Z{shipper}03{_digits(rng, 8)}"
    if fmt == "usps":
        return "94" + _digits(rng, 20)
    if fmt == "fedex":
        return _digits(rng, 12)
    if fmt == "japan_post":
        return f"EJ{_digits(rng, 9)}JP"
    if fmt == "yamato":
        return _digits(rng, 12)
    if fmt == "dhl":
        return _digits(rng, 10)
    raise ValueError(f"unknown tracking-number format: {fmt}")
