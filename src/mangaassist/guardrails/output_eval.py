"""The labelled output corpus (data/guardrails/output*.jsonl): placeholders resolved against
the store, the real output pipeline run on each answer, and the score.

Placeholders (REF is `SERIES:EDITION[:NUM]` like the store's product key, e.g.
`one-piece:en-print:1`, `naruto:en-box`, or a selector `@lowtrust:N`):
`{asin:REF}`, `{title:REF|SERIES}`, `{title_ja:REF|SERIES}`, `{price:REF}`,
`{list_price:REF}`, `{wrong_price:REF:+3.00}` (also `-2`, `*0.5`), `{fake_asin[:N]}`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from mangaassist.config import Settings
from mangaassist.domain.store import Product
from mangaassist.guardrails.corpus import CorpusError, Split, _records, _wanted
from mangaassist.guardrails.service import open_output_checker
from mangaassist.store.demo.codes import asin_for
from mangaassist.store.protocols import CatalogQuery, StoreServices

CATEGORIES = frozenset(
    {
        "wrong_price",
        "fake_discount",
        "yen_in_us_store",
        "hallucinated_asin",
        "low_trust",
        "competitor",
        "off_topic",
        "toxic",
        "pii_leak",
        "clean",
    }
)
ACTIONS = frozenset({"pass", "modify", "block"})
PLACEHOLDER = re.compile(r"\{([a-z_]+)(?::([^{}]*))?\}")
NAMES = frozenset(
    {
        "asin",
        "title",
        "title_ja",
        "price",
        "list_price",
        "wrong_price",
        "fake_asin",
        "typo_asin",
        "short_asin",
        "lower_asin",
    }
)
EDITIONS = {
    "en-print": ("en", "print", "volume"),
    "ja-print": ("ja", "print", "volume"),
    "en-digital": ("en", "digital", "volume"),
    "en-box": ("en", "print", "box_set"),
    "ja-box": ("ja", "print", "box_set"),
    "en-omnibus": ("en", "print", "omnibus"),
    "en-deluxe": ("en", "print", "deluxe"),
}


@dataclass(frozen=True, slots=True)
class OutputCase:
    case_id: str
    where: str
    language: str
    category: str
    text: str
    action: str
    absent: tuple[str, ...]
    present: tuple[str, ...]


def _strings(value: object, where: str, name: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise CorpusError(f"{where}: 'expect.{name}' must be a list of strings")
    return tuple(value)


def _check_placeholders(text: str, where: str) -> None:
    for match in PLACEHOLDER.finditer(text):
        if match.group(1) not in NAMES:
            raise CorpusError(f"{where}: unknown placeholder {match.group()!r}")


def load_output(paths: Path | Sequence[Path], split: Split = "all") -> list[OutputCase]:
    cases = []
    for path, number, record in _records(paths):
        where = f"{path.name}:{number}"
        if record.get("category") not in CATEGORIES:
            raise CorpusError(f"{where}: 'category' must be one of {sorted(CATEGORIES)}")
        expect = record.get("expect")
        if not isinstance(expect, dict) or expect.get("action") not in ACTIONS:
            raise CorpusError(f"{where}: 'expect.action' must be pass, modify or block")
        absent = _strings(expect.get("absent", []), where, "absent")
        present = _strings(expect.get("present", []), where, "present")
        for text in (record["text"], *absent, *present):
            _check_placeholders(text, where)
        if _wanted(record["id"], split):
            cases.append(
                OutputCase(
                    record["id"],
                    where,
                    record["lang"],
                    record["category"],
                    record["text"],
                    expect["action"],
                    absent,
                    present,
                )
            )
    return cases


class Resolver:
    """Resolves placeholders against the store's catalog and pricing (cached per REF)."""

    def __init__(self, store: StoreServices, trust_threshold: float) -> None:
        self._store, self._threshold = store, trust_threshold
        self._products: dict[str, Product] = {}

    async def product(self, ref: str) -> Product:
        if ref not in self._products:
            self._products[ref] = await self._find(ref)
        return self._products[ref]

    async def _find(self, ref: str) -> Product:
        parts = ref.split(":")
        if parts[0] == "@lowtrust":
            return await self._nth(ref, self._is_low_trust, int(parts[1]))
        if parts[0] == "@full" and len(parts) == 3:
            full = await self._full_price_filter(parts[1].upper())
            return await self._nth(ref, full, int(parts[2]))
        if len(parts) not in (2, 3) or parts[1] not in EDITIONS:
            raise CorpusError(f"bad product reference {ref!r}")
        language, medium, fmt = EDITIONS[parts[1]]
        listings = await self._store.catalog.search(CatalogQuery(series_id=parts[0], limit=100))
        number = int(parts[2]) if len(parts) == 3 else None
        wanted = None if number is None else 3 * number - 2 if fmt == "omnibus" else number
        matches = [
            p
            for p in listings
            if (p.language, p.medium, p.format) == (language, medium, fmt)
            and (wanted is None or p.volume == wanted)
        ]
        if not matches:
            raise CorpusError(f"no product for {ref!r} in the store")
        return max(matches, key=lambda p: p.trust_score)

    def _is_low_trust(self, product: Product) -> bool:
        return product.trust_score < self._threshold

    async def _full_price_filter(self, currency: str) -> Callable[[Product], bool]:
        """Trusted print volumes sold at list price that no active promotion covers."""
        promotions = await self._store.promotions.active()
        genres = {g for p in promotions for g in p.genres}
        series = {s for p in promotions for s in p.series_ids}
        covered = {
            s.series_id
            for s in await self._store.catalog.list_series()
            if s.series_id in series or genres & set(s.genres)
        }
        return lambda p: (
            p.currency == currency
            and p.format == "volume"
            and p.medium == "print"
            and p.trust_score >= self._threshold
            and p.price == p.list_price
            and p.series_id not in covered
        )

    async def _nth(self, ref: str, keep: Callable[[Product], bool], index: int) -> Product:
        """The index-th (1-based, ASIN order) catalog product that `keep` accepts."""
        found: list[Product] = []
        for offset in range(0, 100_000, 500):
            page = await self._store.catalog.list_products(offset, 500)
            found += [p for p in page if keep(p)]
            if len(found) >= index or len(page) < 500:
                break
        if len(found) < index:
            raise CorpusError(f"only {len(found)} products match {ref!r}")
        return found[index - 1]

    async def fake_asin(self, salt: str) -> str:
        for attempt in range(100):
            asin = asin_for(f"output-eval-fake|{salt}|{attempt}")
            if not await self._store.catalog.get_many([asin]):
                return asin
        raise CorpusError("could not make an ASIN absent from the catalog")

    async def _garbled(self, name: str, asin: str) -> str:
        """A real ASIN as a model garbles it: one character changed, cut short, lower case."""
        if name == "short_asin":
            return asin[:-1]
        if name == "lower_asin":
            return asin.lower()
        for char in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ":
            typo = asin[:-1] + char
            if typo != asin and not await self._store.catalog.get_many([typo]):
                return typo
        raise CorpusError(f"no unknown one-character typo of {asin}")

    async def value(self, name: str, arg: str) -> str:
        if name == "fake_asin":
            return await self.fake_asin(arg or "1")
        if name in ("title", "title_ja") and ":" not in arg:
            series = await self._store.catalog.get_series(arg)
            return series.title_en if name == "title" else series.title_ja
        if name == "wrong_price":
            ref, _, delta = arg.rpartition(":")
            product = await self.product(ref)
            return _format(product.currency, _wrong(product, delta, arg))
        product = await self.product(arg)
        if name.endswith("_asin"):
            return await self._garbled(name, product.asin)
        if name == "asin":
            return product.asin
        if name == "title":
            return product.title
        if name == "title_ja":
            return product.title_ja
        if name == "list_price":
            return _format(product.currency, product.list_price)
        prices = await self._store.pricing.get_prices([product.asin])
        return _format(product.currency, prices[product.asin].price)

    async def resolve(self, text: str, where: str) -> str:
        out, cursor = [], 0
        for match in PLACEHOLDER.finditer(text):
            try:
                value = await self.value(match.group(1), match.group(2) or "")
            except (CorpusError, ValueError, LookupError) as exc:
                raise CorpusError(f"{where}: {match.group()}: {exc}") from exc
            out += [text[cursor : match.start()], value]
            cursor = match.end()
        return "".join([*out, text[cursor:]])


def _wrong(product: Product, delta: str, arg: str) -> Decimal:
    """The price moved by `delta`; applied again if that lands on the list price, so the
    amount is wrong whatever the seed made the listing's discount."""
    if not delta or delta[0] not in "+-*":
        raise CorpusError(f"wrong_price needs +N, -N or *F: {arg!r}")
    step = Decimal(delta[1:])
    cents = Decimal("1") if product.currency == "JPY" else Decimal("0.01")
    value = product.price
    for _ in range(2):
        value = value * step if delta[0] == "*" else value + (step if delta[0] == "+" else -step)
        value = value.quantize(cents)
        if value not in (product.price, product.list_price):
            break
    if value <= 0 or value in (product.price, product.list_price):
        raise CorpusError(f"wrong_price {arg!r} is not a wrong positive amount")
    return value


def _format(currency: str, value: Decimal) -> str:
    return f"¥{int(value):,}" if currency == "JPY" else f"${value:.2f}"


def action_of(verdict_action: str) -> str:
    return verdict_action.split(":", 1)[0].replace("modified", "modify").replace("blocked", "block")


async def evaluate_output(
    cases: Sequence[OutputCase], settings: Settings, store: StoreServices
) -> dict[str, Any]:
    """Runs each case through the pipeline as `guard output` builds it and scores it."""
    check = await open_output_checker(settings, store)
    resolver = Resolver(store, settings.guardrails.trust_threshold)
    outcomes = []
    for case in cases:
        text = await resolver.resolve(case.text, case.where)
        asins = [
            (await resolver.product(ref)).asin
            for ref in _product_refs(" ".join([case.text, *case.absent, *case.present]))
        ]
        absent = [await resolver.resolve(a, case.where) for a in case.absent]
        present = [await resolver.resolve(p, case.where) for p in case.present]
        report = await check(text, {"asins": asins, "language": case.language})
        final, action = report["final"], action_of(report["action"])
        ok = (
            action == case.action
            and not any(a in final for a in absent)
            and all(p in final for p in present)
            and (case.action != "pass" or final == text)
        )
        outcomes.append(
            {
                "id": case.case_id,
                "category": case.category,
                "lang": case.language,
                "ok": ok,
                "caught": not any(a in final for a in absent),
                "changed": final != text,
                "action": report["action"],
                "final": final,
                "text": text,
                "stages": {s["stage"]: s["ms"] for s in report["stages"]},
            }
        )
    return score(outcomes)


def _product_refs(text: str) -> list[str]:
    """The products a case is about (the route's context): every product REF it names."""
    refs = set()
    for match in PLACEHOLDER.finditer(text):
        name, arg = match.group(1), match.group(2) or ""
        if name == "wrong_price":
            arg = arg.rpartition(":")[0]
        if not name.endswith("_asin") and ":" in arg:
            refs.add(arg)
    return sorted(refs)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def score(outcomes: list[dict[str, Any]]) -> dict[str, Any]:
    by_category: dict[str, list[dict[str, Any]]] = {}
    for o in outcomes:
        by_category.setdefault(o["category"], []).append(o)
    timing: dict[str, list[float]] = {}
    for o in outcomes:
        for stage, ms in o["stages"].items():
            timing.setdefault(stage, []).append(ms)
    clean = by_category.get("clean", [])

    def rate(items: list[dict[str, Any]], key: str) -> float:
        return round(sum(o[key] for o in items) / len(items), 4) if items else 1.0

    return {
        "cases": len(outcomes),
        "accuracy": rate(outcomes, "ok"),
        "by_category": {
            k: {"cases": len(v), "accuracy": rate(v, "ok"), "caught": rate(v, "caught")}
            for k, v in sorted(by_category.items())
        },
        "catch_rate": {
            k: rate(by_category.get(k, []), "caught") for k in ("wrong_price", "hallucinated_asin")
        },
        "false_modification_rate": rate(clean, "changed") if clean else 0.0,
        "timing_ms": {
            k: {"p50": _percentile(v, 0.5), "p95": _percentile(v, 0.95), "max": max(v)}
            for k, v in timing.items()
        },
        "failures": [
            {k: o[k] for k in ("id", "category", "action", "text", "final")}
            for o in outcomes
            if not o["ok"]
        ],
    }
