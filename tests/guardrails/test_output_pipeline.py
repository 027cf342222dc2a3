from __future__ import annotations

from decimal import Decimal

import pytest

from mangaassist.config import GuardrailSettings
from mangaassist.domain.store import Product
from mangaassist.guardrails.competitors import CompetitorMatcher
from mangaassist.guardrails.output.base import STAGES, Action, OutputContext, StageDeps
from mangaassist.guardrails.output.pipeline import OutputPipeline
from tests.guardrails.fakes import FakeCatalog, FakePricing, product

BERSERK_1 = product("B0BERSK001", "Berserk Vol. 1", "14.99", volume=1, list_price="19.99")
BERSERK_2 = product("B0BERSK002", "Berserk Vol. 2", "14.99", volume=2)
ONE_PIECE_JA = product("B0ONEPJA01", "ワンピース 1", "528", volume=1, currency="JPY")
SHADY = product("B0SHADY001", "Naruto Vol. 1", "3.99", volume=1, trust=0.2)
ALL = [BERSERK_1, BERSERK_2, ONE_PIECE_JA, SHADY]


def pipeline(*, hang: bool = False, **settings: object) -> OutputPipeline:
    catalog = FakeCatalog(ALL)
    deps = StageDeps(
        settings=GuardrailSettings(**settings),  # type: ignore[arg-type]
        catalog=catalog,
        pricing=FakePricing(catalog, hang=hang),
        competitors=CompetitorMatcher(GuardrailSettings().competitors),
        safe_titles=frozenset({"Bastard!!", "バカとテストと召喚獣"}),
    )
    return OutputPipeline(deps)


def ctx(*products: Product, language: str = "en", **kw: object) -> OutputContext:
    return OutputContext(language=language, products=products, **kw)  # type: ignore[arg-type]


def test_stages_run_in_the_documented_order() -> None:
    names = [name for _, name, _ in STAGES]
    assert names == ["pii", "price", "toxicity", "competitor", "product_id", "scope"]


async def test_clean_answer_passes() -> None:
    text = "Berserk Vol. 1 (B0BERSK001) is $14.99 and a great dark fantasy."
    verdict = await pipeline().run(text, ctx(BERSERK_1))
    assert verdict.text == text
    assert verdict.action == "pass"
    assert [s.action for s in verdict.stages] == [Action.PASS] * 6


async def test_wrong_price_is_corrected_in_place() -> None:
    text = "Berserk volume 2 costs $9.99 right now."
    verdict = await pipeline().run(text, ctx(BERSERK_1, BERSERK_2))
    assert verdict.text == "Berserk volume 2 costs $14.99 right now."
    assert verdict.action == "modified:price"
    [price_stage] = [s for s in verdict.stages if s.stage == "price"]
    assert price_stage.findings[0].kind == "wrong_price"
    assert price_stage.findings[0].asin == "B0BERSK002"


async def test_list_price_is_accepted() -> None:
    text = "Berserk Vol. 1 is $14.99, down from $19.99."
    assert (await pipeline().run(text, ctx(BERSERK_1))).text == text


async def test_real_discount_kept_invented_discount_removed() -> None:
    real = "Berserk Vol. 1 is 25% off at $14.99."
    assert (await pipeline().run(real, ctx(BERSERK_1))).text == real
    fake = "Great news. Berserk Vol. 2 is 40% off today! Enjoy."
    verdict = await pipeline().run(fake, ctx(BERSERK_2))
    assert verdict.text == "Great news. Enjoy."
    [stage] = [s for s in verdict.stages if s.stage == "price"]
    assert stage.findings[0].kind == "invented_discount"


async def test_yen_for_dollar_listing_is_flagged_and_corrected() -> None:
    verdict = await pipeline().run("Berserk Vol. 2 is ¥2,000.", ctx(BERSERK_2))
    assert verdict.text == "Berserk Vol. 2 is $14.99."
    kinds = {f.kind for s in verdict.stages for f in s.findings}
    assert {"yen_in_us_store", "wrong_price"} <= kinds


async def test_japanese_edition_yen_price_checked() -> None:
    verdict = await pipeline().run("ワンピース 1巻は600円です。", ctx(ONE_PIECE_JA, language="ja"))
    assert verdict.text == "ワンピース 1巻は528円です。"


async def test_pricing_timeout_removes_every_price() -> None:
    text = "Berserk Vol. 1 is $14.99 and Vol. 2 is $14.99."
    verdict = await pipeline(hang=True, pricing_timeout_ms=20).run(text, ctx(BERSERK_1, BERSERK_2))
    assert "$" not in verdict.text
    assert verdict.text.endswith("See the product page for current pricing.")


async def test_unknown_asin_removed_and_low_trust_listing_dropped() -> None:
    text = "Try B0FAKEFAKE for fun. Naruto Vol. 1 is a bargain. Berserk Vol. 1 is dark."
    verdict = await pipeline().run(text, ctx(BERSERK_1, SHADY))
    assert "B0FAKEFAKE" not in verdict.text
    assert "Naruto" not in verdict.text
    assert "Berserk Vol. 1 is dark." in verdict.text
    assert verdict.drop_asins == frozenset({"B0SHADY001"})


async def test_unknown_asin_as_subject_removes_its_sentence() -> None:
    text = "Berserk Vol. 1 is dark. B0FAKEFAKE is a hidden gem. Enjoy!"
    verdict = await pipeline().run(text, ctx(BERSERK_1))
    assert verdict.text == "Berserk Vol. 1 is dark. Enjoy!"


async def test_competitor_sentence_removed() -> None:
    text = "Vinland Saga is epic. You might find it cheaper on Amazon. Enjoy!"
    verdict = await pipeline().run(text, ctx())
    assert verdict.text == "Vinland Saga is epic. Enjoy!"
    ja = await pipeline().run("楽天でも買えます。", ctx(language="ja"))
    assert "楽天" not in ja.text


async def test_toxicity_masks_profanity_and_blocks_insults() -> None:
    masked = await pipeline().run("That ending is fucking wild.", ctx())
    assert masked.text == "That ending is **** wild."
    blocked = await pipeline().run("You are an idiot for asking.", ctx())
    assert blocked.action == "blocked:toxicity"
    assert "idiot" not in blocked.text
    titles = await pipeline().run(
        "Bastard!! is a dark fantasy; バカとテストと召喚獣 is a comedy.", ctx()
    )
    assert titles.action == "pass"


async def test_pii_in_answer_is_redacted_but_store_values_allowed() -> None:
    text = "Your parcel 1Z999AA10123456784 ships; contact kenji@example.com."
    verdict = await pipeline().run(text, ctx(allow=frozenset({"1Z999AA10123456784"})))
    assert "kenji@example.com" not in verdict.text
    assert "1Z999AA10123456784" in verdict.text


@pytest.mark.parametrize(
    "text",
    [
        "Here is code: ```python\nprint('hi')\n```",
        "You should invest in stocks and crypto; a portfolio of ETFs is best.",
        "For those symptoms take ibuprofen at a dosage of 400 mg.",
    ],
)
async def test_off_topic_answers_are_redirected(text: str) -> None:
    verdict = await pipeline().run(text, ctx())
    assert verdict.text.startswith("I'm the MangaAssist Books shopping assistant")


async def test_manga_about_doctors_stays_in_scope() -> None:
    text = "Black Jack is a classic manga about a doctor; all 17 volumes are in stock."
    assert (await pipeline().run(text, ctx())).action == "pass"


def test_policy_amounts_type() -> None:
    assert OutputContext(policy_amounts=frozenset({Decimal("4.99")})).policy_amounts


async def test_sentence_ending_in_a_number_does_not_borrow_the_next_product() -> None:
    text = "Shipping is free over $35. Berserk Vol. 1 is $14.99."
    verdict = await pipeline().run(text, ctx(BERSERK_1))
    assert verdict.text == text
