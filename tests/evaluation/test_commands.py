from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from mangaassist.cli import app

runner = CliRunner()
CASE = {"id": "a", "lang": "en", "turns": ["hi"], "expect": {"intent": "chitchat"}}


@pytest.fixture
def golden(tmp_path: Path) -> Path:
    path = tmp_path / "g.yaml"
    path.write_text(yaml.safe_dump([CASE]), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--cases", "missing.yaml"], "no such file or folder"),
        (["--intent", "weather"], "no golden case matches"),
        (["--target", "ftp://x"], "--target must be"),
        (["--judge", "oracle"], "--judge must be"),
    ],
)
def test_bad_run_input_is_one_line_and_exit_2(golden: Path, args: list[str], message: str) -> None:
    if args[0] != "--cases":
        args = ["--cases", str(golden), *args]
    result = runner.invoke(app, ["eval", "run", *args])
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stderr.strip().count("\n") == 0


def test_compare_rejects_a_file_that_is_not_a_run(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{}", encoding="utf-8")
    result = runner.invoke(app, ["eval", "compare", str(bad), str(bad)])
    assert result.exit_code == 2
    assert "not a run report" in result.stderr


def test_calibrate_rejects_bad_labels(tmp_path: Path) -> None:
    labels = tmp_path / "labels.yaml"
    labels.write_text(yaml.safe_dump([CASE | {"answer": "hello", "human": "maybe"}]), "utf-8")
    result = runner.invoke(app, ["eval", "calibrate", "--labels", str(labels)])
    assert result.exit_code == 2
    assert "'human' must be 'pass' or 'fail'" in result.stderr
