"""Reads the hand-written demo data (series, vocabulary, data/store/*.yaml) into typed values.

Everything is validated on load so a typo in a YAML file fails the build with a message
naming the file, never a half-built store.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from mangaassist.domain.store import Currency, Language, Medium, OrderStatus, Series, Tier
from mangaassist.yamlio import load_yaml

_M = TypeVar("_M", bound=BaseModel)


#: libyaml's loader when available (parsing the series files is most of the build time).


class DataError(ValueError):
    """The demo data on disk is missing or invalid."""


class Fact(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SellerFact(Fact):
    seller_id: str
    name: str
    trust_score: float = Field(ge=0, le=1)
    first_party: bool
    languages: tuple[Language, ...]
    ships_from: str
    share: int = Field(ge=0)


class ShippingFact(Fact):
    option_id: str
    region: str
    name: str
    name_ja: str
    price: Decimal
    prime_price: Decimal | None = None
    currency: Currency
    min_days: int = Field(ge=0)
    max_days: int = Field(ge=0)
    free_over: Decimal | None = None
    prime_only: bool = False


class ShippingFile(Fact):
    options: tuple[ShippingFact, ...]
    eu_countries: tuple[str, ...]


class CarrierFact(Fact):
    name: str
    regions: tuple[str, ...]
    format: str


class CarriersFile(Fact):
    carriers: tuple[CarrierFact, ...]
    hubs: dict[str, tuple[str, ...]]


class PromotionFact(Fact):
    promo_id: str
    title: str
    title_ja: str
    description: str
    description_ja: str
    discount_percent: int = Field(ge=0, le=100)
    start_offset: int
    end_offset: int
    series_ids: tuple[str, ...] = ()
    genres: tuple[str, ...] = ()
    min_tier: Tier = "guest"


class PromotionsFile(Fact):
    promotions: tuple[PromotionFact, ...]


class FixedOrder(Fact):
    order_id: str
    status: OrderStatus
    placed_offset: int = Field(le=0)
    eta_offset: int | None = None
    delivered_offset: int | None = None
    carrier: str | None = None
    option: str | None = None
    language: Language
    medium: Medium
    items: int = Field(ge=1)
    opened: bool = False


class FixedCustomer(Fact):
    customer_id: str
    display_name: str
    tier: Tier
    region: str
    preferred_language: Language
    joined_offset: int = Field(le=0)
    favourite_genres: tuple[str, ...]
    orders: tuple[FixedOrder, ...]


class CustomersFile(Fact):
    count: int = Field(ge=0)
    prime_share: float = Field(ge=0, le=1)
    regions: dict[str, int]
    first_names_en: tuple[str, ...]
    last_names_en: tuple[str, ...]
    first_names_ja: tuple[str, ...]
    last_names_ja: tuple[str, ...]
    fixed: tuple[FixedCustomer, ...]


class ReviewPool(Fact):
    titles: dict[str, tuple[str, ...]]
    high: tuple[str, ...]
    mid: tuple[str, ...]
    low: tuple[str, ...]


class ReviewsFile(Fact):
    en: ReviewPool
    ja: ReviewPool


class StoreFile(Fact):
    name: str
    jpy_per_usd: int = Field(gt=0)
    volume_caps: dict[str, int]


@dataclass(frozen=True)
class Vocabulary:
    genres_ja: dict[str, str]
    genre_synonyms: dict[str, tuple[str, ...]]
    tags: frozenset[str]


@dataclass(frozen=True)
class DemoData:
    series: tuple[Series, ...]
    vocabulary: Vocabulary
    store: StoreFile
    sellers: tuple[SellerFact, ...]
    shipping: ShippingFile
    carriers: CarriersFile
    promotions: tuple[PromotionFact, ...]
    customers: CustomersFile
    reviews: ReviewsFile


def data_files(data_dir: Path) -> list[Path]:
    """Every file the generator reads, in a stable order."""
    series = sorted((data_dir / "catalog" / "series").glob("*.yaml"))
    store = sorted((data_dir / "store").glob("*.yaml"))
    return [*series, data_dir / "catalog" / "vocabulary.yaml", *store]


def data_fingerprint(data_dir: Path) -> str:
    """SHA-256 over the names and bytes of every input file."""
    digest = hashlib.sha256()
    for path in data_files(data_dir):
        if path.is_file():
            digest.update(path.relative_to(data_dir).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def _read_yaml(path: Path) -> Any:
    if not path.is_file():
        raise DataError(f"missing data file: {path}")
    try:
        return load_yaml(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise DataError(f"{path}: not valid YAML ({exc})") from exc


def _parse(model: type[_M], path: Path) -> _M:
    try:
        return model.model_validate(_read_yaml(path))
    except ValidationError as exc:
        raise DataError(f"{path}: {exc.errors()[0]['loc']}: {exc.errors()[0]['msg']}") from exc


def load_series(data_dir: Path, vocabulary: Vocabulary) -> tuple[Series, ...]:
    found: dict[str, Series] = {}
    for path in sorted((data_dir / "catalog" / "series").glob("*.yaml")):
        entries = _read_yaml(path) or []
        if not isinstance(entries, list):
            raise DataError(f"{path}: expected a YAML list of series")
        for index, entry in enumerate(entries):
            try:
                series = Series.model_validate(entry)
            except ValidationError as exc:
                raise DataError(f"{path}: entry {index}: {exc.errors()[0]['msg']}") from exc
            if series.series_id in found:
                raise DataError(f"{path}: duplicate series_id {series.series_id!r}")
            unknown = [g for g in series.genres if g not in vocabulary.genres_ja]
            unknown += [t for t in series.tags if t not in vocabulary.tags]
            if unknown:
                raise DataError(f"{path}: {series.series_id}: not in vocabulary: {unknown}")
            found[series.series_id] = series
    return tuple(found[key] for key in sorted(found))


def load_vocabulary(data_dir: Path) -> Vocabulary:
    raw = _read_yaml(data_dir / "catalog" / "vocabulary.yaml")
    genres = {key: str(value["ja"]) for key, value in raw["genres"].items()}
    synonyms = {
        key: tuple(str(s) for s in value.get("synonyms", ()))
        for key, value in raw["genres"].items()
    }
    return Vocabulary(genres_ja=genres, genre_synonyms=synonyms, tags=frozenset(raw["tags"]))


def load(data_dir: Path) -> DemoData:
    """Read and validate all demo data under `data_dir`."""
    vocabulary = load_vocabulary(data_dir)
    store_dir = data_dir / "store"
    return DemoData(
        series=load_series(data_dir, vocabulary),
        vocabulary=vocabulary,
        store=_parse(StoreFile, store_dir / "store.yaml"),
        sellers=_parse(_Sellers, store_dir / "sellers.yaml").sellers,
        shipping=_parse(ShippingFile, store_dir / "shipping.yaml"),
        carriers=_parse(CarriersFile, store_dir / "carriers.yaml"),
        promotions=_parse(PromotionsFile, store_dir / "promotions.yaml").promotions,
        customers=_parse(CustomersFile, store_dir / "customers.yaml"),
        reviews=_parse(ReviewsFile, store_dir / "reviews.yaml"),
    )


class _Sellers(Fact):
    sellers: tuple[SellerFact, ...]
