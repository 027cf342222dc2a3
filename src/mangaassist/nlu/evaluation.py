"""Quality of the two-stage classifier on a labelled split: per-intent P/R/F1, macro-F1,
confusion matrix, out-of-scope recall and in-scope precision, per language.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from mangaassist.domain.intent import Intent
from mangaassist.nlu.classifier import IntentClassifier
from mangaassist.nlu.dataset import Utterance

LABELS = tuple(Intent)


@dataclass(frozen=True, slots=True)
class IntentScores:
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(slots=True)
class EvalReport:
    n: int
    per_intent: dict[str, IntentScores]
    macro_f1: float
    accuracy: float
    oos_recall: float
    in_scope_precision: float
    confusion: list[list[int]]
    macro_f1_by_language: dict[str, float] = field(default_factory=dict)
    stages: dict[str, int] = field(default_factory=dict)


def _ratio(a: int, b: int) -> float:
    return a / b if b else 0.0


def score(
    gold: Sequence[Intent], predicted: Sequence[Intent]
) -> tuple[dict[str, IntentScores], float]:
    pairs = Counter(zip(gold, predicted, strict=True))
    per: dict[str, IntentScores] = {}
    for label in LABELS:
        tp = pairs[(label, label)]
        predicted_n = sum(n for (_, p), n in pairs.items() if p is label)
        support = sum(n for (g, _), n in pairs.items() if g is label)
        precision, recall = _ratio(tp, predicted_n), _ratio(tp, support)
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per[label.value] = IntentScores(precision, recall, f1, support)
    present = [s for s in per.values() if s.support]
    return per, sum(s.f1 for s in present) / len(present) if present else 0.0


def evaluate(classifier: IntentClassifier, utterances: Sequence[Utterance]) -> EvalReport:
    results = [classifier.classify(u.text) for u in utterances]
    gold = [u.intent for u in utterances]
    predicted = [r.intent for r in results]
    per, macro = score(gold, predicted)
    oos = Intent.OUT_OF_SCOPE
    oos_total = sum(g is oos for g in gold)
    oos_hit = sum(g is oos and p is oos for g, p in zip(gold, predicted, strict=True))
    in_pred = [(g, p) for g, p in zip(gold, predicted, strict=True) if p is not oos]
    by_language: dict[str, float] = {}
    for lang in sorted({u.lang for u in utterances}):
        idx = [i for i, u in enumerate(utterances) if u.lang == lang]
        by_language[lang] = score([gold[i] for i in idx], [predicted[i] for i in idx])[1]
    index = {label: i for i, label in enumerate(LABELS)}
    confusion = [[0] * len(LABELS) for _ in LABELS]
    for g, p in zip(gold, predicted, strict=True):
        confusion[index[g]][index[p]] += 1
    return EvalReport(
        n=len(utterances),
        per_intent=per,
        macro_f1=macro,
        accuracy=_ratio(sum(g is p for g, p in zip(gold, predicted, strict=True)), len(gold)),
        oos_recall=_ratio(oos_hit, oos_total),
        in_scope_precision=_ratio(sum(g is not oos for g, _ in in_pred), len(in_pred)),
        confusion=confusion,
        macro_f1_by_language=by_language,
        stages=dict(Counter(r.stage for r in results)),
    )


def render(report: EvalReport) -> str:
    """Plain-text report: per-intent table, headline numbers, confusion matrix."""
    lines = [f"{'intent':<18}{'prec':>7}{'rec':>7}{'f1':>7}{'n':>6}"]
    for name, s in report.per_intent.items():
        lines.append(f"{name:<18}{s.precision:>7.3f}{s.recall:>7.3f}{s.f1:>7.3f}{s.support:>6}")
    lines.append("")
    lines.append(f"messages            {report.n}")
    lines.append(f"accuracy            {report.accuracy:.3f}")
    lines.append(f"macro-F1            {report.macro_f1:.3f}")
    for lang, value in report.macro_f1_by_language.items():
        lines.append(f"macro-F1 [{lang}]       {value:.3f}")
    lines.append(f"out_of_scope recall {report.oos_recall:.3f}")
    lines.append(f"in-scope precision  {report.in_scope_precision:.3f}")
    lines.append(f"stages              {report.stages}")
    lines.append("")
    short = [label.value[:6] for label in LABELS]
    lines.append("confusion (rows gold, columns predicted)")
    lines.append(f"{'':<18}" + "".join(f"{s:>7}" for s in short))
    for label, row in zip(LABELS, report.confusion, strict=True):
        lines.append(f"{label.value:<18}" + "".join(f"{n:>7}" for n in row))
    return "\n".join(lines)
