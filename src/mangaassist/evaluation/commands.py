"""`mangaassist eval …`: run the golden set, compare runs, calibrate the judge, grow the set.

Exit codes: 0 = done and (for `run`) the gate passed; 1 = the gate failed (pass rate under
`--min-pass`, a critical property failure, or more errors than `--max-errors`), or
`compare --fail-on-regression` found regressions; 2 = bad input (one line on stderr).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import tempfile
from pathlib import Path
from typing import Any, NoReturn

import typer

eval_app = typer.Typer(help="Golden-set evaluation: run, compare, calibrate, add cases.")


def _fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)


def _eval_settings(settings: Any, state_dir: Path) -> Any:
    """The configured service, but with a private state folder (sessions, audit) and no
    streaming pauses; the store and the trained intent model are shared, not rebuilt."""
    from mangaassist.config import load_settings

    nlu_dir = settings.nlu.artifact_dir or settings.state_dir / "nlu"
    return load_settings(
        state_dir=state_dir,
        chat={"pacing_s": 0},
        nlu={"artifact_dir": nlu_dir},
        store={"db_path": settings.store.db_path.resolve()},
    )


def _judge(spec: str) -> Any:
    from mangaassist.evaluation.judge import BuiltinJudge

    if spec == "builtin":
        return BuiltinJudge()
    if spec == "none":

        class NoJudge:
            name = "none"

            async def judge(self, case: Any, answer: Any) -> None:
                return None

        return NoJudge()
    if spec.startswith("model:") and spec[len("model:") :]:
        return _model_judge(spec[len("model:") :])
    _fail(f"--judge must be builtin, none or model:PROVIDER, not {spec!r}")


def _model_judge(name: str) -> Any:
    """A judge model from `llm.providers[name]`, asked at temperature 0 through the same
    provider layer as the service; replies cached under state_dir/judge-cache."""
    from mangaassist.config import load_settings
    from mangaassist.evaluation.judge import ModelJudge
    from mangaassist.llm.factory import build_provider
    from mangaassist.llm.provider import ChatMessage, ConfigurationError, LlmRequest

    settings = load_settings()
    config = settings.llm.providers.get(name)
    if config is None:
        known = ", ".join(sorted(settings.llm.providers)) or "none"
        _fail(f"--judge model:{name}: no provider {name!r} in llm.providers (configured: {known})")
    try:
        provider = build_provider(name, config)
    except ConfigurationError as exc:
        _fail(f"--judge model:{name}: {exc}")

    async def complete(system: str, user: str) -> str:
        request = LlmRequest(
            system=system, messages=(ChatMessage("user", user),), max_tokens=400, temperature=0.0
        )
        return "".join([e async for e in provider.stream(request) if isinstance(e, str)])

    return ModelJudge(
        f"{name}:{config.model}",
        complete,
        settings.state_dir / "judge-cache",
        close=getattr(provider, "aclose", None),
    )


async def _closing(judge: Any, work: Any) -> Any:
    """Await `work`, then close the judge's connections (a model judge has some)."""
    try:
        return await work
    finally:
        close = getattr(judge, "aclose", None)
        if close is not None:
            await close()


async def _run(options: dict[str, Any]) -> int:
    from mangaassist.config import load_settings
    from mangaassist.evaluation.checks import Checker, StoreTruth
    from mangaassist.evaluation.golden import GoldenError, load_cases, select
    from mangaassist.evaluation.reports import write_html, write_json, write_junit
    from mangaassist.evaluation.runner import Runner, TranscriptCache
    from mangaassist.evaluation.targets import InProcessTarget, WebSocketTarget

    try:
        cases = select(
            load_cases(options["cases"]),
            intents=options["intent"],
            languages=options["lang"],
            tags=options["tag"],
            ids=options["case_id"],
        )
    except GoldenError as exc:
        _fail(str(exc))
    if not cases:
        _fail("no golden case matches the filters")
    judge = _judge(options["judge"])
    settings = load_settings()
    state = Path(tempfile.mkdtemp(prefix="mangaassist-eval-"))
    target_spec: str = options["target"]
    async with contextlib.AsyncExitStack() as stack:
        if target_spec == "inprocess":
            target: Any = await InProcessTarget.create(_eval_settings(settings, state))
            store = target.runtime.conversation.orchestrator.deps.route_deps.store
        elif target_spec.startswith(("http://", "https://")):
            from mangaassist.app import open_store_services

            target = WebSocketTarget(
                target_spec, token_secret=options["token_secret"], turn_timeout_s=options["timeout"]
            )
            store = await stack.enter_async_context(open_store_services(settings))
        else:
            _fail(f"--target must be 'inprocess' or an http(s):// URL, not {target_spec!r}")
        stack.push_async_callback(target.aclose)
        judge_close = getattr(judge, "aclose", None)
        if judge_close is not None:
            stack.push_async_callback(judge_close)
        truth = await StoreTruth.load(store, [c.customer for c in cases if c.customer])
        cache = None if options["no_cache"] else TranscriptCache(options["cache_dir"])
        runner = Runner(
            target,
            Checker(truth),
            judge,
            concurrency=options["concurrency"],
            timeout_s=options["timeout"],
            retries=options["retries"],
            repeat=options["repeat"],
            cache=cache,
        )
        report = await runner.run(cases)
    overall = report.overall
    critical = report.critical_failures()
    gate_ok = (
        overall.rate >= options["min_pass"]
        and not critical
        and overall.errors <= options["max_errors"]
    )
    if options["json_out"]:
        write_json(report, options["json_out"])
    if options["junit_out"]:
        write_junit(report, options["junit_out"])
    if options["html_out"]:
        write_html(
            report, options["html_out"], min_pass=options["min_pass"], gate_ok=gate_ok, cases=cases
        )
    _print_summary(report, options["min_pass"], gate_ok)
    return 0 if gate_ok else 1


def _print_summary(report: Any, min_pass: float, gate_ok: bool) -> None:
    data = report.as_dict()
    overall = data["overall"]
    typer.echo(f"target: {report.target}   judge: {report.judge}   {report.elapsed_s:.1f} s")
    typer.echo(f"{'':<18}{'pass':>6}{'fail':>6}{'err':>5}{'rate':>8}   95% CI")
    rows = [("overall", overall)]
    rows += [(f"  {k}", v) for k, v in data["by_intent"].items()]
    rows += [(f"  lang {k}", v) for k, v in data["by_language"].items()]
    for name, s in rows:
        typer.echo(
            f"{name:<18}{s['passed']:>6}{s['failed']:>6}{s['errors']:>5}{s['pass_rate']:>8.1%}"
            f"   [{s['ci_low']:.1%}, {s['ci_high']:.1%}]"
        )
    for failure in data["critical_failures"]:
        typer.echo(f"CRITICAL {failure['id']}: {failure['check']}: {failure['detail']}")
    verdict = "passed" if gate_ok else "FAILED"
    typer.echo(f"gate (pass rate >= {min_pass:.0%}, no critical failure): {verdict}")


@eval_app.command("run")
def run(
    cases: list[Path] = typer.Option(
        [Path("data/golden")], "--cases", help="Golden YAML files or folders (repeatable)."
    ),
    target: str = typer.Option(
        "inprocess", help="'inprocess' (this install) or the http(s):// URL of a deployment."
    ),
    concurrency: int = typer.Option(4, min=1, help="Cases run at the same time."),
    timeout: float = typer.Option(60.0, min=0.1, help="Seconds per case before it is an error."),
    retries: int = typer.Option(2, min=0, help="Retries after transport errors (only)."),
    repeat: int = typer.Option(1, min=1, help="Runs per case (for non-deterministic models)."),
    judge: str = typer.Option(
        "builtin", help="builtin, none, or model:PROVIDER (a provider in llm.providers)."
    ),
    min_pass: float = typer.Option(0.90, min=0.0, max=1.0, help="Gate: minimum pass rate."),
    max_errors: int = typer.Option(0, min=0, help="Gate: most errors tolerated."),
    cache_dir: Path = typer.Option(
        Path(".mangaassist/eval-cache"), help="Transcript cache (target + case + repeat)."
    ),
    no_cache: bool = typer.Option(False, "--no-cache", help="Always ask the target afresh."),
    json_out: Path | None = typer.Option(None, "--json", help="Write the JSON report here."),
    junit_out: Path | None = typer.Option(None, "--junit", help="Write JUnit XML here."),
    html_out: Path | None = typer.Option(None, "--html", help="Write the HTML report here."),
    intent: list[str] = typer.Option([], help="Only cases of this intent (repeatable)."),
    lang: list[str] = typer.Option([], help="Only cases in this language (repeatable)."),
    tag: list[str] = typer.Option([], help="Only cases with this tag (repeatable)."),
    case_id: list[str] = typer.Option([], "--id", help="Only this case (repeatable)."),
    token_secret: str | None = typer.Option(
        None,
        envvar="MANGAASSIST_EVAL_TOKEN_SECRET",
        help="Remote targets: the store's token signing key, to sign in as demo customers "
        "(else the deployment's demo sign-in endpoint is used).",
    ),
) -> None:
    """Run the golden set against a target and apply the gate."""
    options = dict(locals())
    code = asyncio.run(_run(options))
    raise typer.Exit(code)


@eval_app.command("compare")
def compare(
    run_a: Path = typer.Argument(..., help="JSON report of the baseline run."),
    run_b: Path = typer.Argument(..., help="JSON report of the candidate run."),
    as_json: bool = typer.Option(False, "--json", help="Print the comparison as JSON."),
    fail_on_regression: bool = typer.Option(
        False, help="Exit 1 when any case regressed (pass -> fail)."
    ),
) -> None:
    """Regressions and fixes case by case, with McNemar's exact test."""
    from mangaassist.evaluation.compare import CompareError, compare_runs, load_run

    try:
        result = compare_runs(load_run(run_a), load_run(run_b))
    except CompareError as exc:
        _fail(str(exc))
    if as_json:
        typer.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
    else:
        typer.echo(
            f"pass rate {result.pass_rate_a:.1%} -> {result.pass_rate_b:.1%}   "
            f"McNemar exact p = {result.p_value:.4g}"
        )
        typer.echo(
            f"regressions {len(result.regressions)}  fixes {len(result.fixes)}  "
            f"changed but still correct {len(result.changed_but_correct)}  "
            f"unchanged {result.unchanged}  errors {len(result.errors)}  "
            f"in one run only {len(result.only_in_one)}"
        )
        for case_id, reasons in result.regressions:
            typer.echo(f"REGRESSION {case_id}: {'; '.join(reasons)}")
        for case_id in result.fixes:
            typer.echo(f"fixed      {case_id}")
        for case_id in result.changed_but_correct:
            typer.echo(f"changed    {case_id} (still passes)")
    raise typer.Exit(1 if fail_on_regression and result.regressions else 0)


@eval_app.command("calibrate")
def calibrate(
    labels: Path = typer.Option(
        Path("data/golden/judge/labels.yaml"), help="Human-labelled answers (pass/fail)."
    ),
    judge: str = typer.Option(
        "builtin", help="builtin (deterministic), or model:PROVIDER (a provider in llm.providers)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """Agreement of the judge with human labels: accuracy and Cohen's kappa."""
    from mangaassist.evaluation.judge import JudgeError
    from mangaassist.evaluation.judge import calibrate as run_calibration
    from mangaassist.evaluation.labels import LabelError, load_labels

    try:
        items = load_labels(labels)
        chosen = _judge(judge)
        result = asyncio.run(_closing(chosen, run_calibration(chosen, items)))
    except (LabelError, JudgeError) as exc:
        _fail(str(exc))
    if as_json:
        typer.echo(json.dumps(result.as_dict(), indent=2))
        return
    typer.echo(
        f"items {result.items}  accuracy {result.accuracy:.1%}  Cohen's kappa "
        f"{result.kappa:.3f}  judge errors {result.errors}"
    )
    if result.disagreements:
        typer.echo(f"disagreements: {', '.join(result.disagreements)}")


@eval_app.command("add-from-audit")
def add_from_audit(
    response_id: str = typer.Argument(..., help="The response_id of a logged (bad) answer."),
    out: Path = typer.Option(Path("data/golden/from_audit.yaml"), help="Golden file to extend."),
    intent: str | None = typer.Option(None, help="Expected intent (default: the logged one)."),
    must_include: list[str] = typer.Option([], help="A string the answer must contain."),
    must_not_include: list[str] = typer.Option([], help="A string the answer must not contain."),
) -> None:
    """Turn a logged answer into a new golden case (the shopper's redacted turns)."""
    from mangaassist.config import load_settings
    from mangaassist.evaluation.from_audit import (
        AuditCaseError,
        append_case,
        build_case,
        load_conversation,
    )

    try:
        record, asked = asyncio.run(load_conversation(load_settings(), response_id))
        case = build_case(
            record,
            asked,
            response_id,
            intent=intent,
            must_include=must_include,
            must_not_include=must_not_include,
        )
        append_case(out, case)
    except AuditCaseError as exc:
        _fail(str(exc))
    typer.echo(f"added {case.case_id} to {out}")
