"""Who is asking: shopper tokens signed by the store (HS256 JWT) and the admin token.

No token means a guest. An expired, forged or malformed token is an `AuthError`
(HTTP 401 or an `error` frame), never a silent downgrade to guest.
"""

from __future__ import annotations

import hmac
import time
from dataclasses import dataclass
from typing import get_args

import jwt

from mangaassist.domain.store import Tier

ALGORITHM = "HS256"
TIERS = frozenset(get_args(Tier))


class AuthError(Exception):
    """The credentials were given but cannot be accepted."""

    status = 401

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class Principal:
    customer_id: str | None
    tier: Tier

    @property
    def is_guest(self) -> bool:
        return self.customer_id is None


GUEST = Principal(None, "guest")


def mint_shopper_token(
    customer_id: str, tier: Tier, secret: str, *, ttl_s: int, now: float | None = None
) -> str:
    issued = int(now if now is not None else time.time())
    claims = {"sub": customer_id, "tier": tier, "iat": issued, "exp": issued + ttl_s}
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def verify_shopper_token(
    token: str | None, secret: str, *, leeway_s: int = 0, now: float | None = None
) -> Principal:
    if token is None or token == "":
        return GUEST
    # With an explicit `now` (tests, replays) expiry is checked below against it.
    options: jwt.types.Options = {"require": ["sub", "exp", "tier"], "verify_exp": now is None}
    try:
        claims = jwt.decode(token, secret, algorithms=[ALGORITHM], options=options, leeway=leeway_s)
    except jwt.ExpiredSignatureError as exc:
        raise AuthError("token_expired", "your sign-in has expired; please sign in again") from exc
    except jwt.InvalidTokenError as exc:
        raise AuthError("invalid_token", f"the sign-in token is not valid: {exc}") from exc
    if now is not None and claims["exp"] + leeway_s < now:
        raise AuthError("token_expired", "your sign-in has expired; please sign in again")
    tier, subject = claims["tier"], claims["sub"]
    if tier not in TIERS or tier == "guest" or not isinstance(subject, str) or not subject:
        raise AuthError("invalid_token", "the sign-in token names no valid customer and tier")
    return Principal(subject, tier)


def verify_admin_token(token: str | None, expected: str) -> None:
    if not token or not hmac.compare_digest(token.encode(), expected.encode()):
        raise AuthError("forbidden", "an admin token is required")
