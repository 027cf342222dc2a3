"""The wrapped services are transparent: the local store still passes the conformance suite."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from mangaassist.config import ResilienceSettings
from mangaassist.store.local import open_local_services
from mangaassist.store.protocols import StoreServices
from mangaassist.store.resilient import wrap_services
from mangaassist.testing.store_conformance import StoreConformance
from tests.store.conftest import TODAY


@pytest.fixture(scope="module")
def wrapped_local_services(fixture_db: Path) -> StoreServices:
    inner = open_local_services(fixture_db, today=TODAY)
    return wrap_services(inner, ResilienceSettings(), timeout_s=5.0).services


class TestResilientLocalStore(StoreConformance):
    @pytest.fixture
    def services(self, wrapped_local_services: StoreServices) -> StoreServices:
        return wrapped_local_services

    @pytest.fixture
    def store_today(self) -> date:
        return TODAY
