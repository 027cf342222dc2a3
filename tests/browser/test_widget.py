"""The web widget in Debian's Chromium (headless), against a real chat service process."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from mangaassist.testing.chat_server import chat_server

pytestmark = pytest.mark.browser
CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).parent / "artifacts"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass(frozen=True)
class Server:
    url: str
    state: Path

    def counters(self) -> dict[str, int]:
        token = (self.state / "admin.token").read_text(encoding="utf-8").strip()
        reply = httpx.get(
            f"{self.url}/v1/admin/status", headers={"Authorization": f"Bearer {token}"}
        )
        reply.raise_for_status()
        counters: dict[str, int] = reply.json()["counters"]
        return counters


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    state = tmp_path_factory.mktemp("browser-state")
    with chat_server(state, {"MANGAASSIST_CHAT__PACING_S": "0.005"}) as running:
        yield Server(running.url, running.state)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if shutil.which(CHROMIUM) is None:
        raise AssertionError(f"{CHROMIUM} is missing: install Debian's chromium (see .ci/run)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


def open_widget(browser: Browser, server: Server, **options: Any) -> Page:
    context = browser.new_context(**options)
    page = context.new_page()
    page.goto(server.url)
    page.wait_for_function("() => window.mangaAssist && window.mangaAssist.state.sessionId")
    return page


@pytest.fixture(scope="module")
def page(browser: Browser, server: Server) -> Iterator[Page]:
    page = open_widget(browser, server, locale="en-US", viewport={"width": 1200, "height": 900})
    yield page
    page.context.close()


def ask(page: Page, text: str) -> None:
    before = page.locator(".msg.bot[data-complete]").count()
    page.fill("#input", text)
    page.press("#input", "Enter")
    page.wait_for_function(
        f"() => document.querySelectorAll('.msg.bot[data-complete]').length > {before}",
        timeout=30_000,
    )


def round_trip(page: Page) -> None:
    pongs = page.evaluate("() => window.mangaAssist.state.pongs")
    page.evaluate("() => window.mangaAssist.send({type: 'ping'})")
    page.wait_for_function(f"() => window.mangaAssist.state.pongs > {pongs}")


def last_answer(page: Page) -> str:
    return page.locator(".msg.bot[data-complete]").last.inner_text()


def test_a_real_conversation(page: Page, server: Server) -> None:
    ask(page, "Hi!")
    assert "MangaAssist Books" in last_answer(page)
    ask(page, "something dark like Berserk")
    cards = page.locator(".cards").last.locator(".card")
    assert cards.count() >= 3
    assert re.fullmatch(r"\$\d+\.\d\d", cards.first.locator(".price").inner_text())
    assert cards.first.locator(".stock").inner_text() in ("In stock", "Out of stock")
    assert page.locator(".msg.bot[data-complete]").last.locator("li").count() >= 3
    ask(page, "返品ポリシーを教えて")
    assert "返品" in last_answer(page)
    before = server.counters().get("feedback_up", 0)
    page.locator(".feedback").last.locator("button").first.click()
    assert page.locator('.feedback button[aria-pressed="true"]').count() == 1
    round_trip(page)  # the server reads frames in order: the pong follows the feedback
    assert server.counters().get("feedback_up", 0) == before + 1
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "conversation.png"))
    page.click("#lang")
    ask(page, "ベルセルクみたいな作品ある？")
    assert re.search(r"[ぁ-んァ-ン]", last_answer(page))
    page.locator(".cards").last.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "conversation-ja.png"))
    page.click("#lang")


def test_enter_during_ime_composition_does_not_send(page: Page) -> None:
    before = page.locator(".msg.user").count()
    page.fill("#input", "へんぴん")
    page.evaluate(
        """() => document.getElementById("input").dispatchEvent(new KeyboardEvent(
            "keydown", {key: "Enter", isComposing: true, bubbles: true, cancelable: true}))"""
    )
    assert page.locator(".msg.user").count() == before
    assert page.input_value("#input") == "へんぴん"
    page.fill("#input", "")


def test_reconnects_and_resumes_the_session(page: Page) -> None:
    session = page.evaluate("() => window.mangaAssist.state.sessionId")
    connections = page.evaluate("() => window.mangaAssist.state.connections")
    page.evaluate("() => window.mangaAssist.state.socket.close()")
    page.wait_for_function(
        f"() => window.mangaAssist.state.connections > {connections}", timeout=30_000
    )
    assert page.get_attribute("#chat", "data-resumed") == "true"
    ask(page, "any sales right now?")
    assert page.evaluate("() => window.mangaAssist.state.sessionId") == session
    assert last_answer(page)


def test_an_answer_survives_a_socket_dropped_mid_stream(page: Page) -> None:
    connections = page.evaluate("() => window.mangaAssist.state.connections")
    sent: list[dict[str, Any]] = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda data: sent.append(json.loads(data))))
    # Registered after the widget's own listener: the widget sees the first chunk, then
    # the socket goes away while the rest of the answer is still streaming.
    page.evaluate(
        """() => {
            const socket = window.mangaAssist.state.socket;
            socket.addEventListener("message", (event) => {
                if (JSON.parse(event.data).type === "chunk") socket.close();
            });
        }"""
    )
    ask(page, "recommend a sports manga")
    page.wait_for_function(f"() => window.mangaAssist.state.connections > {connections}")
    # After reconnecting, the widget asked for the rest: a resend of the cut answer, or (if
    # it was cut before any frame arrived or reported interrupted) the same message again.
    assert any(f["type"] in ("resend", "message") for f in sent), sent
    messages = [f["message_id"] for f in sent if f["type"] == "message"]
    assert len(set(messages)) <= 1
    assert page.get_attribute("#chat", "data-resumed") == "true"
    assert last_answer(page).strip()
    assert page.locator(".msg.bot.typing").count() == 0


def test_language_toggle_switches_the_interface(page: Page) -> None:
    page.click("#lang")
    assert page.locator("#send").inner_text() == "送信"
    page.click("#lang")
    assert page.locator("#send").inner_text() == "Send"


SYNTHETIC = [
    {"type": "chunk", "text": "<img src=x onerror=alert(1)>Line one\n"},
    {"type": "chunk", "text": "・first\n・second"},
    {"type": "correction", "text": "Corrected answer.\n• kept point", "reason": "price"},
    {
        "type": "products",
        "products": [
            {
                "asin": "B1", "title": "Yen Book", "price": "748", "list_price": "880",
                "currency": "JPY", "in_stock": False, "url": "#", "reason": "why",
                "rating": 4.2, "rating_count": None,
            },
            {
                "asin": "B2", "title": "Dollar Book", "price": "12.99", "list_price": "12.99",
                "currency": "USD", "in_stock": True, "url": "#", "reason": None,
                "rating": None, "rating_count": None,
            },
        ],
    },
    {
        "type": "actions",
        "actions": [{"kind": "handoff", "label": "Talk to a person", "ticket_id": "T-42"}],
    },
    {"type": "complete", "metadata": {}},
]  # fmt: skip


def test_frames_render_safely(browser: Browser, server: Server) -> None:
    """Frames the demo rarely sends, fed to the widget's frame handler directly."""
    page = open_widget(browser, server, locale="en-US")
    page.evaluate(
        """(frames) => {
            const m = window.mangaAssist;
            m.state.pending = {messageId: "m1", text: "t", bubble: m.bubble("bot typing", "")};
            frames.forEach((f, seq) => m.onFrame({...f, response_id: "r_test", seq}));
            m.onFrame({...frames[0], response_id: "r_test", seq: 0});  // a duplicate
            m.onFrame({type: "banner", response_id: "b1", seq: 0, level: "degraded",
                       text: "Recommendations are slower than usual."});
            m.onFrame({type: "error", response_id: "e1", seq: 0, code: "rate_limited",
                       message: "too many messages", retry_after: 2.5});
        }""",
        SYNTHETIC,
    )
    answer = page.locator(".msg.bot[data-complete]").last
    assert answer.locator("p").all_inner_texts() == ["Corrected answer."]
    assert answer.locator("li").all_inner_texts() == ["kept point"]  # the correction replaced
    assert page.locator(".msg.bot .card").count() == 0
    assert page.locator("img").count() == 0
    assert page.locator(".card .price").all_inner_texts() == ["¥748", "$12.99"]
    assert page.locator(".card .list").all_inner_texts() == ["¥880"]
    assert page.locator(".card .stock").all_inner_texts() == ["Out of stock", "In stock"]
    assert page.locator(".card .rating").all_inner_texts() == ["★★★★☆ 4.2"]
    assert "T-42" in page.locator(".actions").inner_text()
    assert page.locator("#banner-text").inner_text() == "Recommendations are slower than usual."
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "frames.png"))
    page.click("#banner-close")
    assert page.locator("#banner").is_hidden()
    assert page.locator(".msg.error").last.inner_text() == (
        "You are sending messages quickly. Please wait 3 s and try again."
    )
    page.context.close()


def test_phone_width_in_japanese(browser: Browser, server: Server) -> None:
    page = open_widget(browser, server, locale="ja-JP", viewport={"width": 390, "height": 844})
    assert page.locator("#send").inner_text() == "送信"
    ask(page, "ワンピースの最新刊はいくら？")
    box = page.locator("#chat").bounding_box()
    assert box is not None
    assert box["width"] <= 390
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "phone-ja.png"))
    page.click("#fold")
    assert page.locator("#input").is_hidden()
    assert page.get_attribute("#fold", "aria-expanded") == "false"
    page.screenshot(path=str(ARTIFACTS / "phone-folded.png"))
    page.click("#fold")
    assert page.locator("#input").is_visible()
    page.context.close()
