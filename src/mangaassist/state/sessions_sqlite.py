"""Sessions in a SQLite file: the embedded default, safe for several processes on one host.

Every call is one short transaction on a shared connection (sub-millisecond), so the
async methods run it inline. The per-session lock is a row with an owner and an expiry,
taken with a conditional upsert, so it holds across processes, not only in this one.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import threading
import time
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from mangaassist.state.sessions import (
    KeptResponse,
    OpenOutcome,
    ResponseStatus,
    Session,
    SessionBusy,
    SessionLimits,
    SessionNotFound,
    Turn,
)
from mangaassist.state.sessions_memory import new_session_id

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    session_id TEXT PRIMARY KEY, customer_id TEXT, created REAL NOT NULL,
    last_seen REAL NOT NULL, expires REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_customer ON sessions (customer_id);
CREATE TABLE IF NOT EXISTS turns (
    id INTEGER PRIMARY KEY AUTOINCREMENT, session_id TEXT NOT NULL, role TEXT NOT NULL,
    text TEXT NOT NULL, at REAL NOT NULL, response_id TEXT, intent TEXT
);
CREATE INDEX IF NOT EXISTS turns_session ON turns (session_id, id);
CREATE TABLE IF NOT EXISTS responses (
    id INTEGER PRIMARY KEY AUTOINCREMENT, session_id TEXT NOT NULL, response_id TEXT NOT NULL,
    message_id TEXT, status TEXT NOT NULL, UNIQUE (session_id, response_id)
);
CREATE INDEX IF NOT EXISTS responses_message ON responses (session_id, message_id);
CREATE TABLE IF NOT EXISTS frames (
    session_id TEXT NOT NULL, response_id TEXT NOT NULL, seq INTEGER NOT NULL, data TEXT NOT NULL,
    PRIMARY KEY (session_id, response_id, seq)
);
CREATE TABLE IF NOT EXISTS session_locks (
    session_id TEXT PRIMARY KEY, owner TEXT NOT NULL, expires REAL NOT NULL
);
"""


def _ts(moment: datetime) -> float:
    return moment.timestamp()


def _dt(value: float) -> datetime:
    return datetime.fromtimestamp(value, UTC)


class SqliteSessionStore:
    def __init__(self, path: Path, limits: SessionLimits | None = None) -> None:
        self.limits = limits or SessionLimits()
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=5)
        self._db.execute("PRAGMA journal_mode=WAL")
        # WAL + NORMAL: no corruption on a crash; a power cut may lose the last commits.
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)
        self._mutex = threading.Lock()

    def close(self) -> None:
        self._db.close()

    def _run(self, sql: str, args: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self._mutex:
            return self._db.execute(sql, args).fetchall()

    def _tx(self, statements: Iterable[tuple[str, Sequence[Any]]]) -> None:
        """One transaction. A statement whose arguments are a list of rows runs per row."""
        with self._mutex:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                for sql, args in statements:
                    if isinstance(args, list):
                        self._db.executemany(sql, args)
                    else:
                        self._db.execute(sql, args)
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _session(self, session_id: str) -> Session | None:
        rows = self._run("SELECT * FROM sessions WHERE session_id = ?", (session_id,))
        if not rows:
            return None
        sid, customer, created, seen, expires = rows[0]
        return Session(sid, customer, _dt(created), _dt(seen), _dt(expires))

    def _fresh(self, customer_id: str | None, now: datetime) -> Session:
        expires = now + timedelta(seconds=self.limits.ttl_s)
        session = Session(new_session_id(), customer_id, now, now, expires)
        self._run(
            "INSERT INTO sessions VALUES (?, ?, ?, ?, ?)",
            (session.session_id, customer_id, _ts(now), _ts(now), _ts(expires)),
        )
        return session

    async def open(
        self, session_id: str | None, customer_id: str | None, now: datetime
    ) -> tuple[Session, OpenOutcome]:
        found = self._session(session_id) if session_id else None
        if found is None or found.customer_id != customer_id:
            return self._fresh(customer_id, now), OpenOutcome.NEW
        if found.expires <= now:
            return self._fresh(customer_id, now), OpenOutcome.EXPIRED
        expires = now + timedelta(seconds=self.limits.ttl_s)
        self._run(
            "UPDATE sessions SET last_seen = ?, expires = ? WHERE session_id = ?",
            (_ts(now), _ts(expires), found.session_id),
        )
        return Session(found.session_id, customer_id, found.created, now, expires), (
            OpenOutcome.RESUMED
        )

    async def get(self, session_id: str, customer_id: str | None, now: datetime) -> Session:
        found = self._session(session_id)
        if found is None or found.customer_id != customer_id or found.expires <= now:
            raise SessionNotFound(session_id)
        return found

    async def append_turn(self, session_id: str, *turns: Turn) -> None:
        insert = (
            "INSERT INTO turns (session_id, role, text, at, response_id, intent) "
            "VALUES (?, ?, ?, ?, ?, ?)"
        )
        self._tx(
            [
                *(
                    (insert, (session_id, t.role, t.text, _ts(t.at), t.response_id, t.intent))
                    for t in turns
                ),
                (
                    "DELETE FROM turns WHERE session_id = ? AND id NOT IN "
                    "(SELECT id FROM turns WHERE session_id = ? ORDER BY id DESC LIMIT ?)",
                    (session_id, session_id, self.limits.max_turns),
                ),
            ]
        )

    async def recent_turns(self, session_id: str, limit: int) -> list[Turn]:
        rows = self._run(
            "SELECT role, text, at, response_id, intent FROM turns WHERE session_id = ? "
            "ORDER BY id DESC LIMIT ?",
            (session_id, max(0, limit)),
        )
        return [Turn(r[0], r[1], _dt(r[2]), r[3], r[4]) for r in reversed(rows)]

    async def start_response(
        self, session_id: str, response_id: str, message_id: str | None
    ) -> None:
        keep = self.limits.max_responses
        self._tx(
            [
                (
                    "INSERT INTO responses (session_id, response_id, message_id, status) "
                    "VALUES (?, ?, ?, ?)",
                    (session_id, response_id, message_id, ResponseStatus.STREAMING.value),
                ),
                (
                    "DELETE FROM frames WHERE session_id = ? AND response_id IN (SELECT "
                    "response_id FROM responses WHERE session_id = ? ORDER BY id DESC "
                    "LIMIT -1 OFFSET ?)",
                    (session_id, session_id, keep),
                ),
                (
                    "DELETE FROM responses WHERE session_id = ? AND id NOT IN (SELECT id FROM "
                    "responses WHERE session_id = ? ORDER BY id DESC LIMIT ?)",
                    (session_id, session_id, keep),
                ),
            ]
        )

    async def add_frames(
        self, session_id: str, response_id: str, frames: Sequence[dict[str, Any]]
    ) -> None:
        self._tx([self._frame_rows(session_id, response_id, frames)])

    def _frame_rows(
        self, session_id: str, response_id: str, frames: Sequence[dict[str, Any]]
    ) -> tuple[str, list[tuple[Any, ...]]]:
        rows = [
            (session_id, response_id, frame["seq"], json.dumps(frame, ensure_ascii=False))
            for frame in frames
        ]
        return "INSERT INTO frames VALUES (?, ?, ?, ?)", rows

    async def finish_response(
        self,
        session_id: str,
        response_id: str,
        status: ResponseStatus,
        frames: Sequence[dict[str, Any]] = (),
    ) -> None:
        statements: list[tuple[str, Sequence[Any]]] = []
        if frames:
            statements.append(self._frame_rows(session_id, response_id, frames))
        statements.append(
            (
                "UPDATE responses SET status = ? WHERE session_id = ? AND response_id = ?",
                (status.value, session_id, response_id),
            )
        )
        self._tx(statements)

    def _kept(self, session_id: str, row: tuple[Any, ...]) -> KeptResponse:
        response_id, message_id, status = row
        frames = self._run(
            "SELECT data FROM frames WHERE session_id = ? AND response_id = ? ORDER BY seq",
            (session_id, response_id),
        )
        return KeptResponse(
            response_id,
            message_id,
            ResponseStatus(status),
            tuple(json.loads(f[0]) for f in frames),
        )

    async def get_response(self, session_id: str, response_id: str) -> KeptResponse | None:
        rows = self._run(
            "SELECT response_id, message_id, status FROM responses "
            "WHERE session_id = ? AND response_id = ?",
            (session_id, response_id),
        )
        return self._kept(session_id, rows[0]) if rows else None

    async def response_for_message(self, session_id: str, message_id: str) -> KeptResponse | None:
        rows = self._run(
            "SELECT response_id, message_id, status FROM responses "
            "WHERE session_id = ? AND message_id = ? ORDER BY id DESC LIMIT 1",
            (session_id, message_id),
        )
        return self._kept(session_id, rows[0]) if rows else None

    @asynccontextmanager
    async def _held(self, session_id: str) -> AsyncIterator[None]:
        owner = secrets.token_hex(8)
        now = time.time()
        expires = now + self.limits.lock_ttl_s
        with self._mutex:
            cursor = self._db.execute(
                "INSERT INTO session_locks VALUES (?, ?, ?) ON CONFLICT (session_id) DO UPDATE "
                "SET owner = excluded.owner, expires = excluded.expires "
                "WHERE session_locks.expires < ?",
                (session_id, owner, expires, now),
            )
            taken = cursor.rowcount == 1
        if not taken:
            raise SessionBusy(session_id)
        try:
            yield
        finally:
            self._run(
                "DELETE FROM session_locks WHERE session_id = ? AND owner = ?", (session_id, owner)
            )

    def lock(self, session_id: str) -> AbstractAsyncContextManager[None]:
        return self._held(session_id)

    async def prune(self, now: datetime) -> int:
        cutoff = _ts(now)
        tombstone = cutoff - self.limits.tombstone_s
        expired = "SELECT session_id FROM sessions WHERE expires <= ?"
        with self._mutex:
            self._db.execute("BEGIN IMMEDIATE")
            count = 0
            for table in ("turns", "frames", "responses"):
                cursor = self._db.execute(
                    f"DELETE FROM {table} WHERE session_id IN ({expired})", (cutoff,)
                )
                count += cursor.rowcount
            cursor = self._db.execute("DELETE FROM sessions WHERE expires <= ?", (tombstone,))
            count += cursor.rowcount
            self._db.execute("COMMIT")
        return count

    async def forget_customer(self, customer_id: str) -> int:
        ids = "SELECT session_id FROM sessions WHERE customer_id = ?"
        with self._mutex:
            self._db.execute("BEGIN IMMEDIATE")
            for table in ("turns", "frames", "responses", "session_locks"):
                self._db.execute(f"DELETE FROM {table} WHERE session_id IN ({ids})", (customer_id,))
            cursor = self._db.execute("DELETE FROM sessions WHERE customer_id = ?", (customer_id,))
            self._db.execute("COMMIT")
            return cursor.rowcount
