"""The input guard: size limits, PII scrubbing and prompt-injection scoring of one message."""

from __future__ import annotations

from dataclasses import dataclass

from mangaassist.config import GuardrailSettings
from mangaassist.guardrails.injection import InjectionVerdict, score_injection
from mangaassist.guardrails.pii import PiiFinding, redact


class PayloadTooLarge(ValueError):
    """The message exceeds the configured character or byte limit."""

    code = "payload_too_large"


@dataclass(frozen=True, slots=True)
class InputVerdict:
    """`text` is the redacted message: the only form that may be stored, logged or prompted."""

    text: str
    pii: tuple[PiiFinding, ...]
    injection: InjectionVerdict

    @property
    def blocked(self) -> bool:
        return self.injection.blocked


class InputGuard:
    def __init__(self, settings: GuardrailSettings) -> None:
        self._settings = settings

    def check_size(self, text: str) -> None:
        limit_chars, limit_bytes = self._settings.max_input_chars, self._settings.max_input_bytes
        if len(text) > limit_chars:
            raise PayloadTooLarge(f"message has {len(text)} characters; the limit is {limit_chars}")
        size = len(text.encode("utf-8"))
        if size > limit_bytes:
            raise PayloadTooLarge(f"message has {size} bytes; the limit is {limit_bytes}")

    def check(self, text: str) -> InputVerdict:
        self.check_size(text)
        redaction = redact(text)
        injection = score_injection(text, threshold=self._settings.injection_threshold)
        return InputVerdict(redaction.text, redaction.findings, injection)
