"""REST v1: one-shot chat, session read (owner only), feedback, health, admin."""

from __future__ import annotations

from typing import Any, cast

from fastapi import APIRouter, Header, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from mangaassist.api.auth import Principal
from mangaassist.api.conversation import Message
from mangaassist.api.runtime import Runtime, bearer
from mangaassist.domain.frames import (
    ActionsFrame,
    ChunkFrame,
    CompleteFrame,
    CorrectionFrame,
    ErrorFrame,
    ProductsFrame,
)
from mangaassist.domain.store import Tier
from mangaassist.guardrails.pii import redact
from mangaassist.state.sessions import OpenOutcome, SessionNotFound

router = APIRouter()


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, retry_after: float | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.retry_after = status, code, message, retry_after


def error_response(exc: ApiError) -> JSONResponse:
    headers = {"Retry-After": str(max(1, round(exc.retry_after)))} if exc.retry_after else None
    body: dict[str, Any] = {"error": {"code": exc.code, "message": exc.message}}
    if exc.retry_after is not None:
        body["error"]["retry_after"] = exc.retry_after
    return JSONResponse(body, status_code=exc.status, headers=headers)


class ChatRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1)
    session_id: str | None = None
    message_id: str | None = Field(None, min_length=1, max_length=128)
    context_hints: dict[str, str] = Field(default_factory=dict)


class FeedbackRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    session_id: str
    response_id: str
    rating: str = Field(pattern="^(up|down)$")
    comment: str | None = Field(None, max_length=1000)


def _runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


def _principal(runtime: Runtime, authorization: str | None) -> Principal:
    return runtime.principal(bearer(authorization))


@router.post("/v1/chat/message")
async def chat_message(
    body: ChatRequest, request: Request, authorization: str | None = Header(None)
) -> dict[str, Any]:
    runtime = _runtime(request)
    principal = _principal(runtime, authorization)
    session, outcome = await runtime.sessions.open(
        body.session_id, principal.customer_id, runtime.clock()
    )
    client = request.client.host if request.client else "unknown"
    decision = await runtime.admit(principal, client, session.session_id)
    if not decision.allowed:
        raise ApiError(429, "rate_limited", "too many messages; please wait", decision.retry_after)
    message = Message(
        session.session_id,
        body.message_id,
        body.text,
        principal.customer_id,
        principal.tier,
        body.context_hints,
    )
    text, products, actions = "", [], []
    metadata: dict[str, Any] = {}
    response_id = None
    async for frame in runtime.conversation.answer(message):
        response_id = frame.response_id
        if isinstance(frame, ChunkFrame):
            text += frame.text
        elif isinstance(frame, CorrectionFrame):
            text = frame.text
        elif isinstance(frame, ProductsFrame):
            products = [c.model_dump(mode="json") for c in frame.products]
        elif isinstance(frame, ActionsFrame):
            actions = [a.model_dump(mode="json", exclude_none=True) for a in frame.actions]
        elif isinstance(frame, CompleteFrame):
            metadata = frame.metadata
        elif isinstance(frame, ErrorFrame):
            status = {"payload_too_large": 413, "session_busy": 409}.get(frame.code, 503)
            raise ApiError(status, frame.code, frame.message, frame.retry_after)
    return {
        "session_id": session.session_id,
        "resumed": outcome is OpenOutcome.RESUMED,
        "response_id": response_id,
        "text": text,
        "products": products,
        "actions": actions,
        "metadata": metadata,
    }


@router.get("/v1/chat/session/{session_id}")
async def get_session(
    session_id: str, request: Request, authorization: str | None = Header(None)
) -> dict[str, Any]:
    runtime = _runtime(request)
    principal = _principal(runtime, authorization)
    try:
        session = await runtime.sessions.get(session_id, principal.customer_id, runtime.clock())
    except SessionNotFound as exc:
        raise ApiError(404, "session_not_found", "no such session for this shopper") from exc
    turns = await runtime.sessions.recent_turns(session_id, 50)
    return {
        "session_id": session.session_id,
        "created": session.created.isoformat(),
        "expires": session.expires.isoformat(),
        "turns": [
            {"role": t.role, "text": t.text, "at": t.at.isoformat(), "response_id": t.response_id}
            for t in turns
        ],
    }


@router.post("/v1/feedback", status_code=204)
async def feedback(
    body: FeedbackRequest, request: Request, authorization: str | None = Header(None)
) -> Response:
    runtime = _runtime(request)
    principal = _principal(runtime, authorization)
    try:
        await runtime.sessions.get(body.session_id, principal.customer_id, runtime.clock())
    except SessionNotFound as exc:
        raise ApiError(404, "session_not_found", "no such session for this shopper") from exc
    if await runtime.sessions.get_response(body.session_id, body.response_id) is None:
        raise ApiError(404, "unknown_response", "no such response in this session")
    comment = redact(body.comment).text if body.comment else None
    runtime.audit.add_feedback(
        body.response_id, body.session_id, principal.customer_id, body.rating, comment
    )
    runtime.counters[f"feedback_{body.rating}"] += 1
    return Response(status_code=204)


@router.delete("/v1/customers/{customer_id}/data")
async def forget_customer(
    customer_id: str, request: Request, authorization: str | None = Header(None)
) -> dict[str, int]:
    runtime = _runtime(request)
    runtime.require_admin(bearer(authorization))
    removed = {
        "sessions": await runtime.sessions.forget_customer(customer_id),
        "audit": runtime.audit.forget_customer(customer_id),
        "vault": runtime.vault.forget_customer(customer_id) if runtime.vault else 0,
    }
    return removed


@router.get("/v1/admin/status")
async def admin_status(
    request: Request, authorization: str | None = Header(None)
) -> dict[str, Any]:
    runtime = _runtime(request)
    runtime.require_admin(bearer(authorization))
    return {"counters": dict(runtime.counters), **runtime.status_extra()}


class DemoSignIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    customer_id: str = Field(min_length=1, max_length=64)


@router.post("/v1/dev/token")
async def demo_token(body: DemoSignIn, request: Request) -> dict[str, str]:
    """Development only: sign in as a demo customer (off unless chat.demo_sign_in)."""
    from mangaassist.api.auth import mint_shopper_token

    runtime = _runtime(request)
    if not runtime.settings.chat.demo_sign_in or runtime.demo_tier is None:
        raise ApiError(404, "not_found", "demo sign-in is switched off")
    try:
        tier = await runtime.demo_tier(body.customer_id)
    except LookupError as exc:
        raise ApiError(404, "unknown_customer", f"no demo customer {body.customer_id}") from exc
    if tier not in ("member", "prime"):
        raise ApiError(404, "unknown_customer", f"no demo customer {body.customer_id}")
    ttl = runtime.settings.auth.token_ttl_s
    token = mint_shopper_token(body.customer_id, cast(Tier, tier), runtime.jwt_secret, ttl_s=ttl)
    return {"token": token, "customer_id": body.customer_id, "tier": tier}


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz")
async def readyz(request: Request) -> JSONResponse:
    runtime = _runtime(request)
    checks = await runtime.readiness() if runtime.readiness else {}
    ready = all(v == "ok" for v in checks.values())
    return JSONResponse({"ready": ready, "checks": checks}, status_code=200 if ready else 503)
