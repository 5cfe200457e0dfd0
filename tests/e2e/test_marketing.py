"""Personal offers through the real servers: consent, the weekly cap, coupons, restarts.

The action server is restarted for this module with a settings file whose experiment sends every
customer to the biggest-discount strategy, so which offer is made is known in advance; the
consent and cap checks are the same code whatever the strategy.
"""

from __future__ import annotations

import re
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from tests.servers import ACTIONS_PY, REPO, Chat, Stack

CODE = re.compile(r"\bKES-[A-Z0-9]{4}-[A-Z0-9]{4}\b")
OFFERED = "I can offer you"
NO_CODES = "I don't have any coupon codes to give out right now"


def _settings_file(tmp: Path) -> Path:
    """shop.yml with absolute paths, every customer on the biggest discount and two offers a week."""
    raw = yaml.safe_load((REPO / "shop.yml").read_text())
    raw["data"] = {key: str(REPO / value) for key, value in raw["data"].items()}
    raw["recommender"]["artifact_dir"] = str(REPO / raw["recommender"]["artifact_dir"])
    raw["generator"]["artifact_dir"] = str(REPO / raw["generator"]["artifact_dir"])
    raw["marketing"]["offers"] = str(REPO / raw["marketing"]["offers"])
    raw["marketing"]["max_offers_per_week"] = 2
    raw["marketing"]["experiment"]["arms"] = [{"name": "biggest", "strategy": "biggest_discount", "share": 1.0}]
    path = tmp / "shop.yml"
    path.write_text(yaml.safe_dump(raw))
    return path


@pytest.fixture(scope="module")
def shop(stack: Stack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    defaults = dict(stack.extra_env)
    stack.extra_env = defaults | {"SHOP_CONFIG": str(_settings_file(tmp_path_factory.mktemp("marketing")))}
    stack.stop("actions")
    stack.start_actions()
    try:
        yield stack
    finally:
        stack.extra_env = defaults
        stack.stop("actions")
        stack.start_actions()


def _db(stack: Stack, query: str, *args: str) -> list[tuple]:
    with sqlite3.connect(stack.workdir / "marketing.db") as db:
        return db.execute(query, args).fetchall()


def _redeem(stack: Stack, code: str, order: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(ACTIONS_PY), "-m", "shop.marketing", "redeem", code, "--order", order, "--amount", "450"],
        cwd=REPO, env=stack.env(), capture_output=True, text=True, timeout=120)


def test_an_offer_is_made_accepted_and_its_code_comes_from_the_store(shop):
    chat = Chat(shop, customer="C00011")
    reply = chat.text("any deals right now?")
    assert OFFERED in reply and "20% off orders over $300" in reply and "Yes, I'll take it" in reply
    code = CODE.search(chat.text("yes, I'll take it")).group(0)
    assert _db(shop, "SELECT customer_id, offer_id FROM marketing_coupons WHERE code = ?", code) == [
        ("C00011", "pct20_over300")]
    kinds = [k for (k,) in _db(shop, "SELECT kind FROM marketing_events WHERE customer_id = 'C00011' ORDER BY id")]
    assert kinds == ["decision", "shown", "accepted"]


def test_the_weekly_cap_holds_at_every_decision_point(shop):
    chat = Chat(shop, customer="C00016")
    assert OFFERED in chat.text("do you have any discounts?")
    assert "dropped that offer" in chat.text("no thanks")
    assert OFFERED in chat.text("that's too expensive")      # the second offer this week
    assert OFFERED not in chat.text("any promo codes?")
    assert OFFERED not in chat.text("that's way too pricey")
    goodbye = chat.text("bye")                                # items in the cart, but the cap is reached
    assert OFFERED not in goodbye and "Have a great day" in goodbye
    assert _db(shop, "SELECT count(*) FROM marketing_events WHERE customer_id = 'C00016' AND kind = 'shown'") == [
        (2,)]


def test_no_offers_without_consent_or_to_anonymous_shoppers(shop):
    no_consent = Chat(shop, customer="C00004")
    assert NO_CODES in no_consent.text("any deals right now?")
    instead = no_consent.text("that's too expensive")
    # Ways to pay less instead, with the price-match promise exactly as the knowledge base words it.
    assert OFFERED not in instead and "we'll match the lower price" in " ".join(instead.split())
    assert OFFERED not in no_consent.text("bye")
    anonymous = Chat(shop)
    assert NO_CODES in anonymous.text("do you have a coupon code")
    assert CODE.search(anonymous.text("give me the coupon")) is None
    assert _db(shop, "SELECT count(*) FROM marketing_events WHERE customer_id IN ('C00004')") == [(0,)]


def test_opt_out_is_honoured_at_once_and_opting_back_in_works(shop):
    chat = Chat(shop, customer="C00012")
    assert "won't get marketing messages" in chat.text("stop sending me offers")
    assert NO_CODES in chat.text("any deals right now?")
    assert CODE.search(chat.text("give me the coupon")) is None
    assert "opted in to marketing again" in chat.text("opt me back in")
    assert OFFERED in chat.text("any deals right now?")


def test_an_offer_shown_before_opting_out_cannot_be_taken_after(shop):
    chat = Chat(shop, customer="C00017")
    assert OFFERED in chat.text("any deals right now?")
    chat.text("unsubscribe me")
    assert CODE.search(chat.text("give me the coupon")) is None
    assert _db(shop, "SELECT count(*) FROM marketing_coupons WHERE customer_id = 'C00017'") == [(0,)]


def test_leaving_with_items_in_the_cart_gets_an_offer(shop):
    reply = Chat(shop, customer="C00013").text("that's all, goodbye")
    assert "Before you go: your cart still has" in reply and OFFERED in reply
    plain = Chat(shop, customer="C00022").text("that's all, goodbye")  # empty cart
    assert OFFERED not in plain and "Have a great day" in plain


def test_events_and_caps_survive_an_action_server_restart_and_codes_work_once(shop):
    chat = Chat(shop, customer="C00015")
    assert OFFERED in chat.text("any deals right now?")
    code = CODE.search(chat.text("yes, I'll take it")).group(0)
    before = _db(shop, "SELECT event_id, kind FROM marketing_events ORDER BY id")
    shop.stop("actions")
    shop.start_actions()
    assert _db(shop, "SELECT event_id, kind FROM marketing_events ORDER BY id") == before
    # The cap counts what was shown before the restart: one more offer, then none.
    assert OFFERED in chat.text("that's too expensive")
    assert OFFERED not in chat.text("any promo codes?")
    first = _redeem(shop, code, "KE-990001")
    assert first.returncode == 0 and "redeemed" in first.stdout, first.stderr
    second = _redeem(shop, code, "KE-990002")
    assert second.returncode == 1 and "already been used" in second.stderr
    kinds = [k for (k,) in _db(shop, "SELECT kind FROM marketing_events WHERE coupon_code = ? ORDER BY id", code)]
    assert kinds == ["accepted", "redeemed"]
