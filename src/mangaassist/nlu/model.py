"""The stage-2 intent model: TF-IDF over `features.analyze` into multinomial logistic regression,
and a fast scorer that applies the fitted weights to one message without sklearn's overhead.

scikit-learn fits the model; the scorer exists because sklearn's per-call validation costs
more than the 1 ms budget, while the arithmetic itself is a few dozen multiply-adds.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from mangaassist.domain.intent import Intent
from mangaassist.nlu.features import analyze

#: Hyper-parameters chosen on the dev split (see docs/nlu.md); part of the artifact metadata.
DEFAULT_PARAMS: dict[str, float | int] = {"C": 30.0, "min_df": 1, "max_iter": 2000}


def train_pipeline(texts: Sequence[str], labels: Sequence[str], params: dict[str, Any]) -> Any:
    """Fit and return the sklearn pipeline (TfidfVectorizer -> LogisticRegression)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    pipeline = Pipeline(
        [
            (
                "tfidf",
                TfidfVectorizer(
                    analyzer=analyze,
                    sublinear_tf=True,
                    min_df=int(params["min_df"]),
                    dtype=np.float64,
                ),
            ),
            (
                "clf",
                LogisticRegression(
                    C=float(params["C"]), max_iter=int(params["max_iter"]), random_state=0
                ),
            ),
        ]
    )
    pipeline.fit(list(texts), list(labels))
    return pipeline


@dataclass(frozen=True, slots=True)
class Scores:
    """Class probabilities of one message, best first."""

    ranked: tuple[tuple[Intent, float], ...]

    @property
    def top(self) -> tuple[Intent, float]:
        return self.ranked[0]


class FastScorer:
    """Exactly the pipeline's `predict_proba` for one text, with plain dict and numpy work."""

    def __init__(self, pipeline: Any) -> None:
        tfidf = pipeline.named_steps["tfidf"]
        clf = pipeline.named_steps["clf"]
        self._vocabulary: dict[str, int] = {str(k): int(v) for k, v in tfidf.vocabulary_.items()}
        self._idf: npt.NDArray[np.float64] = np.asarray(tfidf.idf_, dtype=np.float64)
        self._weights: npt.NDArray[np.float64] = np.ascontiguousarray(
            np.asarray(clf.coef_, dtype=np.float64).T
        )
        self._bias: npt.NDArray[np.float64] = np.asarray(clf.intercept_, dtype=np.float64)
        self._classes = tuple(Intent(str(c)) for c in clf.classes_)

    @property
    def classes(self) -> tuple[Intent, ...]:
        return self._classes

    def score(self, text: str) -> Scores:
        get = self._vocabulary.get
        ids = np.fromiter((get(f, -1) for f in analyze(text)), dtype=np.int64)
        ids = ids[ids >= 0]
        logits = self._bias.copy()
        if ids.size:
            indices, counts = np.unique(ids, return_counts=True)
            values = (1.0 + np.log(counts)) * self._idf[indices]
            values /= math.sqrt(float(values @ values))
            logits += values @ self._weights[indices]
        logits -= logits.max()
        probabilities = np.exp(logits)
        probabilities /= probabilities.sum()
        order = np.argsort(-probabilities, kind="stable")
        return Scores(tuple((self._classes[i], float(probabilities[i])) for i in order))
