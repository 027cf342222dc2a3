from __future__ import annotations

import random

import pytest

from mangaassist.store.demo.codes import (
    asin_for,
    is_valid_isbn13,
    isbn13_check_digit,
    isbn_for,
    order_id,
    tracking_number,
)


def test_asin_is_stable_and_well_formed() -> None:
    assert asin_for("monster|en-print|1") == asin_for("monster|en-print|1")
    assert asin_for("monster|en-print|1") != asin_for("monster|en-print|2")
    assert asin_for("x").startswith("B0")
    assert len(asin_for("x")) == 10


def test_isbn_check_digit_of_known_books() -> None:
    assert isbn13_check_digit("978030640615") == "7"
    assert is_valid_isbn13("9780306406157")
    assert not is_valid_isbn13("9780306406158")
    assert not is_valid_isbn13("97803064061")


def test_isbn_prefixes() -> None:
    assert isbn_for("k", "1").startswith("9781")
    assert isbn_for("k", "4").startswith("9784")
    assert is_valid_isbn13(isbn_for("k", "4"))


def test_order_id_format() -> None:
    assert order_id(10001, 7) == "MA-10001-00007"


def test_unknown_tracking_format() -> None:
    with pytest.raises(ValueError, match="unknown tracking-number format"):
        tracking_number("pigeon", random.Random(1))
