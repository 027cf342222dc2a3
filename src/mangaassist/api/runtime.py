"""What the HTTP layer needs at run time, built once by `app.py` and kept on the app."""

from __future__ import annotations

from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from mangaassist.api.auth import (
    GUEST,
    AuthError,
    Principal,
    verify_admin_token,
    verify_shopper_token,
)
from mangaassist.api.conversation import Conversation
from mangaassist.config import Settings
from mangaassist.guardrails.vault import PiiVault
from mangaassist.state.audit import AuditLog
from mangaassist.state.ratelimit import Decision, Limit, RateLimiter
from mangaassist.state.sessions import SessionStore

WELCOME_BACK = {
    "en": "Welcome back! Your earlier chat has expired, so we're starting fresh.",
    "ja": "おかえりなさい！以前のチャットは期限が切れたため、新しく始めます。",
}


@dataclass
class Runtime:
    settings: Settings
    conversation: Conversation
    sessions: SessionStore
    limiter: RateLimiter
    audit: AuditLog
    jwt_secret: str
    admin_token: str
    counters: Counter[str]
    vault: PiiVault | None = None
    readiness: Callable[[], Awaitable[dict[str, str]]] | None = None
    status_extra: Callable[[], dict[str, object]] = field(default=lambda: {})
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    #: Demo sign-in (chat.demo_sign_in): a customer id to its tier; raises LookupError.
    demo_tier: Callable[[str], Awaitable[str]] | None = None
    #: The model layer's degradation level (0 normal … 3 outage: new sessions get a banner).
    degradation: Callable[[], int] = field(default=lambda: 0)
    #: Closes what the runtime opened (model provider connections), at shutdown.
    on_close: Callable[[], Awaitable[None]] | None = None

    def principal(self, token: str | None) -> Principal:
        if not token:
            return GUEST
        return verify_shopper_token(token, self.jwt_secret, leeway_s=self.settings.auth.leeway_s)

    def require_admin(self, token: str | None) -> None:
        verify_admin_token(token, self.admin_token)

    async def admit(self, principal: Principal, client: str, session_id: str) -> Decision:
        """Token buckets: per customer, or for guests per client address and per session
        (so rotating session ids does not reset a guest), plus a global model-path cap."""
        limits = self.settings.rate_limit
        if principal.customer_id is not None:
            checks = [(f"c:{principal.customer_id}", Limit(limits.member_per_minute, 60.0))]
        else:
            guest = Limit(limits.guest_per_minute, 60.0)
            checks = [(f"ga:{client}", guest), (f"gs:{session_id}", guest)]
        checks.append(("model", Limit(limits.model_per_second, 1.0)))
        for key, limit in checks:
            decision = await self.limiter.hit(key, limit)
            if not decision.allowed:
                self.counters["rate_limited"] += 1
                return decision
        return Decision(True, 0.0, 0.0)


def bearer(header: str | None) -> str | None:
    if not header:
        return None
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise AuthError("invalid_token", "Authorization must be 'Bearer <token>'")
    return value.strip()


def now() -> datetime:
    return datetime.now(UTC)
