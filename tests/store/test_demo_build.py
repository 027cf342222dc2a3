from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from mangaassist.store.demo import BuildReport, DataError, build_store
from mangaassist.store.demo.codes import ORDER_ID_RE, is_valid_isbn13
from mangaassist.store.local.snapshot import Snapshot, load_snapshot
from tests.store.conftest import SEED, TODAY
from tests.store.helpers import dump


@pytest.fixture(scope="module")
def snap(fixture_db: Path) -> Snapshot:
    return load_snapshot(fixture_db)


def test_same_inputs_give_identical_rows(fixture_data_dir: Path, tmp_path: Path) -> None:
    first = build_store(fixture_data_dir, tmp_path / "a.sqlite3", seed=SEED, today=TODAY)
    second = build_store(fixture_data_dir, tmp_path / "b.sqlite3", seed=SEED, today=TODAY)
    assert first.counts == second.counts
    assert dump(first.db_path) == dump(second.db_path)


def test_rows_do_not_depend_on_the_hash_seed(fixture_data_dir: Path, tmp_path: Path) -> None:
    here = build_store(fixture_data_dir, tmp_path / "here.sqlite3", seed=SEED, today=TODAY)
    script = (
        "import sys, datetime, pathlib;"
        "from mangaassist.store.demo import build_store;"
        "build_store(pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), seed=int(sys.argv[3]),"
        " today=datetime.date.fromisoformat(sys.argv[4]))"
    )
    there = tmp_path / "there.sqlite3"
    args = [str(fixture_data_dir), str(there), str(SEED), TODAY.isoformat()]
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    subprocess.run([sys.executable, "-c", script, *args], check=True, env=env)
    assert dump(there) == dump(here.db_path)


def test_other_seed_or_date_gives_other_rows(fixture_data_dir: Path, tmp_path: Path) -> None:
    base = dump(build_store(fixture_data_dir, tmp_path / "a", seed=SEED, today=TODAY).db_path)
    seeded = build_store(fixture_data_dir, tmp_path / "b", seed=SEED + 1, today=TODAY)
    later = build_store(fixture_data_dir, tmp_path / "c", seed=SEED, today=TODAY + timedelta(1))
    assert dump(seeded.db_path)["products"] != base["products"]
    assert dump(later.db_path)["orders"] != base["orders"]


def test_rebuild_replaces_the_file(fixture_data_dir: Path, tmp_path: Path) -> None:
    db = tmp_path / "store.sqlite3"
    db.write_text("not a database")
    build_store(fixture_data_dir, db, seed=SEED, today=TODAY)
    assert db.read_bytes().startswith(b"SQLite format 3")
    assert [p.name for p in tmp_path.iterdir()] == ["store.sqlite3"]


def test_report(fixture_build: BuildReport) -> None:
    counts = fixture_build.counts
    assert counts["series"] == 10
    assert counts["customers"] >= 200
    assert counts["orders"] >= 1500
    assert counts["order_items"] > counts["orders"]
    assert counts["tracking_events"] > 0
    assert counts["reviews"] > 0
    assert fixture_build.seconds > 0
    assert any("products" in line for line in fixture_build.lines())


def test_meta_records_the_inputs(snap: Snapshot, fixture_build: BuildReport) -> None:
    assert snap.meta["seed"] == str(SEED)
    assert snap.meta["today"] == TODAY.isoformat()
    assert snap.meta["data_hash"] == fixture_build.data_hash
    assert snap.meta["schema_version"] == "1"


def test_asins_are_well_formed_and_unique(snap: Snapshot) -> None:
    asins = list(snap.products)
    assert all(re.fullmatch(r"B0[0-9A-Z]{8}", a) for a in asins)
    assert len(set(asins)) == len(asins)


def test_isbns(snap: Snapshot) -> None:
    isbns = []
    for p in snap.products.values():
        if p.medium == "digital":
            assert p.isbn is None
            continue
        assert p.isbn is not None
        assert is_valid_isbn13(p.isbn)
        assert p.isbn.startswith("9784" if p.language == "ja" else "9781")
        isbns.append(p.isbn)
    assert len(set(isbns)) == len(isbns)


def test_prices_by_edition(snap: Snapshot) -> None:
    for p in snap.products.values():
        assert p.list_price >= p.price > 0
        assert p.currency == ("JPY" if p.language == "ja" else "USD")
        first_party = p.seller == "MangaAssist Books"
        if p.format == "volume" and first_party and p.medium == "print":
            if p.language == "en":
                assert Decimal("9.99") <= p.list_price <= Decimal("14.99")
            else:
                assert Decimal(528) <= p.list_price <= Decimal(880)
                assert p.list_price == p.list_price.to_integral_value()
        if p.medium == "digital":
            assert p.list_price < Decimal("14.99")
        if p.format == "box_set" and p.language == "en":
            assert p.list_price > Decimal("20")
    discounted = [p for p in snap.products.values() if p.price < p.list_price]
    assert 0 < len(discounted) < len(snap.products) / 2


def test_editions_and_formats(snap: Snapshot) -> None:
    kinds = Counter((p.format, p.language, p.medium) for p in snap.products.values())
    assert kinds[("volume", "en", "print")] > 0
    assert kinds[("volume", "ja", "print")] > 0
    assert kinds[("volume", "en", "digital")] > 0
    assert kinds[("box_set", "en", "print")] > 0
    assert kinds[("omnibus", "en", "print")] > 0
    assert kinds[("deluxe", "en", "print")] > 0


def test_volumes_are_capped_first_n_plus_latest(snap: Snapshot) -> None:
    haikyu = sorted(
        p.volume or 0
        for p in snap.products.values()
        if p.series_id == "haikyu"
        and p.format == "volume"
        and p.language == "en"
        and p.medium == "print"
        and p.seller == "MangaAssist Books"
    )
    assert haikyu == [1, 2, 3, 4, 5, 45]


def test_release_dates_follow_volume_order(snap: Snapshot) -> None:
    by_edition: dict[tuple[str, str, str], list[tuple[int, date]]] = {}
    for p in snap.products.values():
        if p.format == "volume" and p.seller == "MangaAssist Books":
            key = (p.series_id, p.language, p.medium)
            by_edition.setdefault(key, []).append((p.volume or 0, p.release_date))
    for (series_id, _, _), dated in by_edition.items():
        dated.sort()
        dates = [d for _, d in dated]
        assert dates == sorted(dates)
        assert dates[0].year >= snap.series[series_id].first_year


def test_some_preorders_and_out_of_stock(fixture_data_dir: Path, tmp_path: Path) -> None:
    preorders = out_of_stock = 0
    for seed in range(6):
        db = build_store(fixture_data_dir, tmp_path / f"{seed}", seed=seed, today=TODAY).db_path
        found = load_snapshot(db).products.values()
        preorders += sum(p.release_date > TODAY for p in found)
        out_of_stock += sum(p.stock == 0 for p in found)
    assert preorders > 0
    assert out_of_stock > 0


def test_sellers_and_low_trust_listings(snap: Snapshot) -> None:
    first_party = [p for p in snap.products.values() if p.seller == "MangaAssist Books"]
    assert all(p.trust_score == pytest.approx(0.98) for p in first_party)
    low = [p for p in snap.products.values() if p.trust_score < 0.4]
    assert len(low) >= 3
    assert all(p.seller != "MangaAssist Books" for p in low)
    assert len(first_party) > 0.8 * len(snap.products)


def test_promotions_dates_are_relative_to_today(snap: Snapshot) -> None:
    promos = {p.promo_id: p for p in snap.promotions}
    horror = promos["PROMO-HORROR-NIGHTS"]
    assert (horror.starts, horror.ends) == (TODAY - timedelta(10), TODAY + timedelta(12))
    for promo in promos.values():
        assert promo.starts <= promo.ends
        assert 0 < promo.discount_percent <= 50
        assert TODAY - timedelta(400) <= promo.starts
        assert promo.ends <= TODAY + timedelta(400)
    assert set(promos["PROMO-CLASSICS"].series_ids) == {"monster", "mushishi"}


def test_orders_are_consistent(snap: Snapshot) -> None:
    for order in snap.orders.values():
        assert ORDER_ID_RE.match(order.order_id)
        assert order.customer_id in snap.customers
        assert order.items
        assert {i.currency for i in order.items} == {order.currency}
        assert order.total >= sum(i.unit_price * i.quantity for i in order.items)
        assert order.placed_at.date() <= TODAY
        if order.status in {"delivered", "returned"}:
            assert order.delivered_on is not None
            assert order.delivered_on <= TODAY
        if order.status in {"shipped", "in_transit", "out_for_delivery"}:
            assert order.eta is not None
            assert order.eta >= TODAY
            assert order.tracking_number
        if order.status in {"processing", "cancelled"}:
            assert order.tracking_number is None
        if order.region == "JP":
            assert order.currency == "JPY"
    statuses = Counter(o.status for o in snap.orders.values())
    assert set(statuses) == {
        "processing",
        "shipped",
        "in_transit",
        "out_for_delivery",
        "delivered",
        "cancelled",
        "returned",
    }


@pytest.mark.parametrize(
    ("carrier", "pattern"),
    [
        ("UPS", r"1Z[0-9A-Z]{16}"),
        ("USPS", r"94\d{20}"),
        ("Japan Post", r"EJ\d{9}JP"),
        ("Yamato", r"\d{12}"),
        ("FedEx", r"\d{12}"),
        ("DHL", r"\d{10}"),
    ],
)
def test_tracking_numbers_look_like_the_carriers(
    snap: Snapshot, carrier: str, pattern: str
) -> None:
    numbers = [o.tracking_number for o in snap.orders.values() if o.carrier == carrier]
    assert numbers
    assert all(n is not None and re.fullmatch(pattern, n) for n in numbers)


def test_baskets_follow_taste(snap: Snapshot) -> None:
    """Most multi-item baskets stay within one series or share a genre."""
    related = total = 0
    for order in snap.orders.values():
        series = [snap.products[i.asin].series_id for i in order.items]
        if len(series) < 2:
            continue
        total += 1
        genres = [set(snap.series[s].genres) for s in series]
        related += bool(set.intersection(*genres))
    assert total > 100
    assert related / total > 0.9


def test_customers(snap: Snapshot) -> None:
    tiers = Counter(c.tier for c in snap.customers.values())
    assert set(tiers) == {"member", "prime"}
    assert {"US", "JP", "CA", "GB", "EU", "AU"} <= {c.region for c in snap.customers.values()}
    japanese = [c for c in snap.customers.values() if c.region == "JP"]
    assert sum(c.preferred_language == "ja" for c in japanese) > len(japanese) / 2
    assert all(re.fullmatch(r"C\d{5}", c) for c in snap.customers)


def test_reviews_in_both_languages(snap: Snapshot) -> None:
    reviews = [r for rs in snap.reviews.values() for r in rs]
    assert {r.language for r in reviews} == {"en", "ja"}
    for review in reviews:
        product = snap.products[review.asin]
        assert product.release_date <= review.created <= TODAY
        assert "{" not in review.body


def _data_copy(fixture_data_dir: Path, tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(fixture_data_dir, target)
    return target


def test_duplicate_series_is_a_data_error(fixture_data_dir: Path, tmp_path: Path) -> None:
    data = _data_copy(fixture_data_dir, tmp_path)
    source = data / "catalog" / "series" / "fixture.yaml"
    shutil.copy(source, data / "catalog" / "series" / "again.yaml")
    with pytest.raises(DataError, match="duplicate series_id"):
        build_store(data, tmp_path / "x.sqlite3", seed=1, today=TODAY)
    assert not (tmp_path / "x.sqlite3").exists()


def test_unknown_genre_is_a_data_error(fixture_data_dir: Path, tmp_path: Path) -> None:
    data = _data_copy(fixture_data_dir, tmp_path)
    path = data / "catalog" / "series" / "fixture.yaml"
    path.write_text(path.read_text().replace("[mystery,", "[whodunnit-noir,", 1))
    with pytest.raises(DataError, match="not in vocabulary"):
        build_store(data, tmp_path / "x.sqlite3", seed=1, today=TODAY)


def test_missing_store_file_is_a_data_error(fixture_data_dir: Path, tmp_path: Path) -> None:
    data = _data_copy(fixture_data_dir, tmp_path)
    (data / "store" / "sellers.yaml").unlink()
    with pytest.raises(DataError, match=r"sellers\.yaml"):
        build_store(data, tmp_path / "x.sqlite3", seed=1, today=TODAY)


def test_invalid_yaml_values_are_data_errors(fixture_data_dir: Path, tmp_path: Path) -> None:
    data = _data_copy(fixture_data_dir, tmp_path)
    path = data / "store" / "sellers.yaml"
    path.write_text(path.read_text().replace("trust_score: 0.93", "trust_score: 1.93"))
    with pytest.raises(DataError, match=r"sellers\.yaml"):
        build_store(data, tmp_path / "x.sqlite3", seed=1, today=TODAY)


def test_no_series_is_a_data_error(fixture_data_dir: Path, tmp_path: Path) -> None:
    data = _data_copy(fixture_data_dir, tmp_path)
    (data / "catalog" / "series" / "fixture.yaml").unlink()
    with pytest.raises(DataError, match="no series"):
        build_store(data, tmp_path / "x.sqlite3", seed=1, today=TODAY)


def test_asin_collision_fails_the_build(
    fixture_data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("mangaassist.store.demo.catalog.asin_for", lambda key: "B0AAAAAAAA")
    with pytest.raises(DataError, match="ASIN collision"):
        build_store(fixture_data_dir, tmp_path / "x.sqlite3", seed=1, today=TODAY)
