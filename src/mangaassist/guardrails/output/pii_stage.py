"""Stage 1, PII redaction: personal data in an answer is replaced by typed placeholders.

Values the store itself supplied for this customer (their tracking number, order id)
are in the context's allow list and stay.
"""

from __future__ import annotations

import time

from mangaassist.guardrails.output.base import (
    Finding,
    OutputContext,
    StageDeps,
    StageResult,
    register_stage,
    result,
)
from mangaassist.guardrails.pii import redact

NAME = "pii"


class PiiStage:
    name = NAME

    def __init__(self, deps: StageDeps) -> None:
        self._deps = deps

    async def run(self, text: str, context: OutputContext) -> StageResult:
        started = time.perf_counter()
        redaction = redact(text, allow=context.allow)
        findings = [Finding(f"pii:{f.type.value}", f.placeholder) for f in redaction.findings]
        return result(NAME, text, redaction.text, findings, started)


@register_stage(10, NAME)
def build(deps: StageDeps) -> PiiStage:
    return PiiStage(deps)
