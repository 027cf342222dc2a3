"""Scores a message for prompt injection across languages and obfuscations, with reasons."""

from __future__ import annotations

import re
from dataclasses import dataclass

from mangaassist.guardrails.injection import patterns_cjk as _cjk  # noqa: F401  (registers)
from mangaassist.guardrails.injection import patterns_en as _en  # noqa: F401  (registers)
from mangaassist.guardrails.injection.signals import SIGNALS, Signal
from mangaassist.guardrails.injection.views import decoded_payloads, views

DEFAULT_THRESHOLD = 0.5


@dataclass(frozen=True, slots=True)
class InjectionVerdict:
    """`score` in [0, 1]; `blocked` when it reaches the threshold; `reasons` name the evidence."""

    score: float
    blocked: bool
    reasons: tuple[str, ...]


_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff01-\uff60]")
_HANGUL = re.compile(r"[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]")


#: Signals per language, built on first use (after every pattern module has registered).
_GROUPED: dict[str, list[Signal]] = {}


# Kana marks Japanese; characters common in Chinese but rare in Japanese text mark Chinese
# (also a Chinese sentence inside a Japanese message). Han characters alone could be either.
_KANA = re.compile(r"[\u3040-\u30ff]")
_CHINESE_MARKS = re.compile(r"[的你们們这這么麼吗嗎说說请請给給把没沒吧呢啊让讓]")


def _languages(text: str) -> set[str]:
    present = {"en"}
    if _CJK.search(text):
        present.add("ja")
        if not _KANA.search(text) or _CHINESE_MARKS.search(text):
            present.add("zh")
    if _HANGUL.search(text):
        present.add("ko")
    return present


def _by_language() -> dict[str, list[Signal]]:
    grouped: dict[str, list[Signal]] = {}
    for sig in SIGNALS:
        grouped.setdefault(sig.language, []).append(sig)
    return grouped


def _hits(text: str) -> dict[str, float]:
    found: dict[str, float] = {}
    candidates = views(text)
    # Signals registered together share one anchors tuple: which views hold one of its
    # anchors is worked out once per tuple, not once per pattern.
    usable: dict[tuple[str, ...], list[str]] = {(): candidates}
    if not _GROUPED:
        _GROUPED.update(_by_language())
    for language in _languages(candidates[0]):
        for sig in _GROUPED.get(language, ()):
            key = sig.key
            if found.get(key, 0.0) >= sig.weight:
                continue
            views_here = usable.get(sig.anchors)
            if views_here is None:
                views_here = [v for v in candidates if sig.could_match(v)]
                usable[sig.anchors] = views_here
            if views_here and any(sig.search(view) for view in views_here):
                found[key] = sig.weight
    return found


def _combine(weights: dict[str, float]) -> float:
    # Evidence of the same kind in several languages counts once, at its strongest.
    by_kind: dict[str, float] = {}
    for key, weight in weights.items():
        kind = key.split(":", 1)[0]
        by_kind[kind] = max(by_kind.get(kind, 0.0), weight)
    remaining = 1.0
    for weight in by_kind.values():
        remaining *= 1.0 - weight
    return 1.0 - remaining


def score_injection(text: str, *, threshold: float = DEFAULT_THRESHOLD) -> InjectionVerdict:
    hits = _hits(text)
    for encoding, payload in decoded_payloads(text):
        for key, weight in _hits(payload).items():
            name = f"encoded_{encoding}.{key}"
            hits[name] = max(hits.get(name, 0.0), min(1.0, weight + 0.1))
    score = round(_combine(hits), 4)
    return InjectionVerdict(score, score >= threshold, tuple(sorted(hits)))
