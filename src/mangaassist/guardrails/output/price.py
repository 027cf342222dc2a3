"""Stage 2, price accuracy: every amount tied to a product must be the store's price.

Each amount is attached to the nearest product mention in its sentence. Wrong amounts
are corrected in place, discounts the store does not give are removed with their
sentence, yen quoted for a dollar-priced listing is flagged and corrected, and when
pricing does not answer in time every amount goes and a note sends the shopper to
the product page.
"""

from __future__ import annotations

import asyncio
import re
import time
from dataclasses import replace
from decimal import Decimal

from mangaassist.domain.store import Price, Product, Promotion
from mangaassist.guardrails.money import Amount, find_amounts, format_amount, same_amount
from mangaassist.guardrails.output.base import (
    Finding,
    OutputContext,
    StageDeps,
    StageResult,
    register_stage,
    result,
)
from mangaassist.guardrails.output.mentions import ASIN_TOKEN, Mention, find_mentions
from mangaassist.guardrails.sentences import Sentence, drop_sentences, split_sentences
from mangaassist.store.errors import StoreError

NAME = "price"
PRICING_NOTE = {
    "en": "See the product page for current pricing.",
    "ja": "最新の価格は商品ページでご確認ください。",
}
_DISCOUNT = re.compile(
    r"(\d{1,2})\s?(?:%|percent)\s?(?:off|discount|savings?)|(?:save|saving)\s(\d{1,2})\s?%|"
    r"(\d{1,2})\s?[%％]\s?(?:オフ|off|OFF|引き|割引)|(\d)割引",
    re.IGNORECASE,
)


class PriceStage:
    name = NAME

    def __init__(self, deps: StageDeps) -> None:
        self._deps = deps

    async def run(self, text: str, context: OutputContext) -> StageResult:
        started = time.perf_counter()
        amounts = find_amounts(text)
        discounts = list(_DISCOUNT.finditer(text))
        if not amounts and not discounts:
            return result(NAME, text, text, [], started)
        sentences = [
            s
            for s in split_sentences(text)
            if any(s.start <= a.start < s.end for a in amounts)
            or any(s.start <= d.start() < s.end for d in discounts)
        ]
        mentions = {s.start: find_mentions(s.text, context.products) for s in sentences}
        asins = {m.asin for ms in mentions.values() for m in ms}
        try:
            # asyncio.timeout (not wait_for) runs the lookup without creating a task.
            async with asyncio.timeout(self._deps.settings.pricing_timeout_ms / 1000):
                prices, _known = await self._lookup(asins, context)
        except (TimeoutError, StoreError):
            return self._without_prices(text, amounts, context, started)
        return self._check(text, sentences, mentions, prices, amounts, discounts, context, started)

    async def _lookup(
        self, asins: set[str], context: OutputContext
    ) -> tuple[dict[str, Price], dict[str, Product]]:
        known = {p.asin: p for p in context.products}
        unknown = sorted(asins - known.keys())
        if unknown:
            known.update(await self._deps.catalog.get_many(unknown))
        prices = await self._deps.pricing.get_prices(sorted(asins)) if asins else {}
        return prices, known

    def _without_prices(
        self, text: str, amounts: list[Amount], context: OutputContext, started: float
    ) -> StageResult:
        stripped = text
        for amount in sorted(amounts, key=lambda a: a.start, reverse=True):
            stripped = stripped[: amount.start] + "—" + stripped[amount.end :]
        note = PRICING_NOTE.get(context.language, PRICING_NOTE["en"])
        final = f"{stripped.rstrip()} {note}".strip()
        return result(NAME, text, final, [Finding("pricing_unavailable", note)], started)

    def _check(
        self,
        text: str,
        sentences: list[Sentence],
        mentions: dict[int, list[Mention]],
        prices: dict[str, Price],
        amounts: list[Amount],
        discounts: list[re.Match[str]],
        context: OutputContext,
        started: float,
    ) -> StageResult:
        findings: list[Finding] = []
        edits: list[tuple[int, int, str]] = []
        doomed: list[Sentence] = []
        for sentence in sentences:
            here = [m for m in mentions[sentence.start] if m.asin in prices]
            if not here:
                continue
            has_discount = any(sentence.start <= d.start() < sentence.end for d in discounts)
            if has_discount and self._invented_discount(
                sentence.text, here, prices, context, findings
            ):
                doomed.append(sentence)
                continue
            for found in (a for a in amounts if sentence.start <= a.start < sentence.end):
                amount = replace(
                    found, start=found.start - sentence.start, end=found.end - sentence.start
                )
                edit = self._check_amount(amount, here, prices, findings)
                if edit is not None:
                    start, end, replacement = edit
                    edits.append((sentence.start + start, sentence.start + end, replacement))
        fixed = text
        for start, end, replacement in sorted(edits, reverse=True):
            fixed = fixed[:start] + replacement + fixed[end:]
        if doomed:
            shift = _shifted(doomed, edits)
            fixed = drop_sentences(fixed, shift)
        return result(NAME, text, fixed, findings, started)

    def _check_amount(
        self,
        amount: Amount,
        mentions: list[Mention],
        prices: dict[str, Price],
        findings: list[Finding],
    ) -> tuple[int, int, str] | None:
        # "X is $Y", "XはY円": an amount belongs to the closest product named before it;
        # only when none is (“At $9.99, X …”) to the closest one after it.
        before = [m for m in mentions if m.position < amount.start]
        pool = before or mentions
        nearest = min(abs(m.position - amount.start) for m in pool)
        candidates = [prices[m.asin] for m in pool if abs(m.position - amount.start) == nearest]
        for price in candidates:
            if price.currency == amount.currency and (
                same_amount(amount.currency, amount.value, price.price)
                or same_amount(amount.currency, amount.value, price.list_price)
            ):
                return None
        price = candidates[0]
        if amount.currency == "JPY" and price.currency == "USD":
            findings.append(
                Finding("yen_in_us_store", f"¥{amount.value} for a USD listing", price.asin)
            )
        shown = format_amount(price.currency, price.price, amount.style)
        findings.append(
            Finding("wrong_price", f"{amount.currency} {amount.value} -> {shown}", price.asin)
        )
        return amount.start, amount.end, shown

    def _applies(self, promotion: Promotion, product: Product) -> bool:
        """Whether a promotion covers the product: storewide, by series, or by genre."""
        if not promotion.series_ids and not promotion.genres:
            return True
        if product.series_id in promotion.series_ids:
            return True
        genres = self._deps.series_genres.get(product.series_id, ())
        return bool(set(genres) & set(promotion.genres))

    def _invented_discount(
        self,
        sentence: str,
        mentions: list[Mention],
        prices: dict[str, Price],
        context: OutputContext,
        findings: list[Finding],
    ) -> bool:
        products = {p.asin: p for p in context.products}
        allowed: set[int] = set()
        for mention in mentions:
            product = products.get(mention.asin)
            allowed |= {
                promo.discount_percent
                for promo in context.promotions
                if product is None or self._applies(promo, product)
            }
            price = prices[mention.asin]
            if price.list_price > 0:
                real = (price.list_price - price.price) / price.list_price * 100
                allowed.add(int(real.quantize(Decimal("1"))))
        for match in _DISCOUNT.finditer(sentence):
            digits = next(g for g in match.groups() if g)
            claimed = int(digits) * (10 if match.group(4) else 1)
            if not any(abs(claimed - a) <= 1 for a in allowed if a > 0):
                findings.append(Finding("invented_discount", match.group(), mentions[0].asin))
                return True
        return False


def _shifted(doomed: list[Sentence], edits: list[tuple[int, int, str]]) -> list[Sentence]:
    """Sentence spans moved by the in-place price edits made before them."""
    moved = []
    for sentence in doomed:
        delta = sum(len(r) - (e - s) for s, e, r in edits if e <= sentence.start)
        moved.append(Sentence(sentence.start + delta, sentence.end + delta, sentence.text))
    return moved


@register_stage(20, NAME)
def build(deps: StageDeps) -> PriceStage:
    return PriceStage(deps)


__all__ = ["ASIN_TOKEN", "PRICING_NOTE", "PriceStage"]
