"""Cue-word families (shipping words, return words, store-policy words …) in English and Japanese.

Each family that occurs in a message becomes one feature `q:<family>`, so the model can
generalise from a family to words that are rare in the training data.
"""

from __future__ import annotations

import re

from mangaassist.nlu.normalize import fold_kana


def _cues(joined: str) -> tuple[str, ...]:
    return tuple(joined.split("|"))


CUE_FAMILIES: dict[str, tuple[str, ...]] = {
    "ship": _cues(
        "ship|shipping|shipped|deliver|delivery|courier|carrier|customs|duties|"
        "duty|postage|express|overnight|expedited|dispatch|送料|配送|発送|配達|関税|速達|海外|"
        "送れ|送って|届け|お届け|出荷|便"
    ),
    "order": _cues(
        "order|orders|ordered|package|parcel|purchase|tracking|track|shipment|"
        "注文|荷物|追跡|購入|買った|頼んだ"
    ),
    "mine": _cues("my|mine|i ordered|i bought|i placed|私の|注文した|うちの"),
    "status": _cues(
        "where|status|arrive|arrived|eta|yet|still|late|delayed|stuck|update|"
        "lost|届かない|届いていない|まだ|遅れ|どこ|いつ|来ない|届く|状況"
    ),
    "return": _cues(
        "return|returning|refund|refunded|exchange|send back|replace|"
        "replacement|money back|swap|返品|返金|交換|返送|返して"
    ),
    "damage": _cues(
        "damaged|damage|broken|torn|tear|ripped|crushed|defective|wrong|missing|"
        "misprint|misprinted|bent|dent|scratched|ruined|破損|破れ|潰れ|不良|違う|間違|落丁|乱丁|"
        "傷|汚れ|足りない|濡れ|壊れ|印刷ミス"
    ),
    "promo": _cues(
        "sale|sales|coupon|coupons|discount|discounts|discounted|promo|"
        "promotion|promotions|deal|deals|code|offer|offers|percent off|"
        "half price|clearance|voucher|vouchers|markdown|bogo|セール|クーポン|割引|キャンペーン|"
        "お得|値下げ|半額|割|コード"
    ),
    "recommend": _cues(
        "recommend|recommendation|recommendations|recs|rec|suggest|suggestion|"
        "suggestions|similar|something like|anything like|ideas|gift|present|"
        "what should i read|read next|must read|"
        "おすすめ|お勧め|オススメ|似て|似た|みたいな|プレゼント|"
        "贈|読みたい|次に読む|紹介"
    ),
    "facts": _cues(
        "how much|price|cost|in stock|stock|volume|vol|volumes|release|released|"
        "author|edition|finished|complete|completed|ongoing|how many|isbn|"
        "publisher|hardcover|何巻|巻|在庫|値段|いくら|発売|作者|完結|版|価格|出版"
    ),
    "policy": _cues(
        "policy|payment|pay|account|membership|member|prime|password|privacy|"
        "data|gift wrap|wrapping|preorder|pre-order|digital|gift card|"
        "gift cards|points|ebook|"
        "支払|払|会員|ポリシー|アカウント|個人情報|予約|電子|ギフト|包装|パスワード|"
        "ポイント|登録"
    ),
    "human": _cues(
        "human|person|agent|representative|manager|supervisor|complaint|"
        "complain|useless|frustrated|operator|someone|staff|escalate|人間|担当者|"
        "オペレーター|責任者|苦情|クレーム|スタッフ|人と|有人|上司|人に"
    ),
    "greet": _cues(
        "hi|hello|hey|thanks|thank you|thx|bye|goodbye|who are you|good morning|"
        "good night|こんにちは|こんばんは|ありがと|おはよう|さようなら|またね|よろしく|おやすみ"
    ),
    "manga": _cues(
        "manga|series|box set|volume|vol|comic|comics|book|books|漫画|マンガ|まんが|巻|"
        "単行本|コミック|本"
    ),
    "offdomain": _cues(
        "weather|python|javascript|code|homework|essay|stock market|stocks|"
        "invest|recipe|watch|episode|episodes|season|netflix|crunchyroll|amazon|"
        "ebay|stream|streaming|anime|movie|draw|drawing|translate|medicine|"
        "doctor|lawyer|legal advice|flight|hotel|travel|trip|figures|figure|"
        "costume|cosplay|game|games|天気|宿題|株|レシピ|アニメ|配信|翻訳|病気|薬|投資|旅行|声優|描|映画|"
        "ゲーム|フィギュア|コスプレ|ホテル|レポート|論文"
    ),
}


_WORD = re.compile(r"[a-z0-9']+")


def _tables() -> tuple[dict[str, set[str]], tuple[tuple[str, str], ...]]:
    words: dict[str, set[str]] = {}
    needles: list[tuple[str, str]] = []
    for family, cues in CUE_FAMILIES.items():
        for cue in cues:
            folded = fold_kana(cue)
            if _WORD.fullmatch(folded):
                words.setdefault(folded, set()).add(family)
            elif folded.isascii():
                needles.append((family, f" {folded} "))
            else:
                needles.append((family, folded))
    return words, tuple(needles)


_WORDS, _NEEDLES = _tables()


def cue_families(folded: str) -> list[str]:
    """The cue families present in a `match_key`-style (kana-folded) text, in table order."""
    found: set[str] = set()
    for token in _WORD.findall(folded):
        families = _WORDS.get(token)
        if families:
            found |= families
    padded = f" {' '.join(_WORD.findall(folded))} "
    for family, needle in _NEEDLES:
        if family not in found and (needle in padded if needle[0] == " " else needle in folded):
            found.add(family)
    return [family for family in CUE_FAMILIES if family in found]
