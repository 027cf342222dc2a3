"""Prompt-injection detection (English, Japanese, Chinese, Korean) over deobfuscated text."""

from mangaassist.guardrails.injection.detector import (
    DEFAULT_THRESHOLD,
    InjectionVerdict,
    score_injection,
)

__all__ = ["DEFAULT_THRESHOLD", "InjectionVerdict", "score_injection"]
