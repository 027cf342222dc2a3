"""NLU speed: warm per-message latency of the two-stage classifier (rules, model, entities).

Run: `.venv/bin/python benchmarks/bench_nlu.py` (pin to one core with `taskset -c 0`).
Trains the artifact in memory (reported as training time), builds the alias index from
data/catalog, then classifies every dev+test utterance `ROUNDS` times after a warm-up pass.
"""

from __future__ import annotations

import gc
import statistics
import time

from mangaassist.config import load_settings
from mangaassist.nlu.artifact import train_artifact
from mangaassist.nlu.dataset import load_utterances, select
from mangaassist.nlu.service import build_classifier, file_alias_index, intents_dir

ROUNDS = 20


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    settings = load_settings()
    utterances = load_utterances(intents_dir(settings))
    started = time.perf_counter()
    artifact = train_artifact(utterances)
    train_s = time.perf_counter() - started
    classifier = build_classifier(settings, artifact=artifact, aliases=file_alias_index(settings))
    texts = [u.text for u in select(utterances, ("dev", "test"))]
    for text in texts:  # warm-up: caches, numpy dispatch
        classifier.classify(text)
    # Long-lived model objects (a ~40k-entry vocabulary) out of the collector's way, as the
    # service does after start-up; otherwise full collections show up as multi-ms outliers.
    gc.freeze()
    timings: list[float] = []
    for _ in range(ROUNDS):
        for text in texts:
            t0 = time.perf_counter_ns()
            classifier.classify(text)
            timings.append((time.perf_counter_ns() - t0) / 1000)
    print(f"training: {train_s:.1f} s on {artifact.metadata['n_utterances']} utterances")
    print(f"messages: {len(texts)} x {ROUNDS} rounds")
    print(
        f"per message µs: p50 {_percentile(timings, 0.5):.0f}  p90 {_percentile(timings, 0.9):.0f}"
        f"  p99 {_percentile(timings, 0.99):.0f}  max {max(timings):.0f}"
        f"  mean {statistics.fmean(timings):.0f}"
    )


if __name__ == "__main__":
    main()
