"""Demo customers: the fixed, documented ones first, then ~200 generated from name pools."""

from __future__ import annotations

import random
from datetime import date, timedelta

from mangaassist.domain.store import CustomerProfile, Language, Tier
from mangaassist.store.demo.sources import DemoData

FIRST_GENERATED_ID = 10100


def _genres_in_catalog(data: DemoData) -> list[str]:
    return sorted({g for s in data.series for g in s.genres})


def build_customers(data: DemoData, rng: random.Random, today: date) -> list[CustomerProfile]:
    facts = data.customers
    customers = [
        CustomerProfile(
            customer_id=c.customer_id,
            display_name=c.display_name,
            tier=c.tier,
            region=c.region,
            preferred_language=c.preferred_language,
            joined=today + timedelta(days=c.joined_offset),
            favourite_genres=c.favourite_genres,
        )
        for c in facts.fixed
    ]
    regions = sorted(facts.regions)
    weights = [facts.regions[r] for r in regions]
    genres = _genres_in_catalog(data) or sorted(data.vocabulary.genres_ja)
    for index in range(facts.count):
        region = rng.choices(regions, weights=weights)[0]
        japanese = region == "JP" and rng.random() < 0.85
        first, last = (
            (facts.first_names_ja, facts.last_names_ja)
            if region == "JP" or rng.random() < 0.05
            else (facts.first_names_en, facts.last_names_en)
        )
        language: Language = "ja" if japanese or (region != "JP" and rng.random() < 0.04) else "en"
        tier: Tier = "prime" if rng.random() < facts.prime_share else "member"
        favourites = tuple(sorted(rng.sample(genres, k=min(len(genres), rng.randint(1, 3)))))
        customers.append(
            CustomerProfile(
                customer_id=f"C{FIRST_GENERATED_ID + index}",
                display_name=f"{rng.choice(first)} {rng.choice(last)}",
                tier=tier,
                region=region,
                preferred_language=language,
                joined=today - timedelta(days=rng.randint(20, 2200)),
                favourite_genres=favourites,
            )
        )
    return customers
