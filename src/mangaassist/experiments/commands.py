"""`mangaassist experiment …`: quick significance checks for numbers people already have."""

from __future__ import annotations

import json

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
