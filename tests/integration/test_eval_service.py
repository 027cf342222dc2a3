"""`mangaassist eval` against a real `mangaassist serve` process over WebSocket, the same cases
in process, and a logged answer turned into a case (`add-from-audit`)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from websockets.asyncio.client import connect

from mangaassist.testing.chat_server import chat_server

SECRET = "eval-integration-secret-of-a-decent-length"
CASES = [
    {
        "id": "faq-en-1",
        "lang": "en",
        "turns": ["what is your return policy?"],
        "expect": {"intent": "faq", "any_of": [["15 days", "30 days"]]},
    },
    {
        "id": "ord-en-1",
        "lang": "en",
        "customer": "C10001",
        "turns": ["where is my order MA-10001-00001?"],
        "expect": {"intent": "order_tracking", "any_of": [["MA-10001-00001"], ["UPS"]]},
    },
    {
        "id": "ord-ja-guest",
        "lang": "ja",
        "turns": ["注文MA-10002-00001はどこ？"],
        "expect": {"intent": "order_tracking", "any_of": [["ログイン", "サインイン"]]},
    },
    {
        "id": "rec-multi",
        "lang": "en",
        "turns": ["hi!", "something dark like Berserk"],
        "expect": {"intent": "recommendation", "cards": True},
        "reconnect_before_last": True,
    },
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    state = tmp_path_factory.mktemp("eval-state")
    env = {
        "MANGAASSIST_STORE__TODAY": "2026-11-20",
        "MANGAASSIST_CHAT__PACING_S": "0",
        "MANGAASSIST_AUTH__JWT_SECRET": SECRET,
    }
    with chat_server(state, env) as running:
        yield {"http": running.url, "ws": running.ws_url, "state": str(state)} | env


def cli(server: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "MANGAASSIST_STATE_DIR": server["state"],
        "MANGAASSIST_STORE__DB_PATH": str(Path(server["state"]) / "store.sqlite3"),
        "MANGAASSIST_STORE__TODAY": server["MANGAASSIST_STORE__TODAY"],
        "MANGAASSIST_AUTH__JWT_SECRET": SECRET,
    }
    return subprocess.run(
        [sys.executable, "-m", "mangaassist.cli", "eval", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_remote_and_in_process_runs_agree(server: dict[str, str], tmp_path: Path) -> None:
    cases = tmp_path / "golden"
    cases.mkdir()
    (cases / "a.yaml").write_text(yaml.safe_dump(CASES, allow_unicode=True), encoding="utf-8")
    remote = cli(
        server,
        "run",
        "--cases",
        str(cases),
        "--target",
        server["http"],
        "--token-secret",
        SECRET,
        "--no-cache",
        "--json",
        str(tmp_path / "remote.json"),
    )
    assert remote.returncode == 0, remote.stdout + remote.stderr
    local = cli(
        server,
        "run",
        "--cases",
        str(cases),
        "--no-cache",
        "--json",
        str(tmp_path / "local.json"),
    )
    assert local.returncode == 0, local.stdout + local.stderr
    remote_report = json.loads((tmp_path / "remote.json").read_text())
    local_report = json.loads((tmp_path / "local.json").read_text())
    assert remote_report["target"].startswith("websocket http://127.0.0.1:")
    assert remote_report["overall"]["passed"] == len(CASES)
    assert local_report["overall"]["passed"] == len(CASES)
    compared = cli(server, "compare", str(tmp_path / "local.json"), str(tmp_path / "remote.json"))
    assert compared.returncode == 0
    assert "regressions 0" in compared.stdout


def test_unreachable_target_is_an_error_not_a_failure(
    server: dict[str, str], tmp_path: Path
) -> None:
    cases = tmp_path / "golden.yaml"
    cases.write_text(yaml.safe_dump(CASES[:1]), encoding="utf-8")
    result = cli(
        server,
        "run",
        "--cases",
        str(cases),
        "--target",
        "http://127.0.0.1:9",
        "--retries",
        "1",
        "--no-cache",
        "--json",
        str(tmp_path / "r.json"),
    )
    assert result.returncode == 1
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["overall"] | {"ci_low": 0, "ci_high": 0} == {
        "passed": 0,
        "failed": 0,
        "errors": 1,
        "pass_rate": 0.0,
        "ci_low": 0,
        "ci_high": 0,
    }


async def test_a_logged_answer_becomes_a_case(server: dict[str, str], tmp_path: Path) -> None:
    async with connect(server["ws"] + "?protocol_version=2") as ws:
        json.loads(await ws.recv())
        await ws.send(
            json.dumps(
                {
                    "type": "message",
                    "message_id": "m1",
                    "text": "is Vinland Saga finished? mail me at rin@example.com",
                }
            )
        )
        while True:
            frame = json.loads(await ws.recv())
            if frame["type"] == "complete":
                break
    response_id = frame["response_id"]
    out = tmp_path / "from_audit.yaml"
    added = cli(
        server,
        "add-from-audit",
        response_id,
        "--out",
        str(out),
        "--must-include",
        "Vinland Saga",
        "--must-not-include",
        "Amazon",
    )
    assert added.returncode == 0, added.stderr
    (case,) = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert case["turns"] == ["is Vinland Saga finished? mail me at [EMAIL]"]  # redacted
    assert case["expect"]["any_of"] == [["Vinland Saga"]]
    assert case["tags"] == ["from_audit"]
    again = cli(server, "add-from-audit", response_id, "--out", str(out))
    assert again.returncode == 2
    assert "already has a case" in again.stderr
    unknown = cli(server, "add-from-audit", "r_nope", "--out", str(out))
    assert unknown.returncode == 2
    assert unknown.stderr.strip().count("\n") == 0
