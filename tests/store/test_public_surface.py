from __future__ import annotations

import importlib

import pytest


@pytest.mark.parametrize("module", ["mangaassist.store.demo", "mangaassist.store.local"])
def test_all_names_exist(module: str) -> None:
    loaded = importlib.import_module(module)
    assert loaded.__all__
    assert all(hasattr(loaded, name) for name in loaded.__all__)
