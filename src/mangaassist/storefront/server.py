"""Runs the storefront: the REST app (uvicorn) and the gRPC catalog server in one asyncio loop.

`serve` binds both, reports the bound addresses once both listen, and shuts down
cleanly (stops accepting, finishes in-flight calls) when `stop` is set, which the
process entry point does on SIGTERM or SIGINT.
"""

from __future__ import annotations

import asyncio
import signal
import socket
from collections.abc import Callable
from dataclasses import dataclass

import uvicorn

from mangaassist.store.protocols import StoreServices
from mangaassist.storefront.grpc_server import create_grpc_server
from mangaassist.storefront.rest import create_app

#: Seconds in-flight requests get to finish once shutdown starts.
GRACE_S = 2.0


class StartError(RuntimeError):
    """A listener could not be bound (port in use, unknown interface)."""


@dataclass(frozen=True, slots=True)
class Addresses:
    rest_url: str
    grpc_target: str

    def ready_line(self) -> str:
        return f"storefront ready: rest={self.rest_url} grpc={self.grpc_target}"


def _host_port(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto=IPPROTO_TCP matters: asyncio sets TCP_NODELAY on accepted connections only for
    # such sockets, and without it every response waits ~40 ms for a delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        raise StartError(f"cannot listen on {_host_port(host, port)} (REST): {exc}") from exc
    return sock


async def serve(
    services: StoreServices,
    *,
    host: str,
    port: int,
    grpc_port: int,
    api_key: str | None,
    stop: asyncio.Event,
    on_ready: Callable[[Addresses], None],
) -> None:
    """Serve REST on `port` and gRPC on `grpc_port` (0 picks a free port) until `stop` is set."""
    sock = _bind(host, port)
    config = uvicorn.Config(
        create_app(services, api_key=api_key),
        lifespan="off",
        log_level="warning",
        access_log=False,
        timeout_graceful_shutdown=int(GRACE_S),
    )
    config.load()
    http_server = uvicorn.Server(config)
    http_server.lifespan = config.lifespan_class(config)
    grpc_server = create_grpc_server(services.catalog, api_key=api_key)
    try:
        bound_grpc = grpc_server.add_insecure_port(_host_port(host, grpc_port))
    except RuntimeError as exc:
        bound_grpc, reason = 0, str(exc)
    else:
        reason = "address in use or unavailable"
    if not bound_grpc:
        sock.close()
        raise StartError(f"cannot listen on {_host_port(host, grpc_port)} (gRPC): {reason}")
    await http_server.startup(sockets=[sock])
    await grpc_server.start()
    try:
        rest_port = sock.getsockname()[1]
        on_ready(Addresses(f"http://{_host_port(host, rest_port)}", _host_port(host, bound_grpc)))
        await stop.wait()
    finally:
        await grpc_server.stop(GRACE_S)
        await http_server.shutdown(sockets=[sock])


def install_stop_signals(stop: asyncio.Event) -> None:
    """SIGTERM and SIGINT set `stop` (a clean shutdown) instead of killing the loop."""
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
