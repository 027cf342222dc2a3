from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from mangaassist.domain.store import Order, OrderItem
from mangaassist.retrieval.build import (
    ArtifactError,
    chunk_from_json,
    chunk_to_json,
    counts_by_type_and_language,
    purchase_histories,
    read_chunks,
    source_files,
    write_chunks,
)
from mangaassist.retrieval.chunks import Chunk
from tests.retrieval.test_recommend import product


def test_chunks_round_trip_through_the_artifact(tmp_path: Path) -> None:
    chunk = Chunk(
        "ja:returns:1",
        "returns",
        "policy",
        "ja",
        "返品",
        "期間",
        "未開封なら15日",
        keywords=("返品",),
        genres=("horror",),
        flagged=True,
        flag_reasons=("role_hijack:ja",),
    )
    assert chunk_from_json(chunk_to_json(chunk)) == chunk
    path = tmp_path / "index" / "chunks.jsonl"
    assert write_chunks([chunk, chunk], path) == 2
    assert read_chunks(path) == [chunk, chunk]
    assert counts_by_type_and_language([chunk]) == {"policy/ja": 1}


def test_missing_or_broken_artifact_is_a_typed_error(tmp_path: Path) -> None:
    with pytest.raises(ArtifactError, match="mangaassist ingest"):
        read_chunks(tmp_path / "none.jsonl")
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"chunk_id": 1}\n', encoding="utf-8")
    with pytest.raises(ArtifactError, match="not a chunk artifact"):
        read_chunks(broken)


def _order(order_id: str, customer: str, day: int, *asins: str) -> Order:
    return Order(
        order_id=order_id,
        customer_id=customer,
        placed_at=datetime(2026, 10, day, 12),
        status="delivered",
        items=tuple(
            OrderItem(asin=a, title="t", quantity=1, unit_price=Decimal("9.99"), currency="USD")
            for a in asins
        ),
        total=Decimal("9.99"),
        currency="USD",
        region="US",
    )


def test_purchase_histories_follow_order_dates_and_keep_first_purchases() -> None:
    a, b, c = product("alpha", 1), product("beta", 1), product("gamma", 1)
    orders = [
        _order("O3", "C1", 20, a.asin),
        _order("O1", "C1", 1, b.asin, a.asin),
        _order("O2", "C1", 10, c.asin, "B0UNKNOWN1"),
        _order("O4", "C2", 5, c.asin),
    ]
    assert purchase_histories(orders, [a, b, c]) == [["beta", "alpha", "gamma"], ["gamma"]]


def test_source_files_are_the_kb_and_series_files(tmp_path: Path) -> None:
    (tmp_path / "kb" / "ja").mkdir(parents=True)
    (tmp_path / "catalog" / "series").mkdir(parents=True)
    doc = tmp_path / "kb" / "ja" / "returns.md"
    series = tmp_path / "catalog" / "series" / "seinen.yaml"
    for path in (doc, series, tmp_path / "kb" / "notes.txt"):
        path.write_text("x", encoding="utf-8")
    assert source_files(tmp_path) == [doc, series]
