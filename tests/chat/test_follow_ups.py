"""Reading a turn in the light of the one before it (pure functions of the orchestrator)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from mangaassist.chat.orchestrator import _order_doubt_without_an_order, _topic_follow_up
from mangaassist.domain.intent import Intent, IntentResult
from mangaassist.state.sessions import Turn

NOW = datetime(2026, 11, 20, tzinfo=UTC)


def result(
    intent: Intent, *, unsure: bool = False, alternative: Intent | None = None
) -> IntentResult:
    return IntentResult(
        intent=intent,
        confidence=0.55 if unsure else 0.9,
        requires_llm=False,
        language="en",
        stage="model",
        needs_clarification=unsure,
        alternative=alternative,
    )


def history(text: str, intent: str) -> list[Turn]:
    return [Turn("user", text, NOW, "r1", intent), Turn("assistant", "…", NOW, "r1", intent)]


@pytest.mark.parametrize(
    "text",
    [
        "and how long does it take?",
        "what about express?",
        "is that in the US only?",
        "何日くらいかかりますか",
        "じゃあカナダは？",
    ],
)
def test_short_unclear_follow_ups_continue_the_topic(text: str) -> None:
    earlier = _topic_follow_up(
        result(Intent.OUT_OF_SCOPE), text, history("do you ship to the UK?", "shipping")
    )
    assert earlier is not None
    assert earlier.intent == "shipping"


@pytest.mark.parametrize(
    ("text", "current", "before"),
    [
        ("by the way, what's the weather in Tokyo?", result(Intent.OUT_OF_SCOPE), "shipping"),
        ("ところで明日の東京の天気は？", result(Intent.OUT_OF_SCOPE), "recommendation"),
        ("what about express?", result(Intent.PROMOTIONS), "shipping"),  # the classifier was sure
        ("what about express?", result(Intent.OUT_OF_SCOPE), "chitchat"),  # nothing to continue
        (
            "tell me everything about the history of the samurai in feudal Japan",
            result(Intent.OUT_OF_SCOPE),
            "shipping",
        ),
        ("recite a poem", result(Intent.OUT_OF_SCOPE), "shipping"),  # no follow-up cue
    ],
)
def test_new_topics_sure_answers_and_long_messages_stand_alone(
    text: str, current: IntentResult, before: str
) -> None:
    assert _topic_follow_up(current, text, history("an earlier question", before)) is None


def test_no_order_question_when_the_message_names_no_order() -> None:
    doubt = result(Intent.SHIPPING, unsure=True, alternative=Intent.ORDER_TRACKING)
    assert _order_doubt_without_an_order(doubt, "what's your quickest shipping option?")
    assert not _order_doubt_without_an_order(doubt, "when will my order be shipped?")
    other = result(Intent.SHIPPING, unsure=True, alternative=Intent.FAQ)
    assert not _order_doubt_without_an_order(other, "what's your quickest shipping option?")
