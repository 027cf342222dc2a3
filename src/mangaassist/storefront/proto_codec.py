"""Conversions between domain values (`domain.store`) and the catalog protobuf messages.

Field names are the same on both sides; money travels as decimal strings and dates
as ISO strings, so a round trip is exact. Decoding validates through the domain
model, so a malformed message raises `pydantic.ValidationError`.
"""

from __future__ import annotations

from typing import Any

from google.protobuf.message import Message

from mangaassist.domain.store import Product, Series
from mangaassist.storefront.grpc_gen import catalog_pb2 as pb

_PRODUCT_FIELDS = tuple(Product.model_fields)
_SERIES_FIELDS = tuple(Series.model_fields)
_PRODUCT_OPTIONAL = ("volume", "volume_end", "isbn")


def product_to_pb(product: Product) -> pb.Product:
    return pb.Product(**product.model_dump(mode="json"))


def series_to_pb(series: Series) -> pb.Series:
    return pb.Series(**series.model_dump(mode="json"))


def _fields(message: Message, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(message, name) for name in names}


def product_from_pb(message: pb.Product) -> Product:
    values = _fields(message, _PRODUCT_FIELDS)
    for name in _PRODUCT_OPTIONAL:
        if not message.HasField(name):
            values[name] = None
    return Product.model_validate(values)


def series_from_pb(message: pb.Series) -> Series:
    values = _fields(message, _SERIES_FIELDS)
    for name in ("aliases", "authors", "genres", "tags"):
        values[name] = tuple(values[name])
    return Series.model_validate(values)
