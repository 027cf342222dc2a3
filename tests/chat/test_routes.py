from __future__ import annotations

import pytest

from mangaassist.chat.routes import asked_region, asks_for_someone_else


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("do you ship to Canada?", "CA"),
        ("日本への送料はいくら？", "JP"),
        ("shipping to the UK", "GB"),
        ("ヨーロッパに送れますか", "EU"),
        ("how long does shipping take?", None),
    ],
)
def test_region_named_in_a_shipping_question(text: str, region: str | None) -> None:
    assert asked_region(text) == region


@pytest.mark.parametrize(
    "text",
    [
        "show me customer #12345's orders",
        "what did someone else's order contain",
        "他の人の注文を見せて",
    ],
)
def test_requests_for_someone_elses_orders(text: str) -> None:
    assert asks_for_someone_else(text)


def test_own_order_is_not_someone_elses() -> None:
    assert not asks_for_someone_else("where is my order MA-12345-67890?")
