from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mangaassist.cli import app

runner = CliRunner()


@pytest.fixture
def state_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MANGAASSIST_STATE_DIR", str(tmp_path))
    return tmp_path


def test_train_writes_a_versioned_artifact(state_dir: Path) -> None:
    result = runner.invoke(app, ["nlu", "train", "--train-only"])
    assert result.exit_code == 0, result.output
    version = (state_dir / "nlu" / "LATEST").read_text(encoding="utf-8").strip()
    assert version in result.output
    assert (state_dir / "nlu" / f"intent-{version}" / "model.pkl").is_file()


def test_classify_json_lines_and_trains_when_missing(state_dir: Path) -> None:
    lines = [{"text": "where is my order MA-2026-104233?"}, {"text": "おすすめの漫画ある？"}]
    stdin = "\n".join(json.dumps(line) for line in lines) + "\n"
    result = runner.invoke(app, ["nlu", "classify"], input=stdin)
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["text"] for r in records] == [line["text"] for line in lines]
    assert records[0]["intent"] == "order_tracking"
    assert records[0]["entities"][0]["order_id"] == "MA-2026-104233"
    assert records[1]["language"] == "ja"
    expected = {"intent", "confidence", "requires_llm", "language", "entities", "stage"}
    assert all(expected <= set(r) for r in records)
    assert (state_dir / "nlu" / "LATEST").is_file()


def test_classify_bad_lines_exit_2_with_one_stderr_line(state_dir: Path) -> None:
    stdin = 'not json\n{"text": 3}\n{"text": "   "}\n{"text": "hi"}\n'
    result = runner.invoke(app, ["nlu", "classify"], input=stdin)
    assert result.exit_code == 2
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert ["error" in r for r in records] == [True, True, True, False]
    assert result.stderr.strip().count("\n") == 0
    assert "3 input line(s)" in result.stderr


def test_eval_prints_metrics_and_confusion(state_dir: Path) -> None:
    result = runner.invoke(app, ["nlu", "eval", "--split", "dev", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert set(report["per_intent"]) >= {"faq", "out_of_scope"}
    assert 0 < report["macro_f1"] <= 1
    assert len(report["confusion"]) == 10


def test_eval_rejects_unknown_split(state_dir: Path) -> None:
    result = runner.invoke(app, ["nlu", "eval", "--split", "train"])
    assert result.exit_code == 2
    assert result.stderr.strip().startswith("error:")
    assert result.stderr.strip().count("\n") == 0


def test_bad_intent_data_is_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, state_dir: Path
) -> None:
    (tmp_path / "intents").mkdir()
    (tmp_path / "intents" / "x.yaml").write_text("intent: nope\n", encoding="utf-8")
    monkeypatch.setenv("MANGAASSIST_NLU__INTENTS_DIR", str(tmp_path / "intents"))
    result = runner.invoke(app, ["nlu", "train"])
    assert result.exit_code == 2
    assert "unknown intent" in result.stderr
