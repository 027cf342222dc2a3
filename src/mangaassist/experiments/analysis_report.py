"""The A/B analysis as a self-contained HTML page: decision, SRM, and a confidence-interval
plot per metric (difference with its interval, zero line, minimum effect of interest band)."""

from __future__ import annotations

from html import escape
from typing import Any


def _forest(rows: list[dict[str, Any]], label_key: str) -> str:
    if not rows:
        return "<p>None.</p>"
    span = max(max(abs(r["ci_low"]), abs(r["ci_high"]), r.get("min_effect", 0)) for r in rows)
    span = span * 1.15 or 1.0
    width, left, plot, row = 940, 190, 440, 30
    height = row * len(rows) + 34

    def x(value: float) -> float:
        return left + (value + span) / (2 * span) * plot

    parts = [
        f'<svg width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg" '
        'font-family="system-ui" font-size="12">',
        f'<line x1="{x(0):.1f}" x2="{x(0):.1f}" y1="4" y2="{height - 24}" stroke="#5b6475"/>',
    ]
    for i, r in enumerate(rows):
        y = 16 + i * row
        good = r.get("direction", "higher") == "higher"
        colour = "#5b6475"
        if r.get("significant"):
            colour = "#2f8f4e" if (r["diff"] > 0) == good else "#c8452e"
        effect = r.get("min_effect", 0.0)
        if effect:
            parts.append(
                f'<rect x="{x(-effect):.1f}" y="{y - 9}" width="{x(effect) - x(-effect):.1f}" '
                'height="18" fill="#eef0f4"><title>minimum effect of interest</title></rect>'
            )
        parts += [
            f'<text x="{left - 8}" y="{y + 4}" text-anchor="end">'
            f"{escape(str(r[label_key]))}</text>",
            f'<line x1="{x(r["ci_low"]):.1f}" x2="{x(r["ci_high"]):.1f}" y1="{y}" y2="{y}" '
            f'stroke="{colour}" stroke-width="2"/>',
            f'<circle cx="{x(r["diff"]):.1f}" cy="{y}" r="4" fill="{colour}"/>',
            f'<text x="{left + plot + 10}" y="{y + 4}">{r["diff"]:+.4g} '
            f"[{r['ci_low']:+.3g}, {r['ci_high']:+.3g}] p={r.get('p_adjusted', r['p_value']):.2g}"
            "</text>",
        ]
    parts.append(
        f'<text x="{x(-span):.1f}" y="{height - 6}">{-span:+.3g}</text>'
        f'<text x="{x(0):.1f}" y="{height - 6}" text-anchor="middle">0</text>'
        f'<text x="{x(span):.1f}" y="{height - 6}" text-anchor="end">{span:+.3g}</text></svg>'
    )
    return "".join(parts)


def html(result: dict[str, Any]) -> str:
    decisions = "".join(
        f"<li><b>{escape(variant)}</b>: <span class='{d['decision']}'>"
        f"{escape(d['decision'].replace('_', ' '))}</span> — {escape(d['reason'])}"
        + (
            f" ({d['units_still_needed_per_group']:,} more units per group needed)"
            if d.get("units_still_needed_per_group")
            else ""
        )
        + "</li>"
        for variant, d in result["decisions"].items()
    )
    metrics = [m | {"label": f"{m['metric']} ({m['role']})"} for m in result["metrics"]]
    slices = [s | {"label": f"{s['slice']}={s['value']}"} for s in result["slices"]]
    srm = result["srm"]
    return f"""<!doctype html><html><head><meta charset="utf-8">
<title>Experiment {escape(result["experiment_id"])}</title><style>
body{{font:14px/1.5 system-ui,sans-serif;max-width:960px;margin:2rem auto;color:#1d2330}}
.ship{{color:#1f7a3a;font-weight:600}}.do_not_ship{{color:#b3261e;font-weight:600}}
.keep_running{{color:#9a6b00;font-weight:600}}small{{color:#5b6475}}</style></head><body>
<h1>Experiment {escape(result["experiment_id"])}</h1>
<p>Units: {", ".join(f"{escape(k)} {v:,}" for k, v in result["units"].items())};
contaminated (seen in two variants, left out): {result["contaminated_units"]}.
Sample ratio check: χ² = {srm["statistic"]:.3f}, p = {srm["p_value"]:.3g}
{"— <b class=do_not_ship>mismatch</b>" if srm["mismatch"] else "— ok"}.</p>
<h2>Decision</h2><ul>{decisions}</ul>
<h2>Metrics <small>(treatment − control, 95% interval; grey band: minimum effect of interest;
green better, red worse, grey not significant; secondary p-values Holm-corrected; each
metric on its own scale)</small></h2>
{"".join(_forest([m], "label") for m in metrics)}
<h2>Primary metric by slice <small>(Benjamini-Hochberg across slices)</small></h2>
{_forest(slices, "label")}
</body></html>"""
