from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from datetime import date
from typing import Any

import httpx
import pytest

from mangaassist.store.errors import (
    BadResponse,
    InvalidArgument,
    NotFound,
    StoreError,
    StoreTimeout,
    Unavailable,
)
from mangaassist.store.http import StorefrontHttp, http_services
from mangaassist.store.protocols import CatalogQuery, StoreServices
from mangaassist.storefront.rest import create_app
from tests.storefront.fake_store import FakeStore, fake_services, fake_store


@pytest.fixture
def store() -> FakeStore:
    return fake_store()


@pytest.fixture
async def remote(store: FakeStore) -> AsyncIterator[StoreServices]:
    transport = httpx.ASGITransport(app=create_app(fake_services(store), api_key="k"))
    http = StorefrontHttp("http://store/", api_key="k", transport=transport)
    yield http_services(http)
    await http.aclose()


async def test_every_method_round_trips(remote: StoreServices, store: FakeStore) -> None:
    query = CatalogQuery(text="s-one", max_price=None, limit=5)
    pairs: list[tuple[Any, Any]] = [
        (await remote.catalog.get("B0AAAAAAA1"), await store.get("B0AAAAAAA1")),
        (
            await remote.catalog.get_many(["B0AAAAAAA1", "B0ZZZZZZZZ", "B0AAAAAAA1"]),
            await store.get_many(["B0AAAAAAA1"]),
        ),
        (await remote.catalog.search(query), await store.search(query)),
        (await remote.catalog.get_series("S-ONE"), await store.get_series("S-ONE")),
        (await remote.catalog.list_series(), await store.list_series()),
        (await remote.catalog.list_products(1, 1), await store.list_products(1, 1)),
        (await remote.pricing.get_prices(["B0BBBBBBB1"]), await store.get_prices(["B0BBBBBBB1"])),
        (await remote.orders.list_orders("C-1", 3), await store.list_orders("C-1", 3)),
        (await remote.orders.get_order("C-1", "O-1"), await store.get_order("C-1", "O-1")),
        (
            await remote.returns.check_eligibility("C-1", "O-1", "B0BBBBBBB1", "damaged"),
            await store.check_eligibility("C-1", "O-1", "B0BBBBBBB1", "damaged"),
        ),
        (await remote.shipping.options("JP", "prime"), await store.options("JP", "prime")),
        (await remote.shipping.track("C-1", "O-1"), await store.track("C-1", "O-1")),
        (await remote.profiles.get_profile("C-1"), await store.get_profile("C-1")),
        (await remote.profiles.purchased_asins("C-1"), await store.purchased_asins("C-1")),
        (await remote.promotions.active(), await store.active()),
        (
            await remote.promotions.active(date(2027, 1, 1)),
            await store.active(date(2027, 1, 1)),
        ),
        (await remote.reviews.for_product("B0AAAAAAA1", 2), await store.for_product("B0AAAAAAA1")),
    ]
    for got, expected in pairs:
        assert got == expected


async def test_empty_batches_make_no_request(store: FakeStore) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise AssertionError(f"unexpected request {request.url}")

    http = StorefrontHttp("http://store", transport=httpx.MockTransport(refuse))
    services = http_services(http)
    assert await services.catalog.get_many([]) == {}
    assert await services.pricing.get_prices([]) == {}
    await http.aclose()


async def test_store_errors_come_back_typed(remote: StoreServices) -> None:
    with pytest.raises(NotFound, match="B0ZZZZZZZZ"):
        await remote.catalog.get("B0ZZZZZZZZ")
    with pytest.raises(NotFound):
        await remote.orders.get_order("C-1", "O-2")
    with pytest.raises(NotFound):
        await remote.catalog.get_series("S-NONE")
    with pytest.raises(InvalidArgument):
        await remote.orders.list_orders("C-1", limit=0)
    with pytest.raises(InvalidArgument):
        await remote.orders.get_order("C-1", "O/../1")
    with pytest.raises(InvalidArgument):
        await remote.catalog.search(CatalogQuery(series_id="no spaces allowed"))


@pytest.mark.parametrize(
    "call",
    [
        lambda s: s.catalog.get("bad"),
        lambda s: s.catalog.get_many(["B0AAAAAAA1", "bad"]),
        lambda s: s.pricing.get_prices(["bad"]),
        lambda s: s.reviews.for_product("bad"),
        lambda s: s.returns.check_eligibility("C-1", "O-1", "bad"),
    ],
)
async def test_malformed_asins_fail_before_any_request(
    call: Callable[[StoreServices], Any],
) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise AssertionError(f"unexpected request {request.url}")

    http = StorefrontHttp("http://store", transport=httpx.MockTransport(refuse))
    with pytest.raises(InvalidArgument):
        await call(http_services(http))
    await http.aclose()


def _replying(handler: Callable[[httpx.Request], httpx.Response]) -> StorefrontHttp:
    return StorefrontHttp("http://store", timeout_s=0.5, transport=httpx.MockTransport(handler))


def _status(status: int, body: Any = None) -> Callable[[httpx.Request], httpx.Response]:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, json=body)

    return handler


def _raising(exc: Exception) -> Callable[[httpx.Request], httpx.Response]:
    def handler(request: httpx.Request) -> httpx.Response:
        raise exc

    return handler


def _text(status: int, text: str) -> Callable[[httpx.Request], httpx.Response]:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, text=text)

    return handler


ENVELOPE = {"error": {"code": "x", "message": "the storefront said no"}}


@pytest.mark.parametrize(
    ("handler", "expected"),
    [
        (_status(404, ENVELOPE), NotFound),
        (_status(422, ENVELOPE), InvalidArgument),
        (_status(400, ENVELOPE), InvalidArgument),
        (_status(401, ENVELOPE), Unavailable),
        (_status(429), Unavailable),
        (_status(500), Unavailable),
        (_status(502, ENVELOPE), Unavailable),
        (_status(503, ENVELOPE), Unavailable),
        (_text(503, "<html>bad gateway</html>"), Unavailable),
        (_status(418), BadResponse),
        (_text(200, "this is not json"), BadResponse),
        (_text(200, ""), BadResponse),
        (_status(200, {"unexpected": "shape"}), BadResponse),
        (_status(200, {"series": [{"series_id": "S-1"}]}), BadResponse),
        (_status(200, [1, 2, 3]), BadResponse),
        (_raising(httpx.ReadTimeout("slow")), StoreTimeout),
        (_raising(httpx.ConnectTimeout("slow")), StoreTimeout),
        (_raising(httpx.ConnectError("refused")), Unavailable),
        (_raising(httpx.RemoteProtocolError("reset")), Unavailable),
        (_raising(httpx.DecodingError("gzip")), BadResponse),
    ],
)
async def test_failures_map_to_store_errors(
    handler: Callable[[httpx.Request], httpx.Response], expected: type[StoreError]
) -> None:
    http = _replying(handler)
    with pytest.raises(StoreError) as caught:
        await http_services(http).catalog.list_series()
    assert type(caught.value) is expected
    assert caught.value.service == "catalog"
    await http.aclose()


async def test_error_message_carries_the_envelope_message() -> None:
    http = _replying(_status(404, ENVELOPE))
    with pytest.raises(NotFound, match="the storefront said no"):
        await http_services(http).profiles.get_profile("C-1")
    await http.aclose()


async def test_every_service_maps_errors() -> None:
    http = _replying(_status(503))
    s = http_services(http)
    calls: dict[str, Callable[[], Any]] = {
        "catalog": lambda: s.catalog.get("B0AAAAAAA1"),
        "pricing": lambda: s.pricing.get_prices(["B0AAAAAAA1"]),
        "orders": lambda: s.orders.list_orders("C-1"),
        "returns": lambda: s.returns.check_eligibility("C-1", "O-1", "B0AAAAAAA1"),
        "shipping": lambda: s.shipping.options("US"),
        "profiles": lambda: s.profiles.purchased_asins("C-1"),
        "promotions": lambda: s.promotions.active(),
        "reviews": lambda: s.reviews.for_product("B0AAAAAAA1"),
    }
    for service, call in calls.items():
        with pytest.raises(Unavailable) as caught:
            await call()
        assert caught.value.service == service
    await http.aclose()


async def test_requests_carry_key_and_only_well_formed_ids() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(404, json=ENVELOPE)

    http = StorefrontHttp(
        "http://store/base/", api_key="k1", transport=httpx.MockTransport(handler)
    )
    services = http_services(http)
    with pytest.raises(NotFound):
        await services.orders.get_order("C-1", "O-2")
    for customer_id, order_id in (("C 1", "O-2"), ("C-1", "O/2"), ("C-1", "../admin"), ("", "O")):
        with pytest.raises(InvalidArgument):
            await services.shipping.track(customer_id, order_id)
    await http.aclose()
    assert len(seen) == 1
    assert seen[0].headers["authorization"] == "Bearer k1"
    assert seen[0].url.raw_path == b"/base/v1/customers/C-1/orders/O-2"


async def test_large_batches_are_split() -> None:
    sizes: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sizes.append(len(json.loads(request.content)["asins"]))
        return httpx.Response(200, json={"prices": {}})

    http = StorefrontHttp("http://store", transport=httpx.MockTransport(handler))
    asins = [f"B0{n:08d}" for n in range(1200)]
    assert await http_services(http).pricing.get_prices(asins) == {}
    await http.aclose()
    assert sizes == [500, 500, 200]
