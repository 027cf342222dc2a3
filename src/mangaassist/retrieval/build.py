"""Builds the retrieval artifacts from data/ and the demo store, and loads them back.

`build_chunks` reads the knowledge base, the series facts and the store's products into
chunks; `write_chunks`/`read_chunks` keep them as JSON lines (the `ingest` artifact);
`open_retriever` and `open_recommender` wire the engines over them for the CLIs.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from mangaassist.domain.store import Order, Product, Series
from mangaassist.nlu.entities import AliasIndex, load_series_dir
from mangaassist.nlu.normalize import match_key
from mangaassist.retrieval.chunks import Chunk
from mangaassist.retrieval.ingest import (
    knowledge_base_chunks,
    product_chunks,
    series_chunks,
)
from mangaassist.retrieval.lexical import LexicalIndex
from mangaassist.retrieval.recommend.engine import Recommender
from mangaassist.retrieval.recommend.request import Request, RequestReader, load_references
from mangaassist.retrieval.rerank import DeadlineReranker, FeatureReranker
from mangaassist.retrieval.retriever import HybridRetriever
from mangaassist.yamlio import load_yaml

_TUPLE_FIELDS = ("keywords", "genres", "flag_reasons")


class ArtifactError(ValueError):
    """The chunk artifact is missing or unreadable; the message says how to rebuild it."""


@dataclass(frozen=True, slots=True)
class Catalog:
    """What retrieval and recommendations read from the store: series, products, orders."""

    series: tuple[Series, ...]
    products: tuple[Product, ...]
    orders: tuple[Order, ...]


def load_series(data_dir: Path) -> list[Series]:
    return load_series_dir(data_dir / "catalog" / "series")


def load_catalog(data_dir: Path, db_path: Path | None) -> Catalog:
    """Series from data/; products and orders from the demo store when one is given."""
    series = tuple(load_series(data_dir))
    if db_path is None:
        return Catalog(series, (), ())
    from mangaassist.store.local.snapshot import load_snapshot

    snapshot = load_snapshot(db_path)
    return Catalog(series, tuple(snapshot.products.values()), tuple(snapshot.orders.values()))


def source_files(data_dir: Path) -> list[Path]:
    """The data files chunks are built from (the store file aside)."""
    return [
        *sorted((data_dir / "kb").glob("*/*.md")),
        *sorted((data_dir / "catalog" / "series").glob("*.yaml")),
    ]


def build_chunks(data_dir: Path, catalog: Catalog) -> list[Chunk]:
    genres = {s.series_id: s.genres for s in catalog.series}
    return [
        *knowledge_base_chunks(data_dir / "kb"),
        *series_chunks(catalog.series),
        *product_chunks(catalog.products, genres),
    ]


def chunk_to_json(chunk: Chunk) -> str:
    return json.dumps(asdict(chunk), ensure_ascii=False, sort_keys=True)


def chunk_from_json(line: str) -> Chunk:
    raw: dict[str, Any] = json.loads(line)
    for name in _TUPLE_FIELDS:
        raw[name] = tuple(raw.get(name) or ())
    return Chunk(**raw)


def write_chunks(chunks: Iterable[Chunk], path: Path) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [chunk_to_json(c) for c in chunks]
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return len(lines)


def read_chunks(path: Path) -> list[Chunk]:
    if not path.is_file():
        raise ArtifactError(f"chunk artifact not found: {path} (run `mangaassist ingest`)")
    try:
        text = path.read_text(encoding="utf-8")
        return [chunk_from_json(line) for line in text.splitlines() if line.strip()]
    except (ValueError, TypeError) as exc:
        raise ArtifactError(f"{path}: not a chunk artifact ({exc})") from exc


def counts_by_type_and_language(chunks: Sequence[Chunk]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for chunk in chunks:
        counts[f"{chunk.doc_type}/{chunk.language}"] += 1
    return dict(sorted(counts.items()))


def open_retriever(chunks: Sequence[Chunk], deadline_s: float = 0.05) -> HybridRetriever:
    """Lexical first stage (the dense index needs a local model) and the feature reranker."""
    reranker = DeadlineReranker(FeatureReranker(), deadline_s)
    return HybridRetriever([LexicalIndex(chunks)], reranker, candidates=10)


def purchase_histories(orders: Iterable[Order], products: Iterable[Product]) -> list[list[str]]:
    """Each customer's series in first-purchase order (orders by date, items in order)."""
    series_of = {p.asin: p.series_id for p in products}
    by_customer: dict[str, list[Order]] = defaultdict(list)
    for order in orders:
        by_customer[order.customer_id].append(order)
    histories = []
    for customer in sorted(by_customer):
        seen: dict[str, None] = {}
        for order in sorted(by_customer[customer], key=lambda o: (o.placed_at, o.order_id)):
            for item in order.items:
                if item.asin in series_of:
                    seen.setdefault(series_of[item.asin], None)
        histories.append(list(seen))
    return histories


def baskets(histories: Iterable[Sequence[str]]) -> list[list[str]]:
    return [list(h) for h in histories if h]


@dataclass(frozen=True, slots=True)
class RecommendKit:
    """A request reader, the title lookup and the recommender, built together."""

    reader: RequestReader
    titles: AliasIndex
    recommender: Recommender

    def read(self, text: str) -> Request:
        key = match_key(text)
        seeds = [m.value for m in self.titles.titles.find(key)]
        return self.reader.read(text, seeds)


def open_recommender(
    data_dir: Path,
    catalog: Catalog,
    *,
    trust_threshold: float,
    training_histories: Sequence[Sequence[str]] | None = None,
) -> RecommendKit:
    """The recommender over the catalog; co-purchases from `training_histories` when given
    (held-out evaluation), else from every order."""
    vocabulary = load_yaml((data_dir / "catalog" / "vocabulary.yaml").read_text("utf-8"))
    references = load_references(data_dir / "recommendations" / "references.yaml")
    authors = sorted({a for s in catalog.series for a in s.authors})
    reader = RequestReader(vocabulary["genres"], vocabulary["tags"], references, authors)
    labels_ja = {
        k: str(v.get("ja", k)) for part in ("genres", "tags") for k, v in vocabulary[part].items()
    }
    if training_histories is None:
        training_histories = purchase_histories(catalog.orders, catalog.products)
    recommender = Recommender(
        catalog.series,
        catalog.products,
        baskets(training_histories),
        trust_threshold=trust_threshold,
        labels_ja=labels_ja,
    )
    return RecommendKit(reader, AliasIndex.build(catalog.series), recommender)
