"""The output pipeline wired to the configured store, for the `guard output` command."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import asdict
from decimal import Decimal
from typing import Any

from mangaassist.config import Settings
from mangaassist.domain.store import Promotion
from mangaassist.guardrails.competitors import CompetitorMatcher
from mangaassist.guardrails.output.base import OutputContext, StageDeps
from mangaassist.guardrails.output.pipeline import OutputPipeline
from mangaassist.store.protocols import StoreServices

Checker = Callable[[str, dict[str, Any]], Awaitable[dict[str, Any]]]


async def open_output_checker(settings: Settings, store: StoreServices) -> Checker:
    """`build_output_checker` with what the chat app gives its pipeline: series titles
    (safe for the toxicity lexicon) and today's active promotions."""
    series = await store.catalog.list_series()
    titles = frozenset(t for s in series for t in (s.title_en, s.title_ja))
    promotions = tuple(await store.promotions.active(settings.store.today))
    return build_output_checker(
        settings,
        store,
        safe_titles=titles,
        promotions=promotions,
        series_genres={s.series_id: s.genres for s in series},
    )


def build_output_checker(
    settings: Settings,
    store: StoreServices,
    *,
    safe_titles: frozenset[str] = frozenset(),
    promotions: Sequence[Promotion] = (),
    series_genres: Mapping[str, tuple[str, ...]] | None = None,
) -> Checker:
    """An async `(text, context) -> report`: the pipeline over the store's catalog and pricing.

    `context` may hold `asins` (the products the answer is about), `language`,
    `allow` (values the store supplied, e.g. a tracking number) and `policy_amounts`.
    """
    deps = StageDeps(
        settings.guardrails,
        store.catalog,
        store.pricing,
        CompetitorMatcher(settings.guardrails.competitors),
        safe_titles,
        series_genres=dict(series_genres or {}),
    )
    pipeline = OutputPipeline(deps)

    async def check(text: str, context: dict[str, Any]) -> dict[str, Any]:
        asins = context.get("asins", [])
        if not isinstance(asins, list) or not all(isinstance(a, str) for a in asins):
            raise ValueError('"context.asins" must be a list of ASIN strings')
        products = await store.catalog.get_many(asins) if asins else {}
        output_context = OutputContext(
            language=str(context.get("language", "en")),
            products=tuple(products.values()),
            allow=frozenset(str(v) for v in context.get("allow", [])),
            policy_amounts=frozenset(Decimal(str(v)) for v in context.get("policy_amounts", [])),
            promotions=promotions,
        )
        verdict = await pipeline.run(text, output_context)
        return {
            "text": text,
            "final": verdict.text,
            "action": verdict.action,
            "drop_asins": sorted(verdict.drop_asins),
            "stages": [
                {
                    "stage": s.stage,
                    "action": s.action.value,
                    "ms": s.elapsed_ms,
                    "findings": [asdict(f) for f in s.findings],
                }
                for s in verdict.stages
            ],
        }

    return check
