"""Stage 6, scope: answers that drift off the store (code, politics, medical, legal or
financial advice) are replaced by a redirect to what the assistant does.

Topic words are weighed against store words, so a manga about doctors or politics
("Black Jack", "Kingdom") stays in scope.
"""

from __future__ import annotations

import re
import time

from mangaassist.guardrails.injection.views import normalise
from mangaassist.guardrails.output.base import (
    Finding,
    OutputContext,
    StageDeps,
    StageResult,
    register_stage,
    result,
)

NAME = "scope"
REDIRECT = {
    "en": "I'm the MangaAssist Books shopping assistant, so I can't help with that. I can "
    "recommend manga, answer questions about our products, orders, shipping, returns and "
    "current promotions.",
    "ja": "申し訳ありませんが、その内容にはお答えできません。"
    "MangaAssist Booksのアシスタントとして、漫画のおすすめ、商品、ご注文、"
    "配送、返品、キャンペーンについてお手伝いできます。",
}
# Single words are counted from one tokenisation; phrases and Japanese terms by substring.
_TOPICS: dict[str, tuple[str, ...]] = {
    "coding": (
        "python",
        "javascript",
        "typescript",
        "compile",
        "compiler",
        "compiled",
        "regex",
        "stack trace",
        "console.log",
        "def ",
        "import ",
        "function(",
        "select * from",
        "プログラミング",
        "ソースコード",
    ),
    "politics": (
        "election",
        "democrat",
        "democrats",
        "republican",
        "republicans",
        "vote for",
        "president",
        "parliament",
        "political party",
        "選挙",
        "政党",
        "首相",
        "大統領",
        "投票",
    ),
    "medical": (
        "diagnosis",
        "diagnose",
        "symptom",
        "symptoms",
        "dosage",
        "mg",
        "prescription",
        "prescribe",
        "medication",
        "ibuprofen",
        "antibiotic",
        "antibiotics",
        "診断",
        "症状",
        "処方",
        "服用",
        "薬を",
    ),
    "legal": (
        "legal advice",
        "lawsuit",
        "sue",
        "attorney",
        "lawyer",
        "contract law",
        "訴訟",
        "弁護士",
        "法的助言",
        "裁判",
    ),
    "financial": (
        "invest",
        "investing",
        "investment",
        "stock market",
        "stocks",
        "crypto",
        "cryptocurrency",
        "bitcoin",
        "portfolio",
        "etf",
        "etfs",
        "dividend",
        "dividends",
        "投資",
        "株式",
        "仮想通貨",
        "資産運用",
    ),
}
_STORE_TERMS: tuple[str, ...] = (
    "manga",
    "volume",
    "volumes",
    "vol.",
    "series",
    "box set",
    "edition",
    "order",
    "shipping",
    "return",
    "returns",
    "store",
    "author",
    "chapter",
    "in stock",
    "漫画",
    "マンガ",
    "巻",
    "作品",
    "注文",
    "配送",
    "返品",
)
_WORD = re.compile(r"[a-z]+")
_ASIN = re.compile(r"\bB0[0-9A-Z]{8}\b")


def _split(terms: tuple[str, ...]) -> tuple[frozenset[str], tuple[str, ...]]:
    words = frozenset(t for t in terms if t.isascii() and t.isalpha())
    return words, tuple(t for t in terms if t not in words)


_TOPIC_TERMS = {name: _split(terms) for name, terms in _TOPICS.items()}
_STORE_SPLIT = _split(_STORE_TERMS)


def _count(words: list[str], plain: str, terms: tuple[frozenset[str], tuple[str, ...]]) -> int:
    single, phrases = terms
    return sum(1 for w in words if w in single) + sum(plain.count(p) for p in phrases)


class ScopeStage:
    name = NAME

    def __init__(self, deps: StageDeps) -> None:
        self._deps = deps

    async def run(self, text: str, context: OutputContext) -> StageResult:
        started = time.perf_counter()
        plain = normalise(text)
        words = _WORD.findall(plain)
        scores = {name: _count(words, plain, terms) for name, terms in _TOPIC_TERMS.items()}
        topic, hits = max(scores.items(), key=lambda item: item[1])
        store = _count(words, plain, _STORE_SPLIT) + len(_ASIN.findall(text))
        if (hits >= 2 and hits > store) or (topic == "coding" and "```" in text):
            reply = REDIRECT.get(context.language, REDIRECT["en"])
            return result(NAME, text, reply, [Finding(f"off_topic:{topic}", str(hits))], started)
        return result(NAME, text, text, [], started)


@register_stage(60, NAME)
def build(deps: StageDeps) -> ScopeStage:
    return ScopeStage(deps)
