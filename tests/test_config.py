from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel, ValidationError

from mangaassist.config import CONFIG_FILE_ENV, Settings, load_settings


def _walk(model: type[BaseModel], prefix: str = "") -> list[tuple[str, str | None]]:
    found: list[tuple[str, str | None]] = []
    for name, field in model.model_fields.items():
        found.append((prefix + name, field.description))
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            found.extend(_walk(annotation, prefix + name + "."))
    return found


def test_every_setting_is_documented() -> None:
    fields = _walk(Settings)
    assert len(fields) > 10
    undocumented = [name for name, doc in fields if not doc or len(doc) < 10]
    assert undocumented == []


def test_every_setting_appears_in_docs_configuration() -> None:
    text = (Path(__file__).parents[1] / "docs" / "configuration.md").read_text(encoding="utf-8")
    missing = [name for name, _ in _walk(Settings) if f"`{name}`" not in text]
    assert missing == []


def test_env_nested_delimiter(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MANGAASSIST_STORE__BACKEND", "http")
    monkeypatch.setenv("MANGAASSIST_RESILIENCE__RETRY_ATTEMPTS", "5")
    settings = load_settings()
    assert settings.store.backend == "http"
    assert settings.resilience.retry_attempts == 5


def test_toml_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    config = tmp_path / "mangaassist.toml"
    config.write_text("[storefront]\nport = 9100\n[store]\nseed = 7\n", encoding="utf-8")
    monkeypatch.setenv(CONFIG_FILE_ENV, str(config))
    settings = load_settings()
    assert settings.storefront.port == 9100
    assert settings.store.seed == 7


def test_env_overrides_toml(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    config = tmp_path / "mangaassist.toml"
    config.write_text("[storefront]\nport = 9100\n", encoding="utf-8")
    monkeypatch.setenv(CONFIG_FILE_ENV, str(config))
    monkeypatch.setenv("MANGAASSIST_STOREFRONT__PORT", "9200")
    assert load_settings().storefront.port == 9200


def test_missing_config_file_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CONFIG_FILE_ENV, "/nonexistent/mangaassist.toml")
    with pytest.raises(FileNotFoundError, match="MANGAASSIST_CONFIG_FILE"):
        load_settings()


@pytest.mark.parametrize(
    ("env", "value"),
    [
        ("MANGAASSIST_STORE__BACKEND", "carrier-pigeon"),
        ("MANGAASSIST_STOREFRONT__PORT", "70000"),
        ("MANGAASSIST_RESILIENCE__BREAKER_FAILURE_RATE", "1.5"),
    ],
)
def test_bad_values_are_rejected(monkeypatch: pytest.MonkeyPatch, env: str, value: str) -> None:
    monkeypatch.setenv(env, value)
    with pytest.raises(ValidationError):
        load_settings()


def test_unknown_keys_are_rejected(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    config = tmp_path / "mangaassist.toml"
    config.write_text("[store]\nbakend = 'http'\n", encoding="utf-8")
    monkeypatch.setenv(CONFIG_FILE_ENV, str(config))
    with pytest.raises(ValidationError):
        load_settings()


def test_docs_configuration_is_generated_from_settings() -> None:
    from mangaassist.config_docs import render

    text = (Path(__file__).parents[1] / "docs" / "configuration.md").read_text(encoding="utf-8")
    assert text == render(), "run: mangaassist config docs > docs/configuration.md"
