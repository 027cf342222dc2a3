from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mangaassist.api.protocol import (
    IllegalTransition,
    ProtocolError,
    ResponseStream,
    frames_after,
    load_frame,
    negotiate_version,
    parse_client_frame,
    render,
)
from mangaassist.domain.frames import MessageFrame, ProductCard, ResendFrame

CARD = ProductCard(
    asin="B0ABCDEF12",
    title="Berserk Vol. 1",
    price="14.99",
    list_price="19.99",
    currency="USD",
    in_stock=True,
    url="/products/B0ABCDEF12",
    rating=4.8,
    rating_count=1200,
)


def test_parses_each_client_frame() -> None:
    frame = parse_client_frame(
        '{"type": "message", "message_id": "m1", "text": "hi"}', max_bytes=1000
    )
    assert isinstance(frame, MessageFrame)
    assert frame.text == "hi"
    resend = parse_client_frame(
        '{"type": "resend", "response_id": "r1", "last_seq": 3}', max_bytes=1000
    )
    assert isinstance(resend, ResendFrame)


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (b'{"type": "ping"}', "binary_frame"),
        ("{not json", "invalid_json"),
        ("[1, 2]", "invalid_frame"),
        ('{"text": "hi"}', "missing_field"),
        ('{"type": "shout"}', "unknown_frame_type"),
        ('{"type": "message", "text": "hi"}', "missing_field"),
        ('{"type": "message", "message_id": "m", "text": ""}', "invalid_field"),
        ('{"type": "feedback", "response_id": "r", "rating": "meh"}', "invalid_field"),
        ('{"type": "resend", "response_id": "r", "last_seq": -5}', "invalid_field"),
        ('{"type": "ping", "extra": 1}', "invalid_field"),
        (
            '{"type": "message", "message_id": "m", "text": "' + "x" * 2000 + '"}',
            "payload_too_large",
        ),
    ],
)
def test_bad_client_frames_are_typed_errors(raw: str | bytes, code: str) -> None:
    with pytest.raises(ProtocolError) as raised:
        parse_client_frame(raw, max_bytes=1000)
    assert raised.value.code == code
    assert raised.value.message


@pytest.mark.parametrize(("asked", "version"), [(None, 2), ("", 2), ("1", 1), ("2", 2)])
def test_version_negotiation(asked: str | None, version: int) -> None:
    assert negotiate_version(asked) == version


@pytest.mark.parametrize("asked", ["3", "0", "two", "1.5"])
def test_unsupported_versions(asked: str) -> None:
    with pytest.raises(ProtocolError, match="not supported") as raised:
        negotiate_version(asked)
    assert raised.value.code == "unsupported_protocol_version"


def test_seq_has_no_gaps_and_order_is_enforced() -> None:
    stream = ResponseStream("r1")
    stream.chunk("Hello ")
    stream.chunk("there")
    stream.correction("Hello.", reason="pii")
    stream.products([CARD])
    stream.complete({"intent": "faq"})
    assert [f.seq for f in stream.frames] == [0, 1, 2, 3, 4]
    assert stream.text == "Hello."
    assert stream.finished
    with pytest.raises(IllegalTransition):
        stream.chunk("late")
    with pytest.raises(IllegalTransition):
        stream.complete({})


def test_no_text_after_cards() -> None:
    stream = ResponseStream("r1")
    stream.actions([])
    with pytest.raises(IllegalTransition):
        stream.chunk("x")
    stream.error("internal", "oops")
    assert stream.finished


@given(st.lists(st.text(min_size=1, max_size=5), max_size=20), st.integers(-1, 25))
def test_resend_returns_exactly_the_missing_frames(chunks: list[str], last_seq: int) -> None:
    stream = ResponseStream("r")
    for chunk in chunks:
        stream.chunk(chunk)
    stream.complete({})
    missing = frames_after(stream.frames, last_seq)
    assert [f.seq for f in missing] == list(range(max(last_seq + 1, 0), len(stream.frames)))


def test_version_1_cards_have_no_rating() -> None:
    frame = ResponseStream("r").products([CARD])
    v2, v1 = render(frame, 2), render(frame, 1)
    assert v2["products"][0]["rating"] == 4.8
    assert "rating" not in v1["products"][0]
    assert "rating_count" not in v1["products"][0]


def test_kept_frames_round_trip_through_json() -> None:
    stream = ResponseStream("r")
    stream.chunk("a")
    stream.products([CARD])
    stream.error("rate_limited", "slow down", retry_after=2.5)
    for frame in stream.frames:
        stored = json.loads(json.dumps(render(frame, 2)))
        assert load_frame(stored) == frame


def test_error_without_retry_after_omits_it() -> None:
    frame = ResponseStream("r").error("bad", "no")
    assert "retry_after" not in render(frame, 2)


def test_docs_protocol_is_generated_from_the_frame_models() -> None:
    from pathlib import Path

    from mangaassist.api.schema_docs import render

    text = (Path(__file__).parents[2] / "docs" / "protocol.md").read_text(encoding="utf-8")
    assert text == render(), "run: python -m mangaassist.api.schema_docs > docs/protocol.md"


def test_missing_type_is_still_a_missing_field() -> None:
    with pytest.raises(ProtocolError) as raised:
        parse_client_frame('{"message_id": "m", "text": "hi"}', max_bytes=1000)
    assert raised.value.code == "missing_field"
