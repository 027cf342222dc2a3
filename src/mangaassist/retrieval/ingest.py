"""Turns the knowledge base (Markdown with front matter) and the catalog into chunks.

A knowledge-base document becomes one chunk for its summary (title + first paragraph)
and one per `##` section, each carrying the document title so it stands alone. Each
series becomes one chunk per language (synopsis, genres, tags, authors); each product a
short chunk with its ASIN. Every chunk is scanned for injected instructions: flagged
chunks stay in the index for audit but are never given to the model.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from mangaassist.domain.store import Product, Series
from mangaassist.guardrails.injection import score_injection
from mangaassist.retrieval.chunks import Chunk, DocType

_FRONT = re.compile(r"^---\n(.*?)\n---\n", re.DOTALL)
_SECTION = re.compile(r"^##\s+(.+)$", re.MULTILINE)
POLICY_TOPICS = frozenset(
    {"returns", "refunds", "privacy", "price-policy", "cancellations", "payment", "age-ratings"}
)


class IngestError(ValueError):
    """A knowledge-base file cannot be read; the message names the file."""


def _flag(chunk: Chunk) -> Chunk:
    verdict = score_injection(chunk.text)
    if not verdict.blocked:
        return chunk
    return Chunk(**{**_fields(chunk), "flagged": True, "flag_reasons": verdict.reasons})


def _fields(chunk: Chunk) -> dict[str, Any]:
    return {name: getattr(chunk, name) for name in chunk.__dataclass_fields__}


def parse_document(path: Path) -> list[Chunk]:
    raw = path.read_text(encoding="utf-8")
    match = _FRONT.match(raw)
    if not match:
        raise IngestError(f"{path}: missing YAML front matter")
    try:
        meta = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as exc:
        raise IngestError(f"{path}: invalid front matter: {exc}") from exc
    if not isinstance(meta, dict):
        raise IngestError(f"{path}: front matter must be a mapping")
    missing = {"doc_id", "title", "language"} - set(meta)
    if missing:
        raise IngestError(f"{path}: front matter lacks {sorted(missing)}")
    body = raw[match.end() :]
    doc_id, language, title = str(meta["doc_id"]), str(meta["language"]), str(meta["title"])
    topic = str(meta.get("topic", doc_id))
    keywords = tuple(str(k) for k in meta.get("keywords") or ())
    doc_type: DocType = "policy" if topic in POLICY_TOPICS else "faq"
    parts = _SECTION.split(body)
    intro = re.sub(r"^#\s+.*$", "", parts[0], flags=re.MULTILINE).strip()
    chunks = []
    if intro:
        chunks.append(
            Chunk(
                f"{language}:{doc_id}:0", doc_id, doc_type, language, title, title, intro, keywords
            )
        )
    for index in range(1, len(parts) - 1, 2):
        heading, text = parts[index].strip(), parts[index + 1].strip()
        if text:
            chunk_id = f"{language}:{doc_id}:{index // 2 + 1}"
            chunks.append(
                Chunk(chunk_id, doc_id, doc_type, language, title, heading, text, keywords)
            )
    return [_flag(c) for c in chunks]


def knowledge_base_chunks(kb_dir: Path) -> list[Chunk]:
    files = sorted(kb_dir.glob("*/*.md"))
    if not files:
        raise IngestError(f"{kb_dir}: no knowledge-base documents (expected <lang>/<doc>.md)")
    return [chunk for path in files for chunk in parse_document(path)]


def series_chunks(series: Iterable[Series]) -> list[Chunk]:
    chunks = []
    for s in series:
        facts = (
            f"{s.title_en} ({s.title_ja}, {s.title_romaji}) by {', '.join(s.authors)}. "
            f"{s.demographic}; {', '.join(s.genres)}; {', '.join(s.tags)}. "
            f"{s.status}, {s.volumes} volumes, since {s.first_year}."
        )
        common = {
            "doc_type": "series",
            "genres": s.genres,
            "series_id": s.series_id,
            "keywords": (*s.aliases, s.title_romaji),
        }
        chunks.append(
            Chunk(
                chunk_id=f"en:series:{s.series_id}",
                doc_id=f"series:{s.series_id}",
                language="en",
                title=s.title_en,
                heading=s.title_en,
                text=f"{facts} {s.synopsis}",
                **common,  # type: ignore[arg-type]
            )
        )
        chunks.append(
            Chunk(
                chunk_id=f"ja:series:{s.series_id}",
                doc_id=f"series:{s.series_id}",
                language="ja",
                title=s.title_ja,
                heading=s.title_ja,
                text=f"{s.title_ja}（{', '.join(s.authors)}）。{s.synopsis_ja}",
                **common,  # type: ignore[arg-type]
            )
        )
    return [_flag(c) for c in chunks]


def product_chunks(products: Iterable[Product], genres: dict[str, tuple[str, ...]]) -> list[Chunk]:
    chunks = []
    for p in products:
        chunks.append(
            Chunk(
                chunk_id=f"{p.language}:product:{p.asin}",
                doc_id=f"product:{p.asin}",
                doc_type="product",
                language=p.language,
                title=p.title,
                heading=p.title_ja if p.language == "ja" else p.title,
                text=p.description,
                genres=genres.get(p.series_id, ()),
                series_id=p.series_id,
                asin=p.asin,
                popularity=min(1.0, p.rating_count / 5000) * p.rating / 5,
            )
        )
    return [_flag(c) for c in chunks]
