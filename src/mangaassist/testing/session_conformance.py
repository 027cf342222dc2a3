"""Conformance suite for SessionStore backends: subclass and provide a `store` fixture.

class TestMySessions(SessionStoreConformance):
    @pytest.fixture
    def store(self) -> SessionStore: ...
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from mangaassist.state.sessions import (
    OpenOutcome,
    ResponseStatus,
    SessionBusy,
    SessionNotFound,
    SessionStore,
    Turn,
)

T0 = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def later(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


class SessionStoreConformance:
    """Behaviour every session backend must share. Limits assumed: TTL 24 h, 50 turns,
    50 responses, tombstones kept 7 days (the defaults of `SessionLimits`)."""

    async def test_new_then_resumed(self, store: SessionStore) -> None:
        session, outcome = await store.open(None, "C1", T0)
        assert outcome is OpenOutcome.NEW
        again, outcome = await store.open(session.session_id, "C1", later(1))
        assert outcome is OpenOutcome.RESUMED
        assert again.session_id == session.session_id
        assert again.expires == later(25)

    async def test_someone_elses_session_is_never_resumed(self, store: SessionStore) -> None:
        mine, _ = await store.open(None, "C1", T0)
        theirs, outcome = await store.open(mine.session_id, "C2", T0)
        assert outcome is OpenOutcome.NEW
        assert theirs.session_id != mine.session_id
        _, outcome = await store.open(mine.session_id, None, T0)
        assert outcome is OpenOutcome.NEW
        with pytest.raises(SessionNotFound):
            await store.get(mine.session_id, "C2", T0)
        with pytest.raises(SessionNotFound):
            await store.get(mine.session_id, None, T0)
        assert (await store.get(mine.session_id, "C1", T0)).customer_id == "C1"

    async def test_expired_session_gives_a_new_one_with_welcome_back(
        self, store: SessionStore
    ) -> None:
        old, _ = await store.open(None, "C1", T0)
        new, outcome = await store.open(old.session_id, "C1", later(25))
        assert outcome is OpenOutcome.EXPIRED
        assert new.session_id != old.session_id
        with pytest.raises(SessionNotFound):
            await store.get(old.session_id, "C1", later(25))

    async def test_unknown_id_is_new(self, store: SessionStore) -> None:
        _, outcome = await store.open("s_does-not-exist", None, T0)
        assert outcome is OpenOutcome.NEW

    async def test_turns_are_bounded_and_ordered(self, store: SessionStore) -> None:
        session, _ = await store.open(None, None, T0)
        for i in range(60):
            await store.append_turn(session.session_id, Turn("user", f"m{i}", T0))
        recent = await store.recent_turns(session.session_id, 5)
        assert [t.text for t in recent] == ["m55", "m56", "m57", "m58", "m59"]
        assert len(await store.recent_turns(session.session_id, 100)) == 50
        assert await store.recent_turns(session.session_id, 0) == []

    async def test_frames_kept_in_order_and_idempotency(self, store: SessionStore) -> None:
        session, _ = await store.open(None, "C1", T0)
        sid = session.session_id
        await store.start_response(sid, "r1", "m1")
        frames = [
            {"type": "chunk", "response_id": "r1", "seq": i, "text": str(i)} for i in range(3)
        ]
        await store.add_frames(sid, "r1", frames[:2])
        await store.add_frames(sid, "r1", frames[2:])
        kept = await store.get_response(sid, "r1")
        assert kept is not None
        assert kept.status is ResponseStatus.STREAMING
        assert [f["seq"] for f in kept.frames] == [0, 1, 2]
        await store.finish_response(sid, "r1", ResponseStatus.FINISHED)
        by_message = await store.response_for_message(sid, "m1")
        assert by_message is not None
        assert by_message.response_id == "r1"
        assert by_message.status is ResponseStatus.FINISHED
        assert await store.response_for_message(sid, "m2") is None
        assert await store.get_response(sid, "r9") is None

    async def test_turns_and_last_frames_written_together(self, store: SessionStore) -> None:
        session, _ = await store.open(None, None, T0)
        sid = session.session_id
        await store.append_turn(sid, Turn("user", "q", T0), Turn("assistant", "a", T0))
        assert [t.role for t in await store.recent_turns(sid, 10)] == ["user", "assistant"]
        await store.start_response(sid, "r1", None)
        await store.add_frames(sid, "r1", [{"type": "chunk", "seq": 0, "text": "a"}])
        last = [{"type": "complete", "seq": 1}]
        await store.finish_response(sid, "r1", ResponseStatus.FINISHED, last)
        kept = await store.get_response(sid, "r1")
        assert kept is not None
        assert kept.status is ResponseStatus.FINISHED
        assert [f["seq"] for f in kept.frames] == [0, 1]

    async def test_kept_responses_are_bounded(self, store: SessionStore) -> None:
        session, _ = await store.open(None, None, T0)
        sid = session.session_id
        for i in range(55):
            await store.start_response(sid, f"r{i}", f"m{i}")
            await store.add_frames(sid, f"r{i}", [{"type": "chunk", "seq": 0, "text": "x"}])
        assert await store.get_response(sid, "r0") is None
        assert await store.response_for_message(sid, "m0") is None
        assert await store.get_response(sid, "r54") is not None

    async def test_one_message_at_a_time(self, store: SessionStore) -> None:
        session, _ = await store.open(None, None, T0)
        async with store.lock(session.session_id):
            with pytest.raises(SessionBusy):
                async with store.lock(session.session_id):
                    pass
        async with store.lock(session.session_id):
            pass

    async def test_lock_released_on_error(self, store: SessionStore) -> None:
        session, _ = await store.open(None, None, T0)
        with pytest.raises(ValueError, match="boom"):
            async with store.lock(session.session_id):
                raise ValueError("boom")
        async with store.lock(session.session_id):
            pass

    async def test_prune_drops_expired_content_then_tombstones(self, store: SessionStore) -> None:
        session, _ = await store.open(None, "C1", T0)
        sid = session.session_id
        await store.append_turn(sid, Turn("user", "hello", T0))
        await store.start_response(sid, "r1", "m1")
        await store.add_frames(sid, "r1", [{"type": "chunk", "seq": 0, "text": "hi"}])
        assert await store.prune(later(1)) == 0
        assert await store.prune(later(25)) > 0
        assert await store.recent_turns(sid, 10) == []
        assert await store.get_response(sid, "r1") is None
        _, outcome = await store.open(sid, "C1", later(30))
        assert outcome is OpenOutcome.EXPIRED
        await store.prune(later(24 * 9))
        _, outcome = await store.open(sid, "C1", later(24 * 9))
        assert outcome is OpenOutcome.NEW

    async def test_forget_customer(self, store: SessionStore) -> None:
        a, _ = await store.open(None, "C1", T0)
        await store.open(None, "C1", T0)
        b, _ = await store.open(None, "C2", T0)
        await store.append_turn(a.session_id, Turn("user", "x", T0))
        assert await store.forget_customer("C1") == 2
        with pytest.raises(SessionNotFound):
            await store.get(a.session_id, "C1", T0)
        assert (await store.get(b.session_id, "C2", T0)).customer_id == "C2"
