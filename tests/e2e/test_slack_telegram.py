"""Slack and Telegram through their webhooks on the real Rasa server, with a local fake of each platform's API.

The tests sign Slack events and attach Telegram's secret token the way the platforms do; the fake APIs
record every reply the connectors (connectors/slack.py, connectors/telegram.py) send back.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid
from typing import Any

import requests

from tests.e2e.shopdata import listed_products
from tests.fake_platforms import SLACK_SECRET, SLACK_TOKEN, TELEGRAM_HOOK, TELEGRAM_SECRET
from tests.servers import Stack

CARD_BUTTONS = ["Details", "More like this", "Not interested"]


# --- Slack -------------------------------------------------------------------------------------------

def slack_headers(body: bytes, timestamp: int | None = None, secret: str = SLACK_SECRET) -> dict[str, str]:
    timestamp = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"v0:{timestamp}:".encode() + body, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": str(timestamp), "X-Slack-Signature": f"v0={digest}"}


def slack_post(stack: Stack, body: bytes, content_type: str, **header_args: Any) -> requests.Response:
    extra = header_args.pop("extra", {})
    headers = {"Content-Type": content_type, **slack_headers(body, **header_args), **extra}
    return requests.post(f"{stack.url}/webhooks/slack/webhook", data=body, headers=headers, timeout=30)


def slack_dm(user: str, channel: str, text: str, event_id: str | None = None) -> bytes:
    return json.dumps({
        "type": "event_callback", "event_id": event_id or f"Ev{uuid.uuid4().hex[:10]}", "team_id": "T1",
        "authorizations": [{"user_id": "UBOT"}],
        "event": {"type": "message", "channel_type": "im", "user": user, "channel": channel, "text": text,
                  "ts": f"{time.time():.6f}"},
    }).encode()


def slack_click(user: str, channel: str, value: str) -> bytes:
    payload = {"type": "block_actions", "user": {"id": user}, "channel": {"id": channel},
               "message": {"ts": f"{time.time():.6f}"},
               "actions": [{"type": "button", "value": value, "action_id": "a1"}]}
    return requests.models.RequestEncodingMixin._encode_params({"payload": json.dumps(payload)}).encode()


def new_ids() -> tuple[str, str]:
    suffix = uuid.uuid4().hex[:8].upper()
    return f"U{suffix}", f"D{suffix}"


def test_slack_url_verification(stack):
    body = json.dumps({"type": "url_verification", "challenge": "abc123"}).encode()
    response = slack_post(stack, body, "application/json")
    assert response.status_code == 200 and response.json() == {"challenge": "abc123"}


def test_slack_cards_come_as_block_kit_buttons_and_clicks_work(stack, platform_apis):
    user, channel = new_ids()
    started = time.monotonic()
    response = slack_post(stack, slack_dm(user, channel, "recommend me a phone under $500"),
                          "application/json")
    acknowledged = time.monotonic()
    assert response.status_code == 200
    # Acknowledged before the reply is even posted, well within Slack's 3 s.
    assert acknowledged - started < 3

    posts = platform_apis.wait_for("slack", "chat.postMessage", 5, channel=channel)
    assert posts[0].at > acknowledged
    assert posts[0].headers.get("Authorization") == f"Bearer {SLACK_TOKEN}"
    cards = [p.body for p in posts if listed_products(p.body.get("text") or "")]
    assert len(cards) == 3
    for card in cards:
        row, price = listed_products(card["text"])[0]
        assert row["category"] == "phones" and price <= 500
        section, actions = card["blocks"]
        assert section["type"] == "section" and row["name"] in section["text"]["text"]
        assert actions["type"] == "actions"
        assert [b["text"]["text"] for b in actions["elements"]] == CARD_BUTTONS
        assert all(b["type"] == "button" for b in actions["elements"])

    first, _ = listed_products(cards[0]["text"])[0]
    more_like_this = cards[0]["blocks"][1]["elements"][1]["value"]
    before = len(platform_apis.sent("slack", "chat.postMessage", channel=channel))
    assert slack_post(stack, slack_click(user, channel, more_like_this),
                      "application/x-www-form-urlencoded").status_code == 200
    replies = platform_apis.wait_for("slack", "chat.postMessage", before + 1, channel=channel)
    assert f"More like the {first['name']}" in replies[before].body["text"]


def test_slack_rejects_wrong_and_old_signatures(stack, platform_apis):
    user, channel = new_ids()
    body = slack_dm(user, channel, "hello")
    wrong = slack_post(stack, body, "application/json", secret="not-the-secret")
    old = slack_post(stack, body, "application/json", timestamp=int(time.time()) - 600)
    unsigned = requests.post(f"{stack.url}/webhooks/slack/webhook", data=body,
                             headers={"Content-Type": "application/json"}, timeout=30)
    assert wrong.status_code == old.status_code == unsigned.status_code == 401
    # A signed message afterwards is answered; the refused ones never were.
    slack_post(stack, slack_dm(user, channel, "what's your return policy?"), "application/json")
    replies = platform_apis.wait_for("slack", "chat.postMessage", 1, channel=channel)
    time.sleep(0.5)
    assert len(platform_apis.sent("slack", "chat.postMessage", channel=channel)) == len(replies) == 1
    assert "return" in replies[0].body["text"].lower()


def test_slack_retries_and_redeliveries_are_not_answered_twice(stack, platform_apis):
    user, channel = new_ids()
    greeting = slack_dm(user, channel, "hello", event_id="EvRetried1")
    assert slack_post(stack, greeting, "application/json").status_code == 200
    retry = slack_post(stack, greeting, "application/json",
                       extra={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"})
    assert retry.status_code == 200 and retry.headers.get("X-Slack-No-Retry") == "1"
    # The same event id without retry headers (a re-delivery) is dropped too.
    assert slack_post(stack, greeting, "application/json").status_code == 200
    slack_post(stack, slack_dm(user, channel, "what's your return policy?"), "application/json")
    posts = platform_apis.wait_for("slack", "chat.postMessage", 2, channel=channel)
    time.sleep(0.5)
    texts = [p.body["text"] for p in platform_apis.sent("slack", "chat.postMessage", channel=channel)]
    assert sum("Kestrel Electronics assistant" in t for t in texts) == 1, texts
    assert len(texts) == len(posts) == 2


def test_slack_ignores_bot_messages_and_bad_bodies(stack, platform_apis):
    user, channel = new_ids()
    event = json.loads(slack_dm(user, channel, "hello"))
    event["event"]["bot_id"] = "B1"
    assert slack_post(stack, json.dumps(event).encode(), "application/json").status_code == 200
    assert slack_post(stack, b"{not json", "application/json").status_code == 400
    time.sleep(0.5)
    assert not platform_apis.sent("slack", "chat.postMessage", channel=channel)


# --- Telegram ----------------------------------------------------------------------------------------

def telegram_post(stack: Stack, update: dict[str, Any], secret: str | None = TELEGRAM_SECRET) -> requests.Response:
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
    return requests.post(f"{stack.url}/webhooks/telegram/webhook", json=update, headers=headers, timeout=30)


_update_ids = iter(range(int(time.time()), 10**12))


def telegram_message(chat_id: int, text: str, update_id: int | None = None) -> dict[str, Any]:
    person = {"id": chat_id, "is_bot": False, "first_name": "Jane"}
    return {"update_id": update_id or next(_update_ids), "message": {
        "message_id": 1, "date": int(time.time()), "chat": {"id": chat_id, "type": "private"}, "from": person,
        "text": text}}


def telegram_click(chat_id: int, data: str) -> dict[str, Any]:
    person = {"id": chat_id, "is_bot": False, "first_name": "Jane"}
    return {"update_id": next(_update_ids), "callback_query": {
        "id": f"cb{uuid.uuid4().hex[:8]}", "from": person, "chat_instance": "1", "data": data,
        "message": {"message_id": 7, "date": int(time.time()), "chat": {"id": chat_id, "type": "private"},
                    "text": "card"}}}


def new_chat() -> int:
    return 10**9 + uuid.uuid4().int % 10**8


def test_telegram_webhook_is_registered_with_the_secret(stack, platform_apis):
    calls = platform_apis.wait_for("telegram", "setWebhook", 1)
    assert calls[0].body == {"url": TELEGRAM_HOOK, "secret_token": TELEGRAM_SECRET}


def test_telegram_refuses_updates_without_the_secret_token(stack, platform_apis):
    chat = new_chat()
    assert telegram_post(stack, telegram_message(chat, "hello"), secret=None).status_code == 403
    assert telegram_post(stack, telegram_message(chat, "hello"), secret="guess").status_code == 403
    time.sleep(0.5)
    assert not platform_apis.sent("telegram", "sendMessage", chat_id=chat)


def test_telegram_cards_come_with_inline_keyboards_and_button_presses_work(stack, platform_apis):
    chat = new_chat()
    assert telegram_post(stack, telegram_message(chat, "recommend me a phone under $500")).status_code == 200
    sent = platform_apis.wait_for("telegram", "sendMessage", 5, chat_id=chat)
    cards = [m.body for m in sent if listed_products(m.body.get("text") or "")]
    assert len(cards) == 3
    for card in cards:
        row, price = listed_products(card["text"])[0]
        assert row["category"] == "phones" and price <= 500
        keyboard = card["reply_markup"]["inline_keyboard"]
        assert [[b["text"] for b in line] for line in keyboard] == [CARD_BUTTONS]
        assert all(len(b["callback_data"].encode()) <= 64 for b in keyboard[0])

    first, _ = listed_products(cards[0]["text"])[0]
    press = telegram_click(chat, cards[0]["reply_markup"]["inline_keyboard"][0][1]["callback_data"])
    before = len(sent)
    assert telegram_post(stack, press).status_code == 200
    replies = platform_apis.wait_for("telegram", "sendMessage", before + 1, chat_id=chat)
    assert f"More like the {first['name']}" in replies[before].body["text"]
    assert platform_apis.wait_for("telegram", "answerCallbackQuery", 1, callback_query_id=press["callback_query"]["id"])


def test_telegram_start_greets_and_redelivered_updates_are_dropped(stack, platform_apis):
    chat = new_chat()
    start = telegram_message(chat, "/start")
    assert telegram_post(stack, start).status_code == 200
    assert telegram_post(stack, start).status_code == 200  # Telegram re-delivers on timeouts
    telegram_post(stack, telegram_message(chat, "what's your return policy?"))
    sent = platform_apis.wait_for("telegram", "sendMessage", 2, chat_id=chat)
    time.sleep(0.5)
    texts = [m.body["text"] for m in platform_apis.sent("telegram", "sendMessage", chat_id=chat)]
    assert sum("Kestrel Electronics assistant" in t for t in texts) == 1, texts
    assert len(texts) == len(sent) == 2
    assert "return" in texts[1].lower()
