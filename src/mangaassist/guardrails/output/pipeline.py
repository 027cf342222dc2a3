"""The output pipeline: every registered stage in order, each seeing the previous one's text."""

from __future__ import annotations

from dataclasses import dataclass

from mangaassist.guardrails.output import (  # noqa: F401  (each module registers its stage)
    competitor,
    pii_stage,
    price,
    product_id,
    scope,
    toxicity,
)
from mangaassist.guardrails.output.base import (
    STAGES,
    Action,
    OutputContext,
    OutputStage,
    StageDeps,
    StageResult,
)


@dataclass(frozen=True, slots=True)
class OutputVerdict:
    original: str
    text: str
    stages: tuple[StageResult, ...]
    drop_asins: frozenset[str]

    @property
    def changed(self) -> bool:
        return self.text != self.original

    @property
    def action(self) -> str:
        """`pass`, `modified:<stages>` or `blocked:<stage>` for complete-frame metadata."""
        blocked = [s.stage for s in self.stages if s.action is Action.BLOCK]
        if blocked:
            return f"blocked:{blocked[0]}"
        modified = [s.stage for s in self.stages if s.action is Action.MODIFY]
        return f"modified:{','.join(modified)}" if modified else "pass"


class OutputPipeline:
    def __init__(self, deps: StageDeps, only: tuple[str, ...] | None = None) -> None:
        self.stages: list[OutputStage] = [
            factory(deps) for _, name, factory in STAGES if only is None or name in only
        ]

    async def run(self, text: str, context: OutputContext) -> OutputVerdict:
        results: list[StageResult] = []
        current = text
        drop: set[str] = set()
        for stage in self.stages:
            outcome = await stage.run(current, context)
            results.append(outcome)
            drop |= outcome.drop_asins
            current = outcome.text
            if outcome.action is Action.BLOCK:
                break
        return OutputVerdict(text, current, tuple(results), frozenset(drop))
