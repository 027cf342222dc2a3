"""Entity extraction: manga titles (alias index built from the catalog), volume numbers, order
ids, genres and price limits. Spans index the `normalize`d text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING

import yaml
from pydantic import ValidationError

from mangaassist.domain.intent import (
    Entity,
    GenreEntity,
    OrderIdEntity,
    PriceLimitEntity,
    TitleEntity,
    VolumeEntity,
)
from mangaassist.domain.store import Series
from mangaassist.nlu.normalize import match_key
from mangaassist.nlu.phrases import PhraseIndex, units
from mangaassist.yamlio import load_yaml

if TYPE_CHECKING:
    from mangaassist.store.protocols import CatalogService


class EntityDataError(ValueError):
    """Series or vocabulary files could not be read into an alias index."""


# Common words that initials of long titles must not shadow.
_STOP_INITIALS = frozenset({"the", "and", "for", "you", "can", "how", "who", "new", "one", "all"})
# Genre synonyms too common in chat to mean the genre by themselves.
_WEAK_SYNONYMS = frozenset(
    [
        "love",
        "period",
        "job",
        "space",
        "food",
        "war",
        "student",
        "office",
        "band",
        "history",
        "journey",
        "light",
        "mental",
        "rise",
        "sport",
        "doctor",
        "kids",
        "children",
        "magic",
    ]
)
_ROMAJI_LONG = str.maketrans({"ō": "ou", "ū": "uu", "Ō": "Ou", "Ū": "Uu"})


def title_aliases(series: Series) -> set[str]:
    """Every way a shopper may name a series: titles, aliases, romaji spellings, initials."""
    names = {series.title_en, series.title_ja, series.title_romaji, *series.aliases}
    names.add(series.title_romaji.translate(_ROMAJI_LONG))
    # "Frieren: Beyond Journey's End" is asked for as "Frieren".
    short = series.title_en.split(":")[0].strip()
    if len(short) >= 4:
        names.add(short)
    words = re.findall(r"[A-Za-z]+", series.title_en)
    if len(words) >= 3:
        initials = "".join(word[0] for word in words).lower()
        if initials not in _STOP_INITIALS:
            names.add(initials)
    return {name for name in names if name.strip()}


@dataclass(slots=True)
class AliasIndex:
    """Title and genre lookup for entity extraction."""

    titles: PhraseIndex
    genres: PhraseIndex

    @classmethod
    def build(
        cls, series: Iterable[Series], genres: dict[str, list[str]] | None = None
    ) -> AliasIndex:
        titles = PhraseIndex()
        for item in series:
            titles.add_all((alias, item.series_id) for alias in sorted(title_aliases(item)))
        genre_index = PhraseIndex()
        for genre, words in sorted((genres or {}).items()):
            genre_index.add_all((word, genre) for word in [genre, *words])
        return cls(titles, genre_index)

    @classmethod
    async def from_catalog(
        cls, catalog: CatalogService, genres: dict[str, list[str]] | None = None
    ) -> AliasIndex:
        return cls.build(await catalog.list_series(), genres)


def load_series_dir(folder: Path) -> list[Series]:
    """Series from `folder/*.yaml` (each file one series mapping or a list of them)."""
    found: list[Series] = []
    for path in sorted(folder.glob("*.yaml")):
        try:
            raw = load_yaml(path.read_text(encoding="utf-8"))
            items = raw if isinstance(raw, list) else [raw]
            found.extend(Series.model_validate(item) for item in items if item is not None)
        except (yaml.YAMLError, ValidationError) as error:
            first = str(error).splitlines()[0]
            raise EntityDataError(f"{path.name}: not a valid series file ({first})") from error
    return found


def load_genre_vocabulary(path: Path) -> dict[str, list[str]]:
    """Genre -> matching words (key, Japanese term, strong synonyms) from vocabulary.yaml."""
    if not path.is_file():
        return {}
    try:
        raw = load_yaml(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        raise EntityDataError(f"{path.name}: not valid YAML ({error})") from error
    genres: dict[str, list[str]] = {}
    for genre, entry in (raw.get("genres") or {}).items():
        words = [genre.replace("-", " ")]
        if isinstance(entry, dict):
            words.append(str(entry.get("ja", "")))
            words.extend(str(s) for s in entry.get("synonyms", []) if s not in _WEAK_SYNONYMS)
        genres[str(genre)] = [w for w in words if w]
    return genres


_VOLUME_EN = re.compile(
    r"(?<![a-z])(?:vol(?:ume)?s?\.?|v\.|book)\s*#?\s*(\d{1,3})"
    r"(?:\s*(?:-|to|through|thru|~|〜|and)\s*(?:vol(?:ume)?\.?\s*)?(\d{1,3}))?(?!\d)"
)
_VOLUME_JA = re.compile(r"第?\s*(\d{1,3})(?:\s*(?:-|~|〜|から)\s*(\d{1,3}))?\s*巻")
_ORDER_ID = re.compile(
    r"(?<![a-z0-9])(ma-\d{4,6}-\d{4,8}|\d{3}-\d{7}-\d{7})(?![0-9])"
    r"|(?:order|注文|注文番号|order number|order no\.?|order id)\s*(?:#|は|:|番号)?\s*"
    r"#?(ma-\d{4,6}-\d{4,8}|[a-z]{0,3}-?\d{5,12})(?![0-9]|-\d)"
    r"|#([a-z]{0,3}\d{4,12})(?![0-9])"
)
_PRICE_EN = re.compile(
    r"(?:under|below|less than|cheaper than|max(?:imum)?|up to|no more than|at most|within|"
    r"budget(?: of| is)?|around|about)\s*\$\s*(\d+(?:\.\d{1,2})?)"
    r"|(?:under|below|less than|cheaper than|up to|no more than|at most|budget(?: of| is)?)"
    r"\s*(\d+(?:\.\d{1,2})?)\s*(?:dollars|bucks|usd)"
    r"|\$\s*(\d+(?:\.\d{1,2})?)\s*(?:or less|or under|max|tops)"
)
_PRICE_JA = re.compile(
    r"(?:予算(?:は)?)?(\d[\d,]*)\s*(円|ドル)\s*(?:以下|以内|まで|未満|くらい|ぐらい|程度|前後)"
    r"|予算(?:は)?\s*(\d[\d,]*)\s*(円|ドル)"
)


def _volumes(text: str) -> list[Entity]:
    found: list[Entity] = []
    for pattern in (_VOLUME_EN, _VOLUME_JA):
        for m in pattern.finditer(text):
            first = int(m.group(1))
            last = int(m.group(2)) if m.group(2) else first
            if first > 0 and last >= first:
                found.append(
                    VolumeEntity(
                        start=m.start(), end=m.end(), surface=m.group(), first=first, last=last
                    )
                )
    return found


def _order_ids(text: str) -> list[Entity]:
    found: list[Entity] = []
    for m in _ORDER_ID.finditer(text):
        value = next(g for g in m.groups() if g)
        found.append(
            OrderIdEntity(start=m.start(), end=m.end(), surface=m.group(), order_id=value.upper())
        )
    return found


def _amount(raw: str) -> Decimal | None:
    try:
        return Decimal(raw.replace(",", ""))
    except InvalidOperation:
        return None


def _prices(text: str) -> list[Entity]:
    found: list[Entity] = []
    for m in _PRICE_EN.finditer(text):
        amount = _amount(next(g for g in m.groups() if g))
        if amount is not None:
            found.append(
                PriceLimitEntity(
                    start=m.start(), end=m.end(), surface=m.group(), amount=amount, currency="USD"
                )
            )
    for m in _PRICE_JA.finditer(text):
        raw, unit = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        amount = _amount(raw)
        if amount is not None:
            currency = "JPY" if unit == "円" else "USD"
            found.append(
                PriceLimitEntity(
                    start=m.start(),
                    end=m.end(),
                    surface=m.group(),
                    amount=amount,
                    currency=currency,
                )
            )
    return found


def extract_entities(normalized: str, index: AliasIndex | None = None) -> tuple[Entity, ...]:
    """Entities of a `normalize`d message, in order of appearance."""
    key = match_key(normalized)
    found: list[Entity] = [*_volumes(normalized), *_order_ids(normalized), *_prices(normalized)]
    if index is not None:
        text_units = units(key)
        for m in index.titles.find_units(text_units):
            found.append(
                TitleEntity(
                    start=m.start,
                    end=m.end,
                    surface=normalized[m.start : m.end],
                    series_id=m.value,
                    alias=" ".join(m.phrase),
                )
            )
        for m in index.genres.find_units(text_units):
            found.append(
                GenreEntity(
                    start=m.start, end=m.end, surface=normalized[m.start : m.end], genre=m.value
                )
            )
    return tuple(sorted(found, key=lambda e: (e.start, e.end)))
