from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from mangaassist.store.errors import Unavailable
from mangaassist.storefront.rest import create_app
from mangaassist.storefront.schemas import MAX_BATCH
from tests.storefront.fake_store import FakeStore, fake_services, fake_store


def _client(app: Any, **headers: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url="http://store", headers=headers)


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with _client(create_app(fake_services())) as c:
        yield c


def _error(response: httpx.Response, status: int, code: str) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    message: str = body["error"]["message"]
    assert message
    return message


async def test_healthz(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz")
    assert response.json() == {"status": "ok"}


async def test_get_product_money_is_a_decimal_string(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/catalog/products/B0AAAAAAA1")
    assert response.status_code == 200
    body = response.json()
    assert body["asin"] == "B0AAAAAAA1"
    assert body["price"] == "9.99"
    assert body["release_date"] == "2020-01-01"


async def test_unknown_asin_is_404_not_found(client: httpx.AsyncClient) -> None:
    message = _error(await client.get("/v1/catalog/products/B0ZZZZZZZZ"), 404, "not_found")
    assert "B0ZZZZZZZZ" in message


@pytest.mark.parametrize("asin", ["nope", "b0aaaaaaa1", "B0AAAAAAA", "B0AAAAAAA12"])
async def test_malformed_asin_is_422_invalid_argument(client: httpx.AsyncClient, asin: str) -> None:
    message = _error(await client.get(f"/v1/catalog/products/{asin}"), 422, "invalid_argument")
    assert "asin" in message


async def test_batch_get_leaves_out_unknown(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/v1/catalog/products/batch-get", json={"asins": ["B0AAAAAAA1", "B0ZZZZZZZZ"]}
    )
    assert list(response.json()["products"]) == ["B0AAAAAAA1"]


@pytest.mark.parametrize(
    "body",
    [
        {"asins": ["B0AAAAAAA1"] * (MAX_BATCH + 1)},
        {"asins": "B0AAAAAAA1"},
        {"asin": ["B0AAAAAAA1"]},
        {"asins": ["not-an-asin"]},
    ],
)
async def test_bad_batch_is_422(client: httpx.AsyncClient, body: dict[str, Any]) -> None:
    _error(await client.post("/v1/catalog/products/batch-get", json=body), 422, "invalid_argument")


async def test_non_json_body_is_422(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/v1/pricing/batch-get", content=b"{oops", headers={"content-type": "application/json"}
    )
    _error(response, 422, "invalid_argument")


async def test_search_filters(client: httpx.AsyncClient) -> None:
    params = {"text": "s-one", "in_stock_only": "true", "max_price": "10"}
    response = await client.get("/v1/catalog/search", params=params)
    assert [p["asin"] for p in response.json()["products"]] == ["B0AAAAAAA1"]


@pytest.mark.parametrize(
    "params",
    [{"limit": "0"}, {"limit": "x"}, {"language": "fr"}, {"max_price": "-1"}, {"colour": "red"}],
)
async def test_bad_search_is_422(client: httpx.AsyncClient, params: dict[str, str]) -> None:
    _error(await client.get("/v1/catalog/search", params=params), 422, "invalid_argument")


async def test_series(client: httpx.AsyncClient) -> None:
    listed = (await client.get("/v1/catalog/series")).json()["series"]
    assert [s["series_id"] for s in listed] == ["S-ONE", "S-TWO"]
    one = (await client.get("/v1/catalog/series/S-TWO")).json()
    assert one["title_en"] == "Moon Gate"
    _error(await client.get("/v1/catalog/series/S-NONE"), 404, "not_found")


async def test_list_products_pages(client: httpx.AsyncClient) -> None:
    first = (await client.get("/v1/catalog/products", params={"limit": 2})).json()
    assert [p["asin"] for p in first["products"]] == ["B0AAAAAAA1", "B0AAAAAAA2"]
    assert first["next_offset"] == 2
    rest = (await client.get("/v1/catalog/products", params={"offset": 2, "limit": 2})).json()
    assert [p["asin"] for p in rest["products"]] == ["B0BBBBBBB1"]
    assert rest["next_offset"] is None
    _error(await client.get("/v1/catalog/products", params={"offset": -1}), 422, "invalid_argument")


async def test_prices(client: httpx.AsyncClient) -> None:
    response = await client.post("/v1/pricing/batch-get", json={"asins": ["B0BBBBBBB1"]})
    assert response.json()["prices"]["B0BBBBBBB1"]["price"] == "7.50"


async def test_orders_are_scoped_to_the_customer(client: httpx.AsyncClient) -> None:
    orders = (await client.get("/v1/customers/C-1/orders")).json()["orders"]
    assert [o["order_id"] for o in orders] == ["O-1"]
    assert (await client.get("/v1/customers/C-1/orders/O-1")).json()["total"] == "9.99"
    _error(await client.get("/v1/customers/C-1/orders/O-2"), 404, "not_found")
    _error(await client.get("/v1/customers/C-1/orders/O-2/tracking"), 404, "not_found")


@pytest.mark.parametrize(
    "path",
    [
        "/v1/customers/C%201/orders",
        "/v1/customers/C-1/orders/O%3B1",
        "/v1/customers/C-1/orders?limit=0",
        "/v1/customers/C-1/orders/O-1/items/B0AAAAAAA1/return-eligibility?reason=bored",
    ],
)
async def test_malformed_customer_paths_are_422(client: httpx.AsyncClient, path: str) -> None:
    _error(await client.get(path), 422, "invalid_argument")


async def test_returns_tracking_profile(client: httpx.AsyncClient) -> None:
    path = "/v1/customers/C-1/orders/O-1/items/B0AAAAAAA1/return-eligibility"
    eligibility = (await client.get(path, params={"reason": "damaged"})).json()
    assert eligibility["eligible"] is True
    assert eligibility["eligibility_v2"]["reason"] == "within_window"
    tracking = (await client.get("/v1/customers/C-1/orders/O-1/tracking")).json()
    assert tracking["carrier"] == "Yamato"
    profile = (await client.get("/v1/customers/C-1/profile")).json()
    assert profile["tier"] == "member"
    _error(await client.get("/v1/customers/C-9/profile"), 404, "not_found")
    bought = (await client.get("/v1/customers/C-1/purchased-asins")).json()
    assert bought == {"asins": ["B0AAAAAAA1"]}


async def test_shipping_promotions_reviews(client: httpx.AsyncClient) -> None:
    options = await client.get("/v1/shipping/options", params={"region": "US", "tier": "prime"})
    assert options.json()["options"][0]["price"] == "0"
    _error(await client.get("/v1/shipping/options"), 422, "invalid_argument")
    in_sale = await client.get("/v1/promotions", params={"on": "2026-11-05"})
    assert [p["promo_id"] for p in in_sale.json()["promotions"]] == ["P1"]
    after = await client.get("/v1/promotions", params={"on": "2027-01-05"})
    assert after.json()["promotions"] == []
    _error(await client.get("/v1/promotions", params={"on": "soon"}), 422, "invalid_argument")
    reviews = await client.get("/v1/catalog/products/B0AAAAAAA1/reviews", params={"limit": 1})
    assert reviews.json()["reviews"][0]["rating"] == 5
    _error(await client.get("/v1/catalog/products/B0ZZZZZZZZ/reviews"), 404, "not_found")


async def test_unknown_route_and_method_use_the_envelope(client: httpx.AsyncClient) -> None:
    _error(await client.get("/v1/nothing-here"), 404, "not_found")
    _error(await client.delete("/v1/catalog/series"), 405, "invalid_argument")


async def test_store_failures_map_to_5xx() -> None:
    class Broken(FakeStore):
        async def list_series(self) -> list[Any]:
            raise Unavailable("database is down", service="catalog")

        async def get_series(self, series_id: str) -> Any:
            raise RuntimeError("bug")

    async with _client(create_app(fake_services(Broken()))) as c:
        _error(await c.get("/v1/catalog/series"), 503, "unavailable")
        message = _error(await c.get("/v1/catalog/series/S-ONE"), 500, "internal")
        assert "bug" not in message


async def test_api_key_guards_v1_routes() -> None:
    app = create_app(fake_services(), api_key="s3cret")
    async with _client(app) as anonymous:
        assert (await anonymous.get("/healthz")).status_code == 200
        response = await anonymous.get("/v1/catalog/series")
        _error(response, 401, "unauthenticated")
        assert response.headers["www-authenticate"] == "Bearer"
    async with _client(app, authorization="Bearer wrong") as wrong:
        _error(await wrong.get("/v1/catalog/series"), 401, "unauthenticated")
    async with _client(app, authorization="Bearer s3cret") as right:
        assert (await right.get("/v1/catalog/series")).status_code == 200


async def test_openapi_documents_models_and_errors(client: httpx.AsyncClient) -> None:
    spec = (await client.get("/openapi.json")).json()
    product = spec["paths"]["/v1/catalog/products/{asin}"]["get"]["responses"]
    assert product["200"]["content"]["application/json"]["schema"]["$ref"].endswith("/Product")
    assert product["404"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorBody")
    assert product["422"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorBody")
    assert "HTTPBearer" in spec["components"]["securitySchemes"]
    assert set(spec["paths"]) == {
        "/healthz",
        "/v1/catalog/products/{asin}",
        "/v1/catalog/products/batch-get",
        "/v1/catalog/products",
        "/v1/catalog/search",
        "/v1/catalog/series",
        "/v1/catalog/series/{series_id}",
        "/v1/catalog/products/{asin}/reviews",
        "/v1/pricing/batch-get",
        "/v1/shipping/options",
        "/v1/promotions",
        "/v1/customers/{customer_id}/orders",
        "/v1/customers/{customer_id}/orders/{order_id}",
        "/v1/customers/{customer_id}/orders/{order_id}/items/{asin}/return-eligibility",
        "/v1/customers/{customer_id}/orders/{order_id}/tracking",
        "/v1/customers/{customer_id}/profile",
        "/v1/customers/{customer_id}/purchased-asins",
    }


def test_fake_store_is_fresh_per_call() -> None:
    assert fake_store() is not fake_store()
