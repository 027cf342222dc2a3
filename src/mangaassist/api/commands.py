"""`mangaassist serve` (the chat service) and `mangaassist token` (development tokens)."""

from __future__ import annotations

import asyncio
from typing import cast

import typer


def _fail(message: str, code: int) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


def serve(
    host: str | None = typer.Option(None, help="Interface to bind (default: server.host)."),
    port: int | None = typer.Option(
        None, min=0, max=65535, help="Port, 0 for any free one (default: server.port)."
    ),
) -> None:
    """Start the chat service with the demo store on embedded defaults (http://127.0.0.1:8000)."""
    import uvicorn
    from pydantic import ValidationError

    from mangaassist.app import build_chat_app
    from mangaassist.config import load_settings
    from mangaassist.llm.provider import ConfigurationError

    try:
        settings = load_settings()
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in error['loc'])}: {error['msg']}"
            for error in exc.errors()
        )
        raise _fail(f"invalid settings: {problems}", 2) from exc
    bind_host = host or settings.server.host
    bind_port = settings.server.port if port is None else port
    try:
        app = build_chat_app(settings)
    except ConfigurationError as exc:
        raise _fail(f"invalid model configuration: {exc}", 2) from exc
    config = uvicorn.Config(
        app, host=bind_host, port=bind_port, log_level=settings.log_level, lifespan="on"
    )
    server = uvicorn.Server(config)

    async def run() -> None:
        task = asyncio.create_task(server.serve())
        while not server.started:
            if task.done():
                break
            await asyncio.sleep(0.05)
        if server.started:
            sockets = server.servers[0].sockets
            actual = sockets[0].getsockname()[1] if sockets else bind_port
            typer.echo(f"MangaAssist ready: http://{bind_host}:{actual}", err=False)
        await task

    try:
        asyncio.run(run())
    except OSError as exc:
        raise _fail(f"cannot start the chat service: {exc}", 1) from exc
    if not server.started:
        raise _fail(f"the chat service did not start on {bind_host}:{bind_port}", 1)


def token(
    customer_id: str = typer.Argument(..., help="Customer id the token speaks for, e.g. C10001."),
    tier: str = typer.Option("member", help="Tier claim: member or prime."),
    ttl: int | None = typer.Option(
        None, min=60, help="Lifetime in seconds (default: auth.token_ttl_s)."
    ),
) -> None:
    """Mint a development shopper token (HS256 JWT) signed with this service's secret."""
    from mangaassist.api.auth import mint_shopper_token
    from mangaassist.app import jwt_secret
    from mangaassist.config import load_settings
    from mangaassist.domain.store import Tier

    if tier not in ("member", "prime"):
        raise _fail(f"--tier must be member or prime, not {tier!r}", 2)
    if not customer_id.strip():
        raise _fail("customer id must not be empty", 2)
    settings = load_settings()
    lifetime = ttl or settings.auth.token_ttl_s
    secret = jwt_secret(settings)
    typer.echo(mint_shopper_token(customer_id, cast(Tier, tier), secret, ttl_s=lifetime))
