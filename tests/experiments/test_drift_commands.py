from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mangaassist.cli import app

runner = CliRunner()


def records(path: Path, shift_from: int | None) -> Path:
    rng = random.Random(1)
    intents = ["faq", "recommendation", "order_tracking", "shipping"]
    with path.open("w", encoding="utf-8") as handle:
        for day in range(12):
            start = datetime(2026, 11, 1, tzinfo=UTC) + timedelta(days=day)
            shifted = shift_from is not None and day >= shift_from
            weights = [0.1, 0.2, 0.6, 0.1] if shifted else [0.4, 0.3, 0.2, 0.1]
            for _ in range(400):
                at = start + timedelta(seconds=rng.randint(0, 86_399))
                row = {
                    "at": at.isoformat(),
                    "intent": rng.choices(intents, weights)[0],
                    "latency_ms": rng.lognormvariate(2, 0.4),
                }
                handle.write(json.dumps(row) + "\n")
    return path


def run(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["drift", "check", *args])


def test_steady_traffic_exits_0_and_a_lasting_shift_exits_1(tmp_path: Path) -> None:
    steady = run(
        "--file",
        str(records(tmp_path / "a.jsonl", None)),
        "--field",
        "intent",
        "--field",
        "latency_ms",
        "--format",
        "json",
    )
    assert steady.exit_code == 0, steady.output
    report = json.loads(steady.stdout)
    assert report["fields"]["intent"]["kind"] == "categorical"
    assert report["fields"]["latency_ms"]["kind"] == "numeric"
    assert not report["alert"]
    shifted = run(
        "--file", str(records(tmp_path / "b.jsonl", 9)), "--field", "intent", "--k", "2", "--n", "3"
    )
    assert shifted.exit_code == 1
    assert "SUSTAINED ALERT" in shifted.stdout


def test_html_report_is_written(tmp_path: Path) -> None:
    out = tmp_path / "drift.html"
    result = run(
        "--file",
        str(records(tmp_path / "a.jsonl", 9)),
        "--field",
        "intent",
        "--format",
        "html",
        "--out",
        str(out),
    )
    assert result.exit_code in (0, 1)
    page = out.read_text(encoding="utf-8")
    assert page.count("<svg") == 1
    assert "order_tracking" in page


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--window", "week"], "--window must be day or hour"),
        (["--format", "pdf"], "--format must be"),
        (["--baseline-windows", "30"], "need more than 30"),
    ],
)
def test_bad_input_is_one_line_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    result = run("--file", str(records(tmp_path / "a.jsonl", None)), "--field", "intent", *args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_unreadable_records_are_named(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"at": "2026-11-01T00:00:00", "intent": "faq"}\nnot json\n', "utf-8")
    result = run("--file", str(bad))
    assert result.exit_code == 2
    assert "bad.jsonl:2: invalid JSON" in result.stderr
    missing = run("--file", str(tmp_path / "nope.jsonl"))
    assert missing.exit_code == 2
