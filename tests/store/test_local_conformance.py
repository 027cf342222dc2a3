from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from mangaassist.store.local import open_local_services
from mangaassist.store.protocols import StoreServices
from mangaassist.testing.store_conformance import StoreConformance
from tests.store.conftest import TODAY


@pytest.fixture(scope="module")
def local_services(fixture_db: Path) -> StoreServices:
    return open_local_services(fixture_db, today=TODAY)


class TestLocalStore(StoreConformance):
    @pytest.fixture
    def services(self, local_services: StoreServices) -> StoreServices:
        return local_services

    @pytest.fixture
    def store_today(self) -> date:
        return TODAY
