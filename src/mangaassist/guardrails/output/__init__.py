"""The six-stage output guard: PII, price accuracy, toxicity, competitors, product IDs, scope."""
