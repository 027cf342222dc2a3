"""Local-only behaviour beyond the conformance suite: search details, store reuse, bad input."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from mangaassist.config import Settings, StoreSettings
from mangaassist.store.errors import InvalidArgument, Unavailable
from mangaassist.store.local import ensure_demo_store, open_local_services
from mangaassist.store.protocols import CatalogQuery, StoreServices
from tests.store.conftest import SEED, TODAY


@pytest.fixture(scope="module")
def services(fixture_db: Path) -> StoreServices:
    return open_local_services(fixture_db, today=TODAY)


async def _top(services: StoreServices, **query: object) -> list[tuple[str, str]]:
    found = await services.catalog.search(CatalogQuery(**query))  # type: ignore[arg-type]
    return [(p.series_id, p.title) for p in found]


@pytest.mark.parametrize(
    ("text", "series_id"),
    [
        ("蟲師", "mushishi"),
        ("ちぇんそーまん", "chainsaw-man"),
        ("haikyuu", "haikyu"),
        ("Dungeon Meshi", "dungeon-meshi"),
        ("ダンジョン飯", "dungeon-meshi"),
        ("sousou no furiren", "frieren"),
        ("Urasawa", "monster"),
        ("kaguya", "kaguya-sama"),
    ],
)
async def test_search_finds_series_by_any_name(
    services: StoreServices, text: str, series_id: str
) -> None:
    top = await _top(services, text=text)
    assert top
    assert top[0][0] == series_id


async def test_search_with_volume_number(services: StoreServices) -> None:
    found = await services.catalog.search(CatalogQuery(text="チェンソーマン 3"))
    assert found
    assert {p.volume for p in found} == {3}
    assert found[0].language == "ja"
    english = await services.catalog.search(CatalogQuery(text="chainsaw man 3"))
    assert (english[0].language, english[0].medium, english[0].volume) == ("en", "print", 3)


async def test_search_text_of_only_punctuation_finds_nothing(services: StoreServices) -> None:
    assert await services.catalog.search(CatalogQuery(text="!!! ？")) == []
    assert len(await services.catalog.search(CatalogQuery(text="  ", limit=5))) == 5


async def test_search_edition_words(services: StoreServices) -> None:
    found = await services.catalog.search(CatalogQuery(text="frieren digital"))
    assert found
    assert {p.medium for p in found} == {"digital"}


async def test_search_genre_by_japanese_term_or_synonym(services: StoreServices) -> None:
    for term in ("ホラー", "horror", "Scary"):
        found = await services.catalog.search(CatalogQuery(genre=term, limit=100))
        assert {p.series_id for p in found} == {"uzumaki", "chainsaw-man"}
    assert await services.catalog.search(CatalogQuery(genre="no-such-genre")) == []


async def test_max_price_compares_yen_in_dollars(services: StoreServices) -> None:
    found = await services.catalog.search(
        CatalogQuery(language="ja", max_price=Decimal("5"), limit=100)
    )
    assert found
    assert all(p.price <= 750 for p in found)


async def test_bad_arguments(services: StoreServices) -> None:
    with pytest.raises(InvalidArgument):
        await services.orders.list_orders("C10001", limit=0)
    with pytest.raises(InvalidArgument):
        await services.shipping.options("US", "vip")  # type: ignore[arg-type]
    with pytest.raises(InvalidArgument):
        await services.returns.check_eligibility(
            "C10001",
            "MA-10001-00002",
            "B000000000",
            "bored",  # type: ignore[arg-type]
        )
    with pytest.raises(InvalidArgument):
        await services.catalog.get_many("B000000000")
    with pytest.raises(InvalidArgument):
        await services.reviews.for_product("B000000000", limit=-1)


def test_missing_store_is_unavailable(tmp_path: Path) -> None:
    with pytest.raises(Unavailable):
        open_local_services(tmp_path / "none.sqlite3", today=TODAY)


def test_today_none_means_the_current_date(fixture_db: Path) -> None:
    services = open_local_services(fixture_db, today=None)
    assert services.promotions.today == date.today()  # type: ignore[attr-defined]


def _settings(data_dir: Path, db: Path, seed: int) -> Settings:
    return Settings(data_dir=data_dir, store=StoreSettings(db_path=db, seed=seed, today=TODAY))


def test_ensure_builds_then_reuses_then_rebuilds(fixture_data_dir: Path, tmp_path: Path) -> None:
    db = tmp_path / "store.sqlite3"
    assert ensure_demo_store(_settings(fixture_data_dir, db, SEED)) == db
    first = db.stat().st_ino, db.stat().st_mtime_ns
    ensure_demo_store(_settings(fixture_data_dir, db, SEED))
    assert (db.stat().st_ino, db.stat().st_mtime_ns) == first
    ensure_demo_store(_settings(fixture_data_dir, db, SEED + 1))
    assert db.stat().st_ino != first[0]
    series = fixture_data_dir / "catalog" / "series" / "fixture.yaml"
    data = tmp_path / "data"
    data.mkdir()
    for part in ("catalog", "store"):
        (data / part).symlink_to(fixture_data_dir / part)
    before = db.stat().st_ino
    ensure_demo_store(_settings(data, db, SEED + 1))
    assert db.stat().st_ino == before
    assert series.is_file()


def test_ensure_rebuilds_a_broken_file(fixture_data_dir: Path, tmp_path: Path) -> None:
    db = tmp_path / "store.sqlite3"
    db.write_text("garbage")
    ensure_demo_store(_settings(fixture_data_dir, db, SEED))
    assert open_local_services(db, today=TODAY).catalog is not None


def test_ensure_rebuilds_when_data_changes(fixture_data_dir: Path, tmp_path: Path) -> None:
    import shutil

    data = tmp_path / "data"
    shutil.copytree(fixture_data_dir, data)
    db = tmp_path / "store.sqlite3"
    ensure_demo_store(_settings(data, db, SEED))
    before = db.stat().st_ino
    promotions = data / "store" / "promotions.yaml"
    promotions.write_text(
        promotions.read_text().replace("discount_percent: 20", "discount_percent: 30")
    )
    ensure_demo_store(_settings(data, db, SEED))
    assert db.stat().st_ino != before
