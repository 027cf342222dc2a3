"""Shared fixtures for the store tests: a small data dir (fixture series + real store facts)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from mangaassist.config import REPO_ROOT
from mangaassist.store.demo import BuildReport, build_store

FIXTURES = Path(__file__).parent / "fixtures"
TODAY = date(2026, 11, 1)
SEED = 7


def make_data_dir(target: Path) -> Path:
    """A data dir with the fixture series and the real vocabulary and store facts."""
    shutil.copytree(FIXTURES / "catalog", target / "catalog")
    shutil.copy(REPO_ROOT / "data" / "catalog" / "vocabulary.yaml", target / "catalog")
    shutil.copytree(REPO_ROOT / "data" / "store", target / "store")
    return target


@pytest.fixture(scope="session")
def fixture_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_data_dir(tmp_path_factory.mktemp("data"))


@pytest.fixture(scope="session")
def fixture_build(fixture_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> BuildReport:
    db = tmp_path_factory.mktemp("store") / "store.sqlite3"
    return build_store(fixture_data_dir, db, seed=SEED, today=TODAY)


@pytest.fixture(scope="session")
def fixture_db(fixture_build: BuildReport) -> Path:
    return fixture_build.db_path
