"""Finds PII with every registered recogniser and replaces it with typed placeholders."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from mangaassist.guardrails.pii import addresses as _addresses  # noqa: F401  (registers)
from mangaassist.guardrails.pii.fold import fold_width
from mangaassist.guardrails.pii.recognizers import RECOGNIZERS, ScanContext
from mangaassist.guardrails.pii.types import PiiFinding, PiiType

# When two findings overlap, the more specific kind wins, then the longer span.
_PRIORITY = {
    PiiType.EMAIL: 0,
    PiiType.IBAN: 1,
    PiiType.CARD: 2,
    PiiType.SSN: 3,
    PiiType.MY_NUMBER: 4,
    PiiType.IP_ADDRESS: 5,
    PiiType.PHONE: 6,
    PiiType.ADDRESS: 7,
}


@dataclass(frozen=True, slots=True)
class Redaction:
    """Text with PII replaced by placeholders, and what was found (spans in the original)."""

    text: str
    findings: tuple[PiiFinding, ...]


def _resolve(findings: list[PiiFinding]) -> list[PiiFinding]:
    ranked = sorted(findings, key=lambda f: (_PRIORITY[f.type], -(f.end - f.start), f.start))
    kept: list[PiiFinding] = []
    for finding in ranked:
        if not any(k.overlaps(finding.start, finding.end) for k in kept):
            kept.append(finding)
    return sorted(kept, key=lambda f: f.start)


def detect_pii(text: str, *, allow: Collection[str] = ()) -> list[PiiFinding]:
    """PII in `text`, non-overlapping, in order. `allow` lists values known to be safe
    (e.g. the tracking number the store itself reported)."""
    folded = fold_width(text)
    context = ScanContext(folded)
    raw = [f for recognize in RECOGNIZERS for f in recognize(folded, context)]
    findings = [
        PiiFinding(f.type, f.start, f.end, text[f.start : f.end])
        for f in raw
        if f.value not in allow and text[f.start : f.end] not in allow
    ]
    return _resolve(findings)


def redact(text: str, *, allow: Collection[str] = ()) -> Redaction:
    findings = detect_pii(text, allow=allow)
    if not findings:
        return Redaction(text, ())
    parts: list[str] = []
    cursor = 0
    for finding in findings:
        parts.append(text[cursor : finding.start])
        parts.append(finding.placeholder)
        cursor = finding.end
    parts.append(text[cursor:])
    return Redaction("".join(parts), tuple(findings))
