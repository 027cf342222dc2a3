from __future__ import annotations

from pathlib import Path

import pytest

from mangaassist.guardrails.pii import detect_pii
from mangaassist.guardrails.vault import (
    MemoryVaultStorage,
    PiiVault,
    RevealRecord,
    SqliteVaultStorage,
    VaultError,
    generate_key,
)


@pytest.fixture(params=["memory", "sqlite"])
def storage(
    request: pytest.FixtureRequest, tmp_path: Path
) -> MemoryVaultStorage | SqliteVaultStorage:
    if request.param == "memory":
        return MemoryVaultStorage()
    return SqliteVaultStorage(tmp_path / "vault.sqlite3")


def test_round_trip_is_audited(storage: MemoryVaultStorage | SqliteVaultStorage) -> None:
    audit: list[RevealRecord] = []
    vault = PiiVault(storage, [generate_key()], audit.append)
    findings = detect_pii("reach me at mina@example.com")
    [entry_id] = vault.put("s1", "C10001", findings)
    entry = vault.reveal(entry_id, actor="admin:ops", reason="fraud check #12")
    assert entry.value == "mina@example.com"
    assert entry.pii_type == "email"
    assert [(r.entry_id, r.actor, r.reason) for r in audit] == [
        (entry_id, "admin:ops", "fraud check #12")
    ]
    assert "mina@example.com" not in repr(audit)


def test_ciphertext_never_contains_clear_text(tmp_path: Path) -> None:
    path = tmp_path / "vault.sqlite3"
    vault = PiiVault(SqliteVaultStorage(path), [generate_key()], lambda r: None)
    vault.put("s1", None, detect_pii("card 4242 4242 4242 4242"))
    assert b"4242" not in path.read_bytes()


def test_rotation_keeps_entries_readable(storage: MemoryVaultStorage | SqliteVaultStorage) -> None:
    old, new = generate_key(), generate_key()
    [entry_id] = PiiVault(storage, [old], lambda r: None).put(
        "s1", None, detect_pii("090-2345-6789")
    )
    rotated = PiiVault(storage, [new, old], lambda r: None)
    assert rotated.rotate() == 1
    only_new = PiiVault(storage, [new], lambda r: None)
    assert only_new.reveal(entry_id, actor="a", reason="r").value == "090-2345-6789"
    only_old = PiiVault(storage, [old], lambda r: None)
    with pytest.raises(VaultError, match="cannot be decrypted"):
        only_old.reveal(entry_id, actor="a", reason="r")


def test_reveal_requires_actor_and_reason(storage: MemoryVaultStorage | SqliteVaultStorage) -> None:
    vault = PiiVault(storage, [generate_key()], lambda r: None)
    [entry_id] = vault.put("s1", None, detect_pii("090-2345-6789"))
    with pytest.raises(VaultError, match="actor and a reason"):
        vault.reveal(entry_id, actor="", reason="x")


def test_unknown_entry_and_bad_key(storage: MemoryVaultStorage | SqliteVaultStorage) -> None:
    vault = PiiVault(storage, [generate_key()], lambda r: None)
    with pytest.raises(VaultError, match="no vault entry"):
        vault.reveal("nope", actor="a", reason="r")
    with pytest.raises(VaultError, match="invalid vault key"):
        PiiVault(storage, ["not-a-key"], lambda r: None)
    with pytest.raises(VaultError, match="at least one key"):
        PiiVault(storage, [], lambda r: None)


def test_forget_customer(storage: MemoryVaultStorage | SqliteVaultStorage) -> None:
    vault = PiiVault(storage, [generate_key()], lambda r: None)
    [a] = vault.put("s1", "C1", detect_pii("090-2345-6789"))
    [b] = vault.put("s2", "C2", detect_pii("090-2345-6780"))
    assert vault.forget_customer("C1") == 1
    with pytest.raises(VaultError):
        vault.reveal(a, actor="x", reason="y")
    assert vault.reveal(b, actor="x", reason="y").customer_id == "C2"
