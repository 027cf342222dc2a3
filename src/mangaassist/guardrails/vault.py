"""The PII vault: originals of scrubbed PII, encrypted at rest, revealed only through an audit.

Encryption is `cryptography`'s MultiFernet (AES-128-CBC + HMAC-SHA256, authenticated):
the first key encrypts, every key decrypts, and `rotate()` re-encrypts old entries under
the first key, so keys can be rotated without losing data. Entries never hold clear text.
"""

from __future__ import annotations

import sqlite3
import threading
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from mangaassist.guardrails.pii.types import PiiFinding


class VaultError(Exception):
    """A vault entry is missing or cannot be decrypted with the configured keys."""


@dataclass(frozen=True, slots=True)
class VaultEntry:
    entry_id: str
    session_id: str
    customer_id: str | None
    pii_type: str
    value: str
    created: datetime


@dataclass(frozen=True, slots=True)
class RevealRecord:
    """What the audit log learns about a reveal: who, which entry, why; never the value."""

    entry_id: str
    actor: str
    reason: str
    at: datetime


RevealAudit = Callable[[RevealRecord], None]


@dataclass(frozen=True, slots=True)
class _Row:
    entry_id: str
    session_id: str
    customer_id: str | None
    pii_type: str
    token: bytes
    created: datetime


class VaultStorage(Protocol):
    def insert(self, rows: Sequence[_Row]) -> None: ...
    def get(self, entry_id: str) -> _Row | None: ...
    def all_rows(self) -> list[_Row]: ...
    def replace_token(self, entry_id: str, token: bytes) -> None: ...
    def delete_customer(self, customer_id: str) -> int: ...


def make_cipher(keys: Sequence[str]) -> MultiFernet:
    if not keys:
        raise VaultError("the PII vault needs at least one key")
    try:
        return MultiFernet([Fernet(key.encode() if isinstance(key, str) else key) for key in keys])
    except ValueError as exc:
        raise VaultError(f"invalid vault key: {exc}") from exc


def generate_key() -> str:
    return Fernet.generate_key().decode()


class PiiVault:
    def __init__(self, storage: VaultStorage, keys: Sequence[str], audit: RevealAudit) -> None:
        self._storage = storage
        self._cipher = make_cipher(keys)
        self._audit = audit

    def put(
        self, session_id: str, customer_id: str | None, findings: Sequence[PiiFinding]
    ) -> list[str]:
        now = datetime.now(UTC)
        rows = [
            _Row(
                uuid.uuid4().hex,
                session_id,
                customer_id,
                finding.type.value,
                self._cipher.encrypt(finding.value.encode()),
                now,
            )
            for finding in findings
        ]
        self._storage.insert(rows)
        return [row.entry_id for row in rows]

    def reveal(self, entry_id: str, *, actor: str, reason: str) -> VaultEntry:
        if not actor.strip() or not reason.strip():
            raise VaultError("a reveal needs an actor and a reason")
        row = self._storage.get(entry_id)
        if row is None:
            raise VaultError(f"no vault entry {entry_id}")
        self._audit(RevealRecord(entry_id, actor, reason, datetime.now(UTC)))
        try:
            value = self._cipher.decrypt(row.token).decode()
        except InvalidToken as exc:
            raise VaultError(
                f"vault entry {entry_id} cannot be decrypted with current keys"
            ) from exc
        return VaultEntry(
            row.entry_id, row.session_id, row.customer_id, row.pii_type, value, row.created
        )

    def rotate(self) -> int:
        """Re-encrypt every entry under the first (newest) key; returns the count."""
        rows = self._storage.all_rows()
        for row in rows:
            self._storage.replace_token(row.entry_id, self._cipher.rotate(row.token))
        return len(rows)

    def forget_customer(self, customer_id: str) -> int:
        return self._storage.delete_customer(customer_id)


class MemoryVaultStorage:
    def __init__(self) -> None:
        self._rows: dict[str, _Row] = {}
        self._lock = threading.Lock()

    def insert(self, rows: Sequence[_Row]) -> None:
        with self._lock:
            self._rows.update({row.entry_id: row for row in rows})

    def get(self, entry_id: str) -> _Row | None:
        return self._rows.get(entry_id)

    def all_rows(self) -> list[_Row]:
        return list(self._rows.values())

    def replace_token(self, entry_id: str, token: bytes) -> None:
        with self._lock:
            row = self._rows[entry_id]
            self._rows[entry_id] = _Row(
                row.entry_id, row.session_id, row.customer_id, row.pii_type, token, row.created
            )

    def delete_customer(self, customer_id: str) -> int:
        with self._lock:
            doomed = [k for k, row in self._rows.items() if row.customer_id == customer_id]
            for key in doomed:
                del self._rows[key]
            return len(doomed)


_SCHEMA = """
CREATE TABLE IF NOT EXISTS pii_vault (
    entry_id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL,
    customer_id TEXT,
    pii_type TEXT NOT NULL,
    token BLOB NOT NULL,
    created TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS pii_vault_customer ON pii_vault (customer_id);
"""


class SqliteVaultStorage:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.executescript(_SCHEMA)
        self._lock = threading.Lock()

    def _row(self, raw: tuple[str, str, str | None, str, bytes, str]) -> _Row:
        return _Row(raw[0], raw[1], raw[2], raw[3], raw[4], datetime.fromisoformat(raw[5]))

    def insert(self, rows: Sequence[_Row]) -> None:
        with self._lock:
            self._db.execute("BEGIN")
            self._db.executemany(
                "INSERT INTO pii_vault VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (
                        r.entry_id,
                        r.session_id,
                        r.customer_id,
                        r.pii_type,
                        r.token,
                        r.created.isoformat(),
                    )
                    for r in rows
                ],
            )
            self._db.execute("COMMIT")

    def get(self, entry_id: str) -> _Row | None:
        with self._lock:
            raw = self._db.execute(
                "SELECT * FROM pii_vault WHERE entry_id = ?", (entry_id,)
            ).fetchone()
        return None if raw is None else self._row(raw)

    def all_rows(self) -> list[_Row]:
        with self._lock:
            return [self._row(raw) for raw in self._db.execute("SELECT * FROM pii_vault")]

    def replace_token(self, entry_id: str, token: bytes) -> None:
        with self._lock:
            self._db.execute("UPDATE pii_vault SET token = ? WHERE entry_id = ?", (token, entry_id))

    def delete_customer(self, customer_id: str) -> int:
        with self._lock:
            cursor = self._db.execute("DELETE FROM pii_vault WHERE customer_id = ?", (customer_id,))
            return cursor.rowcount

    def close(self) -> None:
        self._db.close()
