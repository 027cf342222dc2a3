from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mangaassist.config import GuardrailSettings
from mangaassist.guardrails.competitors import CompetitorMatcher
from mangaassist.guardrails.stream import COMPETITOR_MASK, StreamGuard

MATCHER = CompetitorMatcher(GuardrailSettings().competitors)


def stream(chunks: list[str]) -> str:
    guard = StreamGuard(MATCHER)
    return "".join([guard.feed(chunk) for chunk in chunks] + [guard.finish()])


def split_every(text: str, size: int) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)]


@pytest.mark.parametrize(
    ("chunks", "expected"),
    [
        (["Call us at 090-12", "34-5678 any", "time."], "Call us at [PHONE] anytime."),
        (["You could try Ama", "zon instead."], f"You could try {COMPETITOR_MASK} instead."),
        (["楽", "天で買うより"], f"{COMPETITOR_MASK}で買うより"),
        (["電話は090-12", "34-5678です"], "電話は[PHONE]です"),
        (["write to john dot smith ", "at gmail dot ", "com please"], "write to [EMAIL] please"),
        (["お届け先は東京都渋", "谷区神宮前1-2", "-3です"], "お届け先は[ADDRESS]です"),
    ],
)
def test_values_split_across_chunks_are_caught(chunks: list[str], expected: str) -> None:
    assert stream(chunks) == expected


TEXT = (
    "Berserk volume 1 (B0ABCDEF12) costs $12.99. Call 090-1234-5678 or skip Barnes & Noble; "
    "mail aki@example.com. ベルセルクは全42巻、1巻は¥748です。"
)


@pytest.mark.parametrize("size", [1, 2, 3, 5, 8, 13, 40])
def test_any_chunking_gives_the_same_clean_text(size: int) -> None:
    whole = stream([TEXT])
    assert stream(split_every(TEXT, size)) == whole
    assert "090-1234-5678" not in whole
    assert "aki@example.com" not in whole
    assert "Barnes" not in whole
    assert "$12.99" in whole
    assert "B0ABCDEF12" in whole


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=30), min_size=1, max_size=40))
def test_random_chunk_boundaries_never_leak(sizes: list[int]) -> None:
    chunks, cursor = [], 0
    for size in sizes:
        if cursor >= len(TEXT):
            break
        chunks.append(TEXT[cursor : cursor + size])
        cursor += size
    chunks.append(TEXT[cursor:])
    out = stream(chunks)
    assert "090-1234-5678" not in out
    assert "1234-5678" not in out
    assert "aki@example" not in out
    assert "Noble" not in out


def test_nothing_is_held_forever() -> None:
    guard = StreamGuard(MATCHER)
    released = "".join(guard.feed("1 2 3 4 5 6 7 8 9 " * 3) for _ in range(30))
    assert len(released) > 0
    assert len("1 2 3 4 5 6 7 8 9 " * 90) - len(released) <= 160


def test_allow_list_passes_store_values() -> None:
    guard = StreamGuard(MATCHER, allow=frozenset({"1234-5678-9018"}))
    out = guard.feed("your code 1234-5678-9018 is ready. ") + guard.finish()
    assert "1234-5678-9018" in out


def test_counts_findings() -> None:
    guard = StreamGuard(MATCHER)
    guard.feed("try Kinokuniya or call 090-2345-6789. ")
    guard.finish()
    assert guard.competitor_hits == 1
    assert [f.type.value for f in guard.findings] == ["phone"]
