from __future__ import annotations

import pytest

from mangaassist.domain.intent import REQUIRES_LLM, Intent, TitleEntity
from mangaassist.nlu.artifact import IntentArtifact
from mangaassist.nlu.classifier import EmptyMessageError, IntentClassifier
from mangaassist.nlu.entities import AliasIndex
from mangaassist.nlu.model import Scores
from tests.nlu.conftest import make_series


class FixedScorer:
    def __init__(self, *ranked: tuple[Intent, float]) -> None:
        self.ranked = ranked
        self.seen: list[str] = []

    def score(self, text: str) -> Scores:
        self.seen.append(text)
        return Scores(self.ranked)


def _classifier(*ranked: tuple[Intent, float]) -> IntentClassifier:
    return IntentClassifier(FixedScorer(*ranked), oos_threshold=0.4, clarify_threshold=0.6)


def test_rules_answer_before_the_model() -> None:
    scorer = FixedScorer((Intent.FAQ, 0.9), (Intent.SHIPPING, 0.1))
    result = IntentClassifier(scorer).classify("Hello!")
    assert (result.intent, result.stage) == (Intent.CHITCHAT, "rules")
    assert scorer.seen == []


def test_rules_can_be_switched_off() -> None:
    scorer = FixedScorer((Intent.FAQ, 0.9), (Intent.SHIPPING, 0.1))
    result = IntentClassifier(scorer, rule_sets=()).classify("Hello!")
    assert (result.intent, result.stage) == (Intent.FAQ, "model")


def test_confident_model_answer() -> None:
    result = _classifier((Intent.SHIPPING, 0.8), (Intent.FAQ, 0.1)).classify("ship to peru?")
    assert result.intent is Intent.SHIPPING
    assert result.requires_llm is REQUIRES_LLM[Intent.SHIPPING]
    assert (result.stage, result.needs_clarification) == ("model", False)


def test_middle_confidence_asks_to_clarify() -> None:
    result = _classifier((Intent.FAQ, 0.5), (Intent.SHIPPING, 0.4)).classify("about delivery")
    assert result.intent is Intent.FAQ
    assert result.needs_clarification
    assert result.alternative is Intent.SHIPPING


def test_low_confidence_falls_back_to_out_of_scope() -> None:
    result = _classifier((Intent.FAQ, 0.3), (Intent.SHIPPING, 0.2)).classify("blorp")
    assert (result.intent, result.stage) == (Intent.OUT_OF_SCOPE, "fallback")
    assert result.requires_llm is False
    assert result.alternative is Intent.FAQ


def test_language_and_entities_are_attached() -> None:
    aliases = AliasIndex.build([make_series("aot", "Attack on Titan", "進撃の巨人", "Shingeki")])
    classifier = IntentClassifier(
        FixedScorer((Intent.PRODUCT_QUESTION, 0.9), (Intent.FAQ, 0.1)), aliases=aliases
    )
    result = classifier.classify("進撃の巨人の34巻はいくら？")
    assert result.language == "ja"
    assert [e.series_id for e in result.entities if isinstance(e, TitleEntity)] == ["aot"]


@pytest.mark.parametrize("text", ["", "   ", "\u200b\u200b"])
def test_empty_message_is_a_typed_error(text: str) -> None:
    with pytest.raises(EmptyMessageError):
        _classifier((Intent.FAQ, 0.9), (Intent.SHIPPING, 0.1)).classify(text)


def test_bad_thresholds_are_rejected() -> None:
    with pytest.raises(ValueError, match="thresholds"):
        IntentClassifier(FixedScorer(), oos_threshold=0.7, clarify_threshold=0.5)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("can you recommend a manga similar to vinland saga", Intent.RECOMMENDATION),
        ("how many volumes does berserk have", Intent.PRODUCT_QUESTION),
        ("do you accept paypal", Intent.FAQ),
        ("送料はいくらかかりますか", Intent.SHIPPING),
        ("write me a python script", Intent.OUT_OF_SCOPE),
    ],
)
def test_trained_model_on_plain_examples(
    train_artifact_fixture: IntentArtifact, text: str, intent: Intent
) -> None:
    assert IntentClassifier(train_artifact_fixture.scorer).classify(text).intent is intent


def test_store_evidence_keeps_an_unsure_message_in_scope() -> None:
    from mangaassist.domain.intent import OrderIdEntity, TitleEntity
    from mangaassist.nlu.classifier import _about_store

    order = OrderIdEntity(start=0, end=14, surface="MA-12345-67890", order_id="MA-12345-67890")
    long_title = TitleEntity(
        start=0, end=12, surface="vinland saga", series_id="vinland-saga", alias="vinland saga"
    )
    japanese = TitleEntity(
        start=0, end=4, surface="ベルセルク", series_id="berserk", alias="ベルセルク"
    )
    one_word = TitleEntity(start=0, end=7, surface="kingdom", series_id="kingdom", alias="kingdom")
    assert _about_store((order,))
    assert _about_store((long_title,))
    assert _about_store((japanese,))
    assert not _about_store((one_word,))
    assert not _about_store(())
