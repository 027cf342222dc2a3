"""`mangaassist ingest`, `mangaassist retrieval …` and `mangaassist recommend …`.

Bad input (unknown split or language, missing data, empty query) is one stderr line and
exit code 2. The recommend group runs `ask` when its first word is not a sub-command, so
`mangaassist recommend "like Junji Ito"` works.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any, NoReturn

import typer
import yaml
from typer.core import TyperGroup

from mangaassist.retrieval.evaluate import SPLITS, DataSetError, Split
from mangaassist.yamlio import load_yaml


class _DefaultToAsk(TyperGroup):
    # ctx is typer's vendored click Context, which has no public name to import.
    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["ask", *args]
        return super().parse_args(ctx, args)


retrieval_app = typer.Typer(help="Search the knowledge base and measure retrieval.")
recommend_app = typer.Typer(
    help="Recommend series and measure recommendations.", cls=_DefaultToAsk, no_args_is_help=True
)


def _fail(message: str) -> NoReturn:
    typer.echo(message, err=True)
    raise typer.Exit(2)


def _split(value: str) -> Split:
    if value not in SPLITS:
        _fail(f"--split must be one of {', '.join(SPLITS)}, not {value!r}")
    return value


def _read_yaml(path: Path) -> Any:
    if not path.is_file():
        _fail(f"data file not found: {path}")
    try:
        return load_yaml(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        _fail(f"{path}: not valid YAML ({str(exc).splitlines()[0]})")


def _settings() -> Any:
    from mangaassist.config import load_settings

    return load_settings()


def _catalog(settings: Any, with_store: bool = True, data_dir: Path | None = None) -> Any:
    """Series from `data_dir` (default: settings); products and orders from the configured
    demo store, built first when missing (never rebuilt from another `data_dir`)."""
    from mangaassist.retrieval.build import load_catalog
    from mangaassist.store.local import ensure_demo_store

    db_path = ensure_demo_store(settings) if with_store else None
    return load_catalog(data_dir or settings.data_dir, db_path)


def _artifact(settings: Any) -> Path:
    return Path(settings.state_dir) / "index" / "chunks.jsonl"


def _chunks(settings: Any) -> Any:
    """The ingest artifact, (re)built first when missing or older than its sources."""
    from mangaassist.retrieval.build import build_chunks, read_chunks, source_files, write_chunks

    path = _artifact(settings)
    sources = [*source_files(settings.data_dir), Path(settings.store.db_path)]
    newest = max((f.stat().st_mtime for f in sources if f.is_file()), default=0.0)
    if not path.is_file() or path.stat().st_mtime < newest:
        write_chunks(build_chunks(settings.data_dir, _catalog(settings)), path)
    return read_chunks(path)


def ingest(
    data_dir: Path = typer.Option(None, "--data-dir", help="Data folder (default: settings)."),
    out: Path = typer.Option(None, "--out", help="Artifact path (default: state/index)."),
    no_store: bool = typer.Option(False, "--no-store", help="Skip products from the store."),
) -> None:
    """Build the chunk artifact from the KB, series and products; list flagged chunks."""
    from mangaassist.nlu.entities import EntityDataError
    from mangaassist.retrieval.build import build_chunks, counts_by_type_and_language, write_chunks
    from mangaassist.retrieval.ingest import IngestError

    settings = _settings()
    if data_dir is not None and not data_dir.is_dir():
        _fail(f"--data-dir is not a folder: {data_dir}")
    source = data_dir or Path(settings.data_dir)
    target = out or _artifact(settings)
    try:
        chunks = build_chunks(source, _catalog(settings, not no_store, source))
    except (IngestError, EntityDataError) as exc:
        _fail(str(exc))
    count = write_chunks(chunks, target)
    typer.echo(f"wrote {count} chunks to {target}")
    for key, n in counts_by_type_and_language(chunks).items():
        typer.echo(f"  {key}: {n}")
    flagged = [c for c in chunks if c.flagged]
    typer.echo(f"flagged (possible injected instructions): {len(flagged)}")
    for chunk in flagged:
        typer.echo(f"  {chunk.chunk_id}: {', '.join(chunk.flag_reasons)}")


@retrieval_app.command("search")
def search(
    query: str = typer.Argument(..., help="What to look for."),
    lang: str = typer.Option("en", "--lang", help="Language of the query: en or ja."),
    k: int = typer.Option(3, "--k", help="How many chunks to show (1-10)."),
) -> None:
    """Print the top chunks for a query (language-filtered, reranked)."""
    from mangaassist.retrieval.build import ArtifactError, open_retriever
    from mangaassist.retrieval.lexical import Filters

    if lang not in ("en", "ja"):
        _fail(f"--lang must be en or ja, not {lang!r}")
    if not 1 <= k <= 10:
        _fail(f"--k must be between 1 and 10, not {k}")
    if not query.strip():
        _fail("query is empty")
    try:
        retriever = open_retriever(_chunks(_settings()))
    except ArtifactError as exc:
        _fail(str(exc))
    hits = asyncio.run(retriever.search(query, lang, Filters(language=lang), k))
    if not hits:
        typer.echo("no matching chunks")
    for rank, hit in enumerate(hits, start=1):
        c = hit.chunk
        typer.echo(f"{rank}. [{c.doc_type}] {c.doc_id} — {c.heading} ({hit.score:.4f})")
        typer.echo(f"   {c.text[:200]}")


def _questions(settings: Any, split: Split) -> Any:
    from mangaassist.retrieval.evaluate import in_split, parse_questions

    raw = _read_yaml(Path(settings.data_dir) / "retrieval" / "questions.yaml")
    try:
        return [q for q in parse_questions(raw) if in_split(q.qid, split)]
    except DataSetError as exc:
        _fail(f"questions.yaml: {exc}")


@retrieval_app.command("eval")
def retrieval_eval(
    split: str = typer.Option("test", "--split", help="dev, test or all."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Recall@1/@3 and MRR on the labelled questions, overall and per language."""
    from mangaassist.retrieval.build import open_retriever
    from mangaassist.retrieval.evaluate import recall_at_k, score_rankings
    from mangaassist.retrieval.lexical import Filters

    chosen = _split(split)
    settings = _settings()
    questions = _questions(settings, chosen)
    retriever = open_retriever(_chunks(settings))
    kinds = frozenset({"faq", "policy", "series"})

    async def rank_all() -> list[list[str]]:
        out = []
        for q in questions:
            hits = await retriever.search(q.text, q.language, Filters(q.language, kinds), 10)
            out.append([h.chunk.doc_id for h in hits])
        return out

    rankings = asyncio.run(rank_all())
    runs = [(r, q.expected) for r, q in zip(rankings, questions, strict=True)]
    report: dict[str, Any] = {"split": chosen, "overall": _score(score_rankings(runs))}
    for language in ("en", "ja"):
        part = [run for run, q in zip(runs, questions, strict=True) if q.language == language]
        report[language] = _score(score_rankings(part))
    report["failing"] = [
        {"id": q.qid, "text": q.text, "expected": list(q.expected), "got": r[:3]}
        for r, q in zip(rankings, questions, strict=True)
        if not recall_at_k(r, q.expected, 3)
    ]
    if as_json:
        typer.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    for key in ("overall", "en", "ja"):
        s = report[key]
        typer.echo(
            f"{key:8} n={s['count']:4}  recall@1={s['recall_at_1']:.3f}  "
            f"recall@3={s['recall_at_3']:.3f}  MRR={s['mrr']:.3f}"
        )
    typer.echo(f"failing at 3: {len(report['failing'])}")
    for miss in report["failing"]:
        typer.echo(f"  {miss['id']}: {miss['text']} -> {miss['got']} (want {miss['expected']})")


def _score(score: Any) -> dict[str, Any]:
    return {
        "count": score.count,
        "recall_at_1": round(score.recall_at_1, 4),
        "recall_at_3": round(score.recall_at_3, 4),
        "mrr": round(score.mrr, 4),
    }


@recommend_app.command("ask")
def ask(
    request: str = typer.Argument(..., help="What the shopper asks for."),
    customer: str = typer.Option(None, "--customer", help="Signed-in customer id, e.g. C10001."),
    lang: str = typer.Option("en", "--lang", help="Language of the reasons: en or ja."),
    k: int = typer.Option(5, "--k", help="How many picks (1-10)."),
) -> None:
    """Recommend series for a request and say why (also `mangaassist recommend "…"`)."""
    from mangaassist.retrieval.build import open_recommender, purchase_histories

    if lang not in ("en", "ja"):
        _fail(f"--lang must be en or ja, not {lang!r}")
    if not 1 <= k <= 10:
        _fail(f"--k must be between 1 and 10, not {k}")
    if not request.strip():
        _fail("request is empty")
    settings = _settings()
    catalog = _catalog(settings)
    kit = open_recommender(
        settings.data_dir, catalog, trust_threshold=settings.guardrails.trust_threshold
    )
    history: list[str] = []
    if customer is not None:
        mine = [o for o in catalog.orders if o.customer_id == customer]
        if not mine:
            _fail(f"unknown customer or no orders: {customer}")
        history = purchase_histories(mine, catalog.products)[0]
    picks = kit.recommender.recommend(kit.read(request), history=history, language=lang, k=k)
    if not picks:
        typer.echo("no series fits this request")
    for rank, pick in enumerate(picks, start=1):
        reason = pick.reason_ja if lang == "ja" else pick.reason
        typer.echo(f"{rank}. {pick.title} [{pick.series_id}, {pick.asin}] — {reason}")


@recommend_app.command("eval")
def recommend_eval(
    split: str = typer.Option("test", "--split", help="dev, test or all (like requests)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Acceptable-answer rate on 'like X' requests and hit rate@10 on held-out purchases."""
    chosen = _split(split)
    settings = _settings()
    raw = _read_yaml(Path(settings.data_dir) / "recommendations" / "like_requests.yaml")
    try:
        report = _evaluate_recommendations(settings, _catalog(settings), raw, chosen)
    except DataSetError as exc:
        _fail(f"like_requests.yaml: {exc}")
    if as_json:
        typer.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    typer.echo(f"like requests ({chosen}): n={report['requests']}")
    typer.echo(f"  acceptable rate: {report['acceptable_rate']:.3f}")
    for language in ("en", "ja"):
        typer.echo(f"  {language}: {report['acceptable_rate_' + language]:.3f}")
    typer.echo(
        f"co-purchase hit rate@10: {report['hit_rate_at_10']:.3f} "
        f"(popularity baseline {report['popularity_hit_rate_at_10']:.3f}, "
        f"customers={report['customers']})"
    )
    typer.echo(f"failing: {len(report['failing'])}")
    for miss in report["failing"]:
        typer.echo(f"  {miss['id']}: {miss['text']} -> {miss['got']}")


def _evaluate_recommendations(
    settings: Any, catalog: Any, raw: Any, split: Split
) -> dict[str, Any]:
    """Like requests on `split`; hit rate@10 with each customer's last series held out of
    both the query and the co-purchase counts (no leakage)."""
    from mangaassist.retrieval.build import open_recommender, purchase_histories
    from mangaassist.retrieval.evaluate import in_split, parse_like_requests, rate, request_passes
    from mangaassist.retrieval.recommend.engine import hit_rate_at_k

    requests = [r for r in parse_like_requests(raw) if in_split(r.rid, split)]
    histories = purchase_histories(catalog.orders, catalog.products)
    trust = settings.guardrails.trust_threshold
    kit = open_recommender(settings.data_dir, catalog, trust_threshold=trust)
    outcomes: dict[str, bool] = {}
    failing = []
    for r in requests:
        picks = [p.series_id for p in kit.recommender.recommend(kit.read(r.text), k=10)]
        outcomes[r.rid] = request_passes(picks, r.acceptable, r.forbidden)
        if not outcomes[r.rid]:
            failing.append({"id": r.rid, "text": r.text, "got": picks[:5]})
    held_out = open_recommender(
        settings.data_dir,
        catalog,
        trust_threshold=trust,
        training_histories=[h[:-1] for h in histories],
    )
    testable = [h for h in histories if len(h) >= 2]
    return {
        "split": split,
        "requests": len(requests),
        "acceptable_rate": round(rate(list(outcomes.values())), 4),
        **{
            f"acceptable_rate_{lang}": round(
                rate([outcomes[r.rid] for r in requests if r.language == lang]), 4
            )
            for lang in ("en", "ja")
        },
        "customers": len(testable),
        "hit_rate_at_10": round(hit_rate_at_k(held_out.recommender, testable, k=10), 4),
        "popularity_hit_rate_at_10": round(_popularity_hit_rate(held_out, testable), 4),
        "failing": failing,
    }


def _popularity_hit_rate(kit: Any, histories: list[list[str]], k: int = 10) -> float:
    """The baseline for hit rate@k: the k most popular series the customer does not own."""
    from mangaassist.retrieval.recommend.request import Request

    hits = 0
    for *seen, hidden in histories:
        picks = kit.recommender.recommend(Request(), k=k + len(seen))
        fresh = [p.series_id for p in picks if p.series_id not in seen][:k]
        hits += hidden in fresh
    return hits / len(histories) if histories else 0.0
