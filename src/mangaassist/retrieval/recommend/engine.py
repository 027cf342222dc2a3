"""The recommender: content similarity, co-purchase and popularity, blended, filtered, explained.

Each series is a weighted feature vector (genres, tone tags, demographic, authors,
magazine). A request becomes a vector from its seed series, authors, genres, tags and
reference works. Scores blend cosine similarity, item-to-item co-purchase with the
seeds (from order baskets), popularity and, for a signed-in shopper, similarity to
their history. Hard filters: a trusted in-stock listing in the wanted edition, age,
finished/short, nothing already owned, and no children's titles for dark requests.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from mangaassist.domain.store import Product, Series
from mangaassist.retrieval.recommend.request import AGE_ORDER, Request

WEIGHTS = {"genre": 1.0, "tag": 0.8, "demographic": 0.4, "author": 1.6, "magazine": 0.2}
# Tags that say a series is famous rather than what it is like: they barely count.
GENERIC_TAGS = {"classic": 0.2, "anime-adapted": 0.1, "award-winning": 0.2}
BLEND_SEEDED = {"content": 0.55, "copurchase": 0.25, "popularity": 0.1, "personal": 0.1}
BLEND_FEATURES = {"content": 0.6, "copurchase": 0.0, "popularity": 0.25, "personal": 0.15}
BLEND_NONE = {"content": 0.0, "copurchase": 0.0, "popularity": 0.6, "personal": 0.4}
DARK_AGE_BONUS = 0.05
_GENTLE = frozenset({"family-friendly", "cute"})


@dataclass(frozen=True, slots=True)
class Recommendation:
    series_id: str
    asin: str
    title: str
    score: float
    reason: str
    reason_ja: str


def _features(series: Series) -> dict[str, float]:
    out = {f"genre:{g}": WEIGHTS["genre"] for g in series.genres}
    out |= {f"tag:{t}": GENERIC_TAGS.get(t, WEIGHTS["tag"]) for t in series.tags}
    out |= {f"author:{a}": WEIGHTS["author"] for a in series.authors}
    out[f"demographic:{series.demographic}"] = WEIGHTS["demographic"]
    out[f"magazine:{series.magazine}"] = WEIGHTS["magazine"]
    return out


class Recommender:
    def __init__(
        self,
        series: Sequence[Series],
        products: Sequence[Product],
        baskets: Iterable[Iterable[str]],
        *,
        trust_threshold: float,
        labels_ja: Mapping[str, str] | None = None,
    ) -> None:
        self.series = list(series)
        self.index = {s.series_id: i for i, s in enumerate(self.series)}
        self.labels_ja = dict(labels_ja or {})
        vectors = [_features(s) for s in self.series]
        self.features = sorted({f for v in vectors for f in v})
        self._column = {f: j for j, f in enumerate(self.features)}
        matrix = np.zeros((len(self.series), len(self.features)), dtype=np.float64)
        for i, vector in enumerate(vectors):
            for feature, weight in vector.items():
                matrix[i, self._column[feature]] = weight
        self._matrix = matrix / np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12)
        self._present = (matrix > 0).astype(np.float64)
        # About 2% of the cells are set: sparse products are several times faster per request.
        self._sparse_matrix = sparse.csr_array(self._matrix)
        self._sparse_present = sparse.csr_array(self._present)
        self._mature = np.array([s.age_rating in ("older_teen", "mature") for s in self.series])
        self._products: dict[str, list[Product]] = {}
        for product in products:
            if product.trust_score >= trust_threshold:
                self._products.setdefault(product.series_id, []).append(product)
        self._series_of_asin = {p.asin: p.series_id for p in products}
        self._popularity = self._popularity_of(products)
        self._copurchase = self._copurchase_of(baskets)

    def _popularity_of(self, products: Sequence[Product]) -> np.ndarray:
        votes = np.zeros(len(self.series))
        for product in products:
            if product.series_id in self.index:
                votes[self.index[product.series_id]] += product.rating_count * product.rating / 5
        logged = np.log1p(votes)
        return logged / logged.max() if logged.max() > 0 else logged

    def _copurchase_of(self, baskets: Iterable[Iterable[str]]) -> np.ndarray:
        n = len(self.series)
        counts = np.zeros((n, n))
        for basket in baskets:
            ids = sorted({self.index[s] for s in basket if s in self.index})
            for a in ids:
                counts[a, a] += 1
                for b in ids:
                    if a != b:
                        counts[a, b] += 1
        diagonal = np.sqrt(np.maximum(np.diag(counts), 1))
        normalised = counts / diagonal[:, None] / diagonal[None, :]
        np.fill_diagonal(normalised, 0)
        return normalised

    def series_of(self, asins: Iterable[str]) -> set[str]:
        return {self._series_of_asin[a] for a in asins if a in self._series_of_asin}

    def _query_weights(self, request: Request) -> np.ndarray:
        """The request as raw feature weights (seed series count as their own features)."""
        vector = np.zeros(len(self.features))
        for series_id in request.seed_series:
            if series_id in self.index:
                vector += self._matrix[self.index[series_id]]
        extras = [f"genre:{g}" for g in request.genres] + [f"tag:{t}" for t in request.tags]
        extras += [f"author:{a}" for a in request.authors]
        for feature in extras:
            if feature in self._column:
                kind, name = feature.split(":", 1)
                vector[self._column[feature]] += GENERIC_TAGS.get(name, WEIGHTS[kind])
        return vector

    def _content(self, request: Request) -> np.ndarray:
        """Half cosine similarity, half coverage: how much of what was asked a series has
        (so a richly tagged series is not penalised for being described in detail)."""
        weights = self._query_weights(request)
        total = weights.sum()
        if total <= 0:
            return np.zeros(len(self.series))
        cosine: np.ndarray = self._sparse_matrix @ (weights / np.linalg.norm(weights))
        coverage: np.ndarray = self._sparse_present @ weights / total
        return 0.5 * cosine + 0.5 * coverage

    def _history_vector(
        self, history: Iterable[str], favourite_genres: Iterable[str]
    ) -> np.ndarray:
        vector = np.zeros(len(self.features))
        for series_id in history:
            if series_id in self.index:
                vector += self._matrix[self.index[series_id]]
        for genre in favourite_genres:
            column = self._column.get(f"genre:{genre}")
            if column is not None:
                vector[column] += WEIGHTS["genre"]
        norm = np.linalg.norm(vector)
        return vector / norm if norm > 0 else vector

    def recommend(
        self,
        request: Request,
        *,
        owned_asins: Iterable[str] = (),
        history: Sequence[str] = (),
        favourite_genres: Sequence[str] = (),
        language: str = "en",
        k: int = 5,
    ) -> list[Recommendation]:
        content = self._content(request)
        taste = self._history_vector(history, favourite_genres)
        personal = self._sparse_matrix @ taste if taste.any() else np.zeros(len(self.series))
        seeds = [self.index[s] for s in request.seed_series if s in self.index]
        copurchase = self._copurchase[seeds].max(axis=0) if seeds else np.zeros(len(self.series))
        weights = BLEND_SEEDED if seeds else BLEND_FEATURES if request.has_taste else BLEND_NONE
        scores = (
            weights["content"] * content
            + weights["copurchase"] * copurchase
            + weights["popularity"] * self._popularity
            + weights["personal"] * personal
        )
        if request.constraints.dark:
            scores = scores + DARK_AGE_BONUS * self._mature
        excluded = set(request.seed_series) | self.series_of(owned_asins) | set(history)
        picks: list[Recommendation] = []
        for i in np.argsort(-scores, kind="stable"):
            series = self.series[i]
            if series.series_id in excluded or not self._allowed(series, request):
                continue
            product = self._listing(series.series_id, request, language)
            if product is None:
                continue
            reason, reason_ja = self._reason(series, request, float(copurchase[i]))
            picks.append(
                Recommendation(
                    series.series_id,
                    product.asin,
                    series.title_en,
                    float(scores[i]),
                    reason,
                    reason_ja,
                )
            )
            if len(picks) == k:
                break
        return picks

    def _allowed(self, series: Series, request: Request) -> bool:
        rules = request.constraints
        if rules.max_age is not None and AGE_ORDER.index(series.age_rating) > AGE_ORDER.index(
            rules.max_age
        ):
            return False
        if rules.dark and (
            series.demographic == "kodomo"
            or series.age_rating == "all"
            or _GENTLE & set(series.tags)
        ):
            return False
        if rules.finished_only and series.status != "finished":
            return False
        return not (rules.max_volumes is not None and series.volumes > rules.max_volumes)

    def _listing(self, series_id: str, request: Request, language: str) -> Product | None:
        rules = request.constraints
        wanted_language = rules.language
        options = [
            p
            for p in self._products.get(series_id, [])
            if p.stock > 0
            and (wanted_language is None or p.language == wanted_language)
            and (rules.medium is None or p.medium == rules.medium)
        ]
        if not options:
            return None

        def rank(p: Product) -> tuple[int, int, int, int, str]:
            # The shopper's language, a single volume, print unless digital was asked for.
            return (
                0 if p.language == language else 1,
                0 if p.format == "volume" else 1,
                0 if p.medium == "print" else 1,
                p.volume or 0,
                p.asin,
            )

        return min(options, key=rank)

    def _label_ja(self, key: str) -> str:
        return self.labels_ja.get(key, key)

    def _reason(self, series: Series, request: Request, copurchase: float) -> tuple[str, str]:
        facts_en = (
            f"finished in {series.volumes} volume{'s' if series.volumes > 1 else ''}"
            if series.status == "finished"
            else f"ongoing, {series.volumes} volumes so far"
        )
        facts_ja = (
            f"全{series.volumes}巻完結"
            if series.status == "finished"
            else f"既刊{series.volumes}巻"
        )
        shared_authors = [a for a in series.authors if a in request.authors]
        seed_titles = {
            s: self.series[self.index[s]] for s in request.seed_series if s in self.index
        }
        for seed in seed_titles.values():
            shared_authors += [a for a in series.authors if a in seed.authors]
        if shared_authors:
            author = shared_authors[0]
            return f"Also by {author}; {facts_en}.", f"{author}の作品です（{facts_ja}）。"
        if seed_titles and copurchase >= 0.15:
            seed = next(iter(seed_titles.values()))
            return (
                f"Often bought with {seed.title_en}; {facts_en}.",
                f"『{seed.title_ja}』と一緒によく買われています（{facts_ja}）。",
            )
        wanted = set(request.genres) | set(request.tags)
        for seed in seed_titles.values():
            wanted |= set(seed.genres) | set(seed.tags)
        shared = [g for g in series.genres if g in wanted] + [t for t in series.tags if t in wanted]
        if not shared:
            shared = list(series.genres[:2])
        shared = shared[:2]
        words_en = " and ".join(s if s == "sci-fi" else s.replace("-", " ") for s in shared)
        words_ja = "・".join(self._label_ja(s) for s in shared)
        if seed_titles:
            seed = next(iter(seed_titles.values()))
            return (
                f"{words_en.capitalize()}, like {seed.title_en}; {facts_en}.",
                f"『{seed.title_ja}』のような{words_ja}の作品です（{facts_ja}）。",
            )
        return f"{words_en.capitalize()}; {facts_en}.", f"{words_ja}の作品です（{facts_ja}）。"


def hit_rate_at_k(
    recommender: Recommender, histories: Sequence[Sequence[str]], k: int = 10
) -> float:
    """Leave-one-out over purchase histories: hide each customer's last series, recommend
    from the rest, count how often it comes back in the top k."""
    from mangaassist.retrieval.recommend.request import Request

    trials = hits = 0
    for history in histories:
        if len(history) < 2:
            continue
        *seen, hidden = history
        request = Request(seed_series=tuple(seen[-3:]))
        picks = recommender.recommend(request, history=seen, k=k)
        trials += 1
        hits += any(p.series_id == hidden for p in picks)
    if not trials:
        raise ValueError("histories: no customer has two or more series to hold one out")
    return hits / trials
