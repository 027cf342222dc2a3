"""`mangaassist storefront serve` as a real process: readiness line, auth, shutdown, bad start."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import httpx
import pytest

from mangaassist.config import load_settings
from mangaassist.store.errors import Unavailable
from mangaassist.store.grpc_client import GrpcCatalog
from mangaassist.store.local import ensure_demo_store
from mangaassist.storefront.launcher import StorefrontProcess

TODAY = date(2026, 11, 1)
ENV = {"MANGAASSIST_STORE__TODAY": TODAY.isoformat()}
CLI = str(Path(sys.executable).parent / "mangaassist")


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("storefront") / "store.sqlite3"
    return ensure_demo_store(load_settings(store={"db_path": db, "today": TODAY}))


@pytest.fixture
def storefront(demo_db: Path) -> Iterator[StorefrontProcess]:
    process = StorefrontProcess(demo_db, env=ENV)
    yield process
    process.close()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_serves_then_shuts_down_cleanly(storefront: StorefrontProcess, sig: signal.Signals) -> None:
    addresses = storefront.start()
    with httpx.Client(base_url=addresses.rest_url) as client:
        products = client.get("/v1/catalog/products", params={"limit": 3}).json()["products"]
        assert len(products) == 3
        assert client.get("/openapi.json").json()["info"]["title"]
    assert storefront.stop(sig=sig) == 0
    assert storefront.stderr() == ""
    with httpx.Client(base_url=addresses.rest_url) as client, pytest.raises(httpx.ConnectError):
        client.get("/healthz")


def test_exit_code_of_a_clean_stop_is_zero(storefront: StorefrontProcess) -> None:
    storefront.start()
    assert storefront.stop() == 0


async def test_api_key_is_required_when_configured(demo_db: Path) -> None:
    env = {**ENV, "MANGAASSIST_STOREFRONT__API_KEY": "k-123"}
    with StorefrontProcess(demo_db, env=env) as process:
        assert process.addresses is not None
        rest, target = process.addresses.rest_url, process.addresses.grpc_target
        async with httpx.AsyncClient(base_url=rest) as client:
            assert (await client.get("/v1/catalog/series")).status_code == 401
            ok = await client.get("/v1/catalog/series", headers={"authorization": "Bearer k-123"})
            assert ok.status_code == 200
        anonymous = GrpcCatalog(target)
        with pytest.raises(Unavailable, match="UNAUTHENTICATED"):
            await anonymous.list_series()
        await anonymous.aclose()
        keyed = GrpcCatalog(target, api_key="k-123")
        assert await keyed.list_series()
        await keyed.aclose()
        assert process.stop() == 0


def test_port_in_use_is_one_line_and_exit_1(demo_db: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [CLI, "storefront", "serve", f"--port={port}", "--grpc-port=0", f"--db={demo_db}"],
            capture_output=True,
            text=True,
            timeout=120,
            env={**ENV, "PATH": "/usr/bin:/bin"},
            check=False,
        )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert f"127.0.0.1:{port}" in lines[0]
    assert result.stdout == ""


def test_bad_port_is_usage_error(demo_db: Path) -> None:
    result = subprocess.run(
        [CLI, "storefront", "serve", "--port=70000", f"--db={demo_db}"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "65535" in result.stderr


def test_unusable_db_path_is_one_line_and_exit_2(tmp_path: Path) -> None:
    result = subprocess.run(
        [CLI, "storefront", "serve", "--port=0", "--grpc-port=0", f"--db={tmp_path}"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**ENV, "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert str(tmp_path) in result.stderr
