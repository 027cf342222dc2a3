from __future__ import annotations

import pytest

from mangaassist.domain.intent import Intent
from mangaassist.nlu.normalize import match_key
from mangaassist.nlu.rules import RuleSet, first_hit, register_rule_set, registered_rule_sets, rule


def _hit(text: str) -> Intent | None:
    hit = first_hit(match_key(text), registered_rule_sets())
    return None if hit is None else hit.intent


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("Hello!", Intent.CHITCHAT),
        ("thanks so much!!", Intent.CHITCHAT),
        ("Who are you?", Intent.CHITCHAT),
        ("こんにちは〜", Intent.CHITCHAT),
        ("ありがとうございます！", Intent.CHITCHAT),
        ("I want to talk to a human please", Intent.ESCALATION),
        ("agent", Intent.ESCALATION),
        ("オペレーターにつないでください", Intent.ESCALATION),
        ("Where is my order?", Intent.ORDER_TRACKING),
        ("荷物がまだ届かない", Intent.ORDER_TRACKING),
        ("I want to return my book", Intent.RETURN_REQUEST),
        ("返品したいです", Intent.RETURN_REQUEST),
        ("送料はいくらですか", Intent.SHIPPING),
        ("any coupons right now?", Intent.PROMOTIONS),
        ("What is your return policy?", Intent.FAQ),
    ],
)
def test_rules_answer_clear_whole_messages(text: str, intent: Intent) -> None:
    assert _hit(text) is intent


@pytest.mark.parametrize(
    "text",
    [
        "where is my amazon package",
        "hello can you recommend a manga like berserk",
        "how do you say thank you in korean",
        "I want to talk to a human about frieren's ending",
        "ワンピースの最新刊はいくら？",
        "write a python function",
        "how",
    ],
)
def test_rules_stay_silent_on_longer_or_other_messages(text: str) -> None:
    assert _hit(text) is None


def test_a_plugin_rule_set_registers_like_the_builtins() -> None:
    plugin = RuleSet("test-plugin", (rule(Intent.PROMOTIONS, r"zzz secret sale"),))
    register_rule_set(plugin)
    assert plugin in registered_rule_sets()
    assert _hit("ZZZ secret sale!") is Intent.PROMOTIONS
    assert {"en", "ja"} <= {s.name for s in registered_rule_sets()}
