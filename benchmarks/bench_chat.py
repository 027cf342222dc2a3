"""Chat service overhead with a zero-latency model (the built-in responder, no pacing).

Part 1, in process: message received -> last frame through the full pipeline (input
guard, classification, routing, streaming with the stream guard, output guard, cards,
session and audit writes) at 1, 50 and 200 concurrent sessions; p50/p99 per message and
messages per second. Closed loop (every session sends its next message as soon as the
answer ends: saturation, latency is queueing) and open loop (each session sends about one
message per GAP seconds, as shoppers do: 5 s is brisk for someone reading the answer and
typing; 1 s is a stress rate). Part 2, a real `mangaassist serve` process: resident memory
per idle WebSocket connection and per session.

Each phase also prints the share of CPU time the hypervisor stole from this VM (`steal`,
from /proc/stat): on a shared host it stretches wall-clock latencies that the code does not
control, so results are only comparable between runs with similar steal.

    .venv/bin/python benchmarks/bench_chat.py [--messages 20]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import random
import statistics
import tempfile
import time
from pathlib import Path

from mangaassist.api.conversation import Message
from mangaassist.app import build_chat_runtime
from mangaassist.config import load_settings

QUESTIONS = [
    "Hi!",
    "something dark like Berserk",
    "what is your return policy?",
    "Is Vinland Saga finished?",
    "any sales right now?",
    "返品ポリシーを教えて",
    "ベルセルクみたいな作品ある？",
    "how much is shipping to Canada?",
]


async def one_session(
    runtime: object, index: int, messages: int, out: list[float], gap_s: float = 0.0
) -> None:
    conversation = runtime.conversation  # type: ignore[attr-defined]
    sessions = runtime.sessions  # type: ignore[attr-defined]
    from datetime import UTC, datetime

    session, _ = await sessions.open(None, None, datetime.now(UTC))
    pace = random.Random(index)
    for i in range(messages):
        if gap_s:
            # Open loop: a shopper sends about one message per `gap_s`, not back to back.
            await asyncio.sleep(pace.uniform(0.5, 1.5) * gap_s)
        text = QUESTIONS[(index + i) % len(QUESTIONS)]
        message = Message(session.session_id, f"m{index}-{i}", text, None, "guest", {})
        start = time.perf_counter()
        async for _frame in conversation.answer(message):
            pass
        out.append((time.perf_counter() - start) * 1000)


def _cpu_ticks() -> tuple[int, int]:
    """(steal, total) jiffies of all CPUs, from /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    return fields[7], sum(fields[:8])


class Steal:
    """Share of CPU time stolen by the hypervisor between start and `percent()`."""

    def __init__(self) -> None:
        self.start = _cpu_ticks()

    def percent(self) -> float:
        steal, total = _cpu_ticks()
        elapsed = total - self.start[1]
        return 100.0 * (steal - self.start[0]) / elapsed if elapsed else 0.0


async def in_process(messages: int) -> None:
    state = Path(tempfile.mkdtemp(prefix="bench-chat-"))
    settings = load_settings(
        state_dir=state,
        chat={"pacing_s": 0},
        rate_limit={"guest_per_minute": 10**6, "model_per_second": 10**6},
        store={"db_path": state / "store.sqlite3"},
    )
    runtime = await build_chat_runtime(settings)
    gc.freeze()  # as the service does after start-up (app.build_chat_app)
    warm: list[float] = []
    await one_session(runtime, 0, 16, warm)
    print(f"{'sessions':>9}{'messages':>10}{'p50 ms':>9}{'p99 ms':>9}{'msg/s':>9}{'steal':>7}")
    for concurrency in (1, 50, 200):
        latencies: list[float] = []
        steal = Steal()
        start = time.perf_counter()
        await asyncio.gather(
            *(one_session(runtime, i, messages, latencies) for i in range(concurrency))
        )
        elapsed = time.perf_counter() - start
        latencies.sort()
        p50 = statistics.median(latencies)
        p99 = latencies[int(len(latencies) * 0.99) - 1]
        rate = len(latencies) / elapsed
        print(
            f"{concurrency:>9}{len(latencies):>10}{p50:>9.2f}{p99:>9.2f}{rate:>9.1f}"
            f"{steal.percent():>6.0f}%  closed loop"
        )
    for concurrency, gap in ((50, 5.0), (50, 1.0), (200, 4.0)):
        latencies = []
        steal = Steal()
        await asyncio.gather(
            *(one_session(runtime, i, messages, latencies, gap) for i in range(concurrency))
        )
        latencies.sort()
        p50 = statistics.median(latencies)
        p99 = latencies[int(len(latencies) * 0.99) - 1]
        offered = concurrency / gap
        print(
            f"{concurrency:>9}{len(latencies):>10}{p50:>9.2f}{p99:>9.2f}{offered:>9.1f}"
            f"{steal.percent():>6.0f}%  open loop, one message per ~{gap:.0f} s per session"
        )


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


async def memory(connections: int) -> None:
    from websockets.asyncio.client import connect

    from mangaassist.testing.chat_server import chat_server

    with chat_server(Path(tempfile.mkdtemp(prefix="bench-mem-"))) as server:
        base = rss_kib(server.pid)
        sockets = []
        for _ in range(connections):
            ws = await connect(server.ws_url)
            await ws.recv()
            sockets.append(ws)
        after = rss_kib(server.pid)
        per = (after - base) / connections
        print(
            f"idle WebSocket connections: {connections}, server RSS +{after - base} KiB, "
            f"{per:.1f} KiB per connection (includes its session)"
        )
        for ws in sockets:
            await ws.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=20, help="messages per session")
    parser.add_argument("--connections", type=int, default=300, help="idle sockets to open")
    args = parser.parse_args()
    asyncio.run(in_process(args.messages))
    asyncio.run(memory(args.connections))


if __name__ == "__main__":
    main()
