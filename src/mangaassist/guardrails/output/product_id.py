"""Stage 5, product-ID validation: every ASIN in an answer must be a real, trusted listing.

One batch catalog lookup; unknown ASINs are cut out of the text, and listings below
the trust threshold are removed from the text (their sentence) and from the cards.
"""

from __future__ import annotations

import re
import time

from mangaassist.domain.store import is_asin
from mangaassist.guardrails.output.base import (
    Finding,
    OutputContext,
    StageDeps,
    StageResult,
    register_stage,
    result,
)
from mangaassist.guardrails.output.mentions import find_mentions
from mangaassist.guardrails.sentences import drop_sentences, split_sentences
from mangaassist.store.errors import StoreError

NAME = "product_id"
# Anything shaped like an ASIN, including near-misses a model invents (wrong length, lower case).
# Bounded by non-alphanumerics rather than \b, which never fires next to Japanese text.
_ASIN_LIKE = re.compile(r"(?<![A-Za-z0-9])[Bb]0[0-9A-Za-z]{6,10}(?![A-Za-z0-9])")


class ProductIdStage:
    name = NAME

    def __init__(self, deps: StageDeps) -> None:
        self._deps = deps

    async def run(self, text: str, context: OutputContext) -> StageResult:
        started = time.perf_counter()
        tokens = {m.group() for m in _ASIN_LIKE.finditer(text)}
        low_trust = {
            p.asin for p in context.products if p.trust_score < self._deps.settings.trust_threshold
        }
        if not tokens and not low_trust:
            return result(NAME, text, text, [], started)
        findings: list[Finding] = []
        try:
            # Only well-formed ASINs are looked up; a garbled one (lower case, wrong length)
            # cannot be a listing and must not make the lookup fail for the others.
            found = await self._deps.catalog.get_many(sorted(t for t in tokens if is_asin(t)))
        except StoreError as exc:
            # Fail closed: an ASIN that cannot be checked is not shown.
            findings.append(Finding("catalog_unavailable", exc.code))
            found = {}
        threshold = self._deps.settings.trust_threshold
        low_trust |= {asin for asin, p in found.items() if p.trust_score < threshold}
        unknown = tokens - found.keys()
        cleaned = text
        for token in sorted(unknown, key=len, reverse=True):
            findings.append(Finding("unknown_asin", token, token))
            # "(B0…)" after a title is an aside: drop it; anywhere else the sentence goes.
            cleaned = re.sub(rf"\s?[(（]{re.escape(token)}[)）]", "", cleaned)
        shown_low_trust = [p for p in context.products if p.asin in low_trust]
        doomed = [
            s
            for s in split_sentences(cleaned)
            if any(token in s.text for token in unknown)
            or (
                low_trust
                and any(m.asin in low_trust for m in find_mentions(s.text, shown_low_trust))
            )
            or any(asin in s.text for asin in low_trust)
        ]
        findings += [Finding("low_trust_listing", asin, asin) for asin in sorted(low_trust)]
        cleaned = drop_sentences(cleaned, doomed)
        return result(NAME, text, cleaned, findings, started, drop_asins=frozenset(low_trust))


@register_stage(50, NAME)
def build(deps: StageDeps) -> ProductIdStage:
    return ProductIdStage(deps)
