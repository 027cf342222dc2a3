"""`mangaassist experiment …`: quick significance checks for numbers people already have."""

from __future__ import annotations

import json
from pathlib import Path

import typer

experiment_app = typer.Typer(help="Experiment statistics.", no_args_is_help=True)


def _fail(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(2)


def _proportion(name: str, text: str) -> tuple[int, int]:
    parts = text.split("/")
    if len(parts) != 2 or not all(p.strip().lstrip("-").isdigit() for p in parts):
        raise _fail(f"--{name} must be SUCCESSES/TRIALS such as 4200/50000, got {text!r}")
    return int(parts[0]), int(parts[1])


def _summary(name: str, text: str) -> tuple[float, float, int]:
    parts = text.split(",")
    try:
        mean, sd, n = float(parts[0]), float(parts[1]), int(parts[2])
    except (ValueError, IndexError):
        raise _fail(f"--{name} must be MEAN,SD,N such as 41.5,13,760, got {text!r}") from None
    if len(parts) != 3:
        raise _fail(f"--{name} must be MEAN,SD,N such as 41.5,13,760, got {text!r}")
    return mean, sd, n


def _verdict(significant: bool, diff: float, alpha: float) -> str:
    if not significant:
        return f"Not significant at alpha={alpha}: the data do not show a difference."
    direction = "higher" if diff > 0 else "lower"
    return f"Significant at alpha={alpha}: the treatment is {direction} than the control."


@experiment_app.command("compare")
def compare(
    kind: str = typer.Option(..., help="proportion (SUCCESSES/TRIALS) or mean (MEAN,SD,N)."),
    control: str = typer.Option(..., help="Control group: 4200/50000 or 40.0,12.0,800."),
    treatment: str = typer.Option(..., help="Treatment group, in the same form as --control."),
    alternative: str = typer.Option(
        "two-sided", help="two-sided, larger (treatment above) or smaller."
    ),
    alpha: float = typer.Option(0.05, help="Significance level; intervals are 1 - alpha."),
    output: str = typer.Option("text", "--format", help="text or json."),
) -> None:
    """Two-proportion z-test or Welch's t-test on summary numbers, with CI and lift."""
    from mangaassist.experiments.errors import StatsInputError
    from mangaassist.experiments.stats.means import welch_from_summary
    from mangaassist.experiments.stats.proportions import two_proportion_ztest

    if output not in ("text", "json"):
        raise _fail(f"--format must be text or json, got {output!r}")
    try:
        if kind == "proportion":
            x_c, n_c = _proportion("control", control)
            x_t, n_t = _proportion("treatment", treatment)
            result = two_proportion_ztest(x_c, n_c, x_t, n_t, alternative=alternative, alpha=alpha)
        elif kind == "mean":
            m_c, s_c, n_c = _summary("control", control)
            m_t, s_t, n_t = _summary("treatment", treatment)
            result = welch_from_summary(
                m_c, s_c, n_c, m_t, s_t, n_t, alternative=alternative, alpha=alpha
            )
        else:
            raise _fail(f"--kind must be proportion or mean, got {kind!r}")
    except StatsInputError as exc:
        raise _fail(str(exc)) from exc
    verdict = _verdict(result.significant, result.diff, result.alpha)
    if output == "json":
        typer.echo(json.dumps({**result.as_dict(), "verdict": verdict}))
        return
    level = round((1 - result.alpha) * 100, 2)
    lines = [
        f"{result.test}, alternative: {result.alternative}",
        f"control {result.control:.6g}  treatment {result.treatment:.6g}  "
        f"difference {result.diff:+.6g}",
        f"statistic {result.statistic:.4f}  p-value {result.p_value:.4g}",
        f"{level:g}% CI of the difference: [{result.ci_low:.6g}, {result.ci_high:.6g}]",
    ]
    if result.lift is not None:
        lines.append(
            f"relative lift {result.lift:+.2%}  ({level:g}% CI "
            f"[{result.lift_ci_low:+.2%}, {result.lift_ci_high:+.2%}])"
        )
    lines.append(verdict)
    typer.echo("\n".join(lines))


@experiment_app.command("power")
def power_command(
    kind: str = typer.Option(..., help="proportion or mean."),
    mde: float | None = typer.Option(
        None, help="Absolute change to detect (0.01 = one point for a rate; units for a mean)."
    ),
    baseline: float | None = typer.Option(None, help="Proportions: the control's rate."),
    sd: float | None = typer.Option(None, help="Means: the metric's standard deviation."),
    n: int | None = typer.Option(
        None, help="Means: units per group; gives the minimum detectable effect instead."
    ),
    alpha: float = typer.Option(0.05, help="Significance level."),
    power: float = typer.Option(0.8, help="Probability of detecting the effect if real."),
    one_sided: bool = typer.Option(False, "--one-sided", help="A one-sided test."),
    output: str = typer.Option("text", "--format", help="text or json."),
) -> None:
    """Sample size per group for an MDE, or the MDE for a sample size (means)."""
    from mangaassist.experiments.errors import StatsInputError
    from mangaassist.experiments.power import (
        mde_means,
        sample_size_means,
        sample_size_proportions,
    )

    if output not in ("text", "json"):
        raise _fail(f"--format must be text or json, got {output!r}")
    two_sided = not one_sided
    result: dict[str, float | int | str]
    try:
        if kind == "proportion":
            if baseline is None or mde is None:
                raise _fail("--kind proportion needs --baseline and --mde")
            size = sample_size_proportions(
                baseline, mde, alpha=alpha, power=power, two_sided=two_sided
            )
            result = {"kind": kind, "baseline": baseline, "mde": mde, "n_per_group": size}
        elif kind == "mean":
            if sd is None or (mde is None) == (n is None):
                raise _fail("--kind mean needs --sd and exactly one of --mde or --n")
            if mde is not None:
                size = sample_size_means(sd, mde, alpha=alpha, power=power, two_sided=two_sided)
                result = {"kind": kind, "sd": sd, "mde": mde, "n_per_group": size}
            else:
                assert n is not None
                effect = mde_means(sd, n, alpha=alpha, power=power, two_sided=two_sided)
                result = {"kind": kind, "sd": sd, "n_per_group": n, "mde": effect}
        else:
            raise _fail(f"--kind must be proportion or mean, got {kind!r}")
    except StatsInputError as exc:
        raise _fail(str(exc)) from exc
    result |= {
        "alpha": alpha,
        "power": power,
        "alternative": "two-sided" if two_sided else "one-sided",
    }
    if output == "json":
        typer.echo(json.dumps(result))
        return
    if mde is not None:
        per_group = int(result["n_per_group"])
        typer.echo(
            f"{per_group:,} units per group ({2 * per_group:,} in all) "
            f"to detect a change of {mde:g} at alpha {alpha:g} with power {power:.0%} "
            f"({result['alternative']})."
        )
    else:
        typer.echo(
            f"With {n:,} units per group the smallest detectable change is "
            f"{float(result['mde']):.6g} (alpha {alpha:g}, power {power:.0%}, "
            f"{result['alternative']})."
        )


def _definition_path(experiment: str) -> Path:
    """A path to a YAML file, or an experiment id looked up in data_dir/experiments/."""
    from mangaassist.config import load_settings

    given = Path(experiment)
    if given.suffix in (".yaml", ".yml") or given.is_file():
        return given
    return load_settings().data_dir / "experiments" / f"{experiment}.yaml"


@experiment_app.command("analyze")
def analyze_command(
    events: Path = typer.Option(..., help="Events: .jsonl, .csv or SQLite (.db, table events)."),
    experiment: str = typer.Option(
        ..., help="Experiment id (its data_dir/experiments/ID.yaml) or a definition YAML path."
    ),
    output: str = typer.Option("text", "--format", help="text, json or html."),
    out: Path | None = typer.Option(None, help="Write the report here instead of stdout."),
) -> None:
    """Analyse an A/B experiment from its events: estimates, SRM, slices, decision."""
    from mangaassist.experiments.analysis import Events, analyze, read_rows
    from mangaassist.experiments.analysis_report import html
    from mangaassist.experiments.definition import load_definition
    from mangaassist.experiments.errors import StatsInputError

    if output not in ("text", "json", "html"):
        raise _fail(f"--format must be text, json or html, got {output!r}")
    try:
        definition = load_definition(_definition_path(experiment))
        data = Events.from_rows(read_rows(events), definition.experiment_id)
        result = analyze(definition, data).as_dict()
    except StatsInputError as exc:
        raise _fail(str(exc)) from exc
    result["srm"]["mismatch"] = bool(result["srm"]["mismatch"])
    if output == "json":
        text = json.dumps(result, indent=2, default=float)
    elif output == "html":
        text = html(result)
    else:
        lines = [f"experiment {result['experiment_id']}: units {result['units']}"]
        for m in result["metrics"]:
            lines.append(
                f"  {m['metric']:<16}{m['role']:<10}{m['variant']:<12}diff {m['diff']:+.4g} "
                f"[{m['ci_low']:+.4g}, {m['ci_high']:+.4g}]  p {m['p_adjusted']:.3g}"
            )
        srm = result["srm"]
        lines.append(f"  SRM p = {srm['p_value']:.3g}{'  MISMATCH' if srm['mismatch'] else ''}")
        for variant, decision in result["decisions"].items():
            lines.append(f"{variant}: {decision['decision']} — {decision['reason']}")
        text = "\n".join(lines)
    if out is not None:
        out.write_text(text, encoding="utf-8")
    else:
        typer.echo(text)
