"""`mangaassist nlu …`: train the intent model, classify JSON lines, evaluate on a split."""

from __future__ import annotations

import json
import sys
from typing import Any

import typer

nlu_app = typer.Typer(help="Intent classifier: train, classify, evaluate.", no_args_is_help=True)


def _fail(message: str, code: int = 2) -> typer.Exit:
    typer.echo(message, err=True)
    return typer.Exit(code)


@nlu_app.command("train")
def train(
    include_dev: bool = typer.Option(
        True, "--include-dev/--train-only", help="Fit on train+dev (default) or train only."
    ),
) -> None:
    """Train the intent model from data/intents/ and save a versioned artifact."""
    from mangaassist.config import load_settings
    from mangaassist.nlu.artifact import save_artifact, train_artifact
    from mangaassist.nlu.dataset import IntentDataError, load_utterances
    from mangaassist.nlu.service import artifact_dir, intents_dir

    settings = load_settings()
    try:
        utterances = load_utterances(intents_dir(settings))
    except IntentDataError as error:
        raise _fail(f"error: {error}") from error
    splits: tuple[Any, ...] = ("train", "dev") if include_dev else ("train",)
    artifact = train_artifact(utterances, splits=splits, seed=settings.nlu.split_seed)
    target = save_artifact(artifact, artifact_dir(settings))
    meta = artifact.metadata
    typer.echo(
        f"trained intent model {artifact.version} on {meta['n_utterances']} utterances "
        f"in {meta['train_seconds']:.1f} s -> {target}"
    )


def _result_line(classifier: Any, line: str) -> tuple[dict[str, Any], bool]:
    from mangaassist.nlu.classifier import EmptyMessageError

    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        return {"error": f"not JSON: {error.msg}"}, False
    text = record.get("text") if isinstance(record, dict) else None
    if not isinstance(text, str):
        return {"error": 'expected an object with a string "text"'}, False
    try:
        result = classifier.classify(text)
    except EmptyMessageError as error:
        return {"text": text, "error": str(error)}, False
    payload: dict[str, Any] = {"text": text, **result.model_dump(mode="json")}
    return payload, True


@nlu_app.command("classify")
def classify() -> None:
    """Read JSON lines {"text": …} on stdin; write one JSON line per input with the intent."""
    from mangaassist.config import load_settings
    from mangaassist.nlu.dataset import IntentDataError
    from mangaassist.nlu.entities import EntityDataError
    from mangaassist.nlu.service import build_classifier

    try:
        classifier = build_classifier(load_settings())
    except (IntentDataError, EntityDataError) as error:
        raise _fail(f"error: {error}") from error
    failed = 0
    for line in sys.stdin:
        if not line.strip():
            continue
        payload, ok = _result_line(classifier, line)
        failed += not ok
        typer.echo(json.dumps(payload, ensure_ascii=False))
    if failed:
        raise _fail(f"error: {failed} input line(s) could not be classified")


@nlu_app.command("eval")
def evaluate(
    split: str = typer.Option(
        "test", help="Split to score: dev (model fit on train) or test (model fit on train+dev)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
) -> None:
    """Print per-intent precision/recall/F1, macro-F1 and a confusion matrix for a split."""
    from dataclasses import asdict

    from mangaassist.config import load_settings
    from mangaassist.nlu.artifact import train_artifact
    from mangaassist.nlu.dataset import IntentDataError, load_utterances, select
    from mangaassist.nlu.evaluation import evaluate as run_eval
    from mangaassist.nlu.evaluation import render
    from mangaassist.nlu.service import build_classifier, intents_dir

    if split not in ("dev", "test"):
        raise _fail(f"error: --split must be dev or test, not {split!r}")
    settings = load_settings()
    seed = settings.nlu.split_seed
    try:
        utterances = load_utterances(intents_dir(settings))
    except IntentDataError as error:
        raise _fail(f"error: {error}") from error
    fit_on: tuple[Any, ...] = ("train",) if split == "dev" else ("train", "dev")
    artifact = train_artifact(utterances, splits=fit_on, seed=seed)
    classifier = build_classifier(settings, artifact=artifact)
    report = run_eval(classifier, select(utterances, (split,), seed))  # type: ignore[arg-type]
    typer.echo(json.dumps(asdict(report), indent=2) if as_json else render(report))
