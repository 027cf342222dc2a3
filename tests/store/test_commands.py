from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from mangaassist.cli import app
from mangaassist.store.local.snapshot import load_snapshot

runner = CliRunner()


@pytest.fixture
def env(fixture_data_dir: Path, tmp_path: Path) -> dict[str, str]:
    return {
        "MANGAASSIST_DATA_DIR": str(fixture_data_dir),
        "MANGAASSIST_STORE__DB_PATH": str(tmp_path / "default.sqlite3"),
        "MANGAASSIST_STORE__TODAY": "2026-11-01",
    }


def _one_line_error(result: Result) -> None:
    assert result.exit_code == 2
    stderr = result.stderr.strip()
    assert stderr
    assert "\n" not in stderr


def test_build_prints_the_report(env: dict[str, str], tmp_path: Path) -> None:
    db = tmp_path / "cli.sqlite3"
    args = ["store", "build", "--seed", "3", "--today", "2026-10-01", "--db", str(db)]
    result = runner.invoke(app, args, env=env)
    assert result.exit_code == 0, result.stderr
    assert "products" in result.stdout
    assert "seed 3, today 2026-10-01" in result.stdout
    assert load_snapshot(db).meta["today"] == "2026-10-01"


def test_info_and_product(env: dict[str, str], fixture_db: Path) -> None:
    info = runner.invoke(app, ["store", "info", "--db", str(fixture_db)], env=env)
    assert info.exit_code == 0, info.stderr
    assert "orders" in info.stdout
    assert "data_hash" in info.stdout
    asin = next(iter(load_snapshot(fixture_db).products))
    shown = runner.invoke(app, ["store", "product", asin, "--db", str(fixture_db)], env=env)
    assert shown.exit_code == 0, shown.stderr
    assert json.loads(shown.stdout)["asin"] == asin


def test_info_builds_the_configured_store(env: dict[str, str]) -> None:
    result = runner.invoke(app, ["store", "info"], env=env)
    assert result.exit_code == 0, result.stderr
    assert Path(env["MANGAASSIST_STORE__DB_PATH"]).is_file()
    assert "2026-11-01" in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["store", "build", "--today", "2026-13-45"],
        ["store", "build", "--today", "tomorrow"],
        ["store", "build", "--seed", "many"],
        ["store", "product", "not-an-asin"],
        ["store", "product", "B000000000"],
        ["store", "info", "--db", "/nonexistent/store.sqlite3"],
    ],
)
def test_bad_input_exits_2_with_one_line(
    env: dict[str, str], fixture_db: Path, args: list[str]
) -> None:
    if args[1] == "product":
        args = [*args, "--db", str(fixture_db)]
    _one_line_error(runner.invoke(app, args, env=env))


def test_bad_data_exits_2_with_one_line(env: dict[str, str], tmp_path: Path) -> None:
    env = {**env, "MANGAASSIST_DATA_DIR": str(tmp_path / "empty")}
    _one_line_error(runner.invoke(app, ["store", "build", "--db", str(tmp_path / "x")], env=env))
