"""Output-stage types: context, per-stage result, and the registry stages join like plugins."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Protocol

from mangaassist.config import GuardrailSettings
from mangaassist.domain.store import Product, Promotion
from mangaassist.guardrails.competitors import CompetitorMatcher
from mangaassist.store.protocols import CatalogService, PricingService


class Action(StrEnum):
    PASS = "pass"
    MODIFY = "modify"
    BLOCK = "block"


@dataclass(frozen=True, slots=True)
class Finding:
    kind: str
    detail: str
    asin: str | None = None


@dataclass(frozen=True, slots=True)
class OutputContext:
    """What the route knows: the answer's language, the products it is about, values the
    store itself supplied (tracking numbers, order ids), amounts that are policy facts
    (fees, thresholds), and active promotions."""

    language: str = "en"
    products: Sequence[Product] = ()
    allow: frozenset[str] = frozenset()
    policy_amounts: frozenset[Decimal] = frozenset()
    promotions: Sequence[Promotion] = ()
    intent: str | None = None


@dataclass(frozen=True, slots=True)
class StageResult:
    stage: str
    action: Action
    text: str
    findings: tuple[Finding, ...] = ()
    elapsed_ms: float = 0.0
    drop_asins: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class StageDeps:
    """Everything a stage may need, built once by the composition root."""

    settings: GuardrailSettings
    catalog: CatalogService
    pricing: PricingService
    competitors: CompetitorMatcher
    safe_titles: frozenset[str] = frozenset()
    clock: Callable[[], float] = field(default=time.perf_counter)
    #: Genres per series id: decides which genre promotions a product is part of.
    series_genres: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


class OutputStage(Protocol):
    name: str

    async def run(self, text: str, context: OutputContext) -> StageResult: ...


StageFactory = Callable[[StageDeps], OutputStage]
STAGES: list[tuple[int, str, StageFactory]] = []


def register_stage(order: int, name: str) -> Callable[[StageFactory], StageFactory]:
    """Register a stage factory; the pipeline runs stages by ascending `order`."""

    def add(factory: StageFactory) -> StageFactory:
        STAGES.append((order, name, factory))
        STAGES.sort(key=lambda entry: entry[0])
        return factory

    return add


def result(
    stage: str,
    original: str,
    text: str,
    findings: Sequence[Finding],
    started: float,
    *,
    blocked: bool = False,
    drop_asins: frozenset[str] = frozenset(),
) -> StageResult:
    action = Action.BLOCK if blocked else Action.MODIFY if text != original else Action.PASS
    elapsed = (time.perf_counter() - started) * 1000
    return StageResult(stage, action, text, tuple(findings), round(elapsed, 3), drop_asins)
