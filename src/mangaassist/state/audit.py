"""Audit records (one per response) and shopper feedback, in SQLite.

Records hold only structured, redacted fields (ids, intent, products, model,
guardrail action, latency, variant): never message text, so no PII is stored in
clear. They feed analytics, experiments and `eval add-from-audit`.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

_SCHEMA = """
CREATE TABLE IF NOT EXISTS audit (
    response_id TEXT PRIMARY KEY, at TEXT NOT NULL, session_id TEXT NOT NULL,
    customer_id TEXT NOT NULL, intent TEXT, record TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_customer ON audit (customer_id);
CREATE INDEX IF NOT EXISTS audit_at ON audit (at);
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, response_id TEXT NOT NULL,
    session_id TEXT NOT NULL, customer_id TEXT NOT NULL, rating TEXT NOT NULL, comment TEXT
);
"""
_ALLOWED = frozenset(
    {
        "response_id",
        "request_id",
        "session_id",
        "customer_id",
        "tier",
        "intent",
        "confidence",
        "products",
        "model",
        "guardrail_action",
        "latency_ms",
        "variant",
        "at",
        "prompt_version",
        "cost_usd",
        "answer_source",
        "degradation_level",
        "findings",
    }
)


class AuditLog:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        # WAL + NORMAL: no corruption on a crash; a power cut may lose the last commits.
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)
        self._lock = threading.Lock()

    def close(self) -> None:
        self._db.close()

    async def record(self, entry: dict[str, object]) -> None:
        unknown = set(entry) - _ALLOWED
        if unknown:
            raise ValueError(f"audit records take no free-form fields: {sorted(unknown)}")
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO audit VALUES (?, ?, ?, ?, ?, ?)",
                (
                    entry["response_id"],
                    entry.get("at") or datetime.now(UTC).isoformat(),
                    entry["session_id"],
                    entry.get("customer_id") or "guest",
                    entry.get("intent"),
                    json.dumps(entry, ensure_ascii=False, default=str),
                ),
            )

    def get(self, response_id: str) -> dict[str, Any] | None:
        with self._lock:
            row = self._db.execute(
                "SELECT record FROM audit WHERE response_id = ?", (response_id,)
            ).fetchone()
        return None if row is None else dict(json.loads(row[0]))

    def records(self, limit: int = 1000) -> list[dict[str, Any]]:
        with self._lock:
            rows = self._db.execute(
                "SELECT record FROM audit ORDER BY at DESC LIMIT ?", (limit,)
            ).fetchall()
        return [dict(json.loads(r[0])) for r in rows]

    def add_feedback(
        self,
        response_id: str,
        session_id: str,
        customer_id: str | None,
        rating: str,
        comment: str | None,
    ) -> None:
        with self._lock:
            self._db.execute(
                "INSERT INTO feedback (at, response_id, session_id, customer_id, rating, comment) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (
                    datetime.now(UTC).isoformat(),
                    response_id,
                    session_id,
                    customer_id or "guest",
                    rating,
                    comment,
                ),
            )

    def feedback_count(self, response_id: str) -> int:
        with self._lock:
            row = self._db.execute(
                "SELECT COUNT(*) FROM feedback WHERE response_id = ?", (response_id,)
            ).fetchone()
        return int(row[0])

    def forget_customer(self, customer_id: str) -> int:
        with self._lock:
            a = self._db.execute("DELETE FROM audit WHERE customer_id = ?", (customer_id,)).rowcount
            f = self._db.execute(
                "DELETE FROM feedback WHERE customer_id = ?", (customer_id,)
            ).rowcount
        return a + f
