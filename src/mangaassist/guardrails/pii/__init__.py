"""PII detection and redaction for English and Japanese store conversations."""

from mangaassist.guardrails.pii.detector import Redaction, detect_pii, redact
from mangaassist.guardrails.pii.types import PLACEHOLDERS, PiiFinding, PiiType

__all__ = ["PLACEHOLDERS", "PiiFinding", "PiiType", "Redaction", "detect_pii", "redact"]
