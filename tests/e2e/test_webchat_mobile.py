"""The shop page and its chat on a phone and on a desktop, keyboard use, the widget's own language,
the unread badge, and an accessibility check with axe-core (web/vendor/axe.min.js, vendored from npm).

Screenshots go to var/screenshots/ (``SCREENSHOT_DIR`` overrides) as artifacts.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_webchat import browser, open_chat, say, screenshot  # noqa: F401 - browser is a fixture
from tests.servers import REPO

AXE = REPO / "web" / "vendor" / "axe.min.js"
VIEWPORTS = [(360, 640), (390, 844), (1280, 900)]


def inside_viewport(page: Page, selector: str) -> bool:
    box = page.locator(selector).bounding_box()
    size = page.viewport_size
    return bool(box) and box["x"] >= 0 and box["y"] >= 0 and box["x"] + box["width"] <= size["width"] + 0.5 \
        and box["y"] + box["height"] <= size["height"] + 0.5


def axe_violations(page: Page) -> list[dict]:
    # Loaded from the page server itself: the CSP allows same-origin scripts, not inline ones.
    page.add_script_tag(url="/vendor/axe.min.js")
    return page.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']})).violations
        .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}))""")


@pytest.mark.parametrize(("width", "height"), VIEWPORTS)
def test_the_page_and_the_chat_fit_the_screen(stack, browser, width, height):  # noqa: F811
    page = browser.new_page()
    page.set_viewport_size({"width": width, "height": height})
    page.goto(stack.page_url)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert inside_viewport(page, "#kc-launcher")
    expect(page.locator("#kc-launcher")).to_have_attribute("aria-expanded", "false")
    assert axe_violations(page) == []
    screenshot(page, f"page-{width}x{height}")

    open_chat(page, stack.page_url)
    say(page, "what's your return policy?")
    expect(page.locator(".kc-bot .kc-bubble")).to_have_count(1, timeout=30_000)
    for part in (".kc-panel", ".kc-send", ".kc-close", ".kc-input"):
        assert inside_viewport(page, part), part
    if width < 600:
        panel = page.locator(".kc-panel").bounding_box()
        assert panel["width"] == width and panel["height"] == height  # the whole screen
        assert page.evaluate("parseFloat(getComputedStyle(document.querySelector('.kc-input')).fontSize)") >= 16
    assert axe_violations(page) == []
    screenshot(page, f"chat-{width}x{height}")

    page.keyboard.press("Escape")
    expect(page.locator(".kc-panel")).to_be_hidden()
    expect(page.locator("#kc-launcher")).to_be_focused()
    expect(page.locator("#kc-launcher")).to_have_attribute("aria-expanded", "false")


def test_labels_follow_the_conversation_language_and_unread_replies_are_counted(stack, browser):  # noqa: F811
    page = browser.new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    open_chat(page, stack.page_url)
    expect(page.locator(".kc-send")).to_have_text("Send")
    say(page, "你好,退货政策是什么?")
    expect(page.locator(".kc-bot .kc-bubble")).to_have_count(1, timeout=30_000)
    expect(page.locator(".kc-send")).to_have_text("发送")
    expect(page.locator(".kc-input")).to_have_attribute("placeholder", "请输入消息…")
    expect(page.locator(".kc-close")).to_have_attribute("aria-label", "关闭聊天")
    screenshot(page, "chat-zh-390x844")

    # A reply that arrives while the chat is closed shows on the launcher's badge.
    say(page, "运费多少?")
    page.keyboard.press("Escape")
    expect(page.locator(".kc-badge")).to_be_visible(timeout=30_000)
    expect(page.locator(".kc-badge")).to_have_text("1")
    expect(page.locator(".kc-launcher-text")).to_have_text("在线咨询")
    assert "1 条未读消息" in page.locator("#kc-launcher").get_attribute("aria-label")
    page.click("#kc-launcher")
    expect(page.locator(".kc-badge")).to_be_hidden()


def test_a_clicked_card_button_says_what_it_meant(stack, browser):  # noqa: F811
    page = browser.new_page()
    page.set_viewport_size({"width": 360, "height": 640})
    open_chat(page, stack.page_url)
    say(page, "recommend me headphones under $300")
    expect(page.locator(".kc-card")).to_have_count(3, timeout=30_000)
    name = page.locator(".kc-card-name").first.text_content()
    page.locator(".kc-card").first.locator(".kc-card-button", has_text="Details").click()
    expect(page.locator(".kc-user .kc-bubble").last).to_have_text(f"Details: {name}")
    assert axe_violations(page) == []
    screenshot(page, "chat-card-360x640")
