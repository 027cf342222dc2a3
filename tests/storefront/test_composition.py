"""`app.build_store_services` wires the storefront clients the settings name."""

from __future__ import annotations

from typing import Literal

from pydantic import SecretStr

from mangaassist.app import build_raw_store_services, build_store_services, open_store_services
from mangaassist.config import StoreSettings, load_settings
from mangaassist.store.grpc_client import GrpcCatalog
from mangaassist.store.http import HttpCatalog, HttpPricing, HttpReviews
from mangaassist.store.resilient import ResilientCatalog, ResilientReviews


def _settings(backend: Literal["http", "grpc"]) -> StoreSettings:
    return StoreSettings(
        backend=backend,
        http_url="http://127.0.0.1:9",
        grpc_target="127.0.0.1:9",
        timeout_s=0.5,
        api_key=SecretStr("k"),
    )


def test_http_backend_uses_rest_for_everything() -> None:
    raw = build_raw_store_services(load_settings(store=_settings("http")))
    assert isinstance(raw.catalog, HttpCatalog)
    assert isinstance(raw.pricing, HttpPricing)


def test_grpc_backend_uses_grpc_for_the_catalog_only() -> None:
    raw = build_raw_store_services(load_settings(store=_settings("grpc")))
    assert isinstance(raw.catalog, GrpcCatalog)
    assert isinstance(raw.reviews, HttpReviews)


def test_services_are_wrapped_in_the_resilience_layer() -> None:
    services = build_store_services(load_settings(store=_settings("grpc")))
    assert isinstance(services.catalog, ResilientCatalog)
    assert isinstance(services.reviews, ResilientReviews)


async def test_open_store_services_degrades_when_nothing_listens() -> None:
    async with open_store_services(load_settings(store=_settings("http"))) as services:
        # Nothing listens on port 9: a non-critical call degrades, it does not raise.
        assert await services.promotions.active() == []
