"""Run reports: JSON (machines), JUnit XML (CI), and a self-contained HTML page (people).

The HTML page needs no network and no JavaScript: inline CSS and SVG. It shows the gate's
verdict, pass rates per intent and language as bars with their 95% Wilson intervals, the
critical property failures, and every failing case with its conversation, the answer and
what each failed check expected.
"""

from __future__ import annotations

import json
from html import escape
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from mangaassist.evaluation.runner import RunReport


def write_json(report: RunReport, path: Path) -> None:
    path.write_text(json.dumps(report.as_dict(), ensure_ascii=False, indent=2), encoding="utf-8")


def junit_xml(report: RunReport) -> str:
    data = report.as_dict()
    suite = ET.Element(
        "testsuite",
        name="mangaassist-golden",
        tests=str(len(report.results)),
        failures=str(data["overall"]["failed"]),
        errors=str(data["overall"]["errors"]),
        time=f"{report.elapsed_s:.3f}",
    )
    for result in report.results:
        name = result.case_id if result.repeat == 0 else f"{result.case_id}#{result.repeat}"
        case = ET.SubElement(
            suite,
            "testcase",
            classname=f"golden.{result.intent}.{result.language}",
            name=name,
            time=f"{result.elapsed_ms / 1000:.3f}",
        )
        if result.outcome == "fail":
            failures = result.failures
            message = "; ".join(f"{c.name}: {c.detail}" for c in failures)
            node = ET.SubElement(case, "failure", message=message[:500], type=failures[0].name)
            node.text = f"answer: {result.answer}"
        elif result.outcome == "error":
            ET.SubElement(case, "error", message=result.error or "error", type="error")
    return ET.tostring(suite, encoding="unicode", xml_declaration=True)


def write_junit(report: RunReport, path: Path) -> None:
    path.write_text(junit_xml(report), encoding="utf-8")


_CSS = """
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI","Noto Sans JP",sans-serif;margin:2rem auto;
max-width:1080px;padding:0 1rem;color:#1d2330;background:#fafbfc}
h1{font-size:1.5rem;margin:0 0 .25rem}h2{font-size:1.15rem;margin:2rem 0 .5rem}
.meta{color:#5b6475;font-size:.9rem}.verdict{display:inline-block;padding:.35rem .8rem;
border-radius:6px;font-weight:600;margin:1rem 0}.ok{background:#dff5e3;color:#145c2a}
.bad{background:#fde2e1;color:#8a1c17}.tiles{display:flex;gap:1rem;flex-wrap:wrap}
.tile{background:#fff;border:1px solid #e3e6ec;border-radius:8px;padding:.75rem 1rem;min-width:9rem}
.tile b{display:block;font-size:1.4rem}table{border-collapse:collapse;width:100%;background:#fff}
td,th{border-bottom:1px solid #eceef2;padding:.4rem .5rem;text-align:left;vertical-align:top}
th{font-size:.8rem;text-transform:uppercase;color:#5b6475;letter-spacing:.03em}
details{background:#fff;border:1px solid #e3e6ec;border-radius:8px;margin:.5rem 0;
padding:.5rem .75rem}
summary{cursor:pointer;font-weight:600}.turn{color:#5b6475}.answer{white-space:pre-wrap;
background:#f3f5f8;border-radius:6px;padding:.5rem;margin:.4rem 0}.fail{color:#8a1c17}
.crit{background:#8a1c17;color:#fff;border-radius:4px;padding:0 .3rem;font-size:.75rem}
"""


def _bars(scores: dict[str, dict[str, Any]], threshold: float) -> str:
    """Horizontal bars: pass rate, its 95% interval as a whisker, the gate as a dashed line."""
    row, label_w, bar_w = 26, 150, 560
    height = row * len(scores) + 30
    parts = [
        f'<svg role="img" width="{label_w + bar_w + 80}" height="{height}" '
        f'xmlns="http://www.w3.org/2000/svg" font-size="12" font-family="system-ui">'
    ]
    for i, (name, s) in enumerate(scores.items()):
        y = 10 + i * row
        rate, low, high = s["pass_rate"], s["ci_low"], s["ci_high"]
        colour = "#2f8f4e" if rate >= threshold else "#c8452e"
        parts += [
            f'<text x="{label_w - 8}" y="{y + 14}" text-anchor="end">{escape(name)}</text>',
            f'<rect x="{label_w}" y="{y + 3}" width="{bar_w}" height="14" fill="#eef0f4"/>',
            f'<rect x="{label_w}" y="{y + 3}" width="{rate * bar_w:.1f}" height="14" '
            f'fill="{colour}"><title>{rate:.1%}</title></rect>',
            f'<line x1="{label_w + low * bar_w:.1f}" x2="{label_w + high * bar_w:.1f}" '
            f'y1="{y + 10}" y2="{y + 10}" stroke="#1d2330" stroke-width="1.5"/>',
            f'<line x1="{label_w + low * bar_w:.1f}" x2="{label_w + low * bar_w:.1f}" '
            f'y1="{y + 5}" y2="{y + 15}" stroke="#1d2330"/>',
            f'<line x1="{label_w + high * bar_w:.1f}" x2="{label_w + high * bar_w:.1f}" '
            f'y1="{y + 5}" y2="{y + 15}" stroke="#1d2330"/>',
            f'<text x="{label_w + bar_w + 6}" y="{y + 14}">{rate:.0%} '
            f"({s['passed']}/{s['passed'] + s['failed']})</text>",
        ]
    gate_x = label_w + threshold * bar_w
    parts.append(
        f'<line x1="{gate_x:.1f}" x2="{gate_x:.1f}" y1="4" y2="{height - 18}" '
        f'stroke="#5b6475" stroke-dasharray="4 3"/>'
        f'<text x="{gate_x:.1f}" y="{height - 4}" text-anchor="middle" fill="#5b6475">'
        f"gate {threshold:.0%}</text></svg>"
    )
    return "".join(parts)


def html_report(report: RunReport, *, min_pass: float, gate_ok: bool, cases: Any = None) -> str:
    data = report.as_dict()
    overall = data["overall"]
    turns = {c.case_id: c.turns for c in cases or ()}
    verdict = "Gate passed" if gate_ok else "Gate failed"
    tiles = "".join(
        f'<div class="tile">{label}<b>{value}</b></div>'
        for label, value in [
            ("Pass rate", f"{overall['pass_rate']:.1%}"),
            ("95% interval", f"{overall['ci_low']:.1%} – {overall['ci_high']:.1%}"),
            ("Passed / failed", f"{overall['passed']} / {overall['failed']}"),
            ("Errors", str(overall["errors"])),
            ("Critical failures", str(len(data["critical_failures"]))),
        ]
    )
    critical = "".join(
        f"<tr><td>{escape(f['id'])}</td><td>{escape(f['check'])}</td>"
        f"<td>{escape(f['detail'])}</td></tr>"
        for f in data["critical_failures"]
    )
    failing = []
    for result in report.results:
        if result.outcome == "pass":
            continue
        conversation = "".join(
            f'<div class="turn">Shopper: {escape(t)}</div>' for t in turns.get(result.case_id, ())
        )
        reasons = "".join(
            f'<li class="fail">{"<span class=crit>critical</span> " if c.critical else ""}'
            f"<b>{escape(c.name)}</b>: {escape(c.detail)}</li>"
            for c in result.failures
        )
        if result.outcome == "error":
            reasons = f'<li class="fail"><b>error</b>: {escape(result.error or "")}</li>'
        failing.append(
            f"<details><summary>{escape(result.case_id)} · {escape(result.intent)} · "
            f"{escape(result.language)} · {result.outcome}</summary>{conversation}"
            f'<div class="answer">{escape(result.answer) or "(no answer)"}</div>'
            f"<div>intent: expected <b>{escape(result.intent)}</b>, got "
            f"<b>{escape(str(result.got_intent))}</b></div><ul>{reasons}</ul></details>"
        )
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>MangaAssist golden set — {overall["pass_rate"]:.1%}</title><style>{_CSS}</style></head>
<body><h1>Golden-set evaluation</h1>
<div class="meta">target: {escape(report.target)} · judge: {escape(report.judge)} ·
{len(report.results)} runs in {report.elapsed_s:.1f} s</div>
<div class="verdict {"ok" if gate_ok else "bad"}">{verdict}: minimum pass rate {min_pass:.0%},
no critical property failure</div>
<div class="tiles">{tiles}</div>
<h2>Pass rate by intent (bars: rate; whiskers: 95% Wilson interval)</h2>
{_bars(data["by_intent"], min_pass)}
<h2>Pass rate by language</h2>
{_bars(data["by_language"], min_pass)}
<h2>Critical property failures (prices, ASINs, PII, other customers' orders)</h2>
{
        f"<table><tr><th>case</th><th>check</th><th>detail</th></tr>{critical}</table>"
        if critical
        else "<p>None.</p>"
    }
<h2>Failing and errored cases ({len(failing)})</h2>
{"".join(failing) or "<p>None.</p>"}
</body></html>"""


def write_html(
    report: RunReport, path: Path, *, min_pass: float, gate_ok: bool, cases: Any
) -> None:
    path.write_text(
        html_report(report, min_pass=min_pass, gate_ok=gate_ok, cases=cases), encoding="utf-8"
    )
