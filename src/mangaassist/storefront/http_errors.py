"""How the storefront REST API reports failures: one JSON envelope, one status per store error.

Every non-2xx answer is `{"error": {"code": ..., "message": ...}}`, including
FastAPI's own request-validation errors and unknown routes.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from mangaassist.store.errors import (
    BadResponse,
    CircuitOpen,
    InvalidArgument,
    NotFound,
    StoreError,
    StoreTimeout,
    Unavailable,
)
from mangaassist.storefront.schemas import ErrorBody, ErrorCode, ErrorDetail

log = logging.getLogger(__name__)

#: HTTP status per store error; the HTTP client maps these back to the same types.
STATUS_BY_ERROR: tuple[tuple[type[StoreError], int], ...] = (
    (NotFound, 404),
    (InvalidArgument, 422),
    (StoreTimeout, 504),
    (BadResponse, 502),
    (Unavailable, 503),
    (CircuitOpen, 503),
)

_CODE_BY_STATUS: dict[int, ErrorCode] = {
    401: "unauthenticated",
    403: "unauthenticated",
    404: "not_found",
    500: "internal",
    502: "bad_response",
    503: "unavailable",
    504: "timeout",
}


def status_of(error: StoreError) -> int:
    for kind, status in STATUS_BY_ERROR:
        if isinstance(error, kind):
            return status
    return 500


def error_response(
    status: int, code: ErrorCode, message: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    body = ErrorBody(error=ErrorDetail(code=code, message=message))
    return JSONResponse(body.model_dump(mode="json"), status_code=status, headers=headers)


def _code_of(error: StoreError) -> ErrorCode:
    code = error.code
    known: tuple[ErrorCode, ...] = (
        "not_found",
        "invalid_argument",
        "unavailable",
        "timeout",
        "bad_response",
        "circuit_open",
    )
    return code if code in known else "store_error"


async def _on_store_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StoreError)
    return error_response(status_of(exc), _code_of(exc), exc.message)


async def _on_validation_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    parts = []
    for error in exc.errors():
        where = ".".join(str(part) for part in error.get("loc", ()))
        parts.append(f"{where}: {error.get('msg', 'invalid')}")
    return error_response(422, "invalid_argument", "; ".join(parts) or "invalid request")


async def _on_http_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = _CODE_BY_STATUS.get(exc.status_code, "invalid_argument")
    headers = dict(exc.headers) if exc.headers else None
    return error_response(exc.status_code, code, str(exc.detail), headers)


async def _on_unexpected(_: Request, exc: Exception) -> JSONResponse:
    log.exception("storefront request failed", exc_info=exc)
    return error_response(500, "internal", "internal error in the storefront")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(StoreError, _on_store_error)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
    app.add_exception_handler(Exception, _on_unexpected)
