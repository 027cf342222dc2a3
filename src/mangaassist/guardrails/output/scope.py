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
_TOPICS = {
    "coding": r"```|\bdef \w+\(|\bimport \w+|\bfunction\s*\(|console\.log|\bSELECT .+ FROM\b|"
    r"\bpython\b|\bjavascript\b|\bcompile[rd]?\b|\bstack trace\b|\bregex\b|プログラミング|コード",
    "politics": r"\belection\b|\bdemocrats?\b|\brepublicans?\b|\bvote for\b|\bpresident\b|"
    r"\bparliament\b|\bpolitical party\b|選挙|政党|首相|大統領|投票",
    "medical": r"\bdiagnos\w+|\bsymptoms?\b|\bdosage\b|\bmg\b|\bprescri\w+|\bmedication\b|"
    r"\bibuprofen\b|\bantibiotics?\b|診断|症状|処方|服用|薬を",
    "legal": r"\blegal advice\b|\blawsuit\b|\bsue\b|\battorney\b|\blawyer\b|\bcontract law\b|"
    r"訴訟|弁護士|法的助言|裁判",
    "financial": r"\binvest(?:ing|ment)?\b|\bstocks?\b|\bcrypto\w*\b|\bbitcoin\b|\bportfolio\b|"
    r"\bETFs?\b|\bdividends?\b|投資|株式|仮想通貨|資産運用",
}
_TOPIC_PATTERNS = {name: re.compile(p, re.IGNORECASE) for name, p in _TOPICS.items()}
_STORE = re.compile(
    r"\bmanga\b|\bvolumes?\b|\bvol\.|\bseries\b|\bbox set\b|\bedition\b|\border\b|\bshipping\b|"
    r"\breturns?\b|\bstore\b|\bauthor\b|\bchapter\b|\bstock\b|漫画|マンガ|巻|作品|注文|配送|返品|"
    r"B0[0-9A-Z]{8}",
    re.IGNORECASE,
)


class ScopeStage:
    name = NAME

    def __init__(self, deps: StageDeps) -> None:
        self._deps = deps

    async def run(self, text: str, context: OutputContext) -> StageResult:
        started = time.perf_counter()
        plain = normalise(text)
        scores = {n: len(p.findall(plain)) for n, p in _TOPIC_PATTERNS.items()}
        topic, hits = max(scores.items(), key=lambda item: item[1])
        store = len(_STORE.findall(plain))
        if (hits >= 2 and hits > store) or (topic == "coding" and "```" in text):
            reply = REDIRECT.get(context.language, REDIRECT["en"])
            return result(NAME, text, reply, [Finding(f"off_topic:{topic}", str(hits))], started)
        return result(NAME, text, text, [], started)


@register_stage(60, NAME)
def build(deps: StageDeps) -> ScopeStage:
    return ScopeStage(deps)
