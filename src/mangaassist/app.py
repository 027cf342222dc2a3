"""Composition root: builds every backend from Settings. Nothing else decides what to wire."""

from __future__ import annotations

import gc
import json
import secrets
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import asdict, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from mangaassist.config import Settings, load_settings
from mangaassist.domain.store import Product
from mangaassist.store.protocols import StoreServices
from mangaassist.yamlio import load_yaml

if TYPE_CHECKING:
    from fastapi import FastAPI

    from mangaassist.api.runtime import Runtime
    from mangaassist.llm.factory import ModelLayer

__all__ = [
    "Settings",
    "build_raw_store_services",
    "build_store_services",
    "close_store_clients",
    "load_settings",
    "open_store_services",
]


def build_store_services(settings: Settings) -> StoreServices:
    """The store services `settings.store.backend` names, each wrapped in its timeout,
    read retries and circuit breaker (`store.resilient`); see `build_raw_store_services`.
    Their network clients live as long as the process; `open_store_services` closes them."""
    return _wrap_store_services(build_raw_store_services(settings), settings)


@asynccontextmanager
async def open_store_services(settings: Settings) -> AsyncIterator[StoreServices]:
    """`build_store_services` whose network clients are closed on exit."""
    raw = build_raw_store_services(settings)
    try:
        yield _wrap_store_services(raw, settings)
    finally:
        await close_store_clients(raw)


async def close_store_clients(services: StoreServices) -> None:
    """Close the network clients behind unwrapped services (nothing to do for `local`)."""
    for field in fields(services):
        close: Callable[[], Awaitable[None]] | None = getattr(
            getattr(services, field.name), "aclose", None
        )
        if close is not None:
            await close()


def _wrap_store_services(raw: StoreServices, settings: Settings) -> StoreServices:
    from mangaassist.store.resilient import wrap_services

    return wrap_services(raw, settings.resilience, timeout_s=settings.store.timeout_s).services


def build_raw_store_services(settings: Settings) -> StoreServices:
    """The unwrapped store services: the embedded SQLite demo store (`local`), the
    storefront's REST API (`http`), or REST with the catalog over gRPC (`grpc`).
    Remote clients live as long as the process."""
    store = settings.store
    if store.backend == "local":
        from mangaassist.store.local import ensure_demo_store, open_local_services

        return open_local_services(ensure_demo_store(settings), today=store.today)
    from mangaassist.store.http import StorefrontHttp, http_services

    key = store.api_key.get_secret_value() if store.api_key else None
    http = StorefrontHttp(store.http_url, timeout_s=store.timeout_s, api_key=key)
    services = http_services(http)
    if store.backend == "grpc":
        from mangaassist.store.grpc_client import GrpcCatalog

        catalog = GrpcCatalog(store.grpc_target, timeout_s=store.timeout_s, api_key=key)
        services = replace(services, catalog=catalog)
    return services


# ---- the chat service -----------------------------------------------------------------


def _secret_file(path: Path, make: Callable[[], str]) -> str:
    """A development secret generated once into the state folder (mode 0600)."""
    if path.is_file():
        return path.read_text(encoding="utf-8").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = make()
    path.write_text(value, encoding="utf-8")
    path.chmod(0o600)
    return value


def jwt_secret(settings: Settings) -> str:
    if settings.auth.jwt_secret is not None:
        return settings.auth.jwt_secret.get_secret_value()
    return _secret_file(settings.state_dir / "jwt.secret", lambda: secrets.token_urlsafe(32))


def admin_token(settings: Settings) -> str:
    if settings.auth.admin_token is not None:
        return settings.auth.admin_token.get_secret_value()
    return _secret_file(settings.state_dir / "admin.token", lambda: secrets.token_urlsafe(24))


def vault_keys(settings: Settings) -> list[str]:
    if settings.guardrails.vault_keys:
        return list(settings.guardrails.vault_keys)
    from mangaassist.guardrails.vault import generate_key

    return [_secret_file(settings.state_dir / "vault.key", generate_key)]


async def build_chat_runtime(
    settings: Settings,
    store: StoreServices | None = None,
    model_layer: ModelLayer | Literal["from-settings"] | None = "from-settings",
) -> Runtime:
    """Everything the chat service runs on, from Settings (embedded defaults need nothing).
    `model_layer` is built from `settings.llm` unless given (None: no model)."""

    from mangaassist.api.conversation import Conversation
    from mangaassist.api.runtime import Runtime
    from mangaassist.chat.orchestrator import ChatDeps, Orchestrator
    from mangaassist.chat.prompt import PromptBuilder, PromptTemplate
    from mangaassist.chat.protocols import Responder
    from mangaassist.chat.routes import RouteDeps
    from mangaassist.guardrails.competitors import CompetitorMatcher
    from mangaassist.guardrails.input_guard import InputGuard
    from mangaassist.guardrails.output.base import StageDeps
    from mangaassist.guardrails.output.pipeline import OutputPipeline
    from mangaassist.guardrails.vault import PiiVault, SqliteVaultStorage
    from mangaassist.llm.builtin import BuiltinResponder
    from mangaassist.llm.factory import build_model_layer
    from mangaassist.llm.responder import ModelResponder
    from mangaassist.nlu.service import build_classifier
    from mangaassist.retrieval.ingest import knowledge_base_chunks, product_chunks, series_chunks
    from mangaassist.retrieval.lexical import LexicalIndex
    from mangaassist.retrieval.recommend.engine import Recommender
    from mangaassist.retrieval.recommend.request import RequestReader, load_references
    from mangaassist.retrieval.rerank import DeadlineReranker, FeatureReranker
    from mangaassist.retrieval.retriever import HybridRetriever
    from mangaassist.state.audit import AuditLog
    from mangaassist.state.ratelimit import MemoryRateLimiter
    from mangaassist.state.sessions import SessionLimits
    from mangaassist.state.sessions_sqlite import SqliteSessionStore

    store = store or build_store_services(settings)
    series = await store.catalog.list_series()
    products = [p for offset in range(0, 100_000, 500) for p in await _page(store, offset)]
    vocabulary = load_yaml(
        (settings.data_dir / "catalog" / "vocabulary.yaml").read_text(encoding="utf-8")
    )
    genres_of = {s.series_id: s.genres for s in series}
    chunks = series_chunks(series) + product_chunks(products, genres_of)
    kb_dir = settings.data_dir / "kb"
    if kb_dir.is_dir() and any(kb_dir.glob("*/*.md")):
        chunks = knowledge_base_chunks(kb_dir) + chunks
    reranker = DeadlineReranker(FeatureReranker(), settings.chat.reranker_deadline_ms / 1000)
    retriever = HybridRetriever([LexicalIndex(chunks)], reranker)
    labels_ja = {
        k: v["ja"] for section in ("genres", "tags") for k, v in vocabulary[section].items()
    }
    recommender = Recommender(
        series,
        products,
        _baskets(settings),
        trust_threshold=settings.guardrails.trust_threshold,
        labels_ja=labels_ja,
    )
    reader = RequestReader(
        vocabulary["genres"],
        vocabulary["tags"],
        load_references(settings.data_dir / "recommendations" / "references.yaml"),
        [a for s in series for a in s.authors],
    )
    competitors = CompetitorMatcher(settings.guardrails.competitors)
    titles = frozenset(t for s in series for t in (s.title_en, s.title_ja))
    stage_deps = StageDeps(
        settings.guardrails,
        store.catalog,
        store.pricing,
        competitors,
        titles,
        series_genres={s.series_id: s.genres for s in series},
    )
    limits = SessionLimits(ttl_s=settings.chat.session_ttl_s)
    sessions = SqliteSessionStore(settings.state_dir / "sessions.sqlite3", limits)
    audit = AuditLog(settings.state_dir / "audit.sqlite3")
    reveals = settings.state_dir / "vault-reveals.jsonl"
    vault = PiiVault(
        SqliteVaultStorage(settings.state_dir / "vault.sqlite3"),
        vault_keys(settings),
        lambda record: _append_json(reveals, record),
    )
    counters: Counter[str] = Counter()
    layer = build_model_layer(settings.llm) if model_layer == "from-settings" else model_layer
    builtin = BuiltinResponder(pacing_s=settings.chat.pacing_s)
    responder: Responder = builtin
    degradation = _normal
    if layer is not None:
        prompts = PromptBuilder(
            PromptTemplate.load(settings.llm.prompt_template),
            store_name=str(_store_facts(settings).get("name", "the store")),
            budget_tokens=settings.llm.prompt_budget_tokens,
            history_turns=settings.chat.history_turns,
        )
        responder = ModelResponder(
            layer,
            prompts,
            builtin,
            max_tokens=settings.llm.max_tokens,
            temperature=settings.llm.temperature,
        )
        monitor = layer.router.monitor

        def degradation() -> int:
            return int(monitor.level())

    deps = ChatDeps(
        classifier=build_classifier(settings),
        retriever=retriever,
        route_deps=RouteDeps(store, recommender, reader),
        responder=responder,
        input_guard=InputGuard(settings.guardrails),
        output_pipeline=OutputPipeline(stage_deps),
        competitors=competitors,
        sessions=sessions,
        audit=audit,
        vault=vault,
        trust_threshold=settings.guardrails.trust_threshold,
        history_turns=settings.chat.history_turns,
        counters=counters,
        degradation=degradation,
    )

    async def readiness() -> dict[str, str]:
        checks = {}
        try:
            await store.catalog.get_many([])
            checks["store"] = "ok"
        except Exception as exc:
            checks["store"] = f"error: {exc}"
        checks["sessions"] = "ok"
        return checks

    async def demo_tier(customer_id: str) -> str:
        from mangaassist.store.errors import StoreError

        try:
            profile = await store.profiles.get_profile(customer_id)
        except StoreError as exc:
            raise LookupError(customer_id) from exc
        return profile.tier

    return Runtime(
        demo_tier=demo_tier,
        settings=settings,
        conversation=Conversation(Orchestrator(deps), sessions),
        sessions=sessions,
        limiter=MemoryRateLimiter(),
        audit=audit,
        jwt_secret=jwt_secret(settings),
        admin_token=admin_token(settings),
        counters=counters,
        vault=vault,
        readiness=readiness,
        status_extra=lambda: {
            "reranker_fallbacks": reranker.fallbacks,
            "llm": _llm_status(layer),
        },
        degradation=degradation,
        on_close=layer.aclose if layer is not None else None,
    )


def _normal() -> int:
    return 0


def _llm_status(layer: ModelLayer | None) -> dict[str, object]:
    """Degradation level, breaker per provider, router and cache counters."""
    if layer is None:
        return {"degradation_level": 0, "degradation": "normal", "providers": {}}
    status = layer.router.monitor.status()
    status["router"] = dict(layer.router.counters)
    status["chains"] = {tier.value: list(chain) for tier, chain in layer.router.chains.items()}
    if layer.cache is not None:
        status["cache"] = layer.cache.stats.as_dict()
    return status


def _store_facts(settings: Settings) -> dict[str, object]:
    path = settings.data_dir / "store" / "store.yaml"
    if not path.is_file():
        return {}
    loaded = load_yaml(path.read_text(encoding="utf-8"))
    return loaded if isinstance(loaded, dict) else {}


async def _page(store: StoreServices, offset: int) -> list[Product]:
    return await store.catalog.list_products(offset=offset, limit=500)


def _baskets(settings: Settings) -> list[list[str]]:
    """Series bought together per customer, from the demo store's orders (local only)."""
    if settings.store.backend != "local":
        return []
    from mangaassist.store.local import ensure_demo_store
    from mangaassist.store.local.snapshot import load_snapshot

    snapshot = load_snapshot(ensure_demo_store(settings))
    series_of = {p.asin: p.series_id for p in snapshot.products.values()}
    return [
        [series_of[item.asin] for order in orders for item in order.items if item.asin in series_of]
        for orders in snapshot.orders_by_customer.values()
    ]


def _append_json(path: Path, record: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(asdict(record), default=str) + "\n")  # type: ignore[call-overload]


def build_chat_app(settings: Settings) -> FastAPI:
    """The chat service ASGI app; its runtime is built at start-up."""
    from mangaassist.api.app import create_app
    from mangaassist.llm.factory import build_model_layer

    holder: dict[str, Runtime] = {}
    # Built now, not at start-up: a configuration error is one line before the server runs.
    layer = build_model_layer(settings.llm)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        runtime = await build_chat_runtime(settings, model_layer=layer)
        # The store snapshot, indexes and model weights live for the whole process: keep
        # them out of the collector's generations, or full collections add p99 spikes.
        gc.freeze()
        app.state.runtime = holder.setdefault("runtime", runtime)
        yield
        runtime.audit.close()
        if runtime.on_close is not None:
            await runtime.on_close()

    return create_app(None, lifespan=lifespan)
