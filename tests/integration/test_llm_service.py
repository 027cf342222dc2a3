"""The chat service on real model providers: a `mangaassist serve` process pointed by
`MANGAASSIST_LLM__…` settings at loopback servers speaking Anthropic's and OpenAI's wire
formats, failing in each way the router must survive."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import TypeAdapter
from websockets.asyncio.client import ClientConnection, connect

from mangaassist.api.auth import mint_shopper_token
from mangaassist.domain.frames import AnyServerFrame
from mangaassist.testing.bedrock_events import bedrock_server
from mangaassist.testing.chat_server import chat_server
from mangaassist.testing.llm_servers import WORDS, LoopbackServer, anthropic_server, openai_server

FRAME = TypeAdapter(AnyServerFrame)
SECRET = "integration-secret-of-a-decent-length"
ADMIN = "admin-llm-token"
ANSWER = "".join(WORDS)


def base_env(state: Path) -> dict[str, str]:
    return {
        "MANGAASSIST_STORE__TODAY": "2026-11-20",
        "MANGAASSIST_CHAT__PACING_S": "0",
        "MANGAASSIST_AUTH__JWT_SECRET": SECRET,
        "MANGAASSIST_AUTH__ADMIN_TOKEN": ADMIN,
        "MANGAASSIST_RATE_LIMIT__GUEST_PER_MINUTE": "1000",
        "MANGAASSIST_RATE_LIMIT__MEMBER_PER_MINUTE": "1000",
    }


@pytest.fixture(scope="module")
def models() -> Iterator[tuple[LoopbackServer, LoopbackServer]]:
    with anthropic_server() as claude, openai_server() as local:
        yield claude, local


@pytest.fixture(scope="module")
def service(
    tmp_path_factory: pytest.TempPathFactory, models: tuple[LoopbackServer, LoopbackServer]
) -> Iterator[str]:
    claude, local = models
    state = tmp_path_factory.mktemp("llm-state")
    providers = {
        "claude": {
            "kind": "anthropic",
            "model": "claude-haiku-4-5",
            "api_key": "sk-test",
            "base_url": claude.base_url,
            "timeout_s": 10,
        },
        "local": {"kind": "openai", "model": "llama3.1:8b", "base_url": local.base_url},
    }
    env = base_env(state) | {
        "MANGAASSIST_LLM__PROVIDERS": json.dumps(providers),
        "MANGAASSIST_LLM__SMALL": '["claude", "local"]',
        "MANGAASSIST_LLM__LARGE": '["claude", "local"]',
    }
    with chat_server(state, env) as running:
        yield running.url


async def ask(url: str, text: str, *, auth: str | None = None) -> list[dict[str, Any]]:
    ws_url = url.replace("http://", "ws://") + "/v1/chat/ws?protocol_version=2"
    headers = {"Authorization": f"Bearer {auth}"} if auth else {}
    async with connect(ws_url, additional_headers=headers) as ws:
        first = json.loads(await ws.recv())
        FRAME.validate_python(first)
        await ws.send(json.dumps({"type": "message", "message_id": "m1", "text": text}))
        return [first, *await until_end(ws)]


async def until_end(ws: ClientConnection) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    while True:
        data = json.loads(await ws.recv())
        FRAME.validate_python(data)
        out.append(data)
        if data["type"] in ("complete", "error"):
            return out


def shown_text(frames: list[dict[str, Any]]) -> str:
    """What the widget shows: chunks appended, a correction replaces everything before it."""
    text = ""
    for frame in frames:
        if frame["type"] == "chunk":
            text += frame["text"]
        elif frame["type"] == "correction":
            text = frame["text"]
    return text


def member(customer_id: str = "C10001") -> str:
    return mint_shopper_token(customer_id, "member", SECRET, ttl_s=600)


def complete(frames: list[dict[str, Any]]) -> dict[str, Any]:
    assert frames[-1]["type"] == "complete", frames[-1]
    metadata: dict[str, Any] = frames[-1]["metadata"]
    return metadata


async def test_a_model_answer_streams_with_model_cost_and_prompt_version(
    service: str, models: tuple[LoopbackServer, LoopbackServer]
) -> None:
    claude, _ = models
    before = len(claude.script.requests)
    frames = await ask(service, "what is your return policy for unopened manga?")
    metadata = complete(frames)
    assert shown_text(frames) == ANSWER
    assert metadata["model"] == "claude:claude-haiku-4-5"
    assert metadata["answer_source"] == "model"
    assert metadata["degradation_level"] == 0
    assert metadata["usage"] == {"input_tokens": 42, "output_tokens": len(WORDS)}
    assert metadata["cost_usd"] == pytest.approx((42 * 1.0 + len(WORDS) * 5.0) / 1e6)
    assert metadata["prompt_version"].startswith("system-v1+")
    sent = claude.script.requests[before]
    assert "<product_data>" in sent["system"]
    assert sent["messages"][-1]["content"] == "what is your return policy for unopened manga?"


async def test_a_guest_faq_is_answered_from_the_cache_the_second_time(
    service: str, models: tuple[LoopbackServer, LoopbackServer]
) -> None:
    claude, _ = models
    first = await ask(service, "Do you offer gift wrapping?")
    calls = len(claude.script.requests)
    again = await ask(service, "do you offer GIFT wrapping")
    assert complete(first)["answer_source"] == "model"
    assert complete(again)["answer_source"] == "cache"
    assert complete(again)["cached"] is True
    assert shown_text(again) == ANSWER
    assert len(claude.script.requests) == calls  # the second answer cost no model call


async def test_a_failure_before_the_first_token_is_invisible(
    service: str, models: tuple[LoopbackServer, LoopbackServer]
) -> None:
    claude, _ = models
    claude.script.behaviours[:] = ["529"]
    frames = await ask(service, "is Berserk volume 1 in stock?", auth=member())
    metadata = complete(frames)
    assert [f for f in frames if f["type"] == "correction"] == []
    assert shown_text(frames) == ANSWER
    assert metadata["model"] == "local:llama3.1:8b"
    assert metadata["fallbacks"] == 1


async def test_a_stream_breaking_after_the_first_tokens_is_corrected_then_continued(
    service: str, models: tuple[LoopbackServer, LoopbackServer]
) -> None:
    claude, _ = models
    claude.script.behaviours[:] = ["break"]
    frames = await ask(service, "what volumes of Vinland Saga do you have?", auth=member())
    kinds = [f["type"] for f in frames]
    assert "correction" in kinds
    correction = frames[kinds.index("correction")]
    assert correction["text"] == ""
    assert correction["reason"].startswith("model_fallback")
    assert kinds.index("chunk") < kinds.index("correction")  # the partial answer was shown
    assert shown_text(frames) == ANSWER
    assert complete(frames)["model"] == "local:llama3.1:8b"


async def test_every_model_down_answers_from_the_knowledge_base_with_a_human_offer(
    service: str, models: tuple[LoopbackServer, LoopbackServer]
) -> None:
    claude, local = models
    claude.script.behaviours[:] = ["500"]
    local.script.behaviours[:] = ["503"]
    frames = await ask(service, "how long does standard shipping take?", auth=member())
    metadata = complete(frames)
    assert metadata["answer_source"] == "knowledge_base"
    assert "help pages" in shown_text(frames)
    actions = [f for f in frames if f["type"] == "actions"]
    assert actions
    assert actions[0]["actions"][0]["kind"] == "handoff"
    assert actions[0]["actions"][0]["ticket_id"]


async def test_chitchat_never_calls_a_model(
    service: str, models: tuple[LoopbackServer, LoopbackServer]
) -> None:
    claude, local = models
    calls = len(claude.script.requests) + len(local.script.requests)
    frames = await ask(service, "hello!")
    assert complete(frames)["answer_source"] == "template"
    assert len(claude.script.requests) + len(local.script.requests) == calls


async def test_admin_status_shows_the_model_layer(service: str) -> None:
    async with httpx.AsyncClient() as client:
        response = await client.get(
            f"{service}/v1/admin/status", headers={"Authorization": f"Bearer {ADMIN}"}
        )
    assert response.status_code == 200
    llm = response.json()["llm"]
    assert set(llm["providers"]) == {"claude", "local"}
    assert llm["degradation_level"] in (0, 1, 2, 3)
    assert llm["chains"] == {"small": ["claude", "local"], "large": ["claude", "local"]}
    assert llm["router"].get("fallback", 0) >= 1
    assert llm["router"].get("reset", 0) >= 1
    assert llm["cache"]["hits"] >= 1


async def test_a_long_outage_bans_new_sessions_and_limits_answers(
    tmp_path: Path,
) -> None:
    """Every model failing: after the breaker's minimum calls the level reaches 2, and with
    `outage_banner_s` 0 at once 3; a new session then gets a `banner` frame."""
    with anthropic_server(["500"] * 100) as claude:
        providers = {
            "claude": {
                "kind": "anthropic",
                "model": "claude-haiku-4-5",
                "api_key": "sk-test",
                "base_url": claude.base_url,
            }
        }
        env = base_env(tmp_path) | {
            "MANGAASSIST_LLM__PROVIDERS": json.dumps(providers),
            "MANGAASSIST_LLM__SMALL": '["claude"]',
            "MANGAASSIST_LLM__OUTAGE_BANNER_S": "0",
        }
        with chat_server(tmp_path, env) as running:
            levels = []
            for n in range(12):
                frames = await ask(running.url, f"how much is shipping to Canada? ({n})")
                levels.append(complete(frames)["degradation_level"])
                assert complete(frames)["answer_source"] == "knowledge_base"
            async with connect(running.ws_url + "?protocol_version=2") as ws:
                session = json.loads(await ws.recv())
                banner = json.loads(await ws.recv())
            FRAME.validate_python(banner)
    assert levels[0] == 0
    assert levels[-1] == 3
    assert session["type"] == "session"
    assert banner["type"] == "banner"
    assert banner["level"] == "degraded"
    assert "limited mode" in banner["text"]
    assert len(claude.script.requests) < 12  # the open breaker stopped calling the model


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"MANGAASSIST_LLM__SMALL": '["nope"]'}, "not configured: nope"),
        (
            {
                "MANGAASSIST_LLM__PROVIDERS": '{"c": {"kind": "anthropic", "model": "gpt-4o"}}',
                "MANGAASSIST_LLM__SMALL": '["c"]',
            },
            "not an Anthropic model id",
        ),
        (
            {
                "MANGAASSIST_LLM__PROVIDERS": '{"c": {"kind": "anthropic", "model": "claude-x"}}',
                "MANGAASSIST_LLM__SMALL": '["c"]',
            },
            "needs an api_key",
        ),
        ({"MANGAASSIST_LLM__PROVIDERS": '{"c": {"kind": "gemini"}}'}, "llm.providers.c.kind"),
    ],
)
def test_configuration_errors_stop_start_up_with_one_line(
    tmp_path: Path, env: dict[str, str], message: str
) -> None:
    import os

    result = subprocess.run(
        [sys.executable, "-m", "mangaassist.cli", "serve", "--port", "0"],
        env={**os.environ, "MANGAASSIST_STATE_DIR": str(tmp_path), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert message in lines[0]


async def test_the_same_service_answers_from_bedrock_by_settings_alone(tmp_path: Path) -> None:
    with bedrock_server() as bedrock:
        model = "us.anthropic.claude-sonnet-4-5-20250929-v1:0"
        providers = {
            "sonnet": {
                "kind": "bedrock",
                "model": model,
                "base_url": bedrock.base_url,
                "region": "us-east-1",
                "access_key_id": "test",
                "secret_access_key": "test",
            }
        }
        env = base_env(tmp_path) | {
            "MANGAASSIST_LLM__PROVIDERS": json.dumps(providers),
            "MANGAASSIST_LLM__SMALL": '["sonnet"]',
        }
        with chat_server(tmp_path, env) as running:
            frames = await ask(running.url, "which payment methods do you accept?")
        sent = bedrock.script.requests
    metadata = complete(frames)
    assert shown_text(frames) == ANSWER
    assert metadata["model"] == f"sonnet:{model}"
    assert metadata["cost_usd"] == pytest.approx((42 * 3.0 + len(WORDS) * 15.0) / 1e6)
    assert sent[0]["model"] == model
    assert "<product_data>" in sent[0]["system"][0]["text"]
