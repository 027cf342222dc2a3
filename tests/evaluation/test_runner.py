from __future__ import annotations

import asyncio
import json
import random
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from statsmodels.stats.contingency_tables import mcnemar
from statsmodels.stats.proportion import proportion_confint

from mangaassist.evaluation.checks import Checker, StoreTruth
from mangaassist.evaluation.compare import compare_runs, load_run, mcnemar_exact
from mangaassist.evaluation.golden import GoldenCase, parse_case
from mangaassist.evaluation.judge import (
    BuiltinJudge,
    JudgeError,
    LabelledAnswer,
    ModelJudge,
    calibrate,
    parse_verdict,
)
from mangaassist.evaluation.reports import html_report, junit_xml, write_json
from mangaassist.evaluation.runner import Runner, TranscriptCache, wilson
from mangaassist.evaluation.targets import Transcript, TransportError, TurnResult

pytestmark = pytest.mark.asyncio


def case(case_id: str, intent: str = "faq", text: str = "returns?") -> GoldenCase:
    raw = {
        "id": case_id,
        "lang": "en",
        "turns": [text],
        "expect": {"intent": intent, "any_of": [["30 days"]]},
    }
    return parse_case(raw, "t")


class ScriptedTarget:
    """A target at the protocol boundary: answers, drops the connection or hangs on cue."""

    description = "scripted"

    def __init__(self, script: dict[str, list[object]]) -> None:
        self.script = script
        self.calls: dict[str, int] = {}
        self.hang = asyncio.Event()

    async def run(self, golden: GoldenCase) -> Transcript:
        n = self.calls.get(golden.case_id, 0)
        self.calls[golden.case_id] = n + 1
        step = self.script[golden.case_id][min(n, len(self.script[golden.case_id]) - 1)]
        if step == "drop":
            raise TransportError("connection reset")
        if step == "hang":
            await self.hang.wait()
        assert isinstance(step, str)
        return Transcript((TurnResult(step, golden.expect.intent),), 1.0)

    async def aclose(self) -> None:
        return None


def checker() -> Checker:
    return Checker(StoreTruth(products={}, series={}, shipping=[]))


async def test_outcomes_pass_fail_error_and_transport_retries() -> None:
    target = ScriptedTarget(
        {
            "good": ["Returns are accepted within 30 days; you can start one from your orders."],
            "bad": ["We sell manga."],
            "flaky": ["drop", "Returns are accepted within 30 days, please sign in to start."],
            "down": ["drop"],
            "slow": ["hang"],
        }
    )
    runner = Runner(target, checker(), BuiltinJudge(), retries=1, timeout_s=0.05)
    report = await runner.run([case(i) for i in ("good", "bad", "flaky", "down", "slow")])
    outcomes = {r.case_id: r.outcome for r in report.results}
    assert outcomes == {
        "good": "pass",
        "bad": "fail",
        "flaky": "pass",
        "down": "error",
        "slow": "error",
    }
    assert target.calls["flaky"] == 2
    assert target.calls["down"] == 2  # one try plus one retry, then an error
    overall = report.overall
    assert (overall.passed, overall.failed, overall.errors) == (2, 1, 2)
    assert overall.rate == pytest.approx(2 / 3)  # errors are neither passes nor fails
    bad = next(r for r in report.results if r.case_id == "bad")
    assert [c.name for c in bad.failures] == ["any_of", "judge"]


async def test_cache_reuses_transcripts_and_repeat_runs_each_time(tmp_path: Path) -> None:
    target = ScriptedTarget({"a": ["Returns are accepted within 30 days, please sign in."]})
    cache = TranscriptCache(tmp_path)
    first = await Runner(target, checker(), BuiltinJudge(), repeat=3, cache=cache).run([case("a")])
    assert target.calls["a"] == 3
    assert [r.repeat for r in first.results] == [0, 1, 2]
    again = await Runner(target, checker(), BuiltinJudge(), repeat=3, cache=cache).run([case("a")])
    assert target.calls["a"] == 3
    assert all(r.cached for r in again.results)
    changed = case("a", text="refund policy?")  # another fingerprint: not from the cache
    await Runner(target, checker(), BuiltinJudge(), cache=cache).run([changed])
    assert target.calls["a"] == 4


async def test_wilson_matches_statsmodels_on_random_counts() -> None:
    rng = random.Random(11)
    for _ in range(300):
        n = rng.randint(1, 2000)
        k = rng.randint(0, n)
        low, high = wilson(k, n)
        ref_low, ref_high = proportion_confint(k, n, alpha=0.05, method="wilson")
        assert low == pytest.approx(ref_low, abs=1e-9)
        assert high == pytest.approx(ref_high, abs=1e-9)
    assert wilson(0, 0) == (0.0, 1.0)


async def test_mcnemar_exact_matches_statsmodels() -> None:
    rng = random.Random(5)
    for _ in range(100):
        b, c = rng.randint(0, 40), rng.randint(0, 40)
        table = [[10, b], [c, 10]]
        assert mcnemar_exact(b, c) == pytest.approx(mcnemar(table, exact=True).pvalue, abs=1e-9)


async def test_compare_separates_regressions_fixes_and_format_changes(tmp_path: Path) -> None:
    def run(rows: list[tuple[str, str, str]]) -> Path:
        path = tmp_path / f"run{len(list(tmp_path.iterdir()))}.json"
        results = [
            {"id": i, "outcome": o, "answer": a, "failures": [{"name": "any_of", "detail": "x"}]}
            for i, o, a in rows
        ]
        path.write_text(json.dumps({"results": results}), encoding="utf-8")
        return path

    a = run([("r", "pass", "A"), ("f", "fail", "B"), ("c", "pass", "C"), ("e", "pass", "D")])
    b = run([("r", "fail", "A"), ("f", "pass", "B"), ("c", "pass", "C!"), ("e", "error", "")])
    result = compare_runs(load_run(a), load_run(b))
    assert [r[0] for r in result.regressions] == ["r"]
    assert result.fixes == ["f"]
    assert result.changed_but_correct == ["c"]
    assert result.errors == ["e"]
    assert result.p_value == pytest.approx(1.0)


async def test_judge_replies_are_parsed_strictly() -> None:
    ok = parse_verdict('{"helpfulness": 4, "tone": 5, "reasoning": 3, "rationale": "fine"}')
    assert ok.passed
    assert not parse_verdict(
        '```json\n{"helpfulness": 2, "tone": 5, "reasoning": 3, "rationale": "vague"}\n```'
    ).passed
    for bad in [
        "great answer!",
        '{"helpfulness": 6, "tone": 5, "reasoning": 3, "rationale": ""}',
        '{"helpfulness": 4, "tone": 5, "reasoning": 3}',
        "[1, 2]",
        '{"helpfulness": true, "tone": 5, "reasoning": 3, "rationale": ""}',
    ]:
        with pytest.raises(JudgeError):
            parse_verdict(bad)


async def test_model_judge_caches_parsable_replies_only(tmp_path: Path) -> None:
    replies = iter(["not json", '{"helpfulness": 4, "tone": 4, "reasoning": 4, "rationale": "ok"}'])
    calls = 0

    async def complete(system: str, user: str) -> str:
        nonlocal calls
        calls += 1
        assert "Reply with JSON only" in system
        return next(replies)

    judge = ModelJudge("judge-model", complete, tmp_path)
    golden = case("j")
    said = TurnResult("Returns within 30 days.", "faq")
    with pytest.raises(JudgeError):
        await judge.judge(golden, said)
    assert (await judge.judge(golden, said)).passed
    assert (await judge.judge(golden, said)).passed
    assert calls == 2


async def test_calibration_reports_accuracy_and_kappa() -> None:
    from sklearn.metrics import cohen_kappa_score

    good = TurnResult("Returns are accepted within 30 days; you can start one here.", "faq")
    rude = TurnResult("Read the FAQ yourself.", "faq")
    items = [
        LabelledAnswer(case("a"), good, True),
        LabelledAnswer(case("b"), rude, False),
        LabelledAnswer(case("c"), good, False),  # a person disagreed with the judge here
        LabelledAnswer(case("d"), rude, False),
    ]
    result = await calibrate(BuiltinJudge(), items)
    assert result.accuracy == pytest.approx(0.75)
    expected = cohen_kappa_score([True, False, False, False], [True, False, True, False])
    assert result.kappa == pytest.approx(expected)
    assert result.disagreements == ("c",)


async def test_reports_junit_parses_and_html_shows_failures(tmp_path: Path) -> None:
    target = ScriptedTarget({"ok": ["Returns within 30 days, please sign in."], "no": ["<b>?"]})
    report = await Runner(target, checker(), BuiltinJudge()).run([case("ok"), case("no")])
    suite = ET.fromstring(junit_xml(report).split("?>", 1)[1])
    assert suite.get("tests") == "2"
    assert suite.get("failures") == "1"
    assert suite.find("testcase[@name='no']/failure") is not None
    page = html_report(report, min_pass=0.9, gate_ok=False, cases=[case("ok"), case("no")])
    assert "Gate failed" in page
    assert "&lt;b&gt;?" in page  # answers are escaped
    assert "<svg" in page
    write_json(report, tmp_path / "r.json")
    assert json.loads((tmp_path / "r.json").read_text())["overall"]["failed"] == 1
