"""The built-in responder: grounded, deterministic answers in English or Japanese.

It composes the answer from the route's facts only (products, prices, passages, orders,
eligibility, promotions), so it never states a price or a product id the store did not
supply. It streams in word-sized chunks with optional pacing (zero in tests), which
lets the offline demo behave like a model without any key or network.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator

from mangaassist.chat import templates
from mangaassist.chat.facts import Facts
from mangaassist.domain.store import Order, Product, Series
from mangaassist.guardrails.money import format_amount

STATUS = {
    "processing": ("being prepared", "準備中"),
    "shipped": ("shipped", "発送済み"),
    "in_transit": ("on its way", "配送中"),
    "out_for_delivery": ("out for delivery today", "本日お届け予定（配達中）"),
    "delivered": ("delivered", "お届け済み"),
    "cancelled": ("cancelled", "キャンセル済み"),
    "returned": ("returned", "返品済み"),
}
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)|[。！？]")


def _ja(facts: Facts) -> bool:
    return facts.language == "ja"


def _price(product: Product) -> str:
    shown = format_amount(product.currency, product.price)
    if product.list_price > product.price:
        was = format_amount(product.currency, product.list_price)
        return f"{shown} (list {was})"
    return shown


def _price_ja(product: Product) -> str:
    shown = format_amount(product.currency, product.price)
    if product.list_price > product.price:
        return f"{shown}（定価{format_amount(product.currency, product.list_price)}）"
    return shown


def _first_sentences(text: str, count: int) -> str:
    """The text up to the end of its `count`-th sentence ("$3.99" is not an end)."""
    text = text.strip()
    ends = [m.end() for m in _SENTENCE_END.finditer(text)]
    return text[: ends[count - 1]] if len(ends) >= count else text


class BuiltinResponder:
    name = "builtin"

    def __init__(self, pacing_s: float = 0.0, words_per_chunk: int = 3) -> None:
        self.pacing_s = pacing_s
        self.words_per_chunk = words_per_chunk

    async def stream(self, facts: Facts) -> AsyncIterator[str]:
        async for piece in self.stream_text(compose(facts), facts.language):
            yield piece

    async def stream_text(self, text: str, language: str) -> AsyncIterator[str]:
        """`text` in word-sized chunks (8 characters for Japanese), paced like a model."""
        for index, piece in enumerate(split_for_streaming(text, language, self.words_per_chunk)):
            if self.pacing_s > 0 and index:
                await asyncio.sleep(self.pacing_s)
            yield piece


def split_for_streaming(text: str, language: str, words_per_chunk: int = 3) -> list[str]:
    if language == "ja":
        return re.findall(r".{1,8}", text, re.S)
    words = re.findall(r"\S+\s*|\s+", text)
    return [
        "".join(words[start : start + words_per_chunk])
        for start in range(0, len(words), words_per_chunk)
    ]


def compose(facts: Facts) -> str:
    if facts.note == "store_unavailable":
        return templates.render("store_unavailable", facts.language)
    if facts.note == "sign_in_required":
        return templates.render("sign_in", facts.language)
    if facts.note in ("other_customer", "order_not_found"):
        return templates.render(facts.note, facts.language)
    if facts.intent == "clarify":
        return templates.clarify(facts.language, facts.clarify)
    if facts.intent == "escalation":
        ticket = (facts.note or "").removeprefix("ticket:") or "—"
        return templates.render("escalation", facts.language, ticket=ticket)
    composer = _COMPOSERS.get(facts.intent, _faq)
    return composer(facts)


def _series_by_id(facts: Facts) -> dict[str, Series]:
    return {s.series_id: s for s in facts.series}


def _recommendation(facts: Facts) -> str:
    if not facts.recommendations:
        return (
            "ご希望に合う在庫のある作品が見つかりませんでした。好きなジャンルや、"
            "気に入った作品名を教えていただけますか？"
            if _ja(facts)
            else "I couldn't find an in-stock match for that yet. Could you tell me a genre "
            "you like or a series you enjoyed?"
        )
    series = _series_by_id(facts)
    if _ja(facts):
        lines = ["おすすめはこちらです。"]
        for pick in facts.recommendations:
            title = series[pick.series_id].title_ja if pick.series_id in series else pick.title
            lines.append(f"・『{title}』— {pick.reason_ja}")
        lines.append("気になる作品があれば、詳しくご案内します。")
        return "\n".join(lines)
    lines = ["Here are a few picks for you:"]
    for pick in facts.recommendations:
        lines.append(f"• {pick.title} — {pick.reason}")
    lines.append("Want details on any of these, or something different?")
    return "\n".join(lines)


def _product_question(facts: Facts) -> str:
    if not facts.products and not facts.series:
        return (
            "そのタイトルは当店のカタログで見つかりませんでした。作品名や作者名をもう一度"
            "教えていただけますか？"
            if _ja(facts)
            else "I couldn't find that title in our catalog. Could you check the spelling "
            "or tell me the author?"
        )
    parts: list[str] = []
    for s in facts.series[:1]:
        if _ja(facts):
            status = (
                f"全{s.volumes}巻完結" if s.status == "finished" else f"連載中・既刊{s.volumes}巻"
            )
            parts.append(f"『{s.title_ja}』は{'・'.join(s.authors)}による作品です（{status}）。")
        else:
            status = "finished" if s.status == "finished" else "ongoing"
            parts.append(
                f"{s.title_en} is a {s.demographic} series by {', '.join(s.authors)} "
                f"({status}, {s.volumes} volumes)."
            )
    for product in facts.products[:3]:
        stock_en = "in stock" if product.stock > 0 else "currently out of stock"
        stock_ja = "在庫あり" if product.stock > 0 else "現在在庫切れ"
        if _ja(facts):
            parts.append(f"{product.title_ja}は{_price_ja(product)}で、{stock_ja}です。")
        else:
            parts.append(
                f"{product.title} ({product.asin}) is {_price(product)} and {stock_en}; "
                f"released {product.release_date:%B %-d, %Y}."
            )
    return " ".join(parts)


def _passages(facts: Facts, lead_en: str, lead_ja: str) -> str:
    if not facts.passages:
        return (
            "申し訳ありません、その件についての案内が見つかりませんでした。"
            "スタッフにおつなぎすることもできます。"
            if _ja(facts)
            else "I'm sorry, I couldn't find our guidance on that. I can hand you to a "
            "person if you'd like."
        )
    best = facts.passages[0]
    body = _first_sentences(best.text, 3)
    detail = next(
        (p for p in facts.passages[1:] if p.doc_id == best.doc_id and p.heading != best.heading),
        None,
    )
    if detail is not None and best.heading == best.title:
        body = f"{body}\n{_first_sentences(detail.text, 2)}"
    source = f"（出典：{best.title}）" if _ja(facts) else f"(From: {best.title}.)"
    lead = lead_ja if _ja(facts) else lead_en
    return f"{lead}{body} {source}".strip()


def _faq(facts: Facts) -> str:
    return _passages(facts, "", "")


def _shipping(facts: Facts) -> str:
    text = _passages(facts, "", "")
    if facts.shipping_options:
        if _ja(facts):
            rows = [
                f"・{o.name_ja}：{format_amount(o.currency, o.price)}、"
                f"{_days(o.min_days, o.max_days, True)}"
                for o in facts.shipping_options
            ]
        else:
            rows = [
                f"• {o.name}: {format_amount(o.currency, o.price)}, "
                f"{_days(o.min_days, o.max_days, False)}"
                for o in facts.shipping_options
            ]
        text = f"{text}\n" + "\n".join(rows)
    return text


def _days(low: int, high: int, ja: bool) -> str:
    if ja:
        return f"{low}日" if low == high else f"{low}〜{high}日"
    if low == high:
        return f"{low} day" if low == 1 else f"{low} days"
    return f"{low}-{high} days"


def _order_line(order: Order, ja: bool) -> str:
    status_en, status_ja = STATUS.get(order.status, (order.status, order.status))
    if ja:
        eta = (
            f"、お届け予定日 {order.eta:%Y年%-m月%-d日}"
            if order.eta and order.status != "delivered"
            else ""
        )
        carrier = f"（{order.carrier}）" if order.carrier and _moving(order) else ""
        return (
            f"・{order.order_id}（{order.placed_at:%Y年%-m月%-d日}のご注文）："
            f"{status_ja}{carrier}{eta}"
        )
    eta = f", arriving {order.eta:%B %-d}" if order.eta and order.status != "delivered" else ""
    carrier = f" with {order.carrier}" if order.carrier and _moving(order) else ""
    return f"• {order.order_id} (placed {order.placed_at:%B %-d}): {status_en}{carrier}{eta}"


def _moving(order: Order) -> bool:
    """Shipped and not yet delivered: the carrier is what the shopper wants to know."""
    return order.status in ("shipped", "in_transit", "out_for_delivery")


def _order_tracking(facts: Facts) -> str:
    ja = _ja(facts)
    if facts.tracking is not None:
        t = facts.tracking
        status_en, status_ja = STATUS.get(t.status, (t.status, t.status))
        if ja:
            text = f"ご注文{t.order_id}は{status_ja}です。"
            if t.carrier and t.tracking_number:
                text += f"配送業者は{t.carrier}、追跡番号は{t.tracking_number}です。"
            if t.eta and t.status != "delivered":
                text += f"お届け予定日は{t.eta:%Y年%-m月%-d日}です。"
            return text
        text = f"Your order {t.order_id} is {status_en}."
        if t.carrier and t.tracking_number:
            text += f" It's with {t.carrier}, tracking number {t.tracking_number}."
        if t.eta and t.status != "delivered":
            text += f" Expected delivery: {t.eta:%A, %B %-d}."
        return text
    if not facts.orders:
        return (
            "お客様のアカウントにはまだご注文がありません。"
            if ja
            else "I don't see any orders on your account yet."
        )
    head = "最近のご注文です。" if ja else "Here are your recent orders:"
    return "\n".join([head, *(_order_line(o, ja) for o in facts.orders[:5])])


def _return_request(facts: Facts) -> str:
    ja = _ja(facts)
    if facts.eligibility is None:
        if facts.orders:
            head = (
                "返品したい商品のご注文を教えてください。最近のご注文はこちらです。"
                if ja
                else "Which order is the item from? Here are your recent orders:"
            )
            return "\n".join([head, *(_order_line(o, ja) for o in facts.orders[:5])])
        return _passages(facts, "", "")
    e = facts.eligibility
    v2 = e.eligibility_v2
    if e.eligible:
        deadline_en = f" until {v2.deadline:%B %-d}" if v2.deadline else ""
        deadline_ja = f"{v2.deadline:%Y年%-m月%-d日}まで" if v2.deadline else ""
        if ja:
            why = _RETURN_REASON_JA.get(v2.reason, "")
            return (
                f"ご注文{e.order_id}の商品は{deadline_ja}返品できます。{why}"
                "ご注文履歴のページから返品手続きを開始してください。"
            )
        return (
            f"Good news: the item from order {e.order_id} can be returned{deadline_en}. "
            f"{v2.message} Start the return from your order page."
        )
    if ja:
        why = _RETURN_REASON_JA.get(v2.reason, "")
        return f"申し訳ありません。ご注文{e.order_id}の商品は返品の対象外です。{why}"
    return f"I'm sorry, the item from order {e.order_id} can't be returned. {v2.message}"


# The store's eligibility message is English; a Japanese answer explains the reason itself.
_RETURN_REASON_JA = {
    "within_window": "未開封の商品はお届けから15日以内であれば全額返金いたします。",
    "window_expired": (
        "返品の受付期間（未開封はお届けから15日、破損・不良・誤配送は30日）を過ぎています。"
    ),
    "opened": "開封済みの商品は、破損・不良・誤配送の場合を除き返品できません。",
    "damaged_exception": (
        "破損・不良品のため、開封済みでもお届けから30日以内は返品・返金の対象です。"
    ),
    "wrong_item_exception": "誤配送のため、お届けから30日以内は返品・返金の対象です。",
    "not_delivered": "まだお届け前のため、返品ではなくキャンセルのご相談をお受けします。",
    "digital_item": "デジタル版の商品は返品の対象外です。",
    "already_returned": "この商品はすでに返品済みです。",
    "item_not_in_order": "ご指定の商品はこのご注文に含まれていません。",
}


def _promotions(facts: Facts) -> str:
    ja = _ja(facts)
    if not facts.promotions:
        return (
            "現在開催中のキャンペーンはありません。"
            if ja
            else "There are no promotions running right now."
        )
    if ja:
        rows = [
            f"・{p.title_ja}：{p.description_ja}（{p.ends:%-m月%-d日}まで）"
            for p in facts.promotions
        ]
        return "\n".join(["開催中のキャンペーンです。", *rows])
    rows = [f"• {p.title}: {p.description} (until {p.ends:%B %-d})" for p in facts.promotions]
    return "\n".join(["Here's what's on right now:", *rows])


def _chitchat(facts: Facts) -> str:
    return templates.render(templates.chitchat_kind(facts.user_text), facts.language)


def _out_of_scope(facts: Facts) -> str:
    return templates.render("out_of_scope", facts.language)


_COMPOSERS = {
    "recommendation": _recommendation,
    "product_question": _product_question,
    "faq": _faq,
    "shipping": _shipping,
    "order_tracking": _order_tracking,
    "return_request": _return_request,
    "promotions": _promotions,
    "chitchat": _chitchat,
    "out_of_scope": _out_of_scope,
}
