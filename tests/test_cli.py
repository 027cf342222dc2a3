from __future__ import annotations

from pathlib import Path
from typing import Any

import typer.main
from typer.testing import CliRunner

from mangaassist import __version__
from mangaassist.cli import app

runner = CliRunner()


def _commands(group: Any, prefix: str = "") -> list[tuple[str, Any]]:
    """Every (sub)command. Typer vendors its own click, so groups are recognised by their
    `commands` mapping rather than by class."""
    found: list[tuple[str, Any]] = []
    commands = getattr(group, "commands", None)
    if isinstance(commands, dict):
        for name, command in commands.items():
            found.append((prefix + name, command))
            found.extend(_commands(command, prefix + name + " "))
    return found


def test_the_command_tree_is_walked() -> None:
    names = [name for name, _ in _commands(typer.main.get_command(app))]
    assert {"serve", "eval run", "guard eval", "experiment compare"} <= set(names)


def test_help_lists_commands() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    root = typer.main.get_command(app)
    for name, _ in _commands(root):
        if " " not in name:
            assert name in result.output


def test_every_command_has_help_text() -> None:
    root = typer.main.get_command(app)
    missing = [name for name, command in _commands(root) if not (command.help or "").strip()]
    assert missing == []


def test_every_command_is_in_docs_cli() -> None:
    text = (Path(__file__).parents[1] / "docs" / "cli.md").read_text(encoding="utf-8")
    root = typer.main.get_command(app)
    missing = [name for name, _ in _commands(root) if f"mangaassist {name}" not in text]
    assert missing == []


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == __version__
