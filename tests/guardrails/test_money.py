from __future__ import annotations

from decimal import Decimal

import pytest

from mangaassist.guardrails.money import find_amounts, format_amount, same_amount


@pytest.mark.parametrize(
    ("text", "currency", "value", "shown"),
    [
        ("it is $12.99 now", "USD", "12.99", "$12.99"),
        ("US$ 1,049.50 total", "USD", "1049.50", "US$ 1,049.50"),
        ("USD 9.99", "USD", "9.99", "USD 9.99"),
        ("about 15 dollars", "USD", "15", "15 dollars"),
        ("定価は¥1,980です", "JPY", "1980", "¥1,980"),
        ("１巻は748円", "JPY", "748", "748円"),
        ("only 120 yen", "JPY", "120", "120 yen"),
        ("it is priced at 11.99 today", "USD", "11.99", "11.99"),
    ],
)
def test_finds_amounts(text: str, currency: str, value: str, shown: str) -> None:
    [amount] = find_amounts(text)
    assert (amount.currency, amount.value) == (currency, Decimal(value))
    assert text[amount.start : amount.end] == shown


@pytest.mark.parametrize(
    "text", ["volume 12 of 42", "only 3 volumes left", "priced at 20% less", "chapter 1089"]
)
def test_numbers_that_are_not_money(text: str) -> None:
    assert find_amounts(text) == []


def test_format_and_compare() -> None:
    assert format_amount("USD", Decimal("9.5")) == "$9.50"
    assert format_amount("JPY", Decimal("1980")) == "¥1,980"
    assert format_amount("JPY", Decimal("748"), "word_after") == "748円"
    assert same_amount("USD", Decimal("9.99"), Decimal("9.995"))
    assert not same_amount("USD", Decimal("9.99"), Decimal("10.00"))
    assert same_amount("JPY", Decimal("748"), Decimal("748.4"))
