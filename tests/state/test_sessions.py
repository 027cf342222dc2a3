from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from mangaassist.state.sessions import SessionBusy
from mangaassist.state.sessions_memory import MemorySessionStore
from mangaassist.state.sessions_sqlite import SqliteSessionStore
from mangaassist.testing.session_conformance import T0, SessionStoreConformance


class TestMemorySessions(SessionStoreConformance):
    @pytest.fixture
    def store(self) -> MemorySessionStore:
        return MemorySessionStore()


class TestSqliteSessions(SessionStoreConformance):
    @pytest.fixture
    def store(self, tmp_path: Path) -> Iterator[SqliteSessionStore]:
        store = SqliteSessionStore(tmp_path / "sessions.sqlite3")
        yield store
        store.close()


async def test_sqlite_lock_holds_across_processes_sharing_the_file(tmp_path: Path) -> None:
    path = tmp_path / "sessions.sqlite3"
    one, two = SqliteSessionStore(path), SqliteSessionStore(path)
    session, _ = await one.open(None, None, T0)
    async with one.lock(session.session_id):
        with pytest.raises(SessionBusy):
            async with two.lock(session.session_id):
                pass
    async with two.lock(session.session_id):
        pass
    one.close()
    two.close()


async def test_sqlite_sessions_survive_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "sessions.sqlite3"
    first = SqliteSessionStore(path)
    session, _ = await first.open(None, "C1", T0)
    first.close()
    second = SqliteSessionStore(path)
    assert (await second.get(session.session_id, "C1", T0)).session_id == session.session_id
    second.close()
