from __future__ import annotations

import asyncio
import socket

import httpx
import pytest

from mangaassist.store.grpc_client import GrpcCatalog
from mangaassist.storefront.server import Addresses, StartError, _bind, serve
from tests.storefront.fake_store import fake_services


async def _start(stop: asyncio.Event, **ports: int) -> tuple[asyncio.Task[None], Addresses]:
    ready: asyncio.Future[Addresses] = asyncio.get_running_loop().create_future()
    task = asyncio.create_task(
        serve(
            fake_services(),
            host="127.0.0.1",
            port=ports.get("port", 0),
            grpc_port=ports.get("grpc_port", 0),
            api_key=None,
            stop=stop,
            on_ready=ready.set_result,
        )
    )
    done, _ = await asyncio.wait({task, ready}, return_when=asyncio.FIRST_COMPLETED)
    if task in done:
        task.result()
    return task, ready.result()


async def test_serves_rest_and_grpc_until_stopped() -> None:
    stop = asyncio.Event()
    task, addresses = await _start(stop)
    assert addresses.ready_line().startswith("storefront ready: rest=http://127.0.0.1:")
    async with httpx.AsyncClient(base_url=addresses.rest_url) as client:
        assert (await client.get("/healthz")).json() == {"status": "ok"}
    catalog = GrpcCatalog(addresses.grpc_target)
    assert [s.series_id for s in await catalog.list_series()] == ["S-ONE", "S-TWO"]
    await catalog.aclose()
    stop.set()
    await asyncio.wait_for(task, timeout=10)
    async with httpx.AsyncClient(base_url=addresses.rest_url) as client:
        with pytest.raises(httpx.ConnectError):
            await client.get("/healthz")


async def test_rest_port_in_use_is_a_start_error() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        with pytest.raises(StartError, match="REST"):
            await _start(asyncio.Event(), port=taken.getsockname()[1])


async def test_grpc_port_in_use_is_a_start_error() -> None:
    stop = asyncio.Event()
    task, addresses = await _start(stop)
    grpc_port = int(addresses.grpc_target.rsplit(":", 1)[1])
    with pytest.raises(StartError, match="gRPC"):
        await _start(asyncio.Event(), grpc_port=grpc_port)
    stop.set()
    await asyncio.wait_for(task, timeout=10)


def test_rest_listener_is_a_tcp_socket_so_responses_are_not_delayed() -> None:
    # asyncio only sets TCP_NODELAY on connections accepted from IPPROTO_TCP sockets;
    # without it each response waits ~40 ms for the client's delayed ACK.
    sock = _bind("127.0.0.1", 0)
    try:
        assert sock.proto == socket.IPPROTO_TCP
    finally:
        sock.close()
