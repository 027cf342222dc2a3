"""`eval add-from-audit`: a logged answer becomes a golden case.

Audit records hold no message text (by design: no PII at rest), so the shopper's words come
from the session's stored turns, which are redacted and kept as long as the session (24 h
by default). The case gets the logged intent (or the one given), the expectations given on
the command line, and the tag `from_audit`; it is appended to a golden file, never
overwriting a case with the same id.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from mangaassist.evaluation.golden import GoldenCase, GoldenError, load_cases, parse_case

_CONTEXT_TURNS = 3


class AuditCaseError(ValueError):
    """The response is unknown, its conversation has expired, or the case is invalid."""


async def load_conversation(settings: Any, response_id: str) -> tuple[dict[str, Any], list[str]]:
    """The audit record of `response_id` and the shopper's turns up to it (redacted)."""
    from mangaassist.state.audit import AuditLog
    from mangaassist.state.sessions_sqlite import SqliteSessionStore

    audit = AuditLog(settings.state_dir / "audit.sqlite3")
    try:
        record = audit.get(response_id)
    finally:
        audit.close()
    if record is None:
        raise AuditCaseError(f"no audit record for response {response_id!r}")
    sessions = SqliteSessionStore(settings.state_dir / "sessions.sqlite3")
    try:
        turns = await sessions.recent_turns(str(record["session_id"]), 200)
    finally:
        sessions.close()
    index = next(
        (i for i, t in enumerate(turns) if t.role == "user" and t.response_id == response_id),
        None,
    )
    if index is None:
        raise AuditCaseError(
            f"the conversation of {response_id} is no longer stored (sessions keep turns "
            "until they expire); write the case by hand"
        )
    asked = [t.text for t in turns[: index + 1] if t.role == "user"][-_CONTEXT_TURNS:]
    return record, asked


def build_case(
    record: dict[str, Any],
    asked: list[str],
    response_id: str,
    *,
    intent: str | None = None,
    must_include: list[str] | None = None,
    must_not_include: list[str] | None = None,
) -> GoldenCase:
    language = "ja" if any("\u3040" <= ch <= "\u9fff" for ch in asked[-1]) else "en"
    customer = str(record.get("customer_id") or "guest")
    expect: dict[str, Any] = {"intent": intent or record.get("intent")}
    if must_include:
        expect["any_of"] = [[s] for s in must_include]
    if must_not_include:
        expect["none_of"] = list(must_not_include)
    raw = {
        "id": f"audit-{response_id.removeprefix('r_')[:16]}",
        "lang": language,
        "customer": customer if customer.startswith("C") else "guest",
        "turns": asked,
        "expect": expect,
        "tags": ["from_audit"],
    }
    try:
        return parse_case(raw, "audit")
    except GoldenError as exc:
        raise AuditCaseError(str(exc)) from exc


def append_case(out: Path, case: GoldenCase) -> None:
    """Add `case` to the golden file `out` (created if missing), atomically."""
    try:
        existing = load_cases([out]) if out.exists() else []
    except GoldenError as exc:
        raise AuditCaseError(str(exc)) from exc
    if any(c.case_id == case.case_id for c in existing):
        raise AuditCaseError(f"{out} already has a case {case.case_id}")
    documents = [c.as_yaml_dict() for c in existing] + [case.as_yaml_dict()]
    out.parent.mkdir(parents=True, exist_ok=True)
    temporary = out.with_suffix(".tmp")
    temporary.write_text(yaml.safe_dump(documents, allow_unicode=True, sort_keys=False), "utf-8")
    temporary.replace(out)
