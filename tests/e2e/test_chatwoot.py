"""Chatwoot through its Agent Bot webhook on the real Rasa server, with a local fake of Chatwoot's API.

The events are shaped as chatwoot/docs documents them (webhook-events.md, interactive-messages.md); the
fake records what connectors/chatwoot.py sends back: replies, options, cards, the private note with the
transcript, and the status toggle that hands the conversation to the agents.
"""

from __future__ import annotations

import itertools
import time

import requests

from tests.fake_platforms import CHATWOOT_WEBHOOK_TOKEN

ACCOUNT = 3
_ids = itertools.count(int(time.time()) % 100_000 * 100)


def post(stack, event: dict, token: str = CHATWOOT_WEBHOOK_TOKEN) -> requests.Response:
    return requests.post(f"{stack.url}/webhooks/chatwoot/webhook", params={"token": token}, json=event, timeout=30)


def conversation(conversation_id: int, status: str = "pending") -> dict:
    return {"id": conversation_id, "inbox_id": 1, "status": "pending" if status is None else status,
            "channel": "Channel::WebWidget", "can_reply": True,
            "contact_inbox": {"id": 12, "contact_id": 14, "inbox_id": 1, "source_id": "x", "hmac_verified": False},
            "meta": {"sender": {"id": 14, "name": "little-haze-776", "email": None, "type": "contact"}}}


def message(conversation_id: int, content: str, status: str = "pending", message_type: str = "incoming") -> dict:
    return {"event": "message_created", "id": next(_ids), "content": content, "message_type": message_type,
            "content_type": "text", "private": False, "content_attributes": {},
            "sender": {"id": 14, "name": "little-haze-776", "type": "contact"},
            "inbox": {"id": 1, "name": "Kestrel"}, "conversation": conversation(conversation_id, status),
            "account": {"id": ACCOUNT, "name": "Kestrel Electronics"}}


def path_of(conversation_id: int) -> str:
    return f"/accounts/{ACCOUNT}/conversations/{conversation_id}/"


def test_the_webhook_needs_the_token_and_an_event(stack):
    assert post(stack, message(1, "hi"), token="wrong").status_code == 403
    assert post(stack, [1, 2]).status_code == 400  # type: ignore[arg-type]
    assert post(stack, {"event": "message_created"}).status_code == 400


def test_cards_and_options_and_a_chosen_option(stack, platform_apis):
    conv = next(_ids)
    assert post(stack, message(conv, "recommend me a phone under $500")).status_code == 200
    cards = platform_apis.wait_for("chatwoot", "messages", 1, path_part=path_of(conv), content_type="cards")
    item = cards[0].body["content_attributes"]["items"][0]
    assert item["title"] and "$" in item["description"]
    assert [a["text"] for a in item["actions"]] == ["Details", "More like this", "Not interested"]
    assert all(a["type"] == "postback" and a["payload"].startswith("/") for a in item["actions"])
    options = platform_apis.wait_for("chatwoot", "messages", 1, path_part=path_of(conv), content_type="input_select")
    items = options[-1].body["content_attributes"]["items"]
    assert {"title", "value"} <= set(items[0])
    before = len(platform_apis.sent("chatwoot", "messages", path_of(conv)))
    # The shopper picks an option: Chatwoot updates the bot's message with submitted_values.
    chosen = {**message(conv, options[-1].body["content"], message_type="template"), "event": "message_updated",
              "content_type": "input_select",
              "content_attributes": {"items": items, "submitted_values": [items[0]]}}
    assert post(stack, chosen).status_code == 200
    platform_apis.wait_for("chatwoot", "messages", before + 1, path_part=path_of(conv))


def test_handoff_hands_the_conversation_to_an_agent_until_resolved(stack, platform_apis, smtp_sink):
    conv = next(_ids)
    where = path_of(conv)
    post(stack, message(conv, "my email is jane.doe@example.com"))
    platform_apis.wait_for("chatwoot", "messages", 1, path_part=where)
    post(stack, message(conv, "I want to talk to a human agent"))
    note = platform_apis.wait_for("chatwoot", "messages", 1, path_part=where, private=True)[0].body["content"]
    assert "shopper: my email is [email]" in note and "jane.doe@example.com" not in note
    assert "shopper: I want to talk to a human agent" in note
    platform_apis.wait_for("chatwoot", "toggle_status", 1, path_part=where, status="open")
    reply = [c.body["content"] for c in platform_apis.sent("chatwoot", "messages", where, private=False)][-1]
    assert "KT-" in reply and "reply right here in this chat" in reply
    ticket = reply.split("ticket ")[1][:9]
    smtp_sink.wait_for(1, subject=ticket)

    # While the agent has it, the assistant says nothing: neither for the agents' queue ("open")…
    sent = len(platform_apis.sent("chatwoot", "messages", where))
    post(stack, message(conv, "hello? anyone there?", status="open"))
    # …nor for a message Chatwoot still delivers as pending (the conversation is paused in Rasa).
    post(stack, message(conv, "what is your returns policy?"))
    time.sleep(3)
    assert len(platform_apis.sent("chatwoot", "messages", where)) == sent

    resolved = {**conversation(conv, "resolved"), "event": "conversation_status_changed",
                "messages": [{"id": 1, "account_id": ACCOUNT, "conversation_id": conv}]}
    assert post(stack, resolved).status_code == 200
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:  # resuming happens after the webhook has answered
        post(stack, message(conv, "how long is the warranty on a laptop?"))
        try:
            platform_apis.wait_for("chatwoot", "messages", sent + 1, timeout=3, path_part=where)
            break
        except AssertionError:
            continue
    replies = [c.body["content"] for c in platform_apis.sent("chatwoot", "messages", where)][sent:]
    assert any("1-year" in text for text in replies)
