"""Routes: for each intent, the facts to gather. Customer facts only ever for the caller.

A route reads store services and the speculative results (retrieval, history,
profile, purchases) and returns `Facts`; it never writes text. Order, return and
profile facts use the authenticated customer id only: a guest is asked to sign in,
and a request naming another customer reveals nothing.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import date

from mangaassist.chat.facts import Facts
from mangaassist.domain.intent import IntentResult, OrderIdEntity, TitleEntity, VolumeEntity
from mangaassist.domain.store import CustomerProfile, Language, ReturnReason, Series
from mangaassist.retrieval.recommend.engine import Recommender
from mangaassist.retrieval.recommend.request import RequestReader
from mangaassist.retrieval.retriever import Retrieved
from mangaassist.store.errors import InvalidArgument, NotFound, StoreError
from mangaassist.store.protocols import CatalogQuery, StoreServices

_OTHER_CUSTOMER = re.compile(
    r"customer\s*(?:#|no\.?|number|id)?\s*[a-z]?\d{3,}|someone else'?s|"
    r"another (?:customer|person)'?s|"
    r"(?:他の|ほかの|別の)(?:お客|人|ユーザー|会員)|(?:さん|様)の注文",
    re.IGNORECASE,
)
_LATEST = re.compile(
    r"\b(?:latest|newest|most recent|last|new)\s+(?:volume|vol|release|book)|最新|新刊", re.I
)
_DAMAGED = re.compile(
    r"damag|broken|torn|ripped|crush|defect|misprint|wet\b|water|soak|stain|bent|dent|crack|"
    r"mou?ld|smash|scratch|(?:missing|blank) pages?|pages? (?:are |were )?(?:missing|blank)|"
    r"破損|破れ|汚れ|落丁|乱丁|傷|濡れ|水濡れ|折れ|へこ|凹|潰れ|つぶれ|カビ|白紙|欠け",
    re.IGNORECASE,
)
_WRONG = re.compile(
    r"wrong (?:item|book|volume|edition)|not what i ordered|sent (?:me )?the wrong|"
    r"違う(?:商品|巻|本)|間違",
    re.IGNORECASE,
)


@dataclass
class TurnState:
    """What one turn knows while routing: the message, who asks, and speculative results."""

    text: str
    language: str
    intent: IntentResult
    customer_id: str | None
    today: date
    passages: list[Retrieved] = field(default_factory=list)
    history_series: list[str] = field(default_factory=list)
    profile: CustomerProfile | None = None
    purchased: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class RouteDeps:
    store: StoreServices
    recommender: Recommender | None
    reader: RequestReader | None
    region_default: str = "US"


Route = Callable[[TurnState, RouteDeps, Facts], Awaitable[Facts]]
ROUTES: dict[str, Route] = {}
#: Which speculative work each route needs; the rest is cancelled once the intent is known.
NEEDS: dict[str, frozenset[str]] = {}


def route(intent: str, needs: frozenset[str] = frozenset()) -> Callable[[Route], Route]:
    def add(fn: Route) -> Route:
        ROUTES[intent] = fn
        NEEDS[intent] = needs
        return fn

    return add


def ticket_id() -> str:
    return "T-" + secrets.token_hex(3).upper()


def _titles(state: TurnState) -> list[str]:
    return [e.series_id for e in state.intent.entities if isinstance(e, TitleEntity)]


async def _series(deps: RouteDeps, ids: list[str]) -> tuple[Series, ...]:
    found = []
    for series_id in dict.fromkeys(ids):
        try:
            found.append(await deps.store.catalog.get_series(series_id))
        except NotFound:
            continue
    return tuple(found)


@route("recommendation", frozenset({"profile", "purchases", "history"}))
async def recommendation(state: TurnState, deps: RouteDeps, facts: Facts) -> Facts:
    if deps.recommender is None or deps.reader is None:
        return facts
    request = deps.reader.read(state.text, _titles(state) + state.history_series[-1:])
    favourites = state.profile.favourite_genres if state.profile else ()
    picks = deps.recommender.recommend(
        request,
        owned_asins=state.purchased,
        history=[],
        favourite_genres=list(favourites),
        language=state.language,
        k=5,
    )
    series = await _series(deps, [p.series_id for p in picks])
    products = await deps.store.catalog.get_many([p.asin for p in picks])
    return replace(
        facts,
        recommendations=tuple(picks),
        series=series,
        products=tuple(products[p.asin] for p in picks if p.asin in products),
    )


@route("product_question", frozenset({"history"}))
async def product_question(state: TurnState, deps: RouteDeps, facts: Facts) -> Facts:
    titles = _titles(state) or state.history_series[-1:]
    if not titles:
        found = await deps.store.catalog.search(CatalogQuery(text=state.text, limit=3))
        titles = [p.series_id for p in found[:1]]
    series = await _series(deps, titles[:1])
    volumes = [e for e in state.intent.entities if isinstance(e, VolumeEntity)]
    products = []
    if series:
        wanted: Language = "ja" if state.language == "ja" else "en"
        listing = await deps.store.catalog.search(
            CatalogQuery(series_id=series[0].series_id, language=wanted, limit=200)
        )
        singles = sorted((p for p in listing if p.format == "volume"), key=lambda p: p.volume or 0)
        if volumes:
            span = range(volumes[0].first, volumes[0].last + 1)
            products = [p for p in singles if p.volume in span]
        elif _LATEST.search(state.text):
            products = singles[-1:]
        else:
            products = singles[:1]
    return replace(facts, series=series, products=tuple(products[:3]))


@route("faq", frozenset({"retrieval"}))
async def faq(state: TurnState, deps: RouteDeps, facts: Facts) -> Facts:
    return replace(facts, passages=tuple(r.chunk for r in state.passages))


_REGIONS = (
    ("CA", re.compile(r"\bcanada\b|カナダ", re.I)),
    ("JP", re.compile(r"\bjapan\b|日本", re.I)),
    ("GB", re.compile(r"\b(?:uk|united kingdom|britain|england)\b|イギリス|英国", re.I)),
    ("AU", re.compile(r"\baustralia\b|オーストラリア", re.I)),
    (
        "EU",
        re.compile(
            r"\b(?:eu|europe|germany|france|italy|spain)\b|ヨーロッパ|欧州|ドイツ|フランス", re.I
        ),
    ),
    ("US", re.compile(r"\b(?:us|usa|united states|america)\b|アメリカ|米国", re.I)),
)


def asked_region(text: str) -> str | None:
    return next((code for code, pattern in _REGIONS if pattern.search(text)), None)


@route("shipping", frozenset({"retrieval", "profile"}))
async def shipping(state: TurnState, deps: RouteDeps, facts: Facts) -> Facts:
    region = asked_region(state.text) or (
        state.profile.region if state.profile else deps.region_default
    )
    tier = state.profile.tier if state.profile else "guest"
    options = await deps.store.shipping.options(region, tier)
    return replace(
        facts, passages=tuple(r.chunk for r in state.passages), shipping_options=tuple(options)
    )


def asks_for_someone_else(text: str) -> bool:
    """A request naming another customer's orders or account: it reveals nothing."""
    return _OTHER_CUSTOMER.search(text) is not None


def _needs_own_account(state: TurnState, facts: Facts) -> Facts | None:
    if state.customer_id is None:
        return replace(facts, note="sign_in_required")
    if asks_for_someone_else(state.text):
        return replace(facts, note="other_customer")
    return None


@route("order_tracking")
async def order_tracking(state: TurnState, deps: RouteDeps, facts: Facts) -> Facts:
    refused = _needs_own_account(state, facts)
    if refused is not None or state.customer_id is None:
        return refused or facts
    order_ids = [e.order_id for e in state.intent.entities if isinstance(e, OrderIdEntity)]
    if order_ids:
        try:
            tracking = await deps.store.shipping.track(state.customer_id, order_ids[0])
        except (NotFound, InvalidArgument):  # a malformed id is no order of theirs either
            return replace(facts, note="order_not_found")
        return replace(facts, tracking=tracking)
    orders = await deps.store.orders.list_orders(state.customer_id, limit=5)
    return replace(facts, orders=tuple(orders))


def _return_reason(text: str) -> ReturnReason | None:
    if _DAMAGED.search(text):
        return "damaged"
    if _WRONG.search(text):
        return "wrong_item"
    return None


@route("return_request", frozenset({"retrieval"}))
async def return_request(state: TurnState, deps: RouteDeps, facts: Facts) -> Facts:
    refused = _needs_own_account(state, facts)
    if refused is not None or state.customer_id is None:
        return refused or facts
    order_ids = [e.order_id for e in state.intent.entities if isinstance(e, OrderIdEntity)]
    passages = tuple(r.chunk for r in state.passages)
    if not order_ids:
        orders = await deps.store.orders.list_orders(state.customer_id, limit=5)
        return replace(facts, orders=tuple(orders), passages=passages)
    try:
        order = await deps.store.orders.get_order(state.customer_id, order_ids[0])
    except (NotFound, InvalidArgument):
        return replace(facts, note="order_not_found")
    titles = set(_titles(state))
    item = next(
        (i for i in order.items if any(t.replace("-", " ") in i.title.lower() for t in titles)),
        order.items[0],
    )
    eligibility = await deps.store.returns.check_eligibility(
        state.customer_id, order.order_id, item.asin, _return_reason(state.text)
    )
    return replace(facts, eligibility=eligibility, orders=(order,), passages=passages)


@route("promotions")
async def promotions(state: TurnState, deps: RouteDeps, facts: Facts) -> Facts:
    return replace(facts, promotions=tuple(await deps.store.promotions.active(state.today)))


async def _nothing(state: TurnState, deps: RouteDeps, facts: Facts) -> Facts:
    return facts


for _intent in ("chitchat", "out_of_scope", "escalation"):
    route(_intent)(_nothing)


__all__ = ["NEEDS", "ROUTES", "RouteDeps", "StoreError", "TurnState", "ticket_id"]
