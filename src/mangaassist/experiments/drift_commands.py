"""`mangaassist drift check`: exit 0 = no sustained drift, 1 = a sustained alert, 2 = bad input."""

from __future__ import annotations

import json
from pathlib import Path

import typer

drift_app = typer.Typer(help="Drift monitoring of audit records.", no_args_is_help=True)


@drift_app.command("check")
def drift_check(
    file: Path | None = typer.Option(
        None, help="JSON-lines records with 'at' (default: the service's audit log)."
    ),
    field: list[str] = typer.Option(
        ["intent", "guardrail_action", "latency_ms"], help="Record field to watch (repeatable)."
    ),
    window: str = typer.Option("day", help="Window length: day or hour."),
    baseline_windows: int = typer.Option(7, min=1, help="Windows in the rolling baseline."),
    k: int = typer.Option(3, min=1, help="Sustained rule: alerts in k of the last n windows."),
    n: int = typer.Option(5, min=1, help="Sustained rule: n."),
    psi_warn: float = typer.Option(0.1, help="PSI warning threshold."),
    psi_alert: float = typer.Option(0.2, help="PSI alert threshold."),
    output: str = typer.Option("text", "--format", help="text, json or html."),
    out: Path | None = typer.Option(None, help="Write the json/html report here."),
) -> None:
    """Compare each window with its rolling baseline (PSI, KS / chi-square, JS)."""
    from mangaassist.experiments.drift import Thresholds
    from mangaassist.experiments.drift_report import check, html, public, read_jsonl
    from mangaassist.experiments.errors import StatsInputError

    def fail(message: str) -> typer.Exit:
        typer.echo(f"error: {message}", err=True)
        return typer.Exit(2)

    if window not in ("day", "hour"):
        raise fail(f"--window must be day or hour, not {window!r}")
    if output not in ("text", "json", "html"):
        raise fail(f"--format must be text, json or html, not {output!r}")
    try:
        if file is not None:
            records = read_jsonl(file)
        else:
            from mangaassist.config import load_settings
            from mangaassist.state.audit import AuditLog

            audit = AuditLog(load_settings().state_dir / "audit.sqlite3")
            try:
                records = audit.records(limit=1_000_000)
            finally:
                audit.close()
        thresholds = Thresholds(psi_warn=psi_warn, psi_alert=psi_alert)
        report = check(
            records,
            field,
            window="day" if window == "day" else "hour",
            baseline_windows=baseline_windows,
            k=k,
            n=n,
            thresholds=thresholds,
        )
    except OSError as exc:
        raise fail(str(exc)) from exc
    except StatsInputError as exc:
        raise fail(str(exc)) from exc
    if output == "html":
        text = html(report)
    elif output == "json":
        text = json.dumps(public(report), indent=2)
    else:
        lines = []
        for name, data in report["fields"].items():
            latest = data["latest"]
            lines.append(
                f"{name:<18}{data['kind']:<12}PSI {latest['psi']:.3f}  p {latest['p_value']:.2g}  "
                f"{latest['status']}{'  SUSTAINED ALERT' if data['alert'] else ''}"
            )
        text = "\n".join(lines)
    if out is not None:
        out.write_text(text, encoding="utf-8")
    else:
        typer.echo(text)
    raise typer.Exit(1 if report["alert"] else 0)
