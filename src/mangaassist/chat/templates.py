"""Fixed replies in English and Japanese: small talk, scope, hand-off, sign-in, refusals."""

from __future__ import annotations

import re

CAPABILITIES = {
    "en": "I can recommend manga, answer questions about series, editions, prices and stock, "
    "track your orders, and help with returns, shipping and current promotions.",
    "ja": "漫画のおすすめ、シリーズ・版・価格・在庫のご質問、ご注文の追跡、返品や配送、"
    "開催中のキャンペーンについてお手伝いできます。",
}

_GREETING = re.compile(
    r"\b(?:hi|hello|hey|yo|good (?:morning|evening|afternoon))\b|"
    r"こんにち|こんばん|おはよう|はじめまして"
)
_THANKS = re.compile(r"\b(?:thanks?|thank you|thx|ty|appreciate)\b|ありがと|感謝|助かり")
_BYE = re.compile(
    r"\b(?:bye|goodbye|see you|later|good ?night|gn)\b|さようなら|またね|じゃあね|おやすみ"
)
_WHO = re.compile(
    r"\b(?:who are you|what are you|are you (?:a )?(?:bot|human|ai|real)|your name|"
    r"real person|talking to (?:a )?(?:bot|human|person|machine))\b|"
    r"誰|だれ|ボット|ロボット|人間|名前"
)

TEXT = {
    "knowledge_base_tag": {
        "en": "(Answered from our help pages while our assistant is limited. "
        "A person can help with anything else.)",
        "ja": "（アシスタントが一時的に制限されているため、ヘルプページから回答しています。"
        "その他のご用件は担当者がお手伝いします。）",
    },
    "outage_banner": {
        "en": "Our assistant is running in limited mode right now: answers come from our help "
        "pages, and a person can take over any question.",
        "ja": "現在アシスタントは制限モードで動作しています。回答はヘルプページから行い、"
        "どのご質問も担当者に引き継げます。",
    },
    "greeting": {
        "en": "Hi! I'm the MangaAssist Books shopping assistant. {capabilities} "
        "What are you in the mood to read?",
        "ja": "こんにちは！MangaAssist Booksのショッピングアシスタントです。{capabilities}"
        "どんな作品をお探しですか？",
    },
    "thanks": {
        "en": "You're welcome! Anything else I can help you find?",
        "ja": "どういたしまして！ほかにお探しのものはありますか？",
    },
    "bye": {
        "en": "Happy reading! Come back any time.",
        "ja": "ありがとうございました。またいつでもどうぞ！",
    },
    "who": {
        "en": "I'm an automated shopping assistant for MangaAssist Books, not a person. "
        "{capabilities} If you'd like a human, just ask for one.",
        "ja": "MangaAssist Booksの自動ショッピングアシスタントで、人間ではありません。"
        "{capabilities}スタッフと話したい場合はお知らせください。",
    },
    "smalltalk": {
        "en": "Happy to chat! {capabilities}",
        "ja": "お話しできてうれしいです！{capabilities}",
    },
    "out_of_scope": {
        "en": "Sorry, I can't help with that, because I'm the store's manga assistant and "
        "only answer questions about our shop. {capabilities}",
        "ja": "申し訳ありませんが、当店のマンガ専用のアシスタントのため、そのご質問には"
        "お答えできません。{capabilities}",
    },
    "escalation": {
        "en": "I'm handing this conversation to our support team. Your ticket number is "
        "{ticket}. English support is available 9:00-21:00 US Eastern every day, and a "
        "team member will pick up from here.",
        "ja": "このご相談をサポートスタッフにおつなぎします。チケット番号は{ticket}です。"
        "日本語サポートは平日10:00〜19:00（日本時間）に対応しております。",
    },
    "sign_in": {
        "en": "To look at orders or returns I need you to sign in first, so I only ever "
        "show your own account. Once you're signed in, ask me again.",
        "ja": "ご注文や返品を確認するには、先にサインインをお願いします（ご本人のアカウント"
        "情報のみを表示するためです）。サインイン後にもう一度お尋ねください。",
    },
    "blocked": {
        "en": "I can only help with shopping at MangaAssist Books, so I can't follow that "
        "request. {capabilities}",
        "ja": "MangaAssist Booksでのお買い物のお手伝いのみ可能なため、そのご依頼には対応"
        "できません。{capabilities}",
    },
    "store_unavailable": {
        "en": "I can't reach our store systems right now, so I can't look that up. "
        "Please try again in a minute.",
        "ja": "現在ストアのシステムに接続できないため、お調べできません。少し時間をおいて"
        "もう一度お試しください。",
    },
    "other_customer": {
        "en": "For privacy I can only show orders and returns on your own account, so I "
        "can't look up anyone else's. Ask me about your own orders any time.",
        "ja": "プライバシー保護のため、ご本人のアカウントのご注文・返品のみご案内できます。"
        "他の方のご注文はお調べできません。",
    },
    "order_not_found": {
        "en": "I couldn't find that order number on your account. Could you check it? "
        "Order numbers start with MA- followed by two groups of five digits.",
        "ja": "そのご注文番号はお客様のアカウントに見つかりませんでした。番号をご確認ください"
        "（「MA-」に続く5桁と5桁の数字です）。",
    },
    "clarify": {
        "en": "Just to be sure I help with the right thing: do you mean {options}?",
        "ja": "念のため確認させてください。{options}のどちらについてでしょうか？",
    },
}
SIGN_IN_LABEL = {"en": "Sign in", "ja": "サインイン"}
HANDOFF_LABEL = {"en": "Talk to a person", "ja": "スタッフと話す"}
INTENT_LABELS = {
    "recommendation": ("recommendations", "おすすめ"),
    "product_question": ("a product question", "商品について"),
    "faq": ("our store policies", "ストアのご案内"),
    "order_tracking": ("tracking an order", "注文の追跡"),
    "return_request": ("a return", "返品"),
    "shipping": ("shipping", "配送"),
    "promotions": ("sales and promotions", "セール・キャンペーン"),
    "escalation": ("talking to a person", "スタッフへの相談"),
}


def lang(language: str) -> str:
    return "ja" if language == "ja" else "en"


def render(key: str, language: str, **values: str) -> str:
    code = lang(language)
    return TEXT[key][code].format(capabilities=CAPABILITIES[code], **values)


def chitchat_kind(text: str) -> str:
    lowered = text.casefold()
    for kind, pattern in (
        ("who", _WHO),
        ("thanks", _THANKS),
        ("bye", _BYE),
        ("greeting", _GREETING),
    ):
        if pattern.search(lowered):
            return kind
    return "smalltalk"


def clarify(language: str, intents: tuple[str, ...]) -> str:
    code = lang(language)
    names = [INTENT_LABELS.get(i, (i, i))[0 if code == "en" else 1] for i in intents]
    joiner = " or " if code == "en" else "と"
    return render("clarify", language, options=joiner.join(names))
