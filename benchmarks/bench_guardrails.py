"""Guardrail speed: input guard on a 500-character message, inline stream guard per chunk.

.venv/bin/pytest benchmarks/bench_guardrails.py --benchmark-only
"""

from __future__ import annotations

from typing import Any

import pytest
from pytest_benchmark.fixture import BenchmarkFixture
from support import percentiles

from mangaassist.config import GuardrailSettings
from mangaassist.guardrails.competitors import CompetitorMatcher
from mangaassist.guardrails.input_guard import InputGuard
from mangaassist.guardrails.stream import StreamGuard

EN_500 = (
    "Hi! I finished Berserk volume 41 last week and loved the dark fantasy vibe. My order "
    "MA-20481-55730 had vol. 42 (B0C1D2E3F4, $14.99) but it came damaged, so I'd like a "
    "replacement. Also, what is like Vinland Saga or Kingdom? My budget is about $60, and I "
    "prefer finished series under 20 volumes. You can email me at rin.sato@example.com or "
    "call 090-2345-6789 after 6pm. Thanks so much, and sorry for the long message!!"
)[:500]
JA_500 = (
    "こんにちは。先週ベルセルクの41巻を読み終えて、ダークファンタジーにはまりました。注文番号"
    "MA-20481-55730で42巻（B0C1D2E3F4、¥748）を買ったのですが、届いたら表紙が破れていました。"
    "交換をお願いできますか？それと、ヴィンランド・サガやキングダムのような作品でおすすめは"
    "ありますか？予算は6000円くらいで、20巻以内で完結している作品がいいです。連絡は"
    "rin.sato@example.comか090-2345-6789までお願いします。長文すみません。"
) * 2
ANSWER = (
    "Berserk is a dark fantasy epic by Kentaro Miura; volume 1 (B0C1D2E3F4) is $14.99. If you "
    "like its scale, Vinland Saga follows a young Viking seeking revenge, and Kingdom is a war "
    "saga set in ancient China. All three are in stock, and standard shipping is free over $35. "
) * 5


@pytest.fixture(scope="module")
def guard() -> InputGuard:
    return InputGuard(GuardrailSettings())


@pytest.mark.parametrize("text", [EN_500, JA_500[:500]], ids=["en", "ja"])
def test_input_guard_500_chars(benchmark: BenchmarkFixture, guard: InputGuard, text: str) -> None:
    verdict = percentiles(benchmark, lambda: guard.check(text))
    assert verdict.pii


def test_stream_guard_per_chunk(benchmark: BenchmarkFixture) -> None:
    matcher = CompetitorMatcher(GuardrailSettings().competitors)
    chunks = [ANSWER[i : i + 12] for i in range(0, len(ANSWER), 12)]
    state = {"guard": StreamGuard(matcher), "index": 0}

    def feed_one() -> str:
        index = state["index"]
        assert isinstance(index, int)
        if index == len(chunks):
            state["guard"], index = StreamGuard(matcher), 0
        state["index"] = index + 1
        guard = state["guard"]
        assert isinstance(guard, StreamGuard)
        return guard.feed(chunks[index])

    percentiles(benchmark, feed_one, rounds=5000)


@pytest.fixture(scope="module")
def local_store(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from mangaassist.config import load_settings
    from mangaassist.store.local import ensure_demo_store, open_local_services

    folder = tmp_path_factory.mktemp("store")
    settings = load_settings(state_dir=folder, store={"db_path": folder / "store.sqlite3"})
    return open_local_services(ensure_demo_store(settings), today=None)


def test_output_pipeline_1500_chars_local_pricing(
    benchmark: BenchmarkFixture, local_store: Any
) -> None:
    import asyncio

    from mangaassist.guardrails.money import format_amount
    from mangaassist.guardrails.output.base import OutputContext, StageDeps
    from mangaassist.guardrails.output.pipeline import OutputPipeline

    products = asyncio.run(local_store.catalog.list_products(0, 40))[::8][:5]
    sentences = [
        f"{p.title} ({p.asin}) is {format_amount(p.currency, p.price)}, loved by readers."
        for p in products
    ]
    answer = (" ".join(sentences) + " Standard shipping is free over $35. ") * 3
    answer = answer[:1500]
    deps = StageDeps(
        GuardrailSettings(),
        local_store.catalog,
        local_store.pricing,
        CompetitorMatcher(GuardrailSettings().competitors),
    )
    pipeline = OutputPipeline(deps)
    context = OutputContext(products=tuple(products))
    loop = asyncio.new_event_loop()
    try:
        verdict = percentiles(
            benchmark, lambda: loop.run_until_complete(pipeline.run(answer, context)), 500
        )
    finally:
        loop.close()
    assert verdict.action == "pass", verdict.action
