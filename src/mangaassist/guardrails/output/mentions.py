"""Finds which products a sentence talks about: ASIN tokens and titles with volume numbers."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from mangaassist.domain.store import Product

# Not \b: Japanese characters are word characters, so "商品番号B0…の" has no boundary.
ASIN_TOKEN = re.compile(r"(?<![A-Za-z0-9])B0[0-9A-Z]{8}(?![A-Za-z0-9])")
_VOLUME = re.compile(r"(?:\bvol(?:ume)?\.?\s?|#|第)\s?(\d{1,3})|(\d{1,3})\s?巻", re.IGNORECASE)
_NAME_CUT = re.compile(
    r"\s*(?:,|\(|（|:|：|\bvol\b|\bvol\.|\bvolume\b|第|\d+巻|box set|omnibus)", re.I
)


@dataclass(frozen=True, slots=True)
class Mention:
    asin: str
    position: int


_JA_NAME_CUT = re.compile(r"\s*(?:\d|第|（|\(|:|：|セット)")


def product_name(product: Product) -> str:
    """The series-like name in a product title: 'Berserk Vol. 3 (Deluxe)' -> 'berserk'."""
    return _NAME_CUT.split(product.title, maxsplit=1)[0].strip().casefold()


@lru_cache(maxsize=8192)
def _names(product: Product) -> tuple[str, ...]:
    """The ways a product is named in text, computed once per product."""
    ja_name = _JA_NAME_CUT.split(product.title_ja, maxsplit=1)[0].strip().casefold()
    return tuple(
        dict.fromkeys(
            [
                product_name(product),
                product.title.casefold(),
                product.title_ja.casefold(),
                ja_name,
            ]
        )
    )


def find_mentions(sentence: str, products: Sequence[Product]) -> list[Mention]:
    mentions = [Mention(m.group(), m.start()) for m in ASIN_TOKEN.finditer(sentence)]
    lowered = sentence.casefold()
    volumes = [(int(m.group(1) or m.group(2)), m.start()) for m in _VOLUME.finditer(sentence)]
    for product in products:
        for name in _names(product):
            if not name or len(name) < 2:
                continue
            position = lowered.find(name)
            if position < 0:
                continue
            if product.volume is not None and volumes:
                near = min(volumes, key=lambda v: abs(v[1] - position))
                if near[0] != product.volume:
                    continue
                position = near[1]
            mentions.append(Mention(product.asin, position))
            break
    return mentions
