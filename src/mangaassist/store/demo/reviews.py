"""Short customer reviews in English and Japanese, composed from hand-written sentence pools."""

from __future__ import annotations

import random
from datetime import date, timedelta

from mangaassist.domain.store import CustomerProfile, Language, Product, Review
from mangaassist.store.demo.catalog import Catalog
from mangaassist.store.demo.sources import DemoData, ReviewPool


def _band(rating: int) -> str:
    return "high" if rating >= 4 else "mid" if rating == 3 else "low"


def _compose(pool: ReviewPool, rating: int, rng: random.Random, slots: dict[str, str]) -> str:
    sentences: tuple[str, ...] = getattr(pool, _band(rating))
    picked = rng.sample(sentences, k=min(len(sentences), rng.randint(2, 3)))
    joiner = "" if slots["lang"] == "ja" else " "
    return joiner.join(s.format(**slots) for s in picked)


def build_reviews(
    data: DemoData,
    catalog: Catalog,
    customers: list[CustomerProfile],
    rng: random.Random,
    today: date,
) -> list[Review]:
    """0-4 reviews per released product, more for popular series and early volumes."""
    series = {s.series_id: s for s in data.series}
    authors = [
        c.display_name.split(" ")[0] + " " + c.display_name.split(" ")[-1][:1] + "."
        for c in customers
    ]
    reviews: list[Review] = []
    for product in catalog.products:
        if product.release_date > today or product.rating_count == 0:
            continue
        s = series[product.series_id]
        chance = min(0.6, catalog.plans[product.series_id].popularity / 14)
        count = sum(rng.random() < chance for _ in range(4 if (product.volume or 1) <= 2 else 2))
        for index in range(count):
            reviews.append(
                _review(
                    data,
                    product,
                    s.title_en,
                    s.title_ja,
                    s.authors[0],
                    s.genres[0] if s.genres else "manga",
                    rng.choice(authors),
                    index,
                    rng,
                    today,
                )
            )
    return reviews


def _review(
    data: DemoData,
    product: Product,
    title_en: str,
    title_ja: str,
    author: str,
    genre: str,
    reviewer: str,
    index: int,
    rng: random.Random,
    today: date,
) -> Review:
    language: Language = (
        product.language if rng.random() < 0.9 else ("en" if product.language == "ja" else "ja")
    )
    pool = data.reviews.ja if language == "ja" else data.reviews.en
    rating = max(1, min(5, round(product.rating + rng.gauss(0, 0.9))))
    slots = {
        "series": title_ja if language == "ja" else title_en,
        "author": author,
        "genre": data.vocabulary.genres_ja.get(genre, genre) if language == "ja" else genre,
        "lang": language,
    }
    span = max(0, (today - product.release_date).days)
    return Review(
        review_id=f"R-{product.asin}-{index + 1}",
        asin=product.asin,
        rating=rating,
        title=rng.choice(pool.titles[_band(rating)]),
        body=_compose(pool, rating, rng, slots),
        author=reviewer,
        language=language,
        created=product.release_date + timedelta(days=rng.randint(0, span)),
    )
