"""Store services over the storefront REST API (`storefront.rest`), with typed errors.

httpx does the HTTP; this module only maps routes to protocol methods and every
failure to a `store.errors` type (never a bare exception). The transport is
injectable, so tests use `httpx.MockTransport` or `httpx.ASGITransport`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from mangaassist.domain.store import (
    CustomerProfile,
    Order,
    Price,
    Product,
    Promotion,
    ReturnEligibility,
    ReturnReason,
    Review,
    Series,
    ShippingOption,
    Tier,
    TrackingInfo,
    is_asin,
)
from mangaassist.store.errors import (
    BadResponse,
    InvalidArgument,
    NotFound,
    StoreError,
    StoreTimeout,
    Unavailable,
)
from mangaassist.store.protocols import CatalogQuery, StoreServices
from mangaassist.storefront.schemas import (
    ID_PATTERN,
    MAX_BATCH,
    AsinList,
    ErrorBody,
    OrderList,
    PricesByAsin,
    ProductList,
    ProductPage,
    ProductsByAsin,
    PromotionList,
    ReviewList,
    SeriesList,
    ShippingOptionList,
)

M = TypeVar("M", bound=BaseModel)
Params = Mapping[str, str | int | float | bool]


_ID = re.compile(ID_PATTERN)


def _segment(value: str, service: str, what: str) -> str:
    """An id as a path segment. Ids the storefront would reject (e.g. with '/', which
    would change the route) fail here with `InvalidArgument`, before any request."""
    if not _ID.match(value):
        raise InvalidArgument(f"malformed {what}: {value!r}", service=service)
    return value


def _check_asins(asins: Sequence[str], service: str) -> None:
    bad = [a for a in asins if not is_asin(a)]
    if bad:
        raise InvalidArgument(f"not an ASIN: {bad[0]!r}", service=service)


def _error_message(response: httpx.Response) -> str:
    try:
        return ErrorBody.model_validate_json(response.content).error.message
    except ValidationError:
        return response.text[:200] or response.reason_phrase


def _status_error(response: httpx.Response, service: str) -> StoreError:
    status = response.status_code
    message = f"{service}: HTTP {status}: {_error_message(response)}"
    if status == 404:
        return NotFound(message, service=service)
    if status in (400, 422):
        return InvalidArgument(message, service=service)
    if status in (401, 403, 408, 429) or status >= 500:
        return Unavailable(message, service=service)
    return BadResponse(message, service=service)


class StorefrontHttp:
    """The shared HTTP session to one storefront; the eight services call through it."""

    def __init__(
        self,
        base_url: str,
        *,
        timeout_s: float = 2.0,
        api_key: str | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._client = httpx.AsyncClient(
            base_url=base_url.rstrip("/"),
            timeout=httpx.Timeout(timeout_s),
            headers=headers,
            transport=transport,
        )

    async def aclose(self) -> None:
        await self._client.aclose()

    async def get(self, service: str, path: str, model: type[M], params: Params | None = None) -> M:
        return await self._call(service, "GET", path, model, params=params)

    async def post(self, service: str, path: str, model: type[M], body: Any) -> M:
        return await self._call(service, "POST", path, model, json=body)

    async def _call(
        self,
        service: str,
        method: str,
        path: str,
        model: type[M],
        params: Params | None = None,
        json: Any = None,
    ) -> M:
        try:
            response = await self._client.request(method, path, params=params, json=json)
        except httpx.TimeoutException as exc:
            raise StoreTimeout(f"{service}: no answer in time ({exc!r})", service=service) from exc
        except httpx.DecodingError as exc:
            raise BadResponse(f"{service}: undecodable response: {exc!r}", service=service) from exc
        except httpx.HTTPError as exc:
            raise Unavailable(
                f"{service}: cannot reach storefront: {exc!r}", service=service
            ) from exc
        if response.status_code != 200:
            raise _status_error(response, service)
        try:
            return model.model_validate_json(response.content)
        except ValidationError as exc:
            raise BadResponse(
                f"{service}: invalid response body: {exc.error_count()} error(s), "
                f"first: {exc.errors()[0]['msg']}",
                service=service,
            ) from exc


class _HttpService:
    """A store service calling through a shared `StorefrontHttp` session."""

    def __init__(self, http: StorefrontHttp) -> None:
        self._http = http

    async def aclose(self) -> None:
        """Close the shared session (idempotent: every service of one session may call it)."""
        await self._http.aclose()


class HttpCatalog(_HttpService):
    async def get(self, asin: str) -> Product:
        _check_asins([asin], "catalog")
        return await self._http.get("catalog", f"/v1/catalog/products/{asin}", Product)

    async def get_many(self, asins: Sequence[str]) -> dict[str, Product]:
        _check_asins(asins, "catalog")
        found: dict[str, Product] = {}
        unique = list(dict.fromkeys(asins))
        for start in range(0, len(unique), MAX_BATCH):
            chunk = unique[start : start + MAX_BATCH]
            body = {"asins": chunk}
            page = await self._http.post(
                "catalog", "/v1/catalog/products/batch-get", ProductsByAsin, body
            )
            found.update(page.products)
        return found

    async def search(self, query: CatalogQuery) -> list[Product]:
        params: dict[str, str | int | float | bool] = {
            "limit": query.limit,
            "in_stock_only": query.in_stock_only,
        }
        for name in ("text", "author", "genre", "series_id", "language"):
            value = getattr(query, name)
            if value is not None:
                params[name] = value
        if query.max_price is not None:
            params["max_price"] = str(query.max_price)
        page = await self._http.get("catalog", "/v1/catalog/search", ProductList, params)
        return list(page.products)

    async def get_series(self, series_id: str) -> Series:
        path = f"/v1/catalog/series/{_segment(series_id, 'catalog', 'series id')}"
        return await self._http.get("catalog", path, Series)

    async def list_series(self) -> list[Series]:
        return list((await self._http.get("catalog", "/v1/catalog/series", SeriesList)).series)

    async def list_products(self, offset: int = 0, limit: int = 500) -> list[Product]:
        params = {"offset": offset, "limit": limit}
        page = await self._http.get("catalog", "/v1/catalog/products", ProductPage, params)
        return list(page.products)


class HttpPricing(_HttpService):
    async def get_prices(self, asins: Sequence[str]) -> dict[str, Price]:
        _check_asins(asins, "pricing")
        found: dict[str, Price] = {}
        unique = list(dict.fromkeys(asins))
        for start in range(0, len(unique), MAX_BATCH):
            body = {"asins": unique[start : start + MAX_BATCH]}
            page = await self._http.post("pricing", "/v1/pricing/batch-get", PricesByAsin, body)
            found.update(page.prices)
        return found


def _customer(customer_id: str, service: str) -> str:
    return f"/v1/customers/{_segment(customer_id, service, 'customer id')}"


def _order(customer_id: str, order_id: str, service: str) -> str:
    return f"{_customer(customer_id, service)}/orders/{_segment(order_id, service, 'order id')}"


class HttpOrders(_HttpService):
    async def list_orders(self, customer_id: str, limit: int = 10) -> list[Order]:
        path = f"{_customer(customer_id, 'orders')}/orders"
        page = await self._http.get("orders", path, OrderList, {"limit": limit})
        return list(page.orders)

    async def get_order(self, customer_id: str, order_id: str) -> Order:
        return await self._http.get("orders", _order(customer_id, order_id, "orders"), Order)


class HttpReturns(_HttpService):
    async def check_eligibility(
        self,
        customer_id: str,
        order_id: str,
        asin: str,
        reason: ReturnReason | None = None,
    ) -> ReturnEligibility:
        _check_asins([asin], "returns")
        path = f"{_order(customer_id, order_id, 'returns')}/items/{asin}/return-eligibility"
        params = {"reason": reason} if reason else None
        return await self._http.get("returns", path, ReturnEligibility, params)


class HttpShipping(_HttpService):
    async def options(self, region: str, tier: Tier = "guest") -> list[ShippingOption]:
        params = {"region": region, "tier": tier}
        page = await self._http.get("shipping", "/v1/shipping/options", ShippingOptionList, params)
        return list(page.options)

    async def track(self, customer_id: str, order_id: str) -> TrackingInfo:
        path = f"{_order(customer_id, order_id, 'shipping')}/tracking"
        return await self._http.get("shipping", path, TrackingInfo)


class HttpProfiles(_HttpService):
    async def get_profile(self, customer_id: str) -> CustomerProfile:
        path = f"{_customer(customer_id, 'profiles')}/profile"
        return await self._http.get("profiles", path, CustomerProfile)

    async def purchased_asins(self, customer_id: str) -> list[str]:
        path = f"{_customer(customer_id, 'profiles')}/purchased-asins"
        return list((await self._http.get("profiles", path, AsinList)).asins)


class HttpPromotions(_HttpService):
    async def active(self, on: date | None = None) -> list[Promotion]:
        params = {"on": on.isoformat()} if on else None
        page = await self._http.get("promotions", "/v1/promotions", PromotionList, params)
        return list(page.promotions)


class HttpReviews(_HttpService):
    async def for_product(self, asin: str, limit: int = 5) -> list[Review]:
        _check_asins([asin], "reviews")
        path = f"/v1/catalog/products/{asin}/reviews"
        page = await self._http.get("reviews", path, ReviewList, {"limit": limit})
        return list(page.reviews)


def http_services(http: StorefrontHttp) -> StoreServices:
    """All eight store services over one storefront HTTP session."""
    return StoreServices(
        catalog=HttpCatalog(http),
        pricing=HttpPricing(http),
        orders=HttpOrders(http),
        returns=HttpReturns(http),
        shipping=HttpShipping(http),
        profiles=HttpProfiles(http),
        promotions=HttpPromotions(http),
        reviews=HttpReviews(http),
    )


__all__ = [
    "HttpCatalog",
    "HttpOrders",
    "HttpPricing",
    "HttpProfiles",
    "HttpPromotions",
    "HttpReturns",
    "HttpReviews",
    "HttpShipping",
    "StorefrontHttp",
    "http_services",
]
