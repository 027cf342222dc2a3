"""The web widget in Debian's Chromium (headless), against a real chat service process."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, sync_playwright

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


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    state = tmp_path_factory.mktemp("browser-state")
    env = {
        **os.environ,
        "MANGAASSIST_STATE_DIR": str(state),
        "MANGAASSIST_STORE__DB_PATH": str(state / "store.sqlite3"),
        "MANGAASSIST_CHAT__PACING_S": "0.005",
        "MANGAASSIST_LOG_LEVEL": "warning",
    }
    log = (state / "server.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "mangaassist.cli", "serve", "--port", "0"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
    )
    assert process.stdout is not None
    deadline, url = time.monotonic() + 180, None
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if line.startswith("MangaAssist ready: "):
            url = line.split(": ", 1)[1].strip()
            break
        if not line and process.poll() is not None:
            break
    if url is None:
        process.kill()
        process.wait()
        raise AssertionError((state / "server.log").read_text())
    yield url
    process.terminate()
    process.wait(timeout=30)
    process.stdout.close()
    log.close()


@pytest.fixture(scope="module")
def page(server: str) -> Iterator[Page]:
    if shutil.which(CHROMIUM) is None:
        raise AssertionError(f"{CHROMIUM} is missing: install Debian's chromium (see .ci/run)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(locale="en-US", viewport={"width": 1200, "height": 900})
        page = context.new_page()
        page.goto(server)
        page.wait_for_function("() => window.mangaAssist && window.mangaAssist.state.sessionId")
        yield page
        browser.close()


def ask(page: Page, text: str) -> None:
    before = page.locator(".msg.bot[data-complete]").count()
    page.fill("#input", text)
    page.press("#input", "Enter")
    page.wait_for_function(
        f"() => document.querySelectorAll('.msg.bot[data-complete]').length > {before}",
        timeout=30_000,
    )


def last_answer(page: Page) -> str:
    return page.locator(".msg.bot[data-complete]").last.inner_text()


def test_a_real_conversation(page: Page) -> None:
    ask(page, "Hi!")
    assert "MangaAssist Books" in last_answer(page)
    ask(page, "something dark like Berserk")
    assert page.locator(".card").count() >= 3
    assert "$" in page.locator(".card .price").first.inner_text()
    ask(page, "返品ポリシーを教えて")
    assert "返品" in last_answer(page)
    page.locator(".feedback button").first.click()
    assert page.locator('.feedback button[aria-pressed="true"]').count() == 1
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "conversation.png"))
    page.click("#lang")
    ask(page, "ベルセルクみたいな作品ある？")
    page.screenshot(path=str(ARTIFACTS / "conversation-ja.png"))
    page.click("#lang")


def test_reconnects_and_resumes_the_session(page: Page) -> None:
    session = page.evaluate("() => window.mangaAssist.state.sessionId")
    page.evaluate("() => window.mangaAssist.state.socket.close()")
    page.wait_for_function("() => window.mangaAssist.state.socket.readyState === 1", timeout=30_000)
    ask(page, "any sales right now?")
    assert page.evaluate("() => window.mangaAssist.state.sessionId") == session
    assert last_answer(page)


def test_language_toggle_switches_the_interface(page: Page) -> None:
    page.click("#lang")
    assert page.locator("#send").inner_text() == "送信"
    page.click("#lang")
    assert page.locator("#send").inner_text() == "Send"
