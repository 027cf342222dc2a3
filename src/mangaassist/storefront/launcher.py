"""Starts `mangaassist storefront serve` as a child process and waits until it serves.

Used by integration tests, chaos tests and benchmarks that need a real storefront
process: readiness is the process's own ready line plus a `/healthz` poll, both
bounded by a deadline; stopping sends SIGTERM and expects a clean exit.
"""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType

import httpx

from mangaassist.storefront.server import Addresses

_READY = re.compile(r"^storefront ready: rest=(?P<rest>\S+) grpc=(?P<grpc>\S+)$")
#: Pause between two `/healthz` polls.
POLL_S = 0.05


class LaunchError(RuntimeError):
    """The storefront process exited or did not become ready in time."""


def _command() -> list[str]:
    script = Path(sys.executable).parent / "mangaassist"
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-c", "from mangaassist.cli import main; main()"]


class StorefrontProcess:
    """One storefront child process. `start()` after `kill()` restarts it on the same ports."""

    def __init__(
        self,
        db: Path,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        grpc_port: int = 0,
        env: Mapping[str, str] | None = None,
    ) -> None:
        self.db = db
        self.host = host
        self.port = port
        self.grpc_port = grpc_port
        self.env = {**os.environ, **(env or {})}
        self.addresses: Addresses | None = None
        self._proc: subprocess.Popen[str] | None = None
        self._stderr = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 (lives with the object)

    def __enter__(self) -> StorefrontProcess:
        self.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def start(self, deadline_s: float = 120.0) -> Addresses:
        """Start the process and return its addresses once `/healthz` answers."""
        if self.running:
            raise LaunchError("storefront process already running")
        args = [
            *_command(),
            "storefront",
            "serve",
            f"--host={self.host}",
            f"--port={self.port}",
            f"--grpc-port={self.grpc_port}",
            f"--db={self.db}",
        ]
        self._stderr.seek(0)
        self._stderr.truncate()
        self._proc = subprocess.Popen(
            args, stdout=subprocess.PIPE, stderr=self._stderr, text=True, env=self.env
        )
        deadline = time.monotonic() + deadline_s
        addresses = self._read_ready_line(self._proc, deadline)
        self._poll_health(addresses, deadline)
        # Later restarts reuse the ports the first start picked, so clients keep working.
        self.port = int(addresses.rest_url.rsplit(":", 1)[1])
        self.grpc_port = int(addresses.grpc_target.rsplit(":", 1)[1])
        self.addresses = addresses
        return addresses

    def _read_ready_line(self, proc: subprocess.Popen[str], deadline: float) -> Addresses:
        lines: queue.Queue[str | None] = queue.Queue()

        def pump() -> None:
            assert proc.stdout is not None
            with proc.stdout:
                for line in proc.stdout:
                    lines.put(line)
            lines.put(None)

        threading.Thread(target=pump, daemon=True).start()
        while True:
            try:
                line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                self.kill()
                raise LaunchError(
                    f"storefront not ready in time; stderr: {self.stderr()}"
                ) from None
            if line is None:
                proc.wait()
                raise LaunchError(
                    f"storefront exited with {proc.returncode}; stderr: {self.stderr()}"
                )
            match = _READY.match(line.strip())
            if match:
                return Addresses(match["rest"], match["grpc"])

    def _poll_health(self, addresses: Addresses, deadline: float) -> None:
        with httpx.Client(base_url=addresses.rest_url, timeout=1.0) as client:
            while True:
                try:
                    if client.get("/healthz").status_code == 200:
                        return
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    self.kill()
                    raise LaunchError("storefront /healthz did not answer in time")
                time.sleep(POLL_S)

    def stderr(self) -> str:
        self._stderr.flush()
        self._stderr.seek(0)
        return self._stderr.read()[-2000:]

    def stop(self, timeout_s: float = 15.0, sig: signal.Signals = signal.SIGTERM) -> int:
        """SIGTERM (or `sig`) and wait; returns the exit code (0 for a clean shutdown)."""
        return self._end(sig, timeout_s)

    def kill(self) -> int:
        """SIGKILL: the process vanishes mid-run, as a crashed store would."""
        return self._end(signal.SIGKILL, 15.0)

    def _end(self, sig: signal.Signals, timeout_s: float) -> int:
        proc = self._proc
        if proc is None:
            return 0
        if proc.poll() is None:
            proc.send_signal(sig)
        code = proc.wait(timeout=timeout_s)
        self._proc = None
        return code

    def close(self) -> None:
        if self.running:
            self.kill()
        self._proc = None
        self._stderr.close()
