"""Checksums that separate real identifiers from look-alike numbers."""

from __future__ import annotations


def digits_of(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def luhn_valid(number: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(number)):
        digit = int(char)
        if index % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return len(number) >= 12 and total % 10 == 0


def isbn13_valid(number: str) -> bool:
    if len(number) != 13 or not number.isdigit() or number[:3] not in {"978", "979"}:
        return False
    total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(number[:12]))
    return (10 - total % 10) % 10 == int(number[12])


def isbn10_valid(number: str) -> bool:
    if len(number) != 10 or not number[:9].isdigit():
        return False
    last = 10 if number[9] in "Xx" else int(number[9]) if number[9].isdigit() else -1
    if last < 0:
        return False
    total = sum((10 - i) * int(d) for i, d in enumerate(number[:9])) + last
    return total % 11 == 0


def my_number_valid(number: str) -> bool:
    """Japanese Individual Number (12 digits): check digit per the Cabinet Office ordinance."""
    if len(number) != 12 or not number.isdigit() or len(set(number)) == 1:
        return False
    body = number[:11]
    total = 0
    for n in range(1, 12):
        p = int(body[11 - n])
        q = n + 1 if n <= 6 else n - 5
        total += p * q
    remainder = total % 11
    check = 0 if remainder <= 1 else 11 - remainder
    return check == int(number[11])


def iban_valid(iban: str) -> bool:
    compact = iban.replace(" ", "").upper()
    if not 15 <= len(compact) <= 34 or not compact[:2].isalpha() or not compact[2:4].isdigit():
        return False
    rearranged = compact[4:] + compact[:4]
    numeric = "".join(str(int(ch, 36)) for ch in rearranged)
    return int(numeric) % 97 == 1


def ssn_valid(area: str, group: str, serial: str) -> bool:
    return (
        area not in {"000", "666"}
        and not area.startswith("9")
        and group != "00"
        and serial != "0000"
    )
