"""Cost per message from a price table: USD per million input and output tokens per model.

The shipped table holds list prices of common models as published by their vendors
(checked 2026-11); `llm.prices` in Settings adds or overrides entries. A model id matches
the longest table key it contains, so Bedrock ids and inference profiles
(`us.anthropic.claude-sonnet-4-5-20250929-v1:0`) price like the model they name. Local
models (Ollama, vLLM…) cost nothing unless priced; an id no entry matches has no cost
(`None`), which the metadata reports honestly instead of guessing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from mangaassist.llm.provider import Usage


@dataclass(frozen=True, slots=True)
class ModelPrice:
    input_usd_per_mtok: float
    output_usd_per_mtok: float


DEFAULT_PRICES: dict[str, ModelPrice] = {
    "claude-haiku-4-5": ModelPrice(1.0, 5.0),
    "claude-sonnet-4-5": ModelPrice(3.0, 15.0),
    "claude-sonnet-4": ModelPrice(3.0, 15.0),
    "claude-opus-4-1": ModelPrice(15.0, 75.0),
    "claude-3-5-haiku": ModelPrice(0.8, 4.0),
    "claude-3-5-sonnet": ModelPrice(3.0, 15.0),
    "claude-3-haiku": ModelPrice(0.25, 1.25),
    "gpt-4o-mini": ModelPrice(0.15, 0.6),
    "gpt-4o": ModelPrice(2.5, 10.0),
    "gpt-4.1-mini": ModelPrice(0.4, 1.6),
    "gpt-4.1": ModelPrice(2.0, 8.0),
}


class PriceTable:
    def __init__(self, extra: Mapping[str, ModelPrice] | None = None) -> None:
        self.prices = DEFAULT_PRICES | dict(extra or {})
        # Longest keys first: "gpt-4o-mini" must win over "gpt-4o".
        self._keys = sorted(self.prices, key=len, reverse=True)

    def price_of(self, model: str) -> ModelPrice | None:
        lowered = model.lower()
        for key in self._keys:
            if key.lower() in lowered:
                return self.prices[key]
        return None

    def cost_usd(self, model: str, usage: Usage) -> float | None:
        price = self.price_of(model)
        if price is None:
            return None
        cost = (
            usage.input_tokens * price.input_usd_per_mtok
            + usage.output_tokens * price.output_usd_per_mtok
        ) / 1_000_000
        return round(cost, 8)
