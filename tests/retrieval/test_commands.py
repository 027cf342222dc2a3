"""The `ingest`, `retrieval` and `recommend` commands over the real data and a demo store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from mangaassist.cli import app
from mangaassist.config import REPO_ROOT

runner = CliRunner()


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    root = tmp_path_factory.mktemp("retrieval-cli")
    return {
        "MANGAASSIST_DATA_DIR": str(REPO_ROOT / "data"),
        "MANGAASSIST_STATE_DIR": str(root / "state"),
        "MANGAASSIST_STORE__DB_PATH": str(root / "store.sqlite3"),
        "MANGAASSIST_STORE__TODAY": "2026-11-01",
    }


def run(env: dict[str, str], *args: str) -> Result:
    return runner.invoke(app, list(args), env=env)


def assert_usage_error(result: Result, fragment: str) -> None:
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert fragment in lines[0]


def test_ingest_writes_the_artifact_and_reports(env: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "chunks.jsonl"
    result = run(env, "ingest", "--out", str(out))
    assert result.exit_code == 0, result.output
    written = len(out.read_text(encoding="utf-8").splitlines())
    assert f"wrote {written} chunks" in result.output
    for key in ("faq/en", "faq/ja", "series/en", "series/ja", "product/en"):
        assert key in result.output
    assert "flagged (possible injected instructions):" in result.output


def test_ingest_rejects_a_missing_data_dir(env: dict[str, str], tmp_path: Path) -> None:
    assert_usage_error(run(env, "ingest", "--data-dir", str(tmp_path / "nope")), "--data-dir")


def test_ingest_reports_a_broken_kb_file(env: dict[str, str], tmp_path: Path) -> None:
    (tmp_path / "kb" / "en").mkdir(parents=True)
    (tmp_path / "kb" / "en" / "bad.md").write_text("no front matter", encoding="utf-8")
    (tmp_path / "catalog" / "series").mkdir(parents=True)
    result = run(env, "ingest", "--data-dir", str(tmp_path), "--no-store")
    assert_usage_error(result, "front matter")


def test_search_prints_ranked_chunks(env: dict[str, str]) -> None:
    result = run(env, "retrieval", "search", "how many days to send back an unopened book")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("1. [")
    assert "returns" in result.output
    ja = run(env, "retrieval", "search", "返品できる期間は？", "--lang", "ja", "--k", "1")
    assert ja.exit_code == 0
    assert ja.output.count("\n1. ") + ja.output.startswith("1. ") == 1


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--lang", "fr"], "--lang"),
        (["--k", "0"], "--k"),
        (["--k", "11"], "--k"),
    ],
)
def test_search_bad_options(env: dict[str, str], args: list[str], fragment: str) -> None:
    assert_usage_error(run(env, "retrieval", "search", "returns", *args), fragment)


def test_search_empty_query(env: dict[str, str]) -> None:
    assert_usage_error(run(env, "retrieval", "search", "  "), "empty")


def test_retrieval_eval_json(env: dict[str, str]) -> None:
    result = run(env, "retrieval", "eval", "--split", "dev", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["split"] == "dev"
    assert report["overall"]["count"] == report["en"]["count"] + report["ja"]["count"]
    for part in ("overall", "en", "ja"):
        score = report[part]
        assert 0 <= score["recall_at_1"] <= score["recall_at_3"] <= 1
        assert score["recall_at_1"] <= score["mrr"] <= 1
    assert all(set(miss) == {"id", "text", "expected", "got"} for miss in report["failing"])


def test_retrieval_eval_text(env: dict[str, str]) -> None:
    result = run(env, "retrieval", "eval", "--split", "test")
    assert result.exit_code == 0
    assert result.output.startswith("overall")
    assert "failing at 3:" in result.output


def test_eval_rejects_an_unknown_split(env: dict[str, str]) -> None:
    assert_usage_error(run(env, "retrieval", "eval", "--split", "train"), "--split")
    assert_usage_error(run(env, "recommend", "eval", "--split", "train"), "--split")


def test_recommend_shorthand_prints_picks_with_reasons(env: dict[str, str]) -> None:
    result = run(env, "recommend", "something creepy like Junji Ito")
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert lines[0].startswith("1. ")
    assert all(" — " in line for line in lines)


def test_recommend_ask_in_japanese_for_a_customer(env: dict[str, str]) -> None:
    result = run(env, "recommend", "ask", "泣ける漫画", "--lang", "ja", "--customer", "C10001")
    assert result.exit_code == 0, result.output
    assert "。" in result.output


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["ask", "x", "--customer", "C99999999"], "customer"),
        (["ask", "x", "--lang", "de"], "--lang"),
        (["ask", " "], "empty"),
        (["ask", "x", "--k", "0"], "--k"),
    ],
)
def test_recommend_bad_input(env: dict[str, str], args: list[str], fragment: str) -> None:
    assert_usage_error(run(env, "recommend", *args), fragment)


def test_recommend_eval_json(env: dict[str, str]) -> None:
    result = run(env, "recommend", "eval", "--split", "dev", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["requests"] > 0
    assert 0 <= report["acceptable_rate"] <= 1
    assert 0 <= report["hit_rate_at_10"] <= 1
    assert report["customers"] > 0
