from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from mangaassist.config import REPO_ROOT
from mangaassist.domain.store import Product, Series
from mangaassist.retrieval.recommend.engine import Recommender, hit_rate_at_k
from mangaassist.retrieval.recommend.request import RequestReader, load_references


def series(
    sid: str,
    title: str,
    genres: str,
    tags: str,
    *,
    demo: str = "seinen",
    age: str = "mature",
    authors: str = "Someone",
    status: str = "finished",
    volumes: int = 10,
    title_ja: str = "",
) -> Series:
    return Series(
        series_id=sid,
        title_en=title,
        title_ja=title_ja or title,
        title_romaji=title,
        authors=tuple(authors.split(",")),
        demographic=demo,  # type: ignore[arg-type]
        genres=tuple(genres.split()),
        tags=tuple(tags.split()),
        publisher="P",
        magazine="M",
        first_year=2000,
        status=status,
        volumes=volumes,
        age_rating=age,  # type: ignore[arg-type]
        synopsis="s",
        synopsis_ja="s",
    )


CATALOG = [
    series(
        "uzumaki",
        "Uzumaki",
        "horror supernatural",
        "cosmic-horror body-horror dark short",
        authors="Junji Ito",
        volumes=3,
        title_ja="うずまき",
    ),
    series(
        "tomie",
        "Tomie",
        "horror",
        "body-horror dark",
        authors="Junji Ito",
        volumes=2,
        demo="shoujo",
    ),
    series(
        "gyo", "Gyo", "horror sci-fi", "body-horror gore dark short", authors="Junji Ito", volumes=2
    ),
    series(
        "berserk",
        "Berserk",
        "action fantasy horror drama",
        "dark violent gore epic revenge",
        authors="Kentaro Miura",
        status="ongoing",
        volumes=42,
        title_ja="ベルセルク",
    ),
    series(
        "vinland-saga",
        "Vinland Saga",
        "action historical drama",
        "vikings violent epic revenge political",
        authors="Makoto Yukimura",
        volumes=14,
    ),
    series(
        "kingdom",
        "Kingdom",
        "action historical military",
        "epic political strategy violent",
        authors="Yasuhisa Hara",
        status="ongoing",
        volumes=70,
    ),
    series(
        "doraemon",
        "Doraemon",
        "comedy sci-fi",
        "family-friendly wholesome classic",
        demo="kodomo",
        age="all",
        volumes=45,
    ),
    series(
        "fruits-basket",
        "Fruits Basket",
        "romance drama supernatural",
        "emotional",
        demo="shoujo",
        age="teen",
        volumes=23,
    ),
    series(
        "haikyu",
        "Haikyu!!",
        "sports comedy",
        "tournament underdog found-family",
        demo="shounen",
        age="teen",
        volumes=45,
    ),
    series(
        "dark-kids",
        "Spooky Pals",
        "horror comedy",
        "cute family-friendly",
        demo="kodomo",
        age="all",
        volumes=5,
    ),
]


def product(
    sid: str,
    n: int,
    *,
    language: str = "en",
    stock: int = 5,
    trust: float = 0.98,
    rating_count: int = 100,
) -> Product:
    return Product(
        asin="B0" + hashlib.sha1(f"{sid}|{n}|{language}".encode()).hexdigest()[:8].upper(),
        series_id=sid,
        title=f"{sid} vol {n}",
        title_ja=f"{sid} {n}",
        format="volume",
        volume=n,
        language=language,  # type: ignore[arg-type]
        medium="print",
        currency="USD" if language == "en" else "JPY",  # type: ignore[arg-type]
        price=Decimal("9.99"),
        list_price=Decimal("9.99"),
        stock=stock,
        release_date=date(2020, 1, 1),
        rating=4.5,
        rating_count=rating_count,
        seller="MangaAssist Books",
        trust_score=trust,
        description="d",
    )


PRODUCTS = [product(s.series_id, 1) for s in CATALOG] + [product("kingdom", 1, language="ja")]


@pytest.fixture(scope="module")
def reader() -> RequestReader:
    vocabulary = yaml.safe_load((REPO_ROOT / "data/catalog/vocabulary.yaml").read_text("utf-8"))
    references = load_references(REPO_ROOT / "data/recommendations/references.yaml")
    return RequestReader(
        vocabulary["genres"],
        vocabulary["tags"],
        references,
        [a for s in CATALOG for a in s.authors],
    )


@pytest.fixture(scope="module")
def recommender() -> Recommender:
    baskets = [
        ["berserk", "vinland-saga"],
        ["berserk", "vinland-saga"],
        ["uzumaki", "gyo"],
        ["haikyu", "fruits-basket"],
    ]
    return Recommender(
        CATALOG,
        PRODUCTS,
        baskets,
        trust_threshold=0.5,
        labels_ja={"horror": "ホラー", "dark": "ダーク"},
    )


def ids(picks: list) -> list[str]:  # type: ignore[type-arg]
    return [p.series_id for p in picks]


def test_like_junji_ito_yields_horror(reader: RequestReader, recommender: Recommender) -> None:
    picks = recommender.recommend(reader.read("something like Junji Ito"), k=3)
    assert set(ids(picks)) <= {"uzumaki", "tomie", "gyo"}
    assert picks[0].reason.startswith("Also by Junji Ito")


def test_game_of_thrones_fan(reader: RequestReader, recommender: Recommender) -> None:
    request = reader.read("I'm a huge Game of Thrones fan, what should I read?")
    assert request.references
    picks = ids(recommender.recommend(request, k=3))
    assert set(picks) == {"berserk", "vinland-saga", "kingdom"}


def test_dark_requests_never_get_childrens_titles(
    reader: RequestReader, recommender: Recommender
) -> None:
    picks = ids(recommender.recommend(reader.read("dark scary horror please"), k=10))
    assert "doraemon" not in picks
    assert "dark-kids" not in picks
    assert "uzumaki" in picks


def test_age_filter_for_a_12_year_old(reader: RequestReader, recommender: Recommender) -> None:
    request = reader.read("a gift for my 12-year-old who likes funny stuff")
    assert request.constraints.max_age == "all"
    picks = recommender.recommend(request, k=5)
    assert picks
    assert {s.age_rating for s in CATALOG if s.series_id in ids(picks)} == {"all"}


def test_seed_title_and_copurchase_reason(reader: RequestReader, recommender: Recommender) -> None:
    picks = recommender.recommend(reader.read("more like this", ["berserk"]), k=2)
    assert picks[0].series_id == "vinland-saga"
    assert "Often bought with Berserk" in picks[0].reason
    assert "ベルセルク" in picks[0].reason_ja
    assert "berserk" not in ids(picks)


def test_owned_series_are_never_recommended(
    reader: RequestReader, recommender: Recommender
) -> None:
    owned = [p.asin for p in PRODUCTS if p.series_id == "uzumaki"]
    picks = ids(recommender.recommend(reader.read("junji ito horror"), owned_asins=owned, k=5))
    assert "uzumaki" not in picks


def test_constraints_finished_short_and_edition(reader: RequestReader) -> None:
    request = reader.read("完結してる10巻以内のホラー、日本語版で")
    rules = request.constraints
    assert (rules.finished_only, rules.max_volumes, rules.language) == (True, 10, "ja")
    assert "horror" in request.genres
    assert reader.read("short finished manga under 5 volumes").constraints.max_volumes == 5


def test_japanese_edition_preference(reader: RequestReader, recommender: Recommender) -> None:
    picks = recommender.recommend(reader.read("kingdom like strategy war, japanese edition"), k=3)
    assert ids(picks) == ["kingdom"]
    assert picks[0].asin == next(p.asin for p in PRODUCTS if p.language == "ja")


def test_every_pick_has_reasons_in_both_languages(
    reader: RequestReader, recommender: Recommender
) -> None:
    for pick in recommender.recommend(reader.read("sports"), k=5):
        assert pick.reason
        assert pick.reason_ja


def test_hit_rate_leave_one_out(recommender: Recommender) -> None:
    rate = hit_rate_at_k(recommender, [["berserk", "vinland-saga"], ["uzumaki", "gyo"]], k=3)
    assert rate == 1.0
    with pytest.raises(ValueError, match="histories"):
        hit_rate_at_k(recommender, [["berserk"]], k=3)


def test_references_file_uses_the_vocabulary() -> None:
    vocabulary = yaml.safe_load((REPO_ROOT / "data/catalog/vocabulary.yaml").read_text("utf-8"))
    for ref in load_references(REPO_ROOT / "data/recommendations/references.yaml"):
        assert set(ref.genres) <= set(vocabulary["genres"]), ref
        assert set(ref.tags) <= set(vocabulary["tags"]), ref


def test_empty_references_file(tmp_path: Path) -> None:
    assert load_references(_write(tmp_path, "[]")) == []


def _write(folder: Path, text: str) -> Path:
    path = folder / "refs.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_terms_match_leftmost_longest_whole_words_and_japanese_anywhere() -> None:
    from mangaassist.retrieval.recommend.request import _Terms

    terms = _Terms(
        [
            ("science fiction", "sci-fi"),
            ("fiction", "fiction"),
            ("sci-fi", "sci-fi"),
            ("18+", "mature"),
            ("romance", "romance"),
            ("恋愛", "romance"),
            ("ホラー", "horror"),
        ]
    )
    assert terms.find("some science fiction please") == ["sci-fi"]
    assert terms.find("fiction and sci-fi") == ["fiction", "sci-fi"]
    assert terms.find("romances") == []  # whole words only for ASCII terms
    assert terms.find("is it 18+?") == ["mature"]
    assert terms.find("x18+") == []
    assert terms.find("ホラーと恋愛もの") == ["horror", "romance"]
    assert terms.find("romance恋愛") == ["romance"]
