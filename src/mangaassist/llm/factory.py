"""Builds the model layer from `Settings.llm`: providers, the router with its chains, the
answer cache, the prompt builder and the price table.

Everything that can be wrong in the configuration fails here, at start-up, as one
`ConfigurationError` line: a chain naming an unknown provider, a missing key, a missing
SDK, or a model id that cannot belong to its provider (an Anthropic model is `claude-…`;
a Bedrock model is `vendor.model…`, optionally behind a region prefix, or an ARN). No
network call is made: whether a well-formed model id exists on the account shows at the
first call, as a typed `BadRequest` the router does not count against the provider.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mangaassist.config import LlmProviderSettings, LlmSettings
from mangaassist.llm.cache import MemoryAnswerCache
from mangaassist.llm.pricing import ModelPrice, PriceTable
from mangaassist.llm.provider import ConfigurationError, Provider
from mangaassist.llm.router import ModelRouter, Tier

_BEDROCK_MODEL = re.compile(
    r"^(?:arn:aws[\w-]*:bedrock:[\w-]+:\d*:[\w/-]+.*|(?:[a-z]{2,5}\.)?[a-z0-9-]+\.[\w.:-]+)$"
)


def _secret(value: object) -> str | None:
    getter = getattr(value, "get_secret_value", None)
    return getter() if getter is not None else None


def check_model(name: str, config: LlmProviderSettings) -> None:
    model = config.model.strip()
    if config.kind == "anthropic" and not model.startswith("claude-"):
        raise ConfigurationError(
            f"provider {name!r}: {model!r} is not an Anthropic model id (claude-…)"
        )
    if config.kind == "bedrock" and not _BEDROCK_MODEL.match(model):
        raise ConfigurationError(
            f"provider {name!r}: {model!r} is not a Bedrock model id "
            "(e.g. anthropic.claude-3-5-haiku-20241022-v1:0)"
        )


def build_provider(name: str, config: LlmProviderSettings) -> Provider:
    check_model(name, config)
    if config.kind == "anthropic":
        from mangaassist.llm.anthropic_messages import AnthropicProvider

        return AnthropicProvider(
            name,
            model=config.model,
            api_key=_secret(config.api_key),
            base_url=config.base_url,
            timeout_s=config.timeout_s,
        )
    if config.kind == "bedrock":
        from mangaassist.llm.bedrock_converse import BedrockProvider

        return BedrockProvider(
            name,
            model=config.model,
            region=config.region,
            endpoint_url=config.base_url,
            timeout_s=config.timeout_s,
            access_key_id=_secret(config.access_key_id),
            secret_access_key=_secret(config.secret_access_key),
        )
    from mangaassist.llm.openai_compat import OpenAICompatibleProvider

    return OpenAICompatibleProvider(
        name,
        model=config.model,
        base_url=config.base_url,
        api_key=_secret(config.api_key),
        timeout_s=config.timeout_s,
    )


def chains(settings: LlmSettings) -> dict[Tier, list[str]]:
    small = list(settings.small)
    large = list(settings.large) or small
    return {Tier.SMALL: small, Tier.LARGE: large}


@dataclass
class ModelLayer:
    router: ModelRouter
    cache: MemoryAnswerCache | None
    prices: PriceTable

    async def aclose(self) -> None:
        for provider in self.router.providers.values():
            close = getattr(provider, "aclose", None)
            if close is not None:
                await close()


def build_model_layer(settings: LlmSettings) -> ModelLayer | None:
    """None when no chain names a provider: the built-in responder answers everything."""
    tiers = chains(settings)
    used = {name for chain in tiers.values() for name in chain}
    if not used:
        return None
    unknown = sorted(used - set(settings.providers))
    if unknown:
        raise ConfigurationError(
            f"llm chains name providers that are not configured: {', '.join(unknown)} "
            f"(configured: {', '.join(sorted(settings.providers)) or 'none'})"
        )
    providers = {name: build_provider(name, settings.providers[name]) for name in sorted(used)}
    intent_tiers = {intent: Tier(tier) for intent, tier in settings.intent_tiers.items()}
    router = ModelRouter(
        providers,
        tiers,
        intent_tiers=intent_tiers,
        outage_banner_s=settings.outage_banner_s,
    )
    cache = (
        MemoryAnswerCache(max_entries=settings.cache_max_entries, ttl_s=settings.cache_ttl_s)
        if settings.cache_enabled
        else None
    )
    prices = PriceTable(
        {
            key: ModelPrice(p.input_usd_per_mtok, p.output_usd_per_mtok)
            for key, p in settings.prices.items()
        }
    )
    return ModelLayer(router, cache, prices)
