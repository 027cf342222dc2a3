"""Retrieval latency per query over >= 10,000 chunks, in process (recall is measured by
`mangaassist retrieval eval`, not here).

The index holds the real chunks (knowledge base, series, store products) plus synthetic
product-like chunks (real product chunks with new ids and volume numbers) up to
`--chunks`. Each query runs the whole path: BM25 with a language filter, RRF, the
feature reranker under its deadline, top-3. Queries are the labelled questions.

    .venv/bin/python benchmarks/bench_retrieval.py [--chunks 12000] [--passes 5]
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import os
import statistics
import time
from pathlib import Path

import yaml

from mangaassist.config import load_settings
from mangaassist.retrieval.build import build_chunks, load_catalog, open_retriever
from mangaassist.retrieval.chunks import Chunk
from mangaassist.retrieval.evaluate import parse_questions
from mangaassist.retrieval.lexical import Filters
from mangaassist.store.local import ensure_demo_store


def padded(chunks: list[Chunk], target: int) -> list[Chunk]:
    products = [c for c in chunks if c.doc_type == "product"] or chunks
    extra = []
    for i in range(max(0, target - len(chunks))):
        base = products[i % len(products)]
        volume = 100 + i // len(products)
        extra.append(
            dataclasses.replace(
                base,
                chunk_id=f"{base.language}:synthetic:{i}",
                doc_id=f"synthetic:{i}",
                title=f"{base.title} ({volume})",
                text=f"{base.text} Volume {volume}.",
            )
        )
    return chunks + extra


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


async def measure(chunks: list[Chunk], queries: list[tuple[str, str]], passes: int) -> list[float]:
    retriever = open_retriever(chunks)
    for text, lang in queries[:20]:  # warm-up: caches, first-call costs
        await retriever.search(text, lang, Filters(language=lang), 3)
    timings = []
    for _ in range(passes):
        for text, lang in queries:
            start = time.perf_counter()
            await retriever.search(text, lang, Filters(language=lang), 3)
            timings.append((time.perf_counter() - start) * 1000)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--chunks", type=int, default=12000)
    parser.add_argument("--passes", type=int, default=5)
    args = parser.parse_args()
    settings = load_settings()
    catalog = load_catalog(settings.data_dir, ensure_demo_store(settings))
    real = build_chunks(settings.data_dir, catalog)
    chunks = padded(real, args.chunks)
    raw = yaml.safe_load(Path(settings.data_dir, "retrieval", "questions.yaml").read_text("utf-8"))
    queries = [(q.text, q.language) for q in parse_questions(raw)]
    start = time.perf_counter()
    open_retriever(chunks)
    build_s = time.perf_counter() - start
    timings = asyncio.run(measure(chunks, queries, args.passes))
    print(f"chunks: {len(chunks)} ({len(real)} real), queries: {len(timings)}")
    print(f"cores: {os.cpu_count()}, load average: {os.getloadavg()[0]:.2f}")
    print(f"index build: {build_s:.2f} s")
    print(
        f"per query ms: p50 {statistics.median(timings):.2f}  p90 {percentile(timings, 90):.2f}  "
        f"p99 {percentile(timings, 99):.2f}  max {max(timings):.2f}"
    )


if __name__ == "__main__":
    main()
