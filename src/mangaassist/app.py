"""Composition root: builds every backend from Settings. Nothing else decides what to wire."""

from __future__ import annotations

from mangaassist.config import Settings, load_settings

__all__ = ["Settings", "load_settings"]
