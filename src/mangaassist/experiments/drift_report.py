"""`mangaassist drift check`: drift of audit-record fields, window by window.

Records come from the audit log (`state_dir/audit.sqlite3`) or a JSON-lines file; each
needs an ISO timestamp `at` and the fields to watch (`intent`, `guardrail_action`,
`latency_ms`, `confidence` …). Records are grouped into windows (day or hour); each window is
compared with the rolling baseline of the windows before it (see `drift.monitor`). Fields
whose values are all numbers are numeric (PSI on baseline deciles + KS), others categorical
(PSI + chi-square + Jensen-Shannon). The HTML report draws baseline vs latest window per
field (bars for categories, a histogram on the baseline deciles for numbers) in inline SVG.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime
from html import escape
from pathlib import Path
from typing import Any, Literal

import numpy as np

from mangaassist.experiments.drift import SustainedRule, Thresholds, decile_edges, monitor
from mangaassist.experiments.errors import StatsInputError

Window = Literal["day", "hour"]


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    records = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise StatsInputError("file", f"{path.name}:{number}: invalid JSON") from exc
            if not isinstance(record, dict):
                raise StatsInputError("file", f"{path.name}:{number}: not a JSON object")
            records.append(record)
    return records


def _window_key(at: Any, window: Window) -> str:
    try:
        moment = datetime.fromisoformat(str(at))
    except ValueError as exc:
        raise StatsInputError("at", f"not an ISO timestamp: {at!r}") from exc
    return moment.strftime("%Y-%m-%d" if window == "day" else "%Y-%m-%dT%H")


def windows_of(
    records: Iterable[dict[str, Any]], field: str, window: Window
) -> tuple[list[str], list[list[Any]]]:
    grouped: dict[str, list[Any]] = defaultdict(list)
    for record in records:
        if "at" not in record:
            raise StatsInputError("at", "every record needs a timestamp 'at'")
        value = record.get(field)
        if value is not None:
            grouped[_window_key(record["at"], window)].append(value)
    keys = sorted(grouped)
    return keys, [grouped[k] for k in keys]


def kind_of(values: Iterable[Any]) -> Literal["numeric", "categorical"]:
    numeric = all(isinstance(v, int | float) and not isinstance(v, bool) for v in values)
    return "numeric" if numeric else "categorical"


def check(
    records: Sequence[dict[str, Any]],
    fields: Sequence[str],
    *,
    window: Window = "day",
    baseline_windows: int = 7,
    k: int = 3,
    n: int = 5,
    thresholds: Thresholds | None = None,
) -> dict[str, Any]:
    if not records:
        raise StatsInputError("records", "no records to check")
    report: dict[str, Any] = {"window": window, "baseline_windows": baseline_windows, "fields": {}}
    for field in fields:
        keys, windows = windows_of(records, field, window)
        if len(windows) <= baseline_windows:
            raise StatsInputError(
                "records",
                f"{field}: {len(windows)} windows of data; need more than {baseline_windows} "
                "(fewer --baseline-windows, or --window hour)",
            )
        kind = kind_of(v for w in windows for v in w)
        rows = monitor(
            field,
            windows,
            kind=kind,
            baseline_windows=baseline_windows,
            rule=SustainedRule(k, n),
            thresholds=thresholds,
        )
        for row in rows:
            row["window_start"] = keys[row["window"]]
        baseline = [v for w in windows[-baseline_windows - 1 : -1] for v in w]
        report["fields"][field] = {
            "kind": kind,
            "windows": rows,
            "latest": rows[-1] if rows else None,
            "alert": bool(rows and rows[-1]["sustained_alert"]),
            "_baseline": baseline,
            "_current": windows[-1],
        }
    report["alert"] = any(f["alert"] for f in report["fields"].values())
    return report


def public(report: dict[str, Any]) -> dict[str, Any]:
    """The report without the raw values kept for plotting."""
    fields = {
        name: {k: v for k, v in data.items() if not k.startswith("_")}
        for name, data in report["fields"].items()
    }
    return {**report, "fields": fields}


def _bars(labels: list[str], left: list[float], right: list[float]) -> str:
    width, row = 760, 22
    height = row * len(labels) + 30
    scale = max([*left, *right, 1e-9])
    parts = [
        f'<svg width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg" '
        'font-family="system-ui" font-size="12">'
    ]
    for i, label in enumerate(labels):
        y = 8 + i * row
        parts += [
            f'<text x="150" y="{y + 12}" text-anchor="end">{escape(label)}</text>',
            f'<rect x="158" y="{y}" width="{left[i] / scale * 400:.1f}" height="8" '
            f'fill="#8a94a6"><title>baseline {left[i]:.1%}</title></rect>',
            f'<rect x="158" y="{y + 9}" width="{right[i] / scale * 400:.1f}" height="8" '
            f'fill="#c8452e"><title>current {right[i]:.1%}</title></rect>',
            f'<text x="{164 + max(left[i], right[i]) / scale * 400:.1f}" y="{y + 12}">'
            f"{left[i]:.0%} → {right[i]:.0%}</text>",
        ]
    parts.append(
        f'<rect x="158" y="{height - 16}" width="10" height="8" fill="#8a94a6"/>'
        f'<text x="172" y="{height - 8}">baseline</text>'
        f'<rect x="240" y="{height - 16}" width="10" height="8" fill="#c8452e"/>'
        f'<text x="254" y="{height - 8}">latest window</text></svg>'
    )
    return "".join(parts)


def _shares(values: list[Any], labels: list[str]) -> list[float]:
    counts = Counter(str(v) for v in values)
    total = sum(counts.values()) or 1
    return [counts[label] / total for label in labels]


def _row(r: dict[str, Any]) -> str:
    js = "" if r["js_distance"] is None else f"{r['js_distance']:.3f}"
    return (
        f"<tr><td>{escape(r['window_start'])}</td><td>{r['psi']:.3f}</td>"
        f"<td>{r['p_value']:.2g}</td><td>{js}</td>"
        f"<td class='{r['status']}'>{r['status']}</td>"
        f"<td>{'yes' if r['sustained_alert'] else ''}</td></tr>"
    )


def html(report: dict[str, Any]) -> str:
    sections = []
    for name, data in report["fields"].items():
        base, now = data["_baseline"], data["_current"]
        if data["kind"] == "categorical":
            labels = sorted({str(v) for v in base} | {str(v) for v in now})
            chart = _bars(labels, _shares(base, labels), _shares(now, labels))
        else:
            edges = decile_edges(np.asarray(base, dtype=float))
            bins_b = np.searchsorted(edges, np.asarray(base, dtype=float), side="right")
            bins_c = np.searchsorted(edges, np.asarray(now, dtype=float), side="right")
            bounds = ["min", *(f"{e:.4g}" for e in edges), "max"]
            labels = [f"{bounds[i]}–{bounds[i + 1]}" for i in range(len(edges) + 1)]
            count_b = np.bincount(bins_b, minlength=len(labels)) / max(len(base), 1)
            count_c = np.bincount(bins_c, minlength=len(labels)) / max(len(now), 1)
            chart = _bars(labels, list(count_b), list(count_c))
        latest = data["latest"] or {}
        rows = "".join(_row(r) for r in data["windows"])
        sections.append(
            f"<h2>{escape(name)} <small>({data['kind']})</small> — "
            f"<span class='{latest.get('status', 'ok')}'>{latest.get('status', 'n/a')}</span>"
            f"{' · sustained alert' if data['alert'] else ''}</h2>{chart}"
            "<table><tr><th>window</th><th>PSI</th><th>p-value</th><th>JS</th><th>status</th>"
            f"<th>sustained</th></tr>{rows}</table>"
        )
    verdict = "Drift alert" if report["alert"] else "No sustained drift"
    return f"""<!doctype html><html><head><meta charset="utf-8"><title>Drift check</title>
<style>body{{font:14px/1.5 system-ui,sans-serif;max-width:960px;margin:2rem auto;color:#1d2330}}
table{{border-collapse:collapse;margin:.5rem 0 1.5rem}}td,th{{padding:.2rem .6rem;
border-bottom:1px solid #e3e6ec;text-align:left}}.alert{{color:#b3261e;font-weight:600}}
.warn{{color:#9a6b00}}.ok{{color:#1f7a3a}}small{{color:#5b6475;font-weight:400}}</style></head>
<body><h1>Drift check — {verdict}</h1><p>Windows of one {report["window"]}; each compared with
the {report["baseline_windows"]} before it. PSI: &lt;0.1 stable, 0.1–0.2 warn, &gt;0.2 alert.</p>
{"".join(sections)}</body></html>"""
