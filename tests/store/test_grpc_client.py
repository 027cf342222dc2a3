from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import grpc
import pytest

from mangaassist.store.errors import (
    BadResponse,
    InvalidArgument,
    NotFound,
    StoreError,
    StoreTimeout,
    Unavailable,
)
from mangaassist.store.grpc_client import GrpcCatalog, error_from_status
from mangaassist.store.protocols import CatalogQuery
from mangaassist.storefront.grpc_gen import catalog_pb2 as pb
from mangaassist.storefront.grpc_server import create_grpc_server
from tests.storefront.fake_store import FakeStore, fake_store


async def _serve(server: grpc.aio.Server) -> str:
    port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    return f"127.0.0.1:{port}"


@pytest.fixture
def store() -> FakeStore:
    return fake_store()


@pytest.fixture
async def target(store: FakeStore) -> AsyncIterator[str]:
    server = create_grpc_server(store, api_key="k")
    yield await _serve(server)
    await server.stop(None)


@pytest.fixture
async def catalog(target: str) -> AsyncIterator[GrpcCatalog]:
    client = GrpcCatalog(target, api_key="k")
    yield client
    await client.aclose()


async def test_every_method_round_trips(catalog: GrpcCatalog, store: FakeStore) -> None:
    query = CatalogQuery(text="s-one", in_stock_only=True, limit=5)
    assert await catalog.get("B0AAAAAAA1") == await store.get("B0AAAAAAA1")
    both = ["B0AAAAAAA1", "B0ZZZZZZZZ", "B0BBBBBBB1"]
    assert await catalog.get_many(both) == await store.get_many(both)
    assert await catalog.get_many([]) == {}
    assert await catalog.search(query) == await store.search(query)
    priced = CatalogQuery(max_price=Decimal("8"), series_id="S-TWO", language="en")
    assert await catalog.search(priced) == await store.search(priced)
    assert await catalog.get_series("S-TWO") == await store.get_series("S-TWO")
    assert await catalog.list_series() == await store.list_series()
    assert await catalog.list_products(1, 2) == await store.list_products(1, 2)
    assert await catalog.list_products() == await store.list_products()


async def test_store_errors_come_back_typed(catalog: GrpcCatalog) -> None:
    with pytest.raises(NotFound, match="NOT_FOUND"):
        await catalog.get("B0ZZZZZZZZ")
    with pytest.raises(NotFound):
        await catalog.get_series("S-NONE")
    with pytest.raises(InvalidArgument):
        await catalog.get_series("bad id")
    with pytest.raises(InvalidArgument):
        await catalog.list_products(0, 5000)
    with pytest.raises(InvalidArgument):
        await catalog.search(CatalogQuery(genre="x" * 300))


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.get("bad"),
        lambda c: c.get_many(["B0AAAAAAA1", "bad"]),
        lambda c: c.search(CatalogQuery(limit=0)),
        lambda c: c.list_products(-1, 10),
        lambda c: c.list_products(0, 0),
    ],
)
async def test_malformed_arguments_fail_before_any_call(call: Any) -> None:
    client = GrpcCatalog("127.0.0.1:1")
    with pytest.raises(InvalidArgument):
        await call(client)
    await client.aclose()


async def test_wrong_key_is_unavailable(target: str) -> None:
    client = GrpcCatalog(target, api_key="wrong")
    with pytest.raises(Unavailable, match="UNAUTHENTICATED"):
        await client.list_series()
    await client.aclose()


async def test_dead_target_is_unavailable() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = GrpcCatalog(f"127.0.0.1:{port}", timeout_s=1.0)
    with pytest.raises(Unavailable):
        await client.list_series()
    await client.aclose()


async def test_slow_server_times_out() -> None:
    never = asyncio.Event()

    class Slow(FakeStore):
        async def list_series(self) -> list[Any]:
            await never.wait()
            return []

    server = create_grpc_server(Slow())
    client = GrpcCatalog(await _serve(server), timeout_s=0.05)
    with pytest.raises(StoreTimeout):
        await client.list_series()
    await client.aclose()
    await server.stop(None)


async def test_server_side_store_failure_is_unavailable() -> None:
    class Down(FakeStore):
        async def list_series(self) -> list[Any]:
            raise Unavailable("database is down", service="catalog")

    server = create_grpc_server(Down())
    client = GrpcCatalog(await _serve(server))
    with pytest.raises(Unavailable, match="database is down"):
        await client.list_series()
    await client.aclose()
    await server.stop(None)


async def test_invalid_message_is_bad_response() -> None:
    async def get_product(request: pb.GetProductRequest, context: Any) -> pb.Product:
        return pb.Product(asin=request.asin, price="not money")

    handler = grpc.method_handlers_generic_handler(
        "mangaassist.catalog.v1.Catalog",
        {
            "GetProduct": grpc.unary_unary_rpc_method_handler(
                get_product,
                request_deserializer=pb.GetProductRequest.FromString,
                response_serializer=pb.Product.SerializeToString,
            )
        },
    )
    server = grpc.aio.server(handlers=[handler])
    client = GrpcCatalog(await _serve(server))
    with pytest.raises(BadResponse):
        await client.get("B0AAAAAAA1")
    with pytest.raises(BadResponse, match="UNIMPLEMENTED"):
        await client.list_series()
    await client.aclose()
    await server.stop(None)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (grpc.StatusCode.NOT_FOUND, NotFound),
        (grpc.StatusCode.INVALID_ARGUMENT, InvalidArgument),
        (grpc.StatusCode.OUT_OF_RANGE, InvalidArgument),
        (grpc.StatusCode.DEADLINE_EXCEEDED, StoreTimeout),
        (grpc.StatusCode.UNAVAILABLE, Unavailable),
        (grpc.StatusCode.UNAUTHENTICATED, Unavailable),
        (grpc.StatusCode.RESOURCE_EXHAUSTED, Unavailable),
        (grpc.StatusCode.INTERNAL, Unavailable),
        (grpc.StatusCode.UNKNOWN, Unavailable),
        (grpc.StatusCode.UNIMPLEMENTED, BadResponse),
        (grpc.StatusCode.DATA_LOSS, BadResponse),
    ],
)
def test_status_mapping(code: grpc.StatusCode, expected: type[StoreError]) -> None:
    error = error_from_status(code, "details here")
    assert type(error) is expected
    assert error.service == "catalog"
    assert "details here" in error.message


async def test_server_bug_is_internal_without_details(caplog: pytest.LogCaptureFixture) -> None:
    class Buggy(FakeStore):
        async def list_series(self) -> list[Any]:
            raise RuntimeError("secret detail")

    server = create_grpc_server(Buggy())
    client = GrpcCatalog(await _serve(server))
    with pytest.raises(Unavailable, match="INTERNAL") as caught:
        await client.list_series()
    assert "secret detail" not in caught.value.message
    assert "secret detail" in caplog.text
    await client.aclose()
    await server.stop(None)
