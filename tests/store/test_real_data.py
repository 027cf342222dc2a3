"""The demo store built from the real data/ directory reaches its size targets."""

from __future__ import annotations

import pytest

from mangaassist.config import REPO_ROOT
from mangaassist.store.demo import BuildReport, build_store
from mangaassist.store.local.snapshot import load_snapshot
from tests.store.conftest import SEED, TODAY


@pytest.fixture(scope="module")
def real_build(tmp_path_factory: pytest.TempPathFactory) -> BuildReport:
    db = tmp_path_factory.mktemp("real") / "store.sqlite3"
    return build_store(REPO_ROOT / "data", db, seed=SEED, today=TODAY)


def test_real_data_reaches_the_size_targets(real_build: BuildReport) -> None:
    assert real_build.counts["series"] >= 300
    assert real_build.counts["products"] >= 2000
    assert real_build.counts["orders"] >= 1500
    assert real_build.counts["customers"] >= 200


def test_real_data_has_every_edition_and_marketplace_trust(real_build: BuildReport) -> None:
    products = load_snapshot(real_build.db_path).products.values()
    assert {p.format for p in products} == {"volume", "box_set", "omnibus", "deluxe"}
    assert {p.currency for p in products if p.language == "ja"} == {"JPY"}
    assert any(p.trust_score < 0.4 for p in products)
    assert len({p.asin for p in products}) == len(products)
