"""The shop page's chat widget in a real headless Chromium, over Rasa's socket.io channel.

Screenshots go to var/screenshots/ (``SCREENSHOT_DIR`` overrides).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect, sync_playwright

from tests.browser import open_browser
from tests.e2e.shopdata import products_by_name
from tests.servers import REPO

SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR") or REPO / "var" / "screenshots")
CARD_BUTTONS = ["Details", "More like this", "Not interested"]


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[BrowserContext]:
    with sync_playwright() as playwright:
        context = open_browser(playwright, tmp_path / "profile")
        try:
            yield context
        finally:
            context.close()


def open_chat(page: Page, url: str) -> None:
    page.goto(url)
    if page.locator(".kc-panel").is_hidden():
        page.click("#kc-launcher")
    expect(page.locator(".kc-root.kc-ready")).to_be_visible(timeout=30_000)


def say(page: Page, text: str) -> None:
    page.fill(".kc-input", text)
    page.press(".kc-input", "Enter")


def price(text: str) -> float:
    return float(text.replace("$", "").replace(",", ""))


def screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def cards(page: Page) -> list[dict[str, str]]:
    return page.eval_on_selector_all(".kc-card", """nodes => nodes.map(n => ({
        name: n.querySelector('.kc-card-name').textContent, price: n.querySelector('.kc-card-price').textContent,
        rating: n.querySelector('.kc-card-rating').textContent, reason: n.querySelector('.kc-card-reason').textContent,
        buttons: [...n.querySelectorAll('.kc-card-button')].map(b => b.textContent)}))""")


def wait_for_turn(page: Page, follow_ups_before: int) -> None:
    """A recommendation turn ends with its follow-up question and its quick replies."""
    expect(page.locator(".kc-quick-replies")).to_have_count(follow_ups_before + 1, timeout=30_000)


def test_cards_quick_replies_and_history_across_a_reload(stack, browser):
    page = browser.new_page()
    open_chat(page, stack.page_url)
    say(page, "recommend me a phone under $500")
    wait_for_turn(page, 0)
    first = cards(page)
    assert len(first) == 3
    for card in first:
        row = products_by_name()[card["name"]]
        assert row["category"] == "phones" and price(card["price"]) == float(row["price"]) <= 500
        assert re.fullmatch(r"★ \d\.\d · [\d,]+ reviews", card["rating"])
        assert card["reason"].endswith(".") and len(card["reason"]) > 5
        assert card["buttons"] == CARD_BUTTONS
    screenshot(page, "webchat-cards")

    page.locator(".kc-quick-reply", has_text="Show me more").click()
    wait_for_turn(page, 1)
    more = cards(page)[3:]
    assert more and not {c["name"] for c in first} & {c["name"] for c in more}
    assert all(products_by_name()[c["name"]]["category"] == "phones" and price(c["price"]) <= 500 for c in more)
    expect(page.locator(".kc-user .kc-bubble").last).to_have_text("Show me more")
    expect(page.locator(".kc-quick-reply.kc-chosen")).to_have_text("Show me more")
    messages_before = page.locator(".kc-message").count()

    page.reload()
    expect(page.locator(".kc-root.kc-ready")).to_be_visible(timeout=30_000)
    expect(page.locator(".kc-message")).to_have_count(messages_before)
    assert cards(page) == first + more
    expect(page.locator(".kc-user .kc-bubble").first).to_have_text("recommend me a phone under $500")
    expect(page.locator(".kc-quick-reply.kc-chosen")).to_have_text("Show me more")
    screenshot(page, "webchat-after-reload")

    # The server kept the conversation too: "more" leaves out everything it showed before the reload.
    page.locator(".kc-quick-replies").last.locator(".kc-quick-reply", has_text="Show me more").click()
    wait_for_turn(page, 2)
    after_reload = cards(page)[len(first + more):]
    assert after_reload and not {c["name"] for c in first + more} & {c["name"] for c in after_reload}


def test_card_buttons_answer_about_their_product(stack, browser):
    page = browser.new_page()
    open_chat(page, stack.page_url)
    say(page, "recommend me headphones under $300")
    expect(page.locator(".kc-card")).to_have_count(3, timeout=30_000)
    name = cards(page)[0]["name"]
    page.locator(".kc-card").first.locator(".kc-card-button", has_text="Details").click()
    reply = page.locator(".kc-bot .kc-bubble", has_text="Specs:")
    expect(reply).to_contain_text(name, timeout=30_000)


def test_the_signed_in_customer_is_passed_as_a_signed_token_and_links_render(stack, browser):
    page = browser.new_page()
    open_chat(page, stack.page_url)
    # The page reloads as Jane Doe: a new conversation, with the token the page server signed for her.
    page.select_option("#account", "C00001")
    expect(page.locator(".kc-root.kc-ready")).to_be_visible(timeout=30_000)
    say(page, "where is my order?")
    # A known customer is offered their own recent orders.
    expect(page.locator(".kc-quick-reply", has_text="KE-100002")).to_be_visible(timeout=30_000)
    page.locator(".kc-quick-reply", has_text="KE-100002").click()
    link = page.locator(".kc-bot .kc-link").last
    expect(link).to_have_attribute("href", "https://www.ups.com/track?tracknum=1Z4K7E9R0312345678", timeout=30_000)
    assert link.get_attribute("target") == "_blank"
    screenshot(page, "webchat-signed-in")


def test_the_page_needs_nothing_from_outside(stack, browser):
    page = browser.new_page()
    outside = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith("http://127.0.0.1") else None)
    open_chat(page, stack.page_url)
    assert not outside, outside
