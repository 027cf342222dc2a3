"""Stage 3, toxicity: a multilingual lexicon with context rules.

Profanity is masked; insults aimed at the shopper, threats and slurs block the answer.
Words inside known titles ("Bastard!!", "バカとテストと召喚獣") and plot talk (killing,
death, murder in a thriller) are not toxicity: the lexicon holds abuse, not violence.
A model-based scorer can replace this stage through the same registry.
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

NAME = "toxicity"
SAFE_REPLY = {
    "en": "Sorry, I can't phrase that answer properly. How else can I help you find manga?",
    "ja": "申し訳ありません、その回答はお伝えできません。"
    "ほかに漫画探しでお手伝いできることはありますか？",
}
_PROFANITY = re.compile(
    r"\b(?:f+u+c+k+(?:ing|ed|er)?|shit(?:ty)?|bullshit|bitch(?:es)?|asshole|motherf\w*|cunt|"
    r"dickhead|piss off|wtf)\b|クソ|くそったれ|糞|ちくしょう|畜生|他妈的|씨발|시발",
    re.IGNORECASE,
)
_BLOCKING = {
    "insult": re.compile(
        r"\byou(?:'re| are|r)?\s+(?:(?:such|so|really|very|totally|a\s+complete)\s+)?"
        r"(?:an?\s+)?(?:stupid|idiot|moron|dumb|pathetic|"
        r"loser|worthless|ugly|useless|clueless|brainless)\b|\bshut up\b|\bgo to hell\b|"
        r"黙れ|だまれ|うるせえ|うせろ|失せろ|"
        r"(?:お前|おまえ|てめえ|テメエ|貴様|あなた|君|あんた)(?:は|って|みたいな)?\s?"
        r"(?:本当に)?(?:バカ|ばか|馬鹿|アホ|あほ|ボケ|カス|ゴミ|クズ|無能)|"
        r"(?:傻逼|白痴|笨蛋)|(?:병신|개새끼|멍청이)",
        re.IGNORECASE,
    ),
    "threat": re.compile(
        r"\b(?:i|we)(?:'ll| will| am going to| are going to|'m gonna| gonna)\s+(?:kill|hurt|"
        r"find|beat|destroy)\s+you\b|\bkill yourself\b|\bkys\b|死ね|しね(?:よ|!)|殺すぞ|"
        r"ぶっ殺す|ころすぞ|去死|죽어라|죽여버",
        re.IGNORECASE,
    ),
    "slur": re.compile(
        r"\b(?:retard(?:ed)?|fag(?:got)?s?|nigg(?:er|a)s?|chinks?|tranny|spics?|kikes?)\b|"
        r"ガイジ|池沼|チョン|土人",
        re.IGNORECASE,
    ),
}


class ToxicityStage:
    name = NAME

    def __init__(self, deps: StageDeps) -> None:
        titles = sorted((normalise(t) for t in deps.safe_titles if t.strip()), key=len)
        self._titles = re.compile(
            "|".join(re.escape(t) for t in reversed(titles)) or r"(?!)", re.IGNORECASE
        )

    def _inside_title(self, text: str, start: int, end: int) -> bool:
        """Whether [start, end) lies inside a known title; only a window is searched."""
        low, high = max(0, start - 60), min(len(text), end + 60)
        return any(
            m.start() + low <= start and end <= m.end() + low
            for m in self._titles.finditer(text[low:high])
        )

    async def run(self, text: str, context: OutputContext) -> StageResult:
        started = time.perf_counter()
        plain = normalise(text)
        for kind, pattern in _BLOCKING.items():
            for match in pattern.finditer(plain):
                if self._inside_title(plain, *match.span()):
                    continue
                reply = SAFE_REPLY.get(context.language, SAFE_REPLY["en"])
                finding = Finding(f"toxicity:{kind}", match.group())
                return result(NAME, text, reply, [finding], started, blocked=True)
        hits = [h for h in _PROFANITY.finditer(text) if not self._inside_title(text, *h.span())]
        cleaned = text
        for hit in reversed(hits):
            cleaned = cleaned[: hit.start()] + "****" + cleaned[hit.end() :]
        findings = [Finding("toxicity:profanity", h.group()) for h in hits]
        return result(NAME, text, cleaned, findings, started)


@register_stage(30, NAME)
def build(deps: StageDeps) -> ToxicityStage:
    return ToxicityStage(deps)
