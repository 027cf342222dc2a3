"""The catalog service over the storefront's gRPC API (grpc.aio), with typed errors.

Only the catalog, the hot read path, speaks gRPC; the other services use
`store.http`. Every gRPC status maps to a `store.errors` type, as in the HTTP client.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import grpc
from pydantic import ValidationError

from mangaassist.domain.store import Product, Series, is_asin
from mangaassist.store.errors import (
    BadResponse,
    InvalidArgument,
    NotFound,
    StoreError,
    StoreTimeout,
    Unavailable,
)
from mangaassist.store.protocols import CatalogQuery
from mangaassist.storefront.grpc_gen import catalog_pb2 as pb
from mangaassist.storefront.grpc_gen import catalog_pb2_grpc
from mangaassist.storefront.proto_codec import product_from_pb, series_from_pb
from mangaassist.storefront.schemas import MAX_BATCH

SERVICE = "catalog"
T = TypeVar("T")
Msg = TypeVar("Msg")

#: Reconnect quickly after the storefront restarts (gRPC's default backoff grows to 120 s);
#: the circuit breaker, not the channel, is what sheds load from a dead dependency.
CHANNEL_OPTIONS: tuple[tuple[str, int], ...] = (
    ("grpc.initial_reconnect_backoff_ms", 100),
    ("grpc.min_reconnect_backoff_ms", 100),
    ("grpc.max_reconnect_backoff_ms", 2000),
)

_UNAVAILABLE = {
    grpc.StatusCode.UNAVAILABLE,
    grpc.StatusCode.UNAUTHENTICATED,
    grpc.StatusCode.PERMISSION_DENIED,
    grpc.StatusCode.RESOURCE_EXHAUSTED,
    grpc.StatusCode.CANCELLED,
    grpc.StatusCode.ABORTED,
    grpc.StatusCode.INTERNAL,
    grpc.StatusCode.UNKNOWN,
}


def error_from_status(code: grpc.StatusCode, details: str | None) -> StoreError:
    """The store error a gRPC status stands for."""
    message = f"{SERVICE}: gRPC {code.name}: {details or 'no details'}"
    if code == grpc.StatusCode.NOT_FOUND:
        return NotFound(message, service=SERVICE)
    if code in (grpc.StatusCode.INVALID_ARGUMENT, grpc.StatusCode.OUT_OF_RANGE):
        return InvalidArgument(message, service=SERVICE)
    if code == grpc.StatusCode.DEADLINE_EXCEEDED:
        return StoreTimeout(message, service=SERVICE)
    if code in _UNAVAILABLE:
        return Unavailable(message, service=SERVICE)
    return BadResponse(message, service=SERVICE)


def _check_asins(asins: Sequence[str]) -> None:
    bad = [a for a in asins if not is_asin(a)]
    if bad:
        raise InvalidArgument(f"not an ASIN: {bad[0]!r}", service=SERVICE)


def _check_limit(limit: int) -> None:
    if limit < 1:
        raise InvalidArgument("limit must be >= 1", service=SERVICE)


class GrpcCatalog:
    """`CatalogService` over gRPC. The channel opens on first use (inside the event loop)."""

    def __init__(
        self,
        target: str,
        *,
        timeout_s: float = 2.0,
        api_key: str | None = None,
    ) -> None:
        self._target = target
        self._timeout = timeout_s
        self._metadata = (("authorization", f"Bearer {api_key}"),) if api_key else ()
        self._channel: grpc.aio.Channel | None = None
        self._stub: Any = None

    async def aclose(self) -> None:
        if self._channel is not None:
            await self._channel.close(None)
            self._channel = None
            self._stub = None

    async def _call(self, method: str, request: Any) -> Any:
        if self._stub is None:
            self._channel = grpc.aio.insecure_channel(self._target, options=CHANNEL_OPTIONS)
            self._stub = catalog_pb2_grpc.CatalogStub(self._channel)  # type: ignore[no-untyped-call]
        try:
            return await getattr(self._stub, method)(
                request, timeout=self._timeout, metadata=self._metadata
            )
        except grpc.aio.AioRpcError as exc:
            raise error_from_status(exc.code(), exc.details()) from exc

    async def get(self, asin: str) -> Product:
        _check_asins([asin])
        message: pb.Product = await self._call("GetProduct", pb.GetProductRequest(asin=asin))
        return _decode(product_from_pb, message)

    async def get_many(self, asins: Sequence[str]) -> dict[str, Product]:
        _check_asins(asins)
        unique = list(dict.fromkeys(asins))
        found: dict[str, Product] = {}
        for start in range(0, len(unique), MAX_BATCH):
            request = pb.BatchGetProductsRequest(asins=unique[start : start + MAX_BATCH])
            answer: pb.BatchGetProductsResponse = await self._call("BatchGetProducts", request)
            for asin, message in answer.products.items():
                found[asin] = _decode(product_from_pb, message)
        return found

    async def search(self, query: CatalogQuery) -> list[Product]:
        _check_limit(query.limit)
        request = pb.SearchProductsRequest(
            text=query.text,
            author=query.author,
            genre=query.genre,
            series_id=query.series_id,
            language=query.language,
            max_price=None if query.max_price is None else str(query.max_price),
            in_stock_only=query.in_stock_only,
            limit=query.limit,
        )
        answer: pb.SearchProductsResponse = await self._call("SearchProducts", request)
        return [_decode(product_from_pb, m) for m in answer.products]

    async def get_series(self, series_id: str) -> Series:
        request = pb.GetSeriesRequest(series_id=series_id)
        message: pb.Series = await self._call("GetSeries", request)
        return _decode(series_from_pb, message)

    async def list_series(self) -> list[Series]:
        answer: pb.ListSeriesResponse = await self._call("ListSeries", pb.ListSeriesRequest())
        return [_decode(series_from_pb, m) for m in answer.series]

    async def list_products(self, offset: int = 0, limit: int = 500) -> list[Product]:
        _check_limit(limit)
        if offset < 0:
            raise InvalidArgument("offset must be >= 0", service=SERVICE)
        request = pb.ListProductsRequest(offset=offset, limit=limit)
        answer: pb.ListProductsResponse = await self._call("ListProducts", request)
        return [_decode(product_from_pb, m) for m in answer.products]


def _decode(convert: Callable[[Msg], T], message: Msg) -> T:
    try:
        return convert(message)
    except ValidationError as exc:
        raise BadResponse(
            f"{SERVICE}: invalid gRPC message: {exc.errors()[0]['msg']}", service=SERVICE
        ) from exc


__all__ = ["CHANNEL_OPTIONS", "GrpcCatalog", "error_from_status"]
