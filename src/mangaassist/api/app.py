"""The FastAPI application: routes, typed JSON errors, and the static web widget at `/`."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles

from mangaassist.api import rest, ws
from mangaassist.api.auth import AuthError
from mangaassist.api.rest import ApiError, error_response
from mangaassist.api.runtime import Runtime

Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[None]]
WEB_DIR = Path(__file__).resolve().parent.parent / "web"


def create_app(runtime: Runtime | None, *, lifespan: Lifespan | None = None) -> FastAPI:
    """The app around a runtime (tests), or one whose `lifespan` builds the runtime."""
    app = FastAPI(
        title="MangaAssist", version="1", docs_url="/docs", redoc_url=None, lifespan=lifespan
    )
    if runtime is not None:
        app.state.runtime = runtime
    app.include_router(rest.router)
    app.include_router(ws.router)

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc)

    @app.exception_handler(AuthError)
    async def _auth_error(request: Request, exc: AuthError) -> JSONResponse:
        status = 403 if exc.code == "forbidden" else 401
        return error_response(ApiError(status, exc.code, exc.message))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {"loc": (), "msg": "invalid request"}
        field = ".".join(str(p) for p in first["loc"] if p != "body") or "body"
        return error_response(ApiError(422, "invalid_request", f"{field}: {first['msg']}"))

    app.mount("/", StaticFiles(directory=WEB_DIR, html=True), name="web")
    return app
