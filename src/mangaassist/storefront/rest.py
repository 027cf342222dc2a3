"""The storefront REST API (FastAPI): one versioned resource route per store-service method.

Customer-scoped routes carry the customer id in the path: the caller is a trusted
service (the assistant) that has already authenticated the shopper. An optional
service API key (bearer) guards every `/v1` route.
"""

from __future__ import annotations

import hmac
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, FastAPI, HTTPException, Path, Query, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel

from mangaassist.domain.store import (
    CustomerProfile,
    Order,
    Product,
    ReturnEligibility,
    ReturnReason,
    Series,
    Tier,
    TrackingInfo,
)
from mangaassist.store.protocols import CatalogQuery, StoreServices
from mangaassist.storefront.http_errors import install_error_handlers
from mangaassist.storefront.schemas import (
    ASIN_PATTERN,
    ID_PATTERN,
    MAX_PAGE,
    AsinBatch,
    AsinList,
    ErrorBody,
    Health,
    OrderList,
    PricesByAsin,
    ProductList,
    ProductPage,
    ProductsByAsin,
    PromotionList,
    ReviewList,
    SearchParams,
    SeriesList,
    ShippingOptionList,
)

Asin = Annotated[str, Path(pattern=ASIN_PATTERN, description="ASIN, e.g. B0ABCD1234.")]
CustomerId = Annotated[str, Path(pattern=ID_PATTERN, description="The authenticated customer.")]
OrderId = Annotated[str, Path(pattern=ID_PATTERN)]
SeriesId = Annotated[str, Path(pattern=ID_PATTERN)]

_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody, "description": "Missing or wrong service API key."},
    422: {"model": ErrorBody, "description": "Malformed id or parameter (invalid_argument)."},
}
_NOT_FOUND: dict[int | str, dict[str, Any]] = {
    **_ERRORS,
    404: {"model": ErrorBody, "description": "Unknown, or not this customer's (not_found)."},
}


def _json(body: BaseModel) -> Response:
    """Serialise a body that is already a validated model once, straight to JSON bytes.

    FastAPI would validate and serialise it again; the batch routes are the assistant's
    hot path, so they skip that (the declared `response_model` still documents them)."""
    return Response(body.model_dump_json(), media_type="application/json")


_bearer = HTTPBearer(auto_error=False, description="Service API key, when one is configured.")


def _auth_dependency(api_key: str | None) -> Any:
    async def check(
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    ) -> None:
        if api_key is None:
            return
        given = credentials.credentials if credentials else ""
        if not hmac.compare_digest(given.encode(), api_key.encode()):
            raise HTTPException(
                401, "missing or wrong service API key", {"WWW-Authenticate": "Bearer"}
            )

    return check


def _catalog_routes(services: StoreServices) -> APIRouter:
    router = APIRouter(prefix="/v1/catalog", tags=["catalog"], responses=_ERRORS)
    catalog = services.catalog

    @router.get("/products/{asin}", responses=_NOT_FOUND)
    async def get_product(asin: Asin) -> Product:
        return await catalog.get(asin)

    @router.post("/products/batch-get", response_model=ProductsByAsin)
    async def batch_get_products(batch: Annotated[AsinBatch, Body()]) -> Response:
        """Products by ASIN; unknown ASINs are left out (not an error)."""
        return _json(ProductsByAsin(products=await catalog.get_many(batch.asins)))

    @router.get("/products")
    async def list_products(
        offset: Annotated[int, Query(ge=0)] = 0,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 500,
    ) -> ProductPage:
        """A page of the whole catalog in stable ASIN order."""
        page = await catalog.list_products(offset, limit)
        next_offset = offset + len(page) if len(page) == limit else None
        return ProductPage(products=tuple(page), next_offset=next_offset)

    @router.get("/search")
    async def search_products(params: Annotated[SearchParams, Query()]) -> ProductList:
        """Title (English, Japanese, romaji, aliases) and author search with filters."""
        query = CatalogQuery(**params.model_dump())
        return ProductList(products=tuple(await catalog.search(query)))

    @router.get("/series")
    async def list_series() -> SeriesList:
        return SeriesList(series=tuple(await catalog.list_series()))

    @router.get("/series/{series_id}", responses=_NOT_FOUND)
    async def get_series(series_id: SeriesId) -> Series:
        return await catalog.get_series(series_id)

    @router.get("/products/{asin}/reviews", tags=["reviews"])
    async def product_reviews(
        asin: Asin, limit: Annotated[int, Query(ge=1, le=100)] = 5
    ) -> ReviewList:
        return ReviewList(reviews=tuple(await services.reviews.for_product(asin, limit)))

    return router


def _commerce_routes(services: StoreServices) -> APIRouter:
    router = APIRouter(prefix="/v1", responses=_ERRORS)

    @router.post("/pricing/batch-get", tags=["pricing"], response_model=PricesByAsin)
    async def batch_get_prices(batch: Annotated[AsinBatch, Body()]) -> Response:
        """Current and list price per ASIN; unknown ASINs are left out."""
        return _json(PricesByAsin(prices=await services.pricing.get_prices(batch.asins)))

    @router.get("/shipping/options", tags=["shipping"])
    async def shipping_options(
        region: Annotated[str, Query(pattern=ID_PATTERN)], tier: Tier = "guest"
    ) -> ShippingOptionList:
        return ShippingOptionList(options=tuple(await services.shipping.options(region, tier)))

    @router.get("/promotions", tags=["promotions"])
    async def active_promotions(on: date | None = None) -> PromotionList:
        """Promotions active on a date (default: the store's today)."""
        return PromotionList(promotions=tuple(await services.promotions.active(on)))

    return router


def _customer_routes(services: StoreServices) -> APIRouter:
    router = APIRouter(prefix="/v1/customers/{customer_id}", responses=_NOT_FOUND)

    @router.get("/orders", tags=["orders"])
    async def list_orders(
        customer_id: CustomerId, limit: Annotated[int, Query(ge=1, le=100)] = 10
    ) -> OrderList:
        return OrderList(orders=tuple(await services.orders.list_orders(customer_id, limit)))

    @router.get("/orders/{order_id}", tags=["orders"])
    async def get_order(customer_id: CustomerId, order_id: OrderId) -> Order:
        """One of the customer's orders; another customer's order is 404."""
        return await services.orders.get_order(customer_id, order_id)

    @router.get("/orders/{order_id}/items/{asin}/return-eligibility", tags=["returns"])
    async def return_eligibility(
        customer_id: CustomerId,
        order_id: OrderId,
        asin: Asin,
        reason: ReturnReason | None = None,
    ) -> ReturnEligibility:
        return await services.returns.check_eligibility(customer_id, order_id, asin, reason)

    @router.get("/orders/{order_id}/tracking", tags=["shipping"])
    async def track_order(customer_id: CustomerId, order_id: OrderId) -> TrackingInfo:
        return await services.shipping.track(customer_id, order_id)

    @router.get("/profile", tags=["profiles"])
    async def get_profile(customer_id: CustomerId) -> CustomerProfile:
        return await services.profiles.get_profile(customer_id)

    @router.get("/purchased-asins", tags=["profiles"])
    async def purchased_asins(customer_id: CustomerId) -> AsinList:
        """Everything the customer has bought."""
        return AsinList(asins=tuple(await services.profiles.purchased_asins(customer_id)))

    return router


def create_app(services: StoreServices, *, api_key: str | None = None) -> FastAPI:
    """The storefront REST app over `services`; `api_key` set means bearer auth on `/v1`."""
    app = FastAPI(
        title="MangaAssist reference storefront",
        version="1",
        summary="Store services (catalog, pricing, orders, returns, shipping, profiles, "
        "promotions, reviews) for the MangaAssist assistant.",
    )
    install_error_handlers(app)

    @app.get("/healthz", tags=["health"])
    async def healthz() -> Health:
        return Health()

    auth = [Depends(_auth_dependency(api_key))]
    for router in (
        _catalog_routes(services),
        _commerce_routes(services),
        _customer_routes(services),
    ):
        app.include_router(router, dependencies=auth)
    return app
