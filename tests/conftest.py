"""Test-wide set-up: every test gets a marker from where it lives (integration/ or unit)."""

from __future__ import annotations

from pathlib import Path

import pytest

TESTS_DIR = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        path = Path(str(item.path))
        if TESTS_DIR / "integration" in path.parents:
            item.add_marker(pytest.mark.integration)
        elif not any(m.name in {"browser", "integration"} for m in item.iter_markers()):
            item.add_marker(pytest.mark.unit)
