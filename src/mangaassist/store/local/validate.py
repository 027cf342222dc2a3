"""Argument checks shared by the local services: malformed ids become `InvalidArgument`."""

from __future__ import annotations

import re
from collections.abc import Sequence

from mangaassist.domain.store import is_asin
from mangaassist.store.demo.codes import ORDER_ID_RE
from mangaassist.store.errors import InvalidArgument

CUSTOMER_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$")
REGION_RE = re.compile(r"^[A-Za-z]{2}$")


def asin(value: str, service: str = "catalog") -> str:
    if not isinstance(value, str) or not is_asin(value):
        raise InvalidArgument(f"malformed ASIN: {value!r}", service=service)
    return value


def asins(values: Sequence[str], service: str = "catalog") -> list[str]:
    if isinstance(values, str):
        raise InvalidArgument("expected a list of ASINs, got one string", service=service)
    return [asin(v, service) for v in values]


def customer_id(value: str, service: str) -> str:
    if not isinstance(value, str) or not CUSTOMER_ID_RE.match(value):
        raise InvalidArgument(f"malformed customer id: {value!r}", service=service)
    return value


def order_id(value: str, service: str) -> str:
    if not isinstance(value, str) or not ORDER_ID_RE.match(value):
        raise InvalidArgument(f"malformed order id: {value!r}", service=service)
    return value


def limit(value: int, *, most: int, service: str) -> int:
    if not isinstance(value, int) or value < 1:
        raise InvalidArgument(f"limit must be a positive integer, got {value!r}", service=service)
    return min(value, most)
