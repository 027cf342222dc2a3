"""`mangaassist guard …`: run the guards over JSON lines, and measure them on the corpora.

Each input line yields exactly one output line; a malformed line yields an `error`
object in its place, and the command then exits with status 2.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import typer

guard_app = typer.Typer(help="Run and measure the guardrails.", no_args_is_help=True)


def _records(stream: Any) -> Iterator[tuple[dict[str, Any] | None, str | None]]:
    for line in stream:
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield None, f"invalid JSON: {exc.msg}"
            continue
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            yield None, 'each line must be an object with a string "text"'
            continue
        yield record, None


def _emit(payload: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(payload, ensure_ascii=False, default=str) + "\n")


def _run_lines(handle: Callable[[dict[str, Any]], dict[str, Any]]) -> None:
    bad = 0
    for record, error in _records(sys.stdin):
        if record is None:
            bad += 1
            _emit({"error": {"code": "invalid_input", "message": error}})
            continue
        try:
            _emit(handle(record))
        except ValueError as exc:
            bad += 1
            code = getattr(exc, "code", "invalid_input")
            _emit({"text": record["text"], "error": {"code": code, "message": str(exc)}})
    if bad:
        typer.echo(f"error: {bad} input line(s) could not be processed", err=True)
        raise typer.Exit(2)


@guard_app.command("input")
def guard_input() -> None:
    """Input guard over JSON lines {"text": …}: redacted text, PII findings, injection verdict."""
    from mangaassist.config import load_settings
    from mangaassist.guardrails.input_guard import InputGuard

    guard = InputGuard(load_settings().guardrails)

    def handle(record: dict[str, Any]) -> dict[str, Any]:
        verdict = guard.check(record["text"])
        return {
            "text": record["text"],
            "redacted": verdict.text,
            "pii": [{"type": f.type.value, "start": f.start, "end": f.end} for f in verdict.pii],
            "injection": {
                "score": verdict.injection.score,
                "blocked": verdict.injection.blocked,
                "reasons": list(verdict.injection.reasons),
            },
            "blocked": verdict.blocked,
        }

    _run_lines(handle)


@guard_app.command("output")
def guard_output() -> None:
    """Output pipeline over JSON lines {"text": …, "context": {"asins": […], "language": …}}."""
    import asyncio

    from mangaassist.app import open_store_services
    from mangaassist.config import load_settings
    from mangaassist.guardrails.service import open_output_checker

    settings = load_settings()

    async def run() -> int:
        bad = 0
        async with open_store_services(settings) as store:
            check = await open_output_checker(settings, store)
            for record, error in _records(sys.stdin):
                if record is None:
                    bad += 1
                    _emit({"error": {"code": "invalid_input", "message": error}})
                    continue
                context = record.get("context") or {}
                try:
                    if not isinstance(context, dict):
                        raise ValueError('"context" must be an object')
                    _emit(await check(record["text"], context))
                except ValueError as exc:
                    bad += 1
                    _emit(
                        {
                            "text": record["text"],
                            "error": {"code": "invalid_input", "message": str(exc)},
                        }
                    )
        return bad

    bad = asyncio.run(run())
    if bad:
        typer.echo(f"error: {bad} input line(s) could not be processed", err=True)
        raise typer.Exit(2)


@guard_app.command("eval")
def guard_eval(
    split: str = typer.Option("test", help="Corpus split to score: dev, test or all."),
    data_dir: Path | None = typer.Option(
        None, help="Folder of the corpora (default data/guardrails)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the full report as JSON."),
) -> None:
    """Precision/recall per PII type and language; injection TPR/FPR per language."""
    from mangaassist.config import load_settings
    from mangaassist.guardrails.corpus import (
        CorpusError,
        Split,
        corpus_files,
        load_injection,
        load_pii,
    )
    from mangaassist.guardrails.evaluate import evaluate_injection, evaluate_pii

    if split not in ("dev", "test", "all"):
        typer.echo(f"error: --split must be dev, test or all, not {split!r}", err=True)
        raise typer.Exit(2)
    settings = load_settings()
    folder = data_dir or settings.data_dir / "guardrails"
    try:
        wanted: Split = split  # type: ignore[assignment]
        pii_cases = load_pii(corpus_files(folder, "pii"), wanted)
        injection_cases = load_injection(corpus_files(folder, "injection"), wanted)
    except (OSError, CorpusError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    try:
        output = _output_section(folder, wanted, settings)
    except (OSError, CorpusError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    pii = evaluate_pii(pii_cases)
    injection = evaluate_injection(injection_cases, settings.guardrails.injection_threshold)
    report = {
        "split": split,
        "pii": {
            "cases": len(pii_cases),
            "overall": pii.overall.as_dict(),
            "by_type": {k: v.as_dict() for k, v in sorted(pii.by_type.items())},
            "by_language": {k: v.as_dict() for k, v in sorted(pii.by_language.items())},
            "errors": pii.errors,
        },
        "injection": {
            "cases": len(injection_cases),
            "overall": injection.overall.as_dict(),
            "by_language": {k: v.as_dict() for k, v in sorted(injection.by_language.items())},
            "errors": injection.errors,
        },
        "output": output,
    }
    if as_json:
        _emit(report)
        return
    typer.echo(
        f"split: {split}  PII cases: {len(pii_cases)}  injection cases: {len(injection_cases)}"
    )
    typer.echo("PII           precision  recall   tp   fp   fn")
    for name, counts in [
        ("overall", pii.overall),
        *sorted(pii.by_type.items()),
        *sorted(pii.by_language.items()),
    ]:
        typer.echo(
            f"  {name:<12}{counts.precision:>9.3f}{counts.recall:>8.3f}"
            f"{counts.tp:>5}{counts.fp:>5}{counts.fn:>5}"
        )
    typer.echo("injection     TPR      FPR   attacks  benign")
    for name, rates in [("overall", injection.overall), *sorted(injection.by_language.items())]:
        typer.echo(
            f"  {name:<12}{rates.tpr:>6.3f}{rates.fpr:>9.3f}{rates.attacks:>9}{rates.benign:>8}"
        )
    _echo_output(output)


def _output_section(folder: Path, split: Any, settings: Any) -> dict[str, Any] | None:
    """The output corpus scored against the configured store; None when there is none."""
    import asyncio

    from mangaassist.app import open_store_services
    from mangaassist.guardrails.corpus import corpus_files
    from mangaassist.guardrails.output_eval import evaluate_output, load_output

    if not (folder / "output.jsonl").exists() and not any(folder.glob("output_*.jsonl")):
        return None
    cases = load_output(corpus_files(folder, "output"), split)

    async def run() -> dict[str, Any]:
        async with open_store_services(settings) as store:
            return await evaluate_output(cases, settings, store)

    return asyncio.run(run())


def _echo_output(output: dict[str, Any] | None) -> None:
    if output is None:
        typer.echo("output        no output corpus in the folder")
        return
    catch = output["catch_rate"]
    typer.echo(
        f"output        cases {output['cases']}  accuracy {output['accuracy']:.3f}  "
        f"catch wrong_price {catch['wrong_price']:.3f}  "
        f"hallucinated_asin {catch['hallucinated_asin']:.3f}  "
        f"false modification {output['false_modification_rate']:.3f}"
    )
    for name, row in output["by_category"].items():
        typer.echo(f"  {name:<18}{row['accuracy']:>7.3f}{row['cases']:>5}")
    for stage, ms in output["timing_ms"].items():
        typer.echo(f"  {stage:<12} p50 {ms['p50']:.3f} ms  p95 {ms['p95']:.3f} ms")
