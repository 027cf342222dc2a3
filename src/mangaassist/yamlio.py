"""YAML parsing for every data file: libyaml's C loader when PyYAML has it (it nearly always
does), which reads the catalog, intents and golden set about ten times faster than the
pure-Python `yaml.safe_load`; the same safe subset of YAML either way."""

from __future__ import annotations

from typing import Any

import yaml

SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str) -> Any:
    """Parse `text` like `yaml.safe_load` (raises `yaml.YAMLError` on bad input)."""
    return yaml.load(text, Loader=SafeLoader)
