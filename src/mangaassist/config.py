"""The one Settings object: every knob of MangaAssist, read from env (MANGAASSIST_*) or TOML.

Nothing else in the package reads the environment. Nested sections use a double
underscore in env names, e.g. ``MANGAASSIST_STORE__BACKEND=http``. A TOML file is
read from ``MANGAASSIST_CONFIG_FILE`` when set (tables mirror the sections).
Every field carries a description; ``tests/test_config.py`` proves it.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
CONFIG_FILE_ENV = "MANGAASSIST_CONFIG_FILE"


class Section(BaseModel):
    """Base for settings sections: unknown keys are errors, so typos fail loudly."""

    model_config = ConfigDict(extra="forbid")


class StoreSettings(Section):
    backend: Literal["local", "http", "grpc"] = Field(
        "local",
        description="Which store-service implementation the assistant calls: the embedded "
        "SQLite demo store, the storefront's REST API, or REST plus gRPC for the catalog.",
    )
    db_path: Path = Field(
        Path(".mangaassist/store.sqlite3"),
        description="SQLite file of the local demo store; built from data/ on first use.",
    )
    seed: int = Field(20261101, description="Seed of the deterministic demo-store generator.")
    today: date | None = Field(
        None,
        description="Reference date the demo store is generated around (orders, ETAs, "
        "promotions); None means the current date.",
    )
    http_url: str = Field(
        "http://127.0.0.1:8100",
        description="Base URL of the storefront REST API (backend http or grpc).",
    )
    grpc_target: str = Field(
        "127.0.0.1:8101", description="host:port of the storefront gRPC catalog service."
    )
    timeout_s: float = Field(2.0, gt=0, description="Per-call timeout for store calls, seconds.")
    api_key: SecretStr | None = Field(
        None,
        description="Service API key sent to the storefront (backend http or grpc); must "
        "equal `storefront.api_key` when that is set.",
    )


class ResilienceSettings(Section):
    retry_attempts: int = Field(
        3, ge=1, description="Total attempts for idempotent reads (1 means no retry)."
    )
    backoff_base_s: float = Field(
        0.05, gt=0, description="Base of exponential backoff between read retries, seconds."
    )
    backoff_max_s: float = Field(
        1.0, gt=0, description="Cap of a single backoff sleep (full jitter below it), seconds."
    )
    breaker_window_s: float = Field(
        60.0, gt=0, description="Sliding window over which a circuit breaker counts calls."
    )
    breaker_min_calls: int = Field(
        10, ge=1, description="Calls in the window before the breaker may open."
    )
    breaker_failure_rate: float = Field(
        0.2, gt=0, le=1, description="Failure share in the window above which the breaker opens."
    )
    breaker_open_s: float = Field(
        30.0, gt=0, description="How long an open breaker rejects calls before going half-open."
    )
    breaker_half_open_fraction: float = Field(
        0.1, gt=0, le=1, description="Share of calls let through as probes while half-open."
    )
    breaker_probe_successes: int = Field(
        3, ge=1, description="Successful half-open probes in a row that close the breaker."
    )
    breaker_slow_call_s: float | None = Field(
        None,
        gt=0,
        description="A call slower than this counts against the breaker like a failure; "
        "None means slowness alone never opens it.",
    )


class StorefrontSettings(Section):
    host: str = Field("127.0.0.1", description="Interface the reference storefront binds.")
    port: int = Field(8100, ge=0, le=65535, description="REST port of the reference storefront.")
    grpc_port: int = Field(
        8101, ge=0, le=65535, description="gRPC (catalog) port of the reference storefront."
    )
    api_key: SecretStr | None = Field(
        None,
        description="Service API key the storefront requires as `Authorization: Bearer <key>` "
        "(REST) or `authorization` metadata (gRPC); None means no key is required.",
    )


class ServerSettings(Section):
    host: str = Field("127.0.0.1", description="Interface the chat service binds.")
    port: int = Field(8000, ge=0, le=65535, description="Port of the chat service.")


class NluSettings(Section):
    intents_dir: Path | None = Field(
        None, description="Folder of labelled intent utterances; None means data_dir/intents."
    )
    artifact_dir: Path | None = Field(
        None, description="Folder of versioned intent-model artifacts; None means state_dir/nlu."
    )
    split_seed: int = Field(20261122, description="Seed of the hash-based train/dev/test split.")
    oos_threshold: float = Field(
        0.5,
        ge=0,
        le=1,
        description="Model confidence below which a message is treated as out_of_scope.",
    )
    clarify_threshold: float = Field(
        0.65,
        ge=0,
        le=1,
        description="Model confidence below which (above oos_threshold) the assistant asks "
        "a clarifying question between the top two intents.",
    )
    rules_enabled: bool = Field(
        True, description="Whether stage-1 rules may answer before the model."
    )


class AuthSettings(Section):
    jwt_secret: SecretStr | None = Field(
        None,
        min_length=32,
        description="HS256 secret (32+ bytes) the store signs shopper tokens with; None means "
        "a secret generated once into state_dir/jwt.secret (development only).",
    )
    admin_token: SecretStr | None = Field(
        None,
        description="Bearer token of admin endpoints; None means one generated once into "
        "state_dir/admin.token.",
    )
    token_ttl_s: int = Field(
        3600, ge=60, description="Lifetime of development tokens minted by `mangaassist token`."
    )
    leeway_s: int = Field(
        5, ge=0, description="Clock skew tolerated when checking a token's expiry, seconds."
    )


class RateLimitSettings(Section):
    member_per_minute: int = Field(
        30, ge=1, description="Messages per minute for signed-in customers (member and prime)."
    )
    guest_per_minute: int = Field(
        10, ge=1, description="Messages per minute for guests, keyed by client address + session."
    )
    model_per_second: int = Field(
        50, ge=1, description="Global cap on turns that reach the model path, per second."
    )


class ChatSettings(Section):
    history_turns: int = Field(
        6, ge=0, le=50, description="Recent turns of the session given to routes and models."
    )
    pacing_s: float = Field(
        0.02,
        ge=0,
        description="Pause between streamed chunks of the built-in responder, seconds "
        "(0 in tests; a little pacing makes the offline demo read like a model).",
    )
    demo_sign_in: bool = Field(
        True,
        description="Expose POST /v1/dev/token so the demo page can sign in as a demo "
        "customer. Development only: switch off in production.",
    )
    session_ttl_s: int = Field(
        24 * 3600, ge=60, description="A chat session expires this long after its last message."
    )
    reranker_deadline_ms: int = Field(
        50, ge=1, description="Deadline of the reranker; past it, first-stage order is kept."
    )


class GuardrailSettings(Section):
    max_input_chars: int = Field(
        2000, ge=1, description="Longest message accepted, in characters (payload_too_large above)."
    )
    max_input_bytes: int = Field(
        8000,
        ge=1,
        description="Longest message accepted, in UTF-8 bytes (payload_too_large above).",
    )
    injection_threshold: float = Field(
        0.5, gt=0, le=1, description="Injection score at or above which a turn is blocked."
    )
    vault_keys: list[str] = Field(
        default_factory=list,
        description="Fernet keys of the PII vault, newest first (older ones only decrypt); "
        "empty means a key generated once into state_dir/vault.key.",
    )
    competitors: list[str] = Field(
        default_factory=lambda: [
            "Amazon",
            "アマゾン",
            "Rakuten",
            "楽天",
            "BookWalker",
            "ブックウォーカー",
            "Kinokuniya",
            "紀伊國屋",
            "Barnes & Noble",
            "Barnes and Noble",
            "Right Stuf",
            "Crunchyroll Store",
            "eBay",
            "Mercari",
            "メルカリ",
            "Book Off",
            "ブックオフ",
            "Yodobashi",
            "ヨドバシ",
            "Honto",
            "honto",
            "Kindle",
            "キンドル",
        ],
        description="Other stores the assistant never names; sentences naming them are removed.",
    )
    trust_threshold: float = Field(
        0.5,
        ge=0,
        le=1,
        description="Listings with a seller trust score below this are never shown.",
    )
    pricing_timeout_ms: int = Field(
        200, ge=1, description="Deadline of the price-accuracy check; past it, prices are removed."
    )


class LlmProviderSettings(Section):
    kind: Literal["anthropic", "bedrock", "openai"] = Field(
        description="Which API the provider speaks: Anthropic Messages, AWS Bedrock Converse, "
        "or OpenAI-compatible chat completions (OpenAI, vLLM, Ollama, llama.cpp, LM Studio)."
    )
    model: str = Field(
        min_length=1,
        description="Model id as the provider names it, e.g. claude-haiku-4-5, "
        "anthropic.claude-3-5-haiku-20241022-v1:0 (Bedrock), gpt-4o-mini or llama3.1:8b.",
    )
    api_key: SecretStr | None = Field(
        None,
        description="API key (anthropic; openai unless base_url points at a local server).",
    )
    base_url: str | None = Field(
        None,
        description="Endpoint override: an OpenAI-compatible server (e.g. "
        "http://127.0.0.1:11434/v1), an Anthropic gateway, or a Bedrock runtime endpoint.",
    )
    region: str = Field("us-east-1", description="AWS region of the Bedrock runtime.")
    access_key_id: SecretStr | None = Field(
        None, description="AWS access key id (bedrock); None uses the default AWS chain."
    )
    secret_access_key: SecretStr | None = Field(
        None, description="AWS secret access key (bedrock); None uses the default AWS chain."
    )
    timeout_s: float = Field(
        30.0, gt=0, description="Seconds without the next event before a call times out."
    )


class ModelPriceSettings(Section):
    input_usd_per_mtok: float = Field(ge=0, description="USD per million input tokens.")
    output_usd_per_mtok: float = Field(ge=0, description="USD per million output tokens.")


class LlmSettings(Section):
    providers: dict[str, LlmProviderSettings] = Field(
        default_factory=dict,
        description='Named model providers, e.g. MANGAASSIST_LLM__PROVIDERS=\'{"claude": '
        '{"kind": "anthropic", "model": "claude-haiku-4-5", "api_key": "..."}}\'. '
        "Empty means no model: every answer comes from the built-in responder.",
    )
    small: list[str] = Field(
        default_factory=list,
        description="Fallback chain (provider names, in order) of the small tier: orders, "
        "returns, shipping, promotions, faq. Empty means the built-in responder answers.",
    )
    large: list[str] = Field(
        default_factory=list,
        description="Fallback chain of the large tier: recommendations and product "
        "questions. Empty means the small tier's chain, else the built-in responder.",
    )
    intent_tiers: dict[str, Literal["template", "small", "large"]] = Field(
        default_factory=dict,
        description='Per-intent tier overrides, e.g. {"faq": "large"}; others keep '
        "their defaults (chitchat, escalation, out_of_scope: template).",
    )
    prompt_template: str = Field(
        "system-v1", description="System prompt template (mangaassist/chat/prompts/NAME.md)."
    )
    prompt_budget_tokens: int = Field(
        4000, ge=200, description="Token budget of a prompt; lowest-priority context is dropped."
    )
    max_tokens: int = Field(800, ge=1, description="Most output tokens per answer.")
    temperature: float = Field(0.3, ge=0, le=2, description="Sampling temperature.")
    cache_enabled: bool = Field(
        True, description="Cache user-independent model answers (faq, guest recommendations)."
    )
    cache_max_entries: int = Field(10_000, ge=1, description="Most answers the cache keeps.")
    cache_ttl_s: float = Field(3600.0, gt=0, description="Lifetime of a cached answer, seconds.")
    outage_banner_s: float = Field(
        300.0,
        ge=0,
        description="How long every model must be down before new sessions get a banner "
        "and the service runs in limited mode (degradation level 3), seconds.",
    )
    prices: dict[str, ModelPriceSettings] = Field(
        default_factory=dict,
        description="Price table additions/overrides: a model id (or a part of one) to its "
        "USD per million input/output tokens; see docs/llm.md for the shipped table.",
    )


class Settings(BaseSettings):
    """All configuration. Construct once in the composition root (`app.py`)."""

    model_config = SettingsConfigDict(
        env_prefix="MANGAASSIST_",
        env_nested_delimiter="__",
        extra="forbid",
    )

    data_dir: Path = Field(
        REPO_ROOT / "data",
        description="Folder of the hand-written demo data (series, knowledge base, corpora).",
    )
    state_dir: Path = Field(
        Path(".mangaassist"),
        description="Folder for files MangaAssist creates at run time (databases, artifacts).",
    )
    log_level: Literal["debug", "info", "warning", "error"] = Field(
        "info", description="Minimum level of structured log records."
    )
    store: StoreSettings = Field(
        default_factory=StoreSettings, description="Store services the assistant calls."
    )
    resilience: ResilienceSettings = Field(
        default_factory=ResilienceSettings,
        description="Timeouts, retries and circuit breakers around store calls.",
    )
    storefront: StorefrontSettings = Field(
        default_factory=StorefrontSettings, description="The reference storefront server."
    )
    auth: AuthSettings = Field(
        default_factory=AuthSettings, description="Shopper tokens (JWT) and the admin token."
    )
    rate_limit: RateLimitSettings = Field(
        default_factory=RateLimitSettings, description="Token-bucket limits on chat messages."
    )
    chat: ChatSettings = Field(
        default_factory=ChatSettings, description="The chat orchestrator and built-in responder."
    )
    guardrails: GuardrailSettings = Field(
        default_factory=GuardrailSettings,
        description="Input and output guardrails: limits, injection threshold, vault, lists.",
    )
    server: ServerSettings = Field(
        default_factory=ServerSettings, description="The chat service HTTP/WebSocket server."
    )
    nlu: NluSettings = Field(
        default_factory=NluSettings,
        description="Intent classifier: training data, artifact folder, confidence thresholds.",
    )
    llm: LlmSettings = Field(
        default_factory=LlmSettings,
        description="Model providers, tiers and fallback chains, prompt, answer cache, prices.",
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        config_file = os.environ.get(CONFIG_FILE_ENV)
        if config_file:
            path = Path(config_file)
            if not path.is_file():
                raise FileNotFoundError(f"{CONFIG_FILE_ENV} points to a missing file: {path}")
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=path))
        return tuple(sources)


def load_settings(**overrides: object) -> Settings:
    """Read Settings from the environment (and TOML file), with keyword overrides on top."""
    return Settings(**overrides)  # type: ignore[arg-type]
