from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from mangaassist.domain.store import Order, OrderItem, Product, Series, ShippingOption
from mangaassist.evaluation.checks import Checker, StoreTruth
from mangaassist.evaluation.golden import parse_case
from mangaassist.evaluation.targets import TurnResult, fold_frames

ASIN = "B0BERSERK1"
ASIN_JA = "B0BERSERK2"


def product(asin: str, price: str, currency: str = "USD", language: str = "en") -> Product:
    return Product(
        asin=asin,
        series_id="berserk",
        title="Berserk Vol. 1",
        title_ja="ベルセルク 1",
        format="volume",
        volume=1,
        language=language,
        medium="print",
        currency=currency,
        price=Decimal(price),
        list_price=Decimal(price) + (Decimal("2") if currency == "USD" else Decimal("100")),
        stock=3,
        release_date=date(2003, 1, 1),
        rating=4.8,
        rating_count=10,
        seller="MangaAssist Books",
        trust_score=0.98,
        description="Dark fantasy.",
    )


def series() -> Series:
    return Series(
        series_id="berserk",
        title_en="Berserk",
        title_ja="ベルセルク",
        title_romaji="Beruseruku",
        authors=("Kentaro Miura",),
        demographic="seinen",
        genres=("fantasy",),
        publisher="Hakusensha",
        magazine="Young Animal",
        first_year=1989,
        status="ongoing",
        volumes=42,
        age_rating="mature",
        synopsis="Guts.",
        synopsis_ja="ガッツ。",
    )


def order(order_id: str, customer: str) -> Order:
    return Order(
        order_id=order_id,
        customer_id=customer,
        placed_at=datetime(2026, 11, 1, tzinfo=UTC),
        status="in_transit",
        carrier="UPS",
        tracking_number="1Z999AA10123456784",
        items=(
            OrderItem(
                asin=ASIN,
                title="Berserk Vol. 1",
                quantity=1,
                unit_price=Decimal("12.99"),
                currency="USD",
            ),
        ),
        total=Decimal("17.98"),
        currency="USD",
        region="US",
    )


@pytest.fixture(scope="module")
def checker() -> Checker:
    shipping = [
        ShippingOption(
            option_id="us-standard",
            region="US",
            name="Standard",
            name_ja="通常配送",
            price=Decimal("4.99"),
            currency="USD",
            min_days=3,
            max_days=5,
            free_over=Decimal("35"),
        )
    ]
    truth = StoreTruth(
        products={ASIN: product(ASIN, "12.99"), ASIN_JA: product(ASIN_JA, "726", "JPY", "ja")},
        series={"berserk": series()},
        shipping=shipping,
        orders={"C10001": [order("MA-10001-00001", "C10001")]},
    )
    return Checker(truth)


def golden(**over: object):  # type: ignore[no-untyped-def]
    raw: dict[str, object] = {
        "id": "c1",
        "lang": "en",
        "customer": "guest",
        "turns": ["how much is Berserk?"],
        "expect": {"intent": "product_question"},
    }
    return parse_case(raw | over, "t")


def answer(text: str, intent: str = "product_question", cards: int = 0) -> TurnResult:
    shown = tuple({"asin": ASIN, "title": "Berserk Vol. 1"} for _ in range(cards))
    return TurnResult(text=text, intent=intent, cards=shown)


def by_name(checks):  # type: ignore[no-untyped-def]
    return {c.name: c for c in checks}


def test_a_correct_answer_passes_every_property(checker: Checker) -> None:
    text = f"Berserk Vol. 1 ({ASIN}) is $12.99, down from $14.99. Shipping is $4.99, free over $35."
    checks = by_name(checker.properties(golden(), answer(text, cards=1)))
    assert all(c.passed for c in checks.values()), [c for c in checks.values() if not c.passed]


@pytest.mark.parametrize(
    ("text", "failing"),
    [
        ("Berserk Vol. 1 is $9.99 today.", "prices_match"),
        ("It costs $12.99 (B0FAKEASIN).", "asins_exist"),
        ("Berserk Vol. 1 is ¥700.", "prices_match"),
        ("Sure, write to rin.sato@example.com about Berserk.", "no_pii"),
        ("Order MA-10002-00001 is delivered.", "own_orders_only"),
        ("x" * 1600, "length"),
    ],
)
def test_each_property_fails_on_its_violation(checker: Checker, text: str, failing: str) -> None:
    checks = by_name(checker.properties(golden(), answer(text)))
    assert not checks[failing].passed
    assert checks[failing].detail


def test_a_japanese_question_needs_a_japanese_answer(checker: Checker) -> None:
    case = golden(lang="ja", turns=["ベルセルクはいくら？"])
    assert not by_name(checker.properties(case, answer("Berserk Vol. 1 is $12.99.")))[
        "language"
    ].passed
    assert by_name(checker.properties(case, answer("ベルセルク 1巻は¥726です。")))[
        "language"
    ].passed


def test_own_orders_and_typed_ids_are_allowed(checker: Checker) -> None:
    mine = golden(customer="C10001", turns=["where is MA-10001-00001?"])
    text = "Order MA-10001-00001 is in transit, tracking number 1Z999AA10123456784. Total $17.98."
    checks = by_name(checker.properties(mine, answer(text, "order_tracking")))
    assert checks["own_orders_only"].passed
    assert checks["no_pii"].passed
    assert checks["prices_match"].passed
    guest = golden(turns=["where is MA-10002-00001?"])
    assert by_name(checker.properties(guest, answer("Please sign in to see MA-10002-00001.")))[
        "own_orders_only"
    ].passed


def test_recommendations_need_cards_and_reasons(checker: Checker) -> None:
    case = golden(expect={"intent": "recommendation"}, turns=["something dark"])
    bare = answer("Berserk Vol. 1.", "recommendation", cards=1)
    reasoned = answer(
        "Berserk Vol. 1 — a brutal dark-fantasy epic if you like grim, epic battles.",
        "recommendation",
        cards=1,
    )
    none = answer("Try something dark!", "recommendation")
    assert not by_name(checker.properties(case, bare))["recommendations_have_reasons"].passed
    assert by_name(checker.properties(case, reasoned))["recommendations_have_reasons"].passed
    assert not by_name(checker.properties(case, none))["recommendations_have_reasons"].passed


def test_cards_must_be_named_in_the_text(checker: Checker) -> None:
    assert not by_name(checker.properties(golden(), answer("Here you go.", cards=1)))[
        "cards_match_text"
    ].passed


def test_expectations_are_case_and_width_insensitive(checker: Checker) -> None:
    case = golden(
        expect={
            "intent": "faq",
            "any_of": [["30 DAYS", "３０日"]],
            "all_of": ["refund"],
            "none_of": ["Amazon"],
            "cards": False,
        }
    )
    good = by_name(
        checker.expectations(case, answer("Returns within 30 days for a Refund.", "faq"))
    )
    assert all(c.passed for c in good.values())
    bad = checker.expectations(case, answer("Ask Amazon.", "shipping", cards=1))
    assert {c.name for c in bad if not c.passed} == {
        "intent",
        "any_of",
        "all_of",
        "none_of",
        "cards",
    }


def test_frames_fold_into_what_the_shopper_sees() -> None:
    result = fold_frames(
        [
            {"type": "chunk", "text": "Berserk is "},
            {"type": "chunk", "text": "$9.99"},
            {"type": "correction", "text": "Berserk is $12.99", "reason": "price"},
            {"type": "products", "products": [{"asin": ASIN}]},
            {"type": "complete", "metadata": {"intent": "product_question"}},
        ]
    )
    assert result.text == "Berserk is $12.99"
    assert result.intent == "product_question"
    assert len(result.cards) == 1
    error = fold_frames([{"type": "error", "code": "rate_limited", "message": "slow down"}])
    assert (error.error, error.text) == ("rate_limited", "slow down")
