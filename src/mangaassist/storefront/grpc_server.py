"""The storefront catalog service over gRPC (grpc.aio), mapping store errors to status codes.

NOT_FOUND and INVALID_ARGUMENT mirror the REST API's 404 and 422; a configured
service API key is checked from the `authorization: Bearer <key>` metadata.
"""

from __future__ import annotations

import hmac
import logging
import re
from collections.abc import Awaitable, Callable
from functools import wraps
from typing import Any, TypeVar

import grpc
from pydantic import ValidationError

from mangaassist.store.errors import (
    BadResponse,
    CircuitOpen,
    InvalidArgument,
    NotFound,
    StoreError,
    StoreTimeout,
    Unavailable,
)
from mangaassist.store.protocols import CatalogQuery, CatalogService
from mangaassist.storefront.grpc_gen import catalog_pb2 as pb
from mangaassist.storefront.grpc_gen import catalog_pb2_grpc
from mangaassist.storefront.proto_codec import product_to_pb, series_to_pb
from mangaassist.storefront.schemas import (
    ASIN_PATTERN,
    ID_PATTERN,
    MAX_BATCH,
    MAX_PAGE,
    SearchParams,
)

log = logging.getLogger(__name__)

Req = TypeVar("Req")
Resp = TypeVar("Resp")
Context = grpc.aio.ServicerContext[Any, Any]
Handler = Callable[[Any, Req], Awaitable[Resp]]

_ASIN = re.compile(ASIN_PATTERN)
_ID = re.compile(ID_PATTERN)

STATUS_BY_ERROR: tuple[tuple[type[StoreError], grpc.StatusCode], ...] = (
    (NotFound, grpc.StatusCode.NOT_FOUND),
    (InvalidArgument, grpc.StatusCode.INVALID_ARGUMENT),
    (StoreTimeout, grpc.StatusCode.DEADLINE_EXCEEDED),
    (Unavailable, grpc.StatusCode.UNAVAILABLE),
    (CircuitOpen, grpc.StatusCode.UNAVAILABLE),
    (BadResponse, grpc.StatusCode.INTERNAL),
)


def status_of(error: StoreError) -> grpc.StatusCode:
    for kind, code in STATUS_BY_ERROR:
        if isinstance(error, kind):
            return code
    return grpc.StatusCode.INTERNAL


def _check_asin(asin: str) -> None:
    if not _ASIN.match(asin):
        raise InvalidArgument(f"not an ASIN: {asin!r}", service="catalog")


def _check_limit(limit: int, default: int) -> int:
    if limit < 0 or limit > MAX_PAGE:
        raise InvalidArgument(f"limit must be within 1..{MAX_PAGE}", service="catalog")
    return limit or default


def _rpc(method: Handler[Req, Resp]) -> Callable[[Any, Req, Context], Awaitable[Resp]]:
    """Authorise the call, run it, and turn store errors into gRPC status codes."""

    @wraps(method)
    async def call(self: CatalogServicer, request: Req, context: Context) -> Resp:
        if not self.authorised(context):
            await context.abort(grpc.StatusCode.UNAUTHENTICATED, "missing or wrong service key")
        try:
            return await method(self, request)
        except StoreError as exc:
            await context.abort(status_of(exc), exc.message)
        except ValidationError as exc:
            await context.abort(grpc.StatusCode.INVALID_ARGUMENT, str(exc.errors()[0]["msg"]))
        except grpc.aio.AbortError:
            raise
        except Exception:
            log.exception("storefront gRPC call failed")
            await context.abort(grpc.StatusCode.INTERNAL, "internal error in the storefront")

    return call


class CatalogServicer:
    """Implements `mangaassist.catalog.v1.Catalog` over any `CatalogService`."""

    def __init__(self, catalog: CatalogService, *, api_key: str | None = None) -> None:
        self._catalog = catalog
        self._expected = f"Bearer {api_key}".encode() if api_key else None

    def authorised(self, context: Context) -> bool:
        if self._expected is None:
            return True
        given = ""
        for key, value in context.invocation_metadata() or ():
            if key == "authorization":
                given = value if isinstance(value, str) else value.decode()
        return hmac.compare_digest(given.encode(), self._expected)

    @_rpc
    async def GetProduct(self, request: pb.GetProductRequest) -> pb.Product:
        _check_asin(request.asin)
        return product_to_pb(await self._catalog.get(request.asin))

    @_rpc
    async def BatchGetProducts(
        self, request: pb.BatchGetProductsRequest
    ) -> pb.BatchGetProductsResponse:
        if len(request.asins) > MAX_BATCH:
            raise InvalidArgument(f"at most {MAX_BATCH} ASINs per batch", service="catalog")
        for asin in request.asins:
            _check_asin(asin)
        found = await self._catalog.get_many(list(request.asins))
        return pb.BatchGetProductsResponse(
            products={asin: product_to_pb(product) for asin, product in found.items()}
        )

    @_rpc
    async def SearchProducts(self, request: pb.SearchProductsRequest) -> pb.SearchProductsResponse:
        fields = ("text", "author", "genre", "series_id", "language", "max_price")
        values: dict[str, Any] = {f: getattr(request, f) for f in fields if request.HasField(f)}
        values["in_stock_only"] = request.in_stock_only
        values["limit"] = _check_limit(request.limit, 20)
        params = SearchParams.model_validate(values)
        found = await self._catalog.search(CatalogQuery(**params.model_dump()))
        return pb.SearchProductsResponse(products=[product_to_pb(p) for p in found])

    @_rpc
    async def GetSeries(self, request: pb.GetSeriesRequest) -> pb.Series:
        if not _ID.match(request.series_id):
            raise InvalidArgument(f"not a series id: {request.series_id!r}", service="catalog")
        return series_to_pb(await self._catalog.get_series(request.series_id))

    @_rpc
    async def ListSeries(self, request: pb.ListSeriesRequest) -> pb.ListSeriesResponse:
        found = await self._catalog.list_series()
        return pb.ListSeriesResponse(series=[series_to_pb(s) for s in found])

    @_rpc
    async def ListProducts(self, request: pb.ListProductsRequest) -> pb.ListProductsResponse:
        if request.offset < 0:
            raise InvalidArgument("offset must be >= 0", service="catalog")
        limit = _check_limit(request.limit, 500)
        page = await self._catalog.list_products(request.offset, limit)
        next_offset = request.offset + len(page) if len(page) == limit else None
        return pb.ListProductsResponse(
            products=[product_to_pb(p) for p in page], next_offset=next_offset
        )


def create_grpc_server(catalog: CatalogService, *, api_key: str | None = None) -> grpc.aio.Server:
    """A grpc.aio server with the Catalog service; the caller adds a port and starts it."""
    # SO_REUSEPORT off: a second storefront on a taken port must fail, not share the port.
    server = grpc.aio.server(options=[("grpc.so_reuseport", 0)])
    servicer = CatalogServicer(catalog, api_key=api_key)
    catalog_pb2_grpc.add_CatalogServicer_to_server(servicer, server)  # type: ignore[no-untyped-call]
    return server
