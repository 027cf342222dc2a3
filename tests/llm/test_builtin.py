from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from mangaassist.chat.facts import Facts
from mangaassist.domain.store import (
    EligibilityV2,
    Order,
    OrderItem,
    Product,
    Promotion,
    ReturnEligibility,
    Series,
    TrackingInfo,
)
from mangaassist.llm.builtin import BuiltinResponder, compose
from mangaassist.retrieval.chunks import Chunk
from mangaassist.retrieval.recommend.engine import Recommendation

UZUMAKI = Series(
    series_id="uzumaki",
    title_en="Uzumaki",
    title_ja="うずまき",
    title_romaji="Uzumaki",
    authors=("Junji Ito",),
    demographic="seinen",
    genres=("horror",),
    tags=("cosmic-horror",),
    publisher="Shogakukan",
    magazine="Big Comic Spirits",
    first_year=1998,
    status="finished",
    volumes=3,
    age_rating="older_teen",
    synopsis="Spirals.",
    synopsis_ja="渦。",
)
VOLUME = Product(
    asin="B0UZUMAKI1",
    series_id="uzumaki",
    title="Uzumaki Vol. 1",
    title_ja="うずまき 1",
    format="volume",
    volume=1,
    language="en",
    medium="print",
    currency="USD",
    price=Decimal("12.99"),
    list_price=Decimal("14.99"),
    stock=4,
    release_date=date(2013, 1, 1),
    rating=4.8,
    rating_count=900,
    seller="MangaAssist Books",
    trust_score=0.98,
    description="d",
)
ORDER = Order(
    order_id="MA-12345-67890",
    customer_id="C10001",
    placed_at=datetime(2026, 10, 28, 9, tzinfo=UTC),
    status="in_transit",
    carrier="UPS",
    tracking_number="1Z999AA10123456784",
    eta=date(2026, 11, 3),
    items=(
        OrderItem(
            asin="B0UZUMAKI1",
            title="Uzumaki Vol. 1",
            quantity=1,
            unit_price=Decimal("12.99"),
            currency="USD",
        ),
    ),
    total=Decimal("12.99"),
    currency="USD",
    region="US",
)


def facts(intent: str, language: str = "en", **kw: object) -> Facts:
    return Facts(intent=intent, language=language, user_text="x", **kw)  # type: ignore[arg-type]


def test_recommendation_lists_picks_with_reasons() -> None:
    pick = Recommendation(
        "uzumaki", "B0UZUMAKI1", "Uzumaki", 0.9, "Also by Junji Ito.", "伊藤潤二の作品です。"
    )
    en = compose(facts("recommendation", recommendations=(pick,), series=(UZUMAKI,)))
    assert "Uzumaki — Also by Junji Ito." in en
    ja = compose(facts("recommendation", "ja", recommendations=(pick,), series=(UZUMAKI,)))
    assert "『うずまき』" in ja
    assert "伊藤潤二の作品です。" in ja


def test_product_answer_uses_store_price_and_asin_only() -> None:
    text = compose(facts("product_question", products=(VOLUME,), series=(UZUMAKI,)))
    assert "$12.99 (list $14.99)" in text
    assert "B0UZUMAKI1" in text
    assert "finished, 3 volumes" in text
    ja = compose(facts("product_question", "ja", products=(VOLUME,), series=(UZUMAKI,)))
    assert "全3巻完結" in ja
    assert "$12.99" in ja


def test_unknown_title() -> None:
    assert "couldn't find that title" in compose(facts("product_question"))


def test_order_tracking_states_carrier_and_eta() -> None:
    tracking = TrackingInfo(
        order_id=ORDER.order_id,
        carrier="UPS",
        tracking_number="1Z999AA10123456784",
        status="in_transit",
        eta=date(2026, 11, 3),
    )
    text = compose(facts("order_tracking", tracking=tracking))
    assert "MA-12345-67890 is on its way" in text
    assert "1Z999AA10123456784" in text
    assert "Tuesday, November 3" in text
    listing = compose(facts("order_tracking", "ja", orders=(ORDER,)))
    assert "MA-12345-67890" in listing
    assert "配送中" in listing


@pytest.mark.parametrize(
    ("note", "needle"),
    [
        ("sign_in_required", "sign in first"),
        ("other_customer", "only show orders and returns on your own account"),
        ("order_not_found", "couldn't find that order number"),
        ("store_unavailable", "can't reach our store systems"),
    ],
)
def test_notes_become_explanations(note: str, needle: str) -> None:
    assert needle in compose(facts("order_tracking", note=note))


def test_return_eligibility_both_ways() -> None:
    ok = ReturnEligibility(
        order_id=ORDER.order_id,
        asin="B0UZUMAKI1",
        eligible=True,
        eligibility_v2=EligibilityV2(
            eligible=True,
            reason="within_window",
            deadline=date(2026, 11, 18),
            message="It is unopened and within 15 days.",
        ),
    )
    assert "can be returned until November 18" in compose(facts("return_request", eligibility=ok))
    no = ReturnEligibility(
        order_id=ORDER.order_id,
        asin="B0UZUMAKI1",
        eligible=False,
        eligibility_v2=EligibilityV2(
            eligible=False, reason="opened", message="Opened items can't be returned."
        ),
    )
    assert "can't be returned" in compose(facts("return_request", eligibility=no))
    assert "返品の対象外" in compose(facts("return_request", "ja", eligibility=no))


def test_faq_quotes_the_best_passage_with_source() -> None:
    chunk = Chunk(
        "en:returns:1",
        "returns",
        "policy",
        "en",
        "Returns policy",
        "Opened items",
        "Opened volumes can't be returned. Damaged ones can. Call us. Extra.",
    )
    text = compose(facts("faq", passages=(chunk,)))
    assert text.startswith("Opened volumes can't be returned. Damaged ones can. Call us.")
    assert "(From: Returns policy.)" in text
    assert "Extra" not in text


def test_promotions_and_templates() -> None:
    promo = Promotion(
        promo_id="p1",
        title="Horror Month",
        title_ja="ホラー月間",
        description="20% off horror",
        description_ja="ホラー20%オフ",
        discount_percent=20,
        starts=date(2026, 10, 1),
        ends=date(2026, 11, 30),
    )
    assert "Horror Month: 20% off horror (until November 30)" in compose(
        facts("promotions", promotions=(promo,))
    )
    assert "ticket number is T-ABC123" in compose(facts("escalation", note="ticket:T-ABC123"))
    assert "MangaAssist Books" in compose(
        Facts(intent="chitchat", language="en", user_text="hello!")
    )
    assert "どういたしまして" in compose(
        Facts(intent="chitchat", language="ja", user_text="ありがとう")
    )
    assert "only answer questions about our shop" in compose(facts("out_of_scope"))
    assert "a return" in compose(facts("clarify", clarify=("return_request", "order_tracking")))


async def test_streaming_reassembles_the_answer() -> None:
    responder = BuiltinResponder(pacing_s=0)
    for language in ("en", "ja"):
        f = facts("escalation", language, note="ticket:T-1")
        chunks = [c async for c in responder.stream(f)]
        assert len(chunks) > 3
        assert "".join(chunks) == compose(f)


def test_sentences_are_cut_at_real_ends_only() -> None:
    from mangaassist.llm.builtin import _first_sentences

    assert _first_sentences("It is $3.99 each. Two. Three.", 2) == "It is $3.99 each. Two."
    assert _first_sentences("一つ目です。二つ目です。三つ目。", 2) == "一つ目です。二つ目です。"
    assert _first_sentences("No end here", 2) == "No end here"
