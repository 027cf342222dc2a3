"""Local catalog and pricing over the in-memory snapshot, with EN/JA title and author search.

Search folds text (see `text.fold`), matches query words against series names (English,
Japanese, romaji, aliases) and authors, and lets leftover words ("3", "digital") match the
product title. Results rank by match strength, then series popularity, then edition order.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from mangaassist.domain.store import Price, Product, Series
from mangaassist.store import protocols
from mangaassist.store.errors import InvalidArgument, NotFound
from mangaassist.store.local import validate
from mangaassist.store.local.snapshot import Snapshot
from mangaassist.store.local.text import compact, fold, token_matches

MAX_SEARCH = 100
MAX_PAGE = 1000
_FORMAT_ORDER = {"volume": 0, "box_set": 1, "omnibus": 2, "deluxe": 3}


@dataclass(frozen=True)
class _Field:
    words: frozenset[str]
    joined: str
    weight: int


def _field(text: str, weight: int) -> _Field:
    folded = fold(text)
    return _Field(frozenset(folded.split()), compact(folded), weight)


def _field_score(tokens: list[str], whole: str, f: _Field) -> tuple[int, set[str]]:
    if whole and whole == f.joined:
        return 100 * f.weight, set(tokens)
    hit = {t for t in tokens if token_matches(t, f.words, f.joined)}
    if whole and len(whole) >= 2 and whole in f.joined:
        return (70 if f.joined.startswith(whole) else 50) * f.weight, set(tokens)
    return 10 * f.weight * len(hit), hit


class SearchIndex:
    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self.names: dict[str, list[_Field]] = {}
        self.authors: dict[str, list[_Field]] = {}
        self.combined: dict[str, _Field] = {}
        for s in snapshot.series.values():
            names = [s.title_en, s.title_ja, s.title_romaji, *s.aliases]
            self.names[s.series_id] = [_field(n, 3) for n in names]
            self.authors[s.series_id] = [_field(a, 2) for a in s.authors]
            fields = self.names[s.series_id] + self.authors[s.series_id]
            self.combined[s.series_id] = _Field(
                frozenset().union(*(f.words for f in fields)), "|".join(f.joined for f in fields), 1
            )
        self.titles = {
            p.asin: _field(f"{p.title} {p.title_ja} {p.format} {p.medium}", 1)
            for p in snapshot.products.values()
        }
        self.by_series: dict[str, list[Product]] = defaultdict(list)
        popularity: dict[str, int] = defaultdict(int)
        for p in snapshot.products.values():
            self.by_series[p.series_id].append(p)
            popularity[p.series_id] += p.rating_count
        self.popularity = dict(popularity)
        self.genre_of = {
            compact(fold(term)): key
            for key, terms in snapshot.genre_terms.items()
            for term in terms
        }

    def _series_score(self, series_id: str, tokens: list[str], whole: str) -> tuple[int, set[str]]:
        best, matched = 0, set[str]()
        combined = self.combined[series_id]
        if not (len(whole) >= 2 and whole in combined.joined) and not any(
            token_matches(t, combined.words, combined.joined) for t in tokens
        ):
            return 0, matched
        for f in (*self.names[series_id], *self.authors[series_id]):
            score, hit = _field_score(tokens, whole, f)
            matched |= hit
            best = max(best, score)
        return best, matched

    def _keep(self, p: Product, q: protocols.CatalogQuery, genre: str | None) -> bool:
        series = self.snapshot.series.get(p.series_id)
        if q.series_id is not None and p.series_id != q.series_id:
            return False
        if q.language is not None and p.language != q.language:
            return False
        if q.in_stock_only and p.stock <= 0:
            return False
        if genre is not None and (series is None or genre not in series.genres):
            return False
        if q.max_price is not None and self._usd(p) > q.max_price:
            return False
        if q.author is not None:
            wanted = compact(fold(q.author))
            fields = self.authors.get(p.series_id, [])
            if not wanted or not any(wanted in f.joined for f in fields):
                return False
        return True

    def _usd(self, p: Product) -> Decimal:
        return p.price / self.snapshot.jpy_per_usd if p.currency == "JPY" else p.price

    def search(self, q: protocols.CatalogQuery) -> list[Product]:
        limit = validate.limit(q.limit, most=MAX_SEARCH, service="catalog")
        genre = None
        if q.genre is not None:
            genre = self.genre_of.get(compact(fold(q.genre)))
            if genre is None:
                return []
        folded = fold(q.text or "")
        tokens, whole = folded.split(), compact(folded)
        if (q.text or "").strip() and not tokens:
            return []
        prefer = "ja" if not (q.text or "").isascii() else "en"
        scored: list[tuple[tuple[object, ...], Product]] = []
        # A series filter needs only that series' listings, not a scan of the catalog.
        candidates = (
            {q.series_id: self.by_series.get(q.series_id, [])}.items()
            if q.series_id is not None
            else self.by_series.items()
        )
        for series_id, products in candidates:
            base, matched = (
                (0, set()) if not tokens else self._series_score(series_id, tokens, whole)
            )
            if tokens and base == 0:
                continue
            rest = [t for t in tokens if t not in matched]
            for p in products:
                if rest and not all(
                    token_matches(t, self.titles[p.asin].words, self.titles[p.asin].joined)
                    for t in rest
                ):
                    continue
                if not self._keep(p, q, genre):
                    continue
                key = (
                    -(base + 5 * len(rest)),
                    -self.popularity[series_id],
                    series_id,
                    _FORMAT_ORDER[p.format],
                    p.language != prefer,
                    p.medium != "print",
                    p.volume or 0,
                    p.asin,
                )
                scored.append((key, p))
        scored.sort(key=lambda pair: pair[0])
        return [p for _, p in scored[:limit]]


class LocalCatalog:
    """`CatalogService` over the snapshot."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self.index = SearchIndex(snapshot)
        self.sorted_asins = sorted(snapshot.products)

    async def get(self, asin: str) -> Product:
        product = self.snapshot.products.get(validate.asin(asin))
        if product is None:
            raise NotFound(f"no product with ASIN {asin}", service="catalog")
        return product

    async def get_many(self, asins: Sequence[str]) -> dict[str, Product]:
        products = self.snapshot.products
        return {a: products[a] for a in validate.asins(asins) if a in products}

    async def search(self, query: protocols.CatalogQuery) -> list[Product]:
        return self.index.search(query)

    async def get_series(self, series_id: str) -> Series:
        series = self.snapshot.series.get(series_id)
        if series is None:
            raise NotFound(f"no series {series_id!r}", service="catalog")
        return series

    async def list_series(self) -> list[Series]:
        return [self.snapshot.series[k] for k in sorted(self.snapshot.series)]

    async def list_products(self, offset: int = 0, limit: int = 500) -> list[Product]:
        if not isinstance(offset, int) or offset < 0:
            raise InvalidArgument(f"offset must be >= 0, got {offset!r}", service="catalog")
        limit = validate.limit(limit, most=MAX_PAGE, service="catalog")
        page = self.sorted_asins[offset : offset + limit]
        return [self.snapshot.products[a] for a in page]


class LocalPricing:
    """`PricingService` over the snapshot."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot

    async def get_prices(self, asins: Sequence[str]) -> dict[str, Price]:
        products = self.snapshot.products
        return {
            a: Price(asin=a, currency=p.currency, price=p.price, list_price=p.list_price)
            for a in validate.asins(asins, "pricing")
            if (p := products.get(a)) is not None
        }
