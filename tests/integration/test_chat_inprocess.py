"""The chat app on a real uvicorn server in this process, where time must be controlled."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import uvicorn
from websockets.sync.client import connect

from mangaassist.api.app import create_app
from mangaassist.api.runtime import Runtime
from mangaassist.app import build_chat_runtime
from mangaassist.config import load_settings

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def runtime(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runtime]:
    state: Path = tmp_path_factory.mktemp("inprocess")
    settings = load_settings(
        state_dir=state,
        store={"db_path": state / "store.sqlite3", "today": "2026-11-20"},
        chat={"pacing_s": 0},
    )
    built = asyncio.run(build_chat_runtime(settings))
    yield built
    built.audit.close()


@pytest.fixture(scope="module")
def base_url(runtime: Runtime) -> Iterator[str]:
    # A socket bound before the server starts: clients queue in its backlog until it serves.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    server = uvicorn.Server(uvicorn.Config(create_app(runtime), log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    yield f"ws://127.0.0.1:{sock.getsockname()[1]}"
    server.should_exit = True
    thread.join(timeout=30)
    sock.close()


def first_frame(url: str) -> dict[str, object]:
    with connect(url) as ws:
        frame: dict[str, object] = json.loads(ws.recv())
    return frame


def test_expired_session_gets_a_new_one_with_a_welcome_back(
    runtime: Runtime, base_url: str
) -> None:
    now = {"at": T0}
    runtime.clock = lambda: now["at"]
    first = first_frame(f"{base_url}/v1/chat/ws")
    assert first["resumed"] is False
    assert first["welcome"] is None
    now["at"] = T0 + timedelta(hours=1)
    again = first_frame(f"{base_url}/v1/chat/ws?session_id={first['session_id']}")
    assert again["resumed"] is True
    now["at"] = T0 + timedelta(hours=26)
    later = first_frame(f"{base_url}/v1/chat/ws?session_id={first['session_id']}&lang=ja")
    assert later["resumed"] is False
    assert later["session_id"] != first["session_id"]
    assert str(later["welcome"]).startswith("おかえりなさい")
