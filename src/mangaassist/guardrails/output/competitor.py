"""Stage 4, competitor mentions: sentences naming another store are removed."""

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
from mangaassist.guardrails.sentences import drop_sentences, split_sentences

NAME = "competitor"
FALLBACK = {
    "en": "I can help you find it here at MangaAssist Books.",
    "ja": "MangaAssist Booksでお探しのお手伝いをします。",
}


class CompetitorStage:
    name = NAME

    def __init__(self, deps: StageDeps) -> None:
        self._matcher = deps.competitors

    async def run(self, text: str, context: OutputContext) -> StageResult:
        started = time.perf_counter()
        if not self._matcher.spans(text):
            return result(NAME, text, text, [], started)
        doomed = [s for s in split_sentences(text) if self._matcher.spans(s.text)]
        findings = [Finding("competitor", s.text.strip()[:80]) for s in doomed]
        cleaned = drop_sentences(text, doomed)
        if not cleaned:
            cleaned = FALLBACK.get(context.language, FALLBACK["en"])
        return result(NAME, text, cleaned, findings, started)


@register_stage(40, NAME)
def build(deps: StageDeps) -> CompetitorStage:
    return CompetitorStage(deps)
