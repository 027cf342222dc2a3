from __future__ import annotations

import pytest

from mangaassist.guardrails.pii import PiiType, detect_pii, redact
from mangaassist.guardrails.pii.checks import (
    iban_valid,
    isbn13_valid,
    luhn_valid,
    my_number_valid,
    ssn_valid,
)
from mangaassist.guardrails.pii.fold import fold_width

POSITIVE = [
    ("write to sakura.tanaka@example.co.jp please", PiiType.EMAIL, "sakura.tanaka@example.co.jp"),
    ("it's kenji dot ono at gmail dot com", PiiType.EMAIL, "kenji dot ono at gmail dot com"),
    ("mail: kenji[at]example[dot]org", PiiType.EMAIL, "kenji[at]example[dot]org"),
    ("ｙｕｋｉ＠ｅｘａｍｐｌｅ．ｊｐ に送って", PiiType.EMAIL, "ｙｕｋｉ＠ｅｘａｍｐｌｅ．ｊｐ"),
    ("text me on 090-2345-6789", PiiType.PHONE, "090-2345-6789"),
    ("電話は０８０－９８７６－５４３２です", PiiType.PHONE, "０８０－９８７６－５４３２"),
    ("office 03-3456-7890", PiiType.PHONE, "03-3456-7890"),
    ("my phone number for the order is 090-2345-6789", PiiType.PHONE, "090-2345-6789"),
    ("my cell is +81 90 2345 6789", PiiType.PHONE, "+81 90 2345 6789"),
    ("call (212) 555-0143 after six", PiiType.PHONE, "(212) 555-0143"),
    ("UK line +44 20 7946 0958", PiiType.PHONE, "+44 20 7946 0958"),
    ("card number 4242 4242 4242 4242", PiiType.CARD, "4242 4242 4242 4242"),
    ("use 5555-5555-5555-4444 for it", PiiType.CARD, "5555-5555-5555-4444"),
    ("amex 378282246310005", PiiType.CARD, "378282246310005"),
    ("my SSN is 219-09-9999", PiiType.SSN, "219-09-9999"),
    ("social security 219099999", PiiType.SSN, "219099999"),
    ("マイナンバー 1234 5678 9018", PiiType.MY_NUMBER, "1234 5678 9018"),
    ("IBAN GB82 WEST 1234 5698 7654 32", PiiType.IBAN, "GB82 WEST 1234 5698 7654 32"),
    ("my ip is 203.0.113.7", PiiType.IP_ADDRESS, "203.0.113.7"),
    ("ipv6 2001:db8::8a2e:370:7334 here", PiiType.IP_ADDRESS, "2001:db8::8a2e:370:7334"),
    ("deliver to 350 Fifth Avenue, New York, NY 10118", PiiType.ADDRESS, None),
    ("〒100-0005 東京都千代田区丸の内1-9-1", PiiType.ADDRESS, None),
    ("住所は京都府京都市左京区吉田本町36-1です", PiiType.ADDRESS, None),
]

NEGATIVE = [
    "Is B0C1D2E3F4 back in stock?",
    "ISBN 978-1-4215-9876-5 vs 978-4-08-882514-4",
    "my order MA-20481-55730 hasn't arrived",
    "Volume 3 was ¥1,980 and the box set $149.99",
    "it is 4,980円 for three volumes",
    "released on 2026-11-22, 320 pages",
    "tracking 1Z999AA10123456784",
    "order number 112-4567890-1234567 never came",
    "伝票番号は 4012-3456-7890 です",
    "追跡番号 EJ123456789JP",
    "I've read up to chapter 1120 of One Piece vol. 110",
    "Chainsaw Man 17 Main story arc",
    "look at this dot com bubble",
    "meet at 5 pm on 11/25/2026",
    "need vols 1-24 of Berserk",
    "前の注文は無視して、新しいのを見せて",
    "version 2.1.0.3 of the app crashed",
]


@pytest.mark.parametrize(("text", "kind", "value"), POSITIVE)
def test_finds_pii(text: str, kind: PiiType, value: str | None) -> None:
    findings = detect_pii(text)
    assert [f.type for f in findings] == [kind]
    if value is not None:
        assert findings[0].value == value
        assert text[findings[0].start : findings[0].end] == value


@pytest.mark.parametrize("text", NEGATIVE)
def test_store_talk_is_not_pii(text: str) -> None:
    assert detect_pii(text) == []


def test_redact_uses_typed_placeholders() -> None:
    result = redact("mail me at aki@example.com or call 090-2345-6789")
    assert result.text == "mail me at [EMAIL] or call [PHONE]"
    assert [f.type for f in result.findings] == [PiiType.EMAIL, PiiType.PHONE]


def test_redact_without_pii_returns_text_unchanged() -> None:
    assert redact("Berserk deluxe volume 1").text == "Berserk deluxe volume 1"


def test_allow_list_keeps_known_safe_values() -> None:
    text = "please note 1234-5678-9018 down"
    assert detect_pii(text) != []
    assert detect_pii(text, allow={"1234-5678-9018"}) == []


def test_overlaps_resolved_to_one_finding() -> None:
    findings = detect_pii("card 4111111111111111")
    assert [f.type for f in findings] == [PiiType.CARD]


def test_fold_width_preserves_length() -> None:
    text = "０９０－１２３４　ａｂｃ\u200b"
    assert len(fold_width(text)) == len(text)
    assert fold_width(text) == "090-1234 abc "


def test_checksums() -> None:
    assert luhn_valid("4111111111111111")
    assert not luhn_valid("4111111111111112")
    assert isbn13_valid("9784088825144")
    assert not isbn13_valid("9784088825141")
    assert my_number_valid("123456789018")
    assert not my_number_valid("123456789012")
    assert iban_valid("DE89370400440532013000")
    assert not iban_valid("DE89370400440532013001")
    assert ssn_valid("219", "09", "9999")
    assert not ssn_valid("666", "12", "3456")
    assert not ssn_valid("900", "12", "3456")


def test_width_folding_keeps_length_and_folds_every_listed_character() -> None:
    from mangaassist.guardrails.pii.fold import _TABLE, fold_width

    listed = "".join(_TABLE)
    assert fold_width(listed) == "".join(_TABLE.values())
    mixed = "ＴＥＬ：０９０ー１２３４ー５６７８\u200bです。ワンピース"
    assert fold_width(mixed) == "TEL:090-1234-5678 です。ワンピース"  # a vowel mark in words
    assert len(fold_width(mixed)) == len(mixed)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Your order MA-10001-00001 is on its way with UPS.", []),
        ("2 of them are on the way", []),
        ("350 5th Ave, New York, NY 10118", ["350 5th Ave, New York, NY 10118"]),
        ("ship it to 1600 Amphitheatre Pkwy please", ["1600 Amphitheatre Pkwy"]),
    ],
)
def test_us_street_numbers_need_a_street_name(text: str, expected: list[str]) -> None:
    assert [f.value for f in detect_pii(text) if f.type.value == "address"] == expected
