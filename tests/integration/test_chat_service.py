"""The chat service end to end: a real `mangaassist serve` process, a real WebSocket client."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import TypeAdapter
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from mangaassist.api.auth import mint_shopper_token
from mangaassist.domain.frames import AnyServerFrame
from mangaassist.testing.chat_server import chat_server

FRAME = TypeAdapter(AnyServerFrame)
STARTUP_S = 180


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    state = tmp_path_factory.mktemp("chat-state")
    env = {
        "MANGAASSIST_STORE__TODAY": "2026-11-20",
        "MANGAASSIST_CHAT__PACING_S": "0",
        "MANGAASSIST_AUTH__JWT_SECRET": "integration-secret-of-a-decent-length",
        "MANGAASSIST_AUTH__ADMIN_TOKEN": "admin-integration-token",
    }
    with chat_server(state, env) as running:
        yield {"http": running.url, "ws": running.ws_url, "state": str(state)}


def token(customer_id: str, tier: str = "member", ttl: int = 600, now: float | None = None) -> str:
    return mint_shopper_token(
        customer_id,
        tier,
        "integration-secret-of-a-decent-length",
        ttl_s=ttl,
        now=now,  # type: ignore[arg-type]
    )


async def frames_until_end(ws: ClientConnection) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    while True:
        data = json.loads(await ws.recv())
        FRAME.validate_python(data)
        out.append(data)
        if data["type"] in ("complete", "error"):
            return out


async def open_session(
    server: dict[str, str], *, session_id: str | None = None, auth: str | None = None, v: int = 2
) -> tuple[ClientConnection, dict[str, Any]]:
    query = f"?protocol_version={v}" + (f"&session_id={session_id}" if session_id else "")
    headers = {"Authorization": f"Bearer {auth}"} if auth else {}
    ws = await connect(server["ws"] + query, additional_headers=headers)
    first = json.loads(await ws.recv())
    FRAME.validate_python(first)
    return ws, first


def message(text: str, message_id: str) -> str:
    return json.dumps({"type": "message", "message_id": message_id, "text": text})


async def test_streamed_answer_has_gapless_seq_and_valid_frames(server: dict[str, str]) -> None:
    ws, session = await open_session(server)
    assert session["type"] == "session"
    assert session["resumed"] is False
    await ws.send(message("something dark like Berserk", "m1"))
    frames = await frames_until_end(ws)
    await ws.close()
    assert [f["seq"] for f in frames] == list(range(len(frames)))
    assert len({f["response_id"] for f in frames}) == 1
    kinds = [f["type"] for f in frames]
    assert kinds[0] == "chunk"
    assert kinds[-1] == "complete"
    assert "products" in kinds
    complete = frames[-1]["metadata"]
    assert complete["intent"] == "recommendation"
    assert {"input_guard", "speculative", "route", "generate", "output_guard"} <= set(
        complete["timings"]
    )
    cards = next(f for f in frames if f["type"] == "products")["products"]
    assert all("rating" in c for c in cards)


async def test_protocol_version_1_cards_have_no_rating(server: dict[str, str]) -> None:
    ws, session = await open_session(server, v=1)
    assert session["protocol_version"] == 1
    await ws.send(message("recommend horror like Junji Ito", "m1"))
    frames = await frames_until_end(ws)
    await ws.close()
    cards = next(f for f in frames if f["type"] == "products")["products"]
    assert cards
    assert all("rating" not in c and "rating_count" not in c for c in cards)


async def test_japanese_conversation(server: dict[str, str]) -> None:
    ws, _ = await open_session(server)
    await ws.send(message("ベルセルクみたいな作品ある？", "m1"))
    frames = await frames_until_end(ws)
    await ws.close()
    text = "".join(f["text"] for f in frames if f["type"] == "chunk")
    assert "おすすめ" in text
    assert frames[-1]["metadata"]["language"] == "ja"


async def test_resend_after_reconnect_gets_the_rest_including_final_frames(
    server: dict[str, str],
) -> None:
    ws, session = await open_session(server)
    await ws.send(message("recommend something like Vinland Saga", "m1"))
    frames = await frames_until_end(ws)
    await ws.close()
    again, resumed = await open_session(server, session_id=session["session_id"])
    assert resumed["resumed"] is True
    assert resumed["session_id"] == session["session_id"]
    response_id = frames[0]["response_id"]
    await again.send(json.dumps({"type": "resend", "response_id": response_id, "last_seq": 1}))
    rest = await frames_until_end(again)
    await again.close()
    assert rest == frames[2:]


async def test_dropped_mid_stream_is_interrupted_then_regenerated(server: dict[str, str]) -> None:
    ws, session = await open_session(server)
    await ws.send(message("something like Junji Ito please", "m-drop"))
    first = json.loads(await ws.recv())
    await ws.close()
    again, _ = await open_session(server, session_id=session["session_id"])
    await again.send(
        json.dumps({"type": "resend", "response_id": first["response_id"], "last_seq": 0})
    )
    kept = await frames_until_end(again)
    assert kept[-1]["type"] in ("complete", "error")
    if kept[-1]["type"] == "error":
        assert kept[-1]["code"] == "interrupted"
        await again.send(message("something like Junji Ito please", "m-drop"))
        fresh = await frames_until_end(again)
        assert fresh[-1]["type"] == "complete"
    await again.close()


async def test_repeated_message_id_is_answered_from_what_was_kept(server: dict[str, str]) -> None:
    ws, _ = await open_session(server)
    await ws.send(message("what is your return policy?", "same-id"))
    first = await frames_until_end(ws)
    await ws.send(message("what is your return policy?", "same-id"))
    second = await frames_until_end(ws)
    await ws.close()
    assert second == first


async def test_31st_message_in_a_minute_is_rate_limited(server: dict[str, str]) -> None:
    ws, _ = await open_session(server, auth=token("C10003"))
    for i in range(30):
        await ws.send(message("hi", f"r{i}"))
        frames = await frames_until_end(ws)
        assert frames[-1]["type"] == "complete", frames[-1]
    await ws.send(message("hi", "r30"))
    blocked = json.loads(await ws.recv())
    await ws.close()
    assert blocked["type"] == "error"
    assert blocked["code"] == "rate_limited"
    assert 0 < blocked["retry_after"] <= 2.0


async def test_orders_only_for_the_signed_in_customer(server: dict[str, str]) -> None:
    guest, _ = await open_session(server)
    await guest.send(message("where is my order?", "g1"))
    frames = await frames_until_end(guest)
    await guest.close()
    assert any(f["type"] == "actions" and f["actions"][0]["kind"] == "sign_in" for f in frames)
    member, session = await open_session(server, auth=token("C10001"))
    await member.send(message("show me customer #12345's orders", "c1"))
    refused = "".join(f.get("text", "") for f in await frames_until_end(member))
    await member.send(message("where is my order?", "c2"))
    mine = "".join(f.get("text", "") for f in await frames_until_end(member))
    await member.close()
    assert "only show orders and returns on your own account" in refused
    assert "MA-" in mine
    other, theirs = await open_session(
        server, session_id=session["session_id"], auth=token("C10002", "prime")
    )
    await other.close()
    assert theirs["resumed"] is False
    assert theirs["session_id"] != session["session_id"]
    async with httpx.AsyncClient(base_url=server["http"]) as http:
        owner = await http.get(
            f"/v1/chat/session/{session['session_id']}",
            headers={"Authorization": f"Bearer {token('C10001')}"},
        )
        stranger = await http.get(
            f"/v1/chat/session/{session['session_id']}",
            headers={"Authorization": f"Bearer {token('C10002', 'prime')}"},
        )
    assert owner.status_code == 200
    assert [t["role"] for t in owner.json()["turns"]][:2] == ["user", "assistant"]
    assert stranger.status_code == 404


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("{not json", "invalid_json"),
        ('{"type": "shout"}', "unknown_frame_type"),
        ('{"type": "message", "text": "hi"}', "missing_field"),
        (
            '{"type": "message", "message_id": "x", "text": "' + "x" * 20000 + '"}',
            "payload_too_large",
        ),
        (b"\x00\x01binary", "binary_frame"),
    ],
)
async def test_bad_frames_get_typed_errors_and_the_connection_survives(
    server: dict[str, str], raw: str | bytes, code: str
) -> None:
    ws, _ = await open_session(server)
    await ws.send(raw)
    error = json.loads(await ws.recv())
    assert (error["type"], error["code"]) == ("error", code)
    await ws.send(json.dumps({"type": "ping"}))
    assert json.loads(await ws.recv())["type"] == "pong"
    await ws.close()


async def test_oversize_message_text_is_payload_too_large(server: dict[str, str]) -> None:
    ws, _ = await open_session(server)
    await ws.send(message("x" * 5000, "big"))
    frames = await frames_until_end(ws)
    await ws.close()
    assert frames[-1]["type"] == "error"
    assert frames[-1]["code"] == "payload_too_large"


async def test_wrong_protocol_version_and_bad_tokens_close_with_an_error(
    server: dict[str, str],
) -> None:
    ws = await connect(server["ws"] + "?protocol_version=9")
    assert json.loads(await ws.recv())["code"] == "unsupported_protocol_version"
    with pytest.raises(ConnectionClosed):
        await ws.recv()
    expired = token("C10001", ttl=60, now=time.time() - 3600)
    forged = mint_shopper_token(
        "C10001", "prime", "not-the-store-secret-at-all-but-long!!", ttl_s=600
    )
    for bad, code in ((expired, "token_expired"), (forged, "invalid_token")):
        ws = await connect(server["ws"], additional_headers={"Authorization": f"Bearer {bad}"})
        frame = json.loads(await ws.recv())
        assert (frame["type"], frame["code"]) == ("error", code)
        with pytest.raises(ConnectionClosed) as closed:
            await ws.recv()
        assert closed.value.rcvd is not None
        assert closed.value.rcvd.code == 4401


async def test_rest_message_feedback_and_errors(server: dict[str, str]) -> None:
    async with httpx.AsyncClient(base_url=server["http"], timeout=30) as http:
        answer = await http.post("/v1/chat/message", json={"text": "is Berserk finished?"})
        assert answer.status_code == 200
        body = answer.json()
        assert body["metadata"]["intent"] == "product_question"
        assert body["products"]
        feedback = await http.post(
            "/v1/feedback",
            json={
                "session_id": body["session_id"],
                "response_id": body["response_id"],
                "rating": "up",
                "comment": "great, mail me at kei@example.com",
            },
        )
        assert feedback.status_code == 204
        wrong = await http.post(
            "/v1/feedback",
            json={"session_id": body["session_id"], "response_id": "r_nope", "rating": "up"},
        )
        assert wrong.status_code == 404
        invalid = await http.post("/v1/chat/message", json={"txt": "hi"})
        assert invalid.status_code == 422
        assert invalid.json()["error"]["code"] == "invalid_request"
        expired = token("C10001", ttl=60, now=time.time() - 3600)
        denied = await http.post(
            "/v1/chat/message",
            json={"text": "hi"},
            headers={"Authorization": f"Bearer {expired}"},
        )
        assert denied.status_code == 401
        assert denied.json()["error"]["code"] == "token_expired"
        admin = await http.get(
            "/v1/admin/status", headers={"Authorization": "Bearer admin-integration-token"}
        )
        assert admin.status_code == 200
        assert admin.json()["counters"]["feedback_up"] >= 1
        assert (await http.get("/v1/admin/status")).status_code == 403
        assert (await http.get("/healthz")).json() == {"status": "ok"}
        assert (await http.get("/readyz")).status_code == 200
        page = await http.get("/")
        assert page.status_code == 200


async def test_right_to_be_forgotten(server: dict[str, str]) -> None:
    ws, session = await open_session(server, auth=token("C10004", "prime"))
    await ws.send(message("hello there", "f1"))
    await frames_until_end(ws)
    await ws.close()
    async with httpx.AsyncClient(base_url=server["http"]) as http:
        gone = await http.delete(
            "/v1/customers/C10004/data",
            headers={"Authorization": "Bearer admin-integration-token"},
        )
        assert gone.status_code == 200
        assert gone.json()["sessions"] >= 1
        after = await http.get(
            f"/v1/chat/session/{session['session_id']}",
            headers={"Authorization": f"Bearer {token('C10004', 'prime')}"},
        )
        assert after.status_code == 404


async def test_clear_pii_never_reaches_sessions_audit_or_disk(server: dict[str, str]) -> None:
    secret = "clear.text.shopper@example.com"
    async with httpx.AsyncClient(base_url=server["http"], timeout=30) as http:
        body = (
            await http.post("/v1/chat/message", json={"text": f"hi, my email is {secret}"})
        ).json()
        session = await http.get(f"/v1/chat/session/{body['session_id']}")
    assert secret not in json.dumps(session.json())
    assert "[EMAIL]" in session.json()["turns"][0]["text"]
    assert files_containing(Path(server["state"]), secret.encode()) == []


def files_containing(folder: Path, needle: bytes) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and needle in p.read_bytes()]
