from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from mangaassist.cli import app

runner = CliRunner()


def test_compare_proportions_json() -> None:
    result = runner.invoke(
        app,
        [
            "experiment",
            "compare",
            "--kind",
            "proportion",
            "--control",
            "4200/50000",
            "--treatment",
            "4700/50000",
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {"statistic", "p_value", "ci_low", "ci_high", "lift"} <= data.keys()
    assert data["statistic"] == pytest.approx(5.552848, abs=1e-6)
    assert data["significant"] is True


def test_compare_means_text() -> None:
    result = runner.invoke(
        app,
        [
            "experiment",
            "compare",
            "--kind",
            "mean",
            "--control",
            "40,12,800",
            "--treatment",
            "40.2,12,800",
        ],
    )
    assert result.exit_code == 0
    assert "Welch's t-test" in result.stdout
    assert "Not significant" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--kind", "proportion", "--control", "60/50", "--treatment", "4/9"], "exceed"),
        (["--kind", "proportion", "--control", "abc", "--treatment", "4/9"], "SUCCESSES/TRIALS"),
        (["--kind", "mean", "--control", "1,0,10", "--treatment", "2,0,10"], "zero variance"),
        (["--kind", "mean", "--control", "1,2", "--treatment", "2,1,10"], "MEAN,SD,N"),
        (["--kind", "ratio", "--control", "1/2", "--treatment", "1/2"], "--kind"),
        (
            [
                "--kind",
                "proportion",
                "--control",
                "1/2",
                "--treatment",
                "1/2",
                "--alternative",
                "up",
            ],
            "alternative",
        ),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args: list[str], message: str) -> None:
    result = runner.invoke(app, ["experiment", "compare", *args])
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stderr.strip().count("\n") == 0


def test_power_sample_size_and_mde_agree_with_the_library() -> None:
    import json as _json

    from mangaassist.experiments.power import mde_means, sample_size_proportions

    result = runner.invoke(
        app,
        [
            "experiment",
            "power",
            "--kind",
            "proportion",
            "--baseline",
            "0.084",
            "--mde",
            "0.01",
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0
    assert _json.loads(result.stdout)["n_per_group"] == sample_size_proportions(0.084, 0.01)
    text = runner.invoke(app, ["experiment", "power", "--kind", "mean", "--sd", "13", "--n", "760"])
    assert text.exit_code == 0
    assert f"{mde_means(13, 760):.6g}" in text.stdout


def test_power_bad_input_is_one_line_exit_2() -> None:
    for args in (
        ["--kind", "mean", "--sd", "13"],
        ["--kind", "proportion", "--baseline", "1.5", "--mde", "0.01"],
        ["--kind", "ratio", "--mde", "1"],
    ):
        result = runner.invoke(app, ["experiment", "power", *args])
        assert result.exit_code == 2, args
        assert result.stderr.strip().count("\n") == 0


def test_analyze_reads_events_and_a_definition(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json as _json

    from tests.experiments.test_analysis import rows

    definition = tmp_path / "def.yaml"
    definition.write_text(
        "id: exp\nunit: session\n"
        "variants: [{name: control, weight: 0.5}, {name: treatment, weight: 0.5}]\n"
        "primary: {name: conversion, event: conversion, kind: proportion, mde: 0.03}\n",
        encoding="utf-8",
    )
    events = tmp_path / "events.jsonl"
    events.write_text("".join(_json.dumps(r) + "\n" for r in rows(3000, (0.1, 0.15))), "utf-8")
    result = runner.invoke(
        app,
        [
            "experiment",
            "analyze",
            "--events",
            str(events),
            "--experiment",
            str(definition),
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    report = _json.loads(result.stdout)
    assert report["decisions"]["treatment"]["decision"] in ("ship", "keep_running", "do_not_ship")
    assert report["units"]["control"] + report["units"]["treatment"] == 3000
    page = tmp_path / "r.html"
    html = runner.invoke(
        app,
        [
            "experiment",
            "analyze",
            "--events",
            str(events),
            "--experiment",
            str(definition),
            "--format",
            "html",
            "--out",
            str(page),
        ],
    )
    assert html.exit_code == 0
    assert page.read_text(encoding="utf-8").count("<svg") >= 2
    bad = runner.invoke(
        app,
        [
            "experiment",
            "analyze",
            "--events",
            str(tmp_path / "no.jsonl"),
            "--experiment",
            str(definition),
        ],
    )
    assert bad.exit_code == 2
    assert "no such file" in bad.stderr


def test_analyze_finds_a_definition_by_id(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import json as _json

    from tests.experiments.test_analysis import rows

    folder = tmp_path / "experiments"
    folder.mkdir()
    (folder / "exp.yaml").write_text(
        "id: exp\nvariants: [{name: control, weight: 0.5}, {name: treatment, weight: 0.5}]\n"
        "primary: {name: conversion, event: conversion, kind: proportion}\n",
        encoding="utf-8",
    )
    events = tmp_path / "events.jsonl"
    events.write_text("".join(_json.dumps(r) + "\n" for r in rows(500, (0.1, 0.1))), "utf-8")
    monkeypatch.setenv("MANGAASSIST_DATA_DIR", str(tmp_path))
    found = runner.invoke(
        app, ["experiment", "analyze", "--events", str(events), "--experiment", "exp"]
    )
    assert found.exit_code == 0, found.output
    assert "experiment exp" in found.stdout
    missing = runner.invoke(
        app, ["experiment", "analyze", "--events", str(events), "--experiment", "nope"]
    )
    assert missing.exit_code == 2
    assert "nope.yaml" in missing.stderr
