"""Side by side, in one run: MangaAssist's PII detector vs Presidio's pattern recognisers.

Same English texts, same process, same machine. Reports time per message (p50/p99)
and recall/precision on the labelled English PII cases of the test split (types
both tools cover: email, phone, card, SSN, IBAN, IP). Presidio runs its recognisers
directly, with no spaCy model (its NLP-based ones would be slower still).

    .venv/bin/pip install -e ".[bench]"
    .venv/bin/python benchmarks/guardrails_vs_presidio.py [--split test]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import tldextract

from mangaassist.guardrails.corpus import PiiCase, corpus_files, load_pii
from mangaassist.guardrails.pii import detect_pii

# Presidio's e-mail recogniser would otherwise try to download the public-suffix list.
tldextract.tldextract.TLD_EXTRACTOR = tldextract.TLDExtract(suffix_list_urls=())

from presidio_analyzer.predefined_recognizers import (  # noqa: E402
    CreditCardRecognizer,
    EmailRecognizer,
    IbanRecognizer,
    IpRecognizer,
    PhoneRecognizer,
    UsSsnRecognizer,
)

SHARED = {"email", "phone", "card", "ssn", "iban", "ip_address"}
PRESIDIO_TYPES = {
    "EMAIL_ADDRESS": "email",
    "PHONE_NUMBER": "phone",
    "CREDIT_CARD": "card",
    "US_SSN": "ssn",
    "IBAN_CODE": "iban",
    "IP_ADDRESS": "ip_address",
}
RECOGNIZERS = [
    EmailRecognizer(),
    PhoneRecognizer(),
    CreditCardRecognizer(),
    UsSsnRecognizer(),
    IbanRecognizer(),
    IpRecognizer(),
]
Detector = Callable[[str], list[tuple[str, str]]]


def ours(text: str) -> list[tuple[str, str]]:
    return [(f.type.value, f.value) for f in detect_pii(text) if f.type.value in SHARED]


def presidio(text: str, threshold: float = 0.3) -> list[tuple[str, str]]:
    found = []
    for recognizer in RECOGNIZERS:
        for hit in recognizer.analyze(text, recognizer.supported_entities, nlp_artifacts=None):
            if hit.score >= threshold and hit.entity_type in PRESIDIO_TYPES:
                found.append((PRESIDIO_TYPES[hit.entity_type], text[hit.start : hit.end]))
    return found


def score(detector: Detector, cases: list[PiiCase]) -> tuple[float, float]:
    tp = fp = fn = 0
    for case in cases:
        expected = [e for e in case.expected if e[0] in SHARED]
        for kind, value in detector(case.text):
            hit = next(
                (e for e in expected if e[0] == kind and (e[1] in value or value in e[1])), None
            )
            if hit is None:
                fp += 1
            else:
                expected.remove(hit)
                tp += 1
        fn += len(expected)
    return tp / max(1, tp + fn), tp / max(1, tp + fp)


def timing(detector: Detector, texts: list[str], rounds: int) -> tuple[float, float]:
    samples = []
    for _ in range(rounds):
        for text in texts:
            start = time.perf_counter()
            detector(text)
            samples.append((time.perf_counter() - start) * 1e6)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.99)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="test", choices=["dev", "test", "all"])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--data", type=Path, default=Path("data/guardrails"))
    args = parser.parse_args()
    cases = [c for c in load_pii(corpus_files(args.data, "pii"), args.split) if c.language == "en"]
    texts = [c.text for c in cases]
    print(f"{len(cases)} English cases ({args.split} split); shared types: {sorted(SHARED)}")
    print(f"{'detector':<22}{'p50 µs':>9}{'p99 µs':>9}{'recall':>8}{'precision':>11}")
    results = {}
    for name, detector in [("mangaassist", ours), ("presidio patterns", presidio)]:
        p50, p99 = timing(detector, texts, args.rounds)
        recall, precision = score(detector, cases)
        results[name] = p50
        print(f"{name:<22}{p50:>9.1f}{p99:>9.1f}{recall:>8.3f}{precision:>11.3f}")
    ratio = results["presidio patterns"] / results["mangaassist"]
    print(f"speed ratio (presidio p50 / mangaassist p50): {ratio:.1f}x")


if __name__ == "__main__":
    main()
