from __future__ import annotations

import json
from pathlib import Path

import pytest

from mangaassist.config import Settings, load_settings
from mangaassist.guardrails.corpus import CorpusError, corpus_files
from mangaassist.guardrails.output_eval import Resolver, evaluate_output, load_output
from mangaassist.store.local import ensure_demo_store, open_local_services
from mangaassist.store.protocols import StoreServices

CORPUS = Path(__file__).parents[2] / "data" / "guardrails"


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    db = tmp_path_factory.mktemp("store") / "store.sqlite3"
    settings = load_settings(store={"db_path": db, "today": "2026-11-20"})
    ensure_demo_store(settings)
    return settings


@pytest.fixture
def store(settings: Settings) -> StoreServices:
    return open_local_services(settings.store.db_path, today=settings.store.today)


def _write(path: Path, *records: object) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    return path


def test_the_corpus_loads_with_enough_cases_and_japanese() -> None:
    cases = load_output(corpus_files(CORPUS, "output"))
    assert len(cases) >= 170
    assert sum(c.language == "ja" for c in cases) / len(cases) >= 0.3
    assert sum(c.category == "clean" for c in cases) >= 40


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ({"id": "a", "lang": "en", "category": "nope", "text": "x", "expect": {}}, "category"),
        ({"id": "a", "lang": "en", "category": "clean", "text": "x", "expect": {}}, "action"),
        (
            {
                "id": "a",
                "lang": "en",
                "category": "clean",
                "text": "{bogus:x}",
                "expect": {"action": "pass"},
            },
            "unknown placeholder",
        ),
        (
            {
                "id": "a",
                "lang": "en",
                "category": "clean",
                "text": "x",
                "expect": {"action": "pass", "absent": "x"},
            },
            "absent",
        ),
    ],
)
def test_bad_lines_are_typed_errors_naming_file_and_line(
    tmp_path: Path, record: dict[str, object], message: str
) -> None:
    path = _write(tmp_path / "output.jsonl", record)
    with pytest.raises(CorpusError, match=rf"output.jsonl:1: .*{message}"):
        load_output(path)


async def test_placeholders_resolve_against_the_store(
    settings: Settings, store: StoreServices
) -> None:
    resolver = Resolver(store, settings.guardrails.trust_threshold)
    product = await resolver.product("one-piece:ja-print:1")
    assert (product.series_id, product.language, product.volume) == ("one-piece", "ja", 1)
    text = await resolver.resolve("{asin:one-piece:ja-print:1} {price:one-piece:ja-print:1}", "t")
    assert text == f"{product.asin} ¥{int(product.price):,}"
    wrong = await resolver.resolve("{wrong_price:one-piece:ja-print:1:+200}", "t")
    assert wrong not in (f"¥{int(product.price):,}", f"¥{int(product.list_price):,}")
    fake = await resolver.resolve("{fake_asin:1}", "t")
    assert len(fake) == 10
    assert fake.startswith("B0")
    assert not await store.catalog.get_many([fake])
    low = await resolver.product("@lowtrust:1")
    assert low.trust_score < settings.guardrails.trust_threshold
    with pytest.raises(CorpusError, match=r"t: \{asin:one-piece:en-print:99\}"):
        await resolver.resolve("{asin:one-piece:en-print:99}", "t")


async def test_real_corpus_catches_every_wrong_price_and_hallucinated_asin(
    settings: Settings, store: StoreServices
) -> None:
    report = await evaluate_output(load_output(corpus_files(CORPUS, "output")), settings, store)
    assert report["false_modification_rate"] == 0.0
    assert report["catch_rate"] == {"wrong_price": 1.0, "hallucinated_asin": 1.0}, [
        f["id"] for f in report["failures"]
    ]
