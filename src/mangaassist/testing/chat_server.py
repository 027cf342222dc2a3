"""A real `mangaassist serve` child process on a free loopback port, for tests and benchmarks."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

READY = "MangaAssist ready: "


@dataclass(frozen=True)
class ChatServer:
    url: str
    state: Path
    pid: int = 0

    @property
    def ws_url(self) -> str:
        return self.url.replace("http://", "ws://") + "/v1/chat/ws"


@contextmanager
def chat_server(
    state: Path, env: Mapping[str, str] | None = None, *, startup_s: float = 180
) -> Iterator[ChatServer]:
    """Start the chat service on the demo store kept in `state`; stop it on exit.

    Readiness is the line the service prints once it listens (no polling, no sleeps);
    its log goes to `state/server.log` and is shown if it fails to start.
    """
    environment = {
        **os.environ,
        "MANGAASSIST_STATE_DIR": str(state),
        "MANGAASSIST_STORE__DB_PATH": str(state / "store.sqlite3"),
        "MANGAASSIST_LOG_LEVEL": "warning",
        **(env or {}),
    }
    log_path = state / "server.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "mangaassist.cli", "serve", "--port", "0"],
            env=environment,
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
        )
        assert process.stdout is not None
        try:
            url = _ready_url(process, time.monotonic() + startup_s)
            if url is None:
                raise RuntimeError(f"chat service did not start: {log_path.read_text()}")
            yield ChatServer(url, state, process.pid)
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            process.stdout.close()


def _ready_url(process: subprocess.Popen[str], deadline: float) -> str | None:
    assert process.stdout is not None
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if line.startswith(READY):
            return line[len(READY) :].strip()
        if not line and process.poll() is not None:
            return None
    return None
