from __future__ import annotations

import pytest

from mangaassist.retrieval.evaluate import (
    DataSetError,
    in_split,
    parse_like_requests,
    parse_questions,
    rate,
    recall_at_k,
    reciprocal_rank,
    request_passes,
    score_rankings,
    split_of,
)


def test_split_is_stable_and_roughly_balanced() -> None:
    ids = [f"q-{i}" for i in range(1000)]
    first = [split_of(i) for i in ids]
    assert first == [split_of(i) for i in ids]
    dev = first.count("dev") / len(ids)
    assert 0.3 < dev < 0.5
    assert all(in_split(i, "all") for i in ids)
    assert [in_split(i, "dev") for i in ids] == [s == "dev" for s in first]


def test_recall_at_k_counts_any_expected_in_the_first_k() -> None:
    ranked = ["a", "b", "c", "d"]
    assert recall_at_k(ranked, ["c"], 3) == 1.0
    assert recall_at_k(ranked, ["d"], 3) == 0.0
    assert recall_at_k(ranked, ["x", "b"], 1) == 0.0
    assert recall_at_k([], ["a"], 3) == 0.0


def test_reciprocal_rank_uses_the_first_expected_hit() -> None:
    assert reciprocal_rank(["a", "b", "c"], ["c", "b"]) == pytest.approx(1 / 2)
    assert reciprocal_rank(["a"], ["z"]) == 0.0


def test_score_rankings_means() -> None:
    score = score_rankings([(["a", "b"], ["a"]), (["x", "y", "b"], ["b"]), (["q"], ["z"])])
    assert score.count == 3
    assert score.recall_at_1 == pytest.approx(1 / 3)
    assert score.recall_at_3 == pytest.approx(2 / 3)
    assert score.mrr == pytest.approx((1 + 1 / 3 + 0) / 3)
    assert score_rankings([]).count == 0


def test_request_passes_needs_an_acceptable_pick_and_no_forbidden_one() -> None:
    picks = ["p1", "p2", "p3", "p4", "p5", "p6", "p7"]
    assert request_passes(picks, ["p5"])
    assert not request_passes(picks, ["p6"])
    assert not request_passes(picks, ["p1"], ["p7"])
    assert request_passes(picks, ["p1"], ["p11"])
    assert rate([True, False, True, True]) == 0.75
    assert rate([]) == 0.0


def test_parse_questions_and_requests() -> None:
    questions = parse_questions(
        [{"id": "q1", "text": "returns?", "language": "en", "expected": ["returns"]}]
    )
    assert questions[0].expected == ("returns",)
    requests = parse_like_requests(
        [{"id": "r1", "text": "x", "language": "ja", "acceptable": ["a"], "forbidden": ["b"]}]
    )
    assert requests[0].forbidden == ("b",)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"id": "q"}, "list"),
        (["q"], "mapping"),
        ([{"id": "q", "text": "t", "language": "fr", "expected": ["a"]}], "en or ja"),
        ([{"id": "q", "text": " ", "language": "en", "expected": ["a"]}], "'text'"),
        ([{"id": "q", "text": "t", "language": "en", "expected": []}], "'expected'"),
        (
            [
                {"id": "q", "text": "t", "language": "en", "expected": ["a"]},
                {"id": "q", "text": "u", "language": "en", "expected": ["a"]},
            ],
            "duplicate",
        ),
    ],
)
def test_bad_questions_are_typed_errors(raw: object, message: str) -> None:
    with pytest.raises(DataSetError, match=message):
        parse_questions(raw)


def test_series_both_acceptable_and_forbidden_is_an_error() -> None:
    raw = [{"id": "r", "text": "t", "language": "en", "acceptable": ["a"], "forbidden": ["a"]}]
    with pytest.raises(DataSetError, match="both"):
        parse_like_requests(raw)
