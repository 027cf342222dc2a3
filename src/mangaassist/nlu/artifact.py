"""The versioned intent-model artifact: train from data/intents/, save, load, train-if-missing.

Layout under the artifact folder: `intent-<version>/model.pkl` (the sklearn pipeline, pickled),
`intent-<version>/metadata.json`, and `LATEST` naming the current version. The version is
a digest of the metadata (data hash, parameters, library versions, weights), so the same
data and code always give the same version.
"""

from __future__ import annotations

import hashlib
import json
import pickle
import platform
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from mangaassist.nlu.dataset import (
    DEFAULT_SEED,
    Split,
    Utterance,
    data_hash,
    load_utterances,
    select,
)
from mangaassist.nlu.model import DEFAULT_PARAMS, FastScorer, train_pipeline

# 2: plain pickle instead of joblib (joblib unpickles in pure Python: ten times slower).
FORMAT_VERSION = 2
LATEST = "LATEST"


class ArtifactError(RuntimeError):
    """The artifact folder holds no usable model (missing, corrupt or of another format)."""


@dataclass(frozen=True, slots=True)
class IntentArtifact:
    pipeline: Any
    metadata: dict[str, Any]
    scorer: FastScorer

    @property
    def version(self) -> str:
        return str(self.metadata["version"])


def _weights_hash(pipeline: Any) -> str:
    tfidf = pipeline.named_steps["tfidf"]
    clf = pipeline.named_steps["clf"]
    digest = hashlib.sha256()
    for feature in sorted(tfidf.vocabulary_, key=tfidf.vocabulary_.__getitem__):
        digest.update(feature.encode() + b"\x00")
    # Rounded, so last-bit float noise across BLAS builds does not change the version.
    digest.update(np.round(np.asarray(clf.coef_), 6).tobytes())
    digest.update(np.round(np.asarray(clf.intercept_), 6).tobytes())
    return digest.hexdigest()


def _versions() -> dict[str, str]:
    import sklearn

    return {"python": platform.python_version(), "sklearn": sklearn.__version__}


def train_artifact(
    utterances: list[Utterance],
    *,
    splits: tuple[Split, ...] = ("train", "dev"),
    seed: int = DEFAULT_SEED,
    params: dict[str, Any] | None = None,
) -> IntentArtifact:
    """Fit the model on the chosen splits; pure apart from CPU time."""
    chosen = select(utterances, splits, seed)
    if not chosen:
        raise ArtifactError("no utterances in the chosen splits")
    params = dict(DEFAULT_PARAMS if params is None else params)
    started = time.perf_counter()
    pipeline = train_pipeline([u.text for u in chosen], [u.intent.value for u in chosen], params)
    metadata: dict[str, Any] = {
        "format_version": FORMAT_VERSION,
        "data_hash": data_hash(utterances),
        "splits": list(splits),
        "seed": seed,
        "n_utterances": len(chosen),
        "params": params,
        "versions": _versions(),
        "classes": [str(c) for c in pipeline.named_steps["clf"].classes_],
        "weights_hash": _weights_hash(pipeline),
    }
    canonical = json.dumps(metadata, sort_keys=True, separators=(",", ":"))
    metadata["version"] = hashlib.sha256(canonical.encode()).hexdigest()[:16]
    metadata["train_seconds"] = round(time.perf_counter() - started, 3)
    return IntentArtifact(pipeline, metadata, FastScorer(pipeline))


def save_artifact(artifact: IntentArtifact, folder: Path) -> Path:
    target = folder / f"intent-{artifact.version}"
    target.mkdir(parents=True, exist_ok=True)
    temporary = target / "model.pkl.tmp"
    temporary.write_bytes(pickle.dumps(artifact.pipeline, protocol=pickle.HIGHEST_PROTOCOL))
    temporary.replace(target / "model.pkl")
    (target / "metadata.json").write_text(
        json.dumps(artifact.metadata, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    (folder / LATEST).write_text(artifact.version + "\n", encoding="utf-8")
    return target


def load_artifact(folder: Path) -> IntentArtifact:
    """The version named by `folder/LATEST`. Only load artifacts you wrote: this unpickles."""
    latest = folder / LATEST
    if not latest.is_file():
        raise ArtifactError(f"no intent model in {folder} (run `mangaassist nlu train`)")
    target = folder / f"intent-{latest.read_text(encoding='utf-8').strip()}"
    try:
        metadata = json.loads((target / "metadata.json").read_text(encoding="utf-8"))
        pipeline = pickle.loads((target / "model.pkl").read_bytes())
    except (OSError, ValueError, EOFError, pickle.UnpicklingError) as error:
        raise ArtifactError(f"unreadable intent model in {target}: {error}") from error
    if metadata.get("format_version") != FORMAT_VERSION:
        raise ArtifactError(f"intent model in {target} has another format; retrain it")
    return IntentArtifact(pipeline, metadata, FastScorer(pipeline))


def load_or_train(folder: Path, intents_dir: Path, seed: int = DEFAULT_SEED) -> IntentArtifact:
    """Load the current artifact; train and save one when missing or built from other data."""
    utterances = load_utterances(intents_dir)
    try:
        artifact = load_artifact(folder)
    except ArtifactError:
        artifact = None
    if artifact is not None and artifact.metadata.get("data_hash") == data_hash(utterances):
        return artifact
    artifact = train_artifact(utterances, seed=seed)
    save_artifact(artifact, folder)
    return artifact
