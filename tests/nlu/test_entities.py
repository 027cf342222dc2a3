from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from mangaassist.domain.intent import (
    GenreEntity,
    OrderIdEntity,
    PriceLimitEntity,
    TitleEntity,
    VolumeEntity,
)
from mangaassist.domain.store import Series
from mangaassist.nlu.entities import (
    AliasIndex,
    EntityDataError,
    extract_entities,
    load_genre_vocabulary,
    load_series_dir,
    title_aliases,
)
from mangaassist.nlu.normalize import normalize
from tests.nlu.conftest import make_series

REPO = Path(__file__).parents[2]
SERIES = [
    make_series("one-piece", "One Piece", "ワンピース", "Wan Pīsu", "wanpi"),
    make_series("aot", "Attack on Titan", "進撃の巨人", "Shingeki no Kyojin", "snk", "進撃"),
    make_series("frieren", "Frieren: Beyond Journey's End", "葬送のフリーレン", "Sōsō no Furīren"),
    make_series("sxf", "Spy x Family", "SPY×FAMILY", "Supai Famirī"),
]


@pytest.fixture(scope="module")
def index() -> AliasIndex:
    return AliasIndex.build(SERIES, load_genre_vocabulary(REPO / "data/catalog/vocabulary.yaml"))


def _entities(text: str, index: AliasIndex) -> list[object]:
    return list(extract_entities(normalize(text), index))


def _titles(text: str, index: AliasIndex) -> list[str]:
    return [e.series_id for e in _entities(text, index) if isinstance(e, TitleEntity)]


@pytest.mark.parametrize(
    ("text", "series_id"),
    [
        ("is ONE PIECE vol 105 out?", "one-piece"),
        ("ワンピースの最新刊", "one-piece"),
        ("ﾜﾝﾋﾟｰｽ 100巻", "one-piece"),
        ("shingeki no kyojin box set", "aot"),
        ("something like AOT", "aot"),
        ("進撃みたいなやつ", "aot"),
        ("sousou no frieren vol 2", "frieren"),
        ("Sōsō no Furīren", "frieren"),
        ("spy×family 12", "sxf"),
        ("spy x family", "sxf"),
        ("SPY×FAMILYの新刊", "sxf"),
    ],
)
def test_titles_by_any_alias(text: str, series_id: str, index: AliasIndex) -> None:
    assert _titles(text, index) == [series_id]


def test_title_needs_word_boundaries_in_latin(index: AliasIndex) -> None:
    assert _titles("snkrs shoes", index) == []
    assert _titles("one pieces of advice", index) == []


def test_title_span_points_into_normalized_text(index: AliasIndex) -> None:
    text = normalize("Do you have  Attack on Titan?")
    (title,) = [e for e in extract_entities(text, index) if isinstance(e, TitleEntity)]
    assert text[title.start : title.end] == "attack on titan"


def test_initials_of_long_titles_are_aliases() -> None:
    assert "aot" in title_aliases(SERIES[1])
    assert "op" not in title_aliases(SERIES[0])


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("one piece vol 105", 105, 105),
        ("volume 3", 3, 3),
        ("vols 1-5", 1, 5),
        ("volumes 2 to 4 please", 2, 4),
        ("ワンピース100巻", 100, 100),
        ("第3巻", 3, 3),
        ("1〜10巻まとめて", 1, 10),
    ],
)
def test_volumes(text: str, first: int, last: int) -> None:
    (volume,) = [e for e in extract_entities(normalize(text)) if isinstance(e, VolumeEntity)]
    assert (volume.first, volume.last) == (first, last)


@pytest.mark.parametrize(
    ("text", "order_id"),
    [
        ("status of MA-2026-104233?", "MA-2026-104233"),
        ("order 58213907 is late", "58213907"),
        ("is order #A77120 on its way", "A77120"),
        ("order number 112-4456781-9902231", "112-4456781-9902231"),
        ("注文番号58213907を確認して", "58213907"),
        # The store's own format, also right after the word "order" (it once cut at the dash).
        ("where is my order MA-10001-00001?", "MA-10001-00001"),
        ("注文番号MA-10002-00003はいつ届く？", "MA-10002-00003"),
        ("ｍａ－１０００４－００００２ can I return it", "MA-10004-00002"),
    ],
)
def test_order_ids(text: str, order_id: str) -> None:
    found = [e for e in extract_entities(normalize(text)) if isinstance(e, OrderIdEntity)]
    assert [e.order_id for e in found] == [order_id]


def test_no_order_id_in_prices_or_volumes() -> None:
    found = extract_entities(normalize("vol 12 costs 100 dollars"))
    assert not [e for e in found if isinstance(e, OrderIdEntity)]


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("something under $20", "20", "USD"),
        ("budget is $35.50", "35.50", "USD"),
        ("less than 15 dollars", "15", "USD"),
        ("$30 or less", "30", "USD"),
        ("3000円以下で", "3000", "JPY"),
        ("予算は5,000円", "5000", "JPY"),
        ("20ドルまで", "20", "USD"),
    ],
)
def test_price_limits(text: str, amount: str, currency: str) -> None:
    (price,) = [e for e in extract_entities(normalize(text)) if isinstance(e, PriceLimitEntity)]
    assert (price.amount, price.currency) == (Decimal(amount), currency)


@pytest.mark.parametrize(
    ("text", "genre"),
    [("any good horror?", "horror"), ("恋愛漫画", "romance"), ("some sci fi please", "sci-fi")],
)
def test_genres(text: str, genre: str, index: AliasIndex) -> None:
    genres = [e.genre for e in _entities(text, index) if isinstance(e, GenreEntity)]
    assert genres == [genre]


def test_weak_synonyms_are_not_genres(index: AliasIndex) -> None:
    assert not [e for e in _entities("i love this store", index) if isinstance(e, GenreEntity)]


def test_load_series_dir(tmp_path: Path) -> None:
    body = SERIES[0].model_dump_json()
    (tmp_path / "one.yaml").write_text(body, encoding="utf-8")
    (tmp_path / "many.yaml").write_text(
        "[" + SERIES[1].model_dump_json() + "," + SERIES[2].model_dump_json() + "]",
        encoding="utf-8",
    )
    loaded = load_series_dir(tmp_path)
    assert {s.series_id for s in loaded} == {"one-piece", "aot", "frieren"}


def test_bad_series_file_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("series_id: x\n", encoding="utf-8")
    with pytest.raises(EntityDataError, match=r"bad\.yaml"):
        load_series_dir(tmp_path)


async def test_alias_index_from_catalog() -> None:
    class Catalog:
        async def list_series(self) -> list[Series]:
            return SERIES

    index = await AliasIndex.from_catalog(Catalog())  # type: ignore[arg-type]
    assert _titles("進撃の巨人", index) == ["aot"]
