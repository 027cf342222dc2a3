from __future__ import annotations

import jwt
import pytest

from mangaassist.api.auth import (
    GUEST,
    AuthError,
    mint_shopper_token,
    verify_admin_token,
    verify_shopper_token,
)

SECRET = "test-secret-of-enough-length-for-hs256"


def test_round_trip() -> None:
    token = mint_shopper_token("C10001", "prime", SECRET, ttl_s=60, now=1000)
    principal = verify_shopper_token(token, SECRET, now=1030)
    assert (principal.customer_id, principal.tier) == ("C10001", "prime")
    assert not principal.is_guest


def test_no_token_is_guest() -> None:
    assert verify_shopper_token(None, SECRET) is GUEST
    assert verify_shopper_token("", SECRET).is_guest


def test_expired_token_is_an_error_not_a_guest() -> None:
    token = mint_shopper_token("C10001", "member", SECRET, ttl_s=60, now=1000)
    with pytest.raises(AuthError) as raised:
        verify_shopper_token(token, SECRET, now=1100)
    assert raised.value.code == "token_expired"
    assert raised.value.status == 401


def test_leeway() -> None:
    token = mint_shopper_token("C10001", "member", SECRET, ttl_s=60, now=1000)
    assert verify_shopper_token(token, SECRET, now=1063, leeway_s=5).customer_id == "C10001"


@pytest.mark.parametrize(
    "token",
    [
        mint_shopper_token("C10001", "member", "another-secret-of-enough-length!!", ttl_s=60),
        "not.a.jwt",
        jwt.encode({"sub": "C1", "tier": "member", "exp": 9999999999}, None, algorithm="none"),
        jwt.encode({"sub": "C1", "exp": 9999999999}, SECRET, algorithm="HS256"),
        jwt.encode({"sub": "C1", "tier": "emperor", "exp": 9999999999}, SECRET, algorithm="HS256"),
        jwt.encode({"sub": "C1", "tier": "guest", "exp": 9999999999}, SECRET, algorithm="HS256"),
    ],
)
def test_forged_or_malformed_tokens(token: str) -> None:
    with pytest.raises(AuthError) as raised:
        verify_shopper_token(token, SECRET)
    assert raised.value.code == "invalid_token"


def test_admin_token() -> None:
    verify_admin_token("s3cret", "s3cret")
    for wrong in (None, "", "s3cre", "s3cret!"):
        with pytest.raises(AuthError, match="admin token"):
            verify_admin_token(wrong, "s3cret")
