"""The HTTP and gRPC clients pass the store conformance suite against a real storefront process."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from datetime import date

import pytest

from mangaassist.config import load_settings
from mangaassist.store.grpc_client import GrpcCatalog
from mangaassist.store.http import StorefrontHttp, http_services
from mangaassist.store.local import ensure_demo_store
from mangaassist.store.protocols import StoreServices
from mangaassist.storefront.launcher import StorefrontProcess
from mangaassist.storefront.server import Addresses
from mangaassist.testing.store_conformance import StoreConformance

TODAY = date(2026, 11, 1)


@pytest.fixture(scope="module")
def storefront(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Addresses]:
    db = tmp_path_factory.mktemp("storefront") / "store.sqlite3"
    ensure_demo_store(load_settings(store={"db_path": db, "today": TODAY}))
    process = StorefrontProcess(db, env={"MANGAASSIST_STORE__TODAY": TODAY.isoformat()})
    addresses = process.start()
    yield addresses
    assert process.stop() == 0
    process.close()


@pytest.fixture
async def http(storefront: Addresses) -> AsyncIterator[StorefrontHttp]:
    client = StorefrontHttp(storefront.rest_url, timeout_s=10.0)
    yield client
    await client.aclose()


class TestHttpStorefront(StoreConformance):
    @pytest.fixture
    def services(self, http: StorefrontHttp) -> StoreServices:
        return http_services(http)

    @pytest.fixture
    def store_today(self) -> date:
        return TODAY


class TestGrpcStorefront(StoreConformance):
    @pytest.fixture
    async def services(
        self, http: StorefrontHttp, storefront: Addresses
    ) -> AsyncIterator[StoreServices]:
        catalog = GrpcCatalog(storefront.grpc_target, timeout_s=10.0)
        yield replace(http_services(http), catalog=catalog)
        await catalog.aclose()

    @pytest.fixture
    def store_today(self) -> date:
        return TODAY


async def test_rest_and_grpc_serve_the_same_catalog(
    http: StorefrontHttp, storefront: Addresses
) -> None:
    rest = http_services(http).catalog
    grpc = GrpcCatalog(storefront.grpc_target, timeout_s=10.0)
    offset, pages = 0, 0
    while True:
        page = await rest.list_products(offset, 100)
        assert page == await grpc.list_products(offset, 100)
        if not page:
            break
        offset, pages = offset + len(page), pages + 1
    assert pages > 0
    assert await rest.list_series() == await grpc.list_series()
    await grpc.aclose()
