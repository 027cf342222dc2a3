"""Guardrails: input guard (PII, injection), output stages, inline stream guard, PII vault."""
