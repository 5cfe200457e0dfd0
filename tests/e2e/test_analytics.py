"""Conversation analytics end to end: the Rasa server's event broker, the thumbs at the end of a
conversation in both languages, erasure reaching the analytics copy, and the owner's report page."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import uuid

import requests

from tests.servers import ACTIONS_PY, REPO, Chat

UP, DOWN = '/rate_conversation{"rating": "up"}', '/rate_conversation{"rating": "down"}'


def analytics_rows(stack, sender: str) -> list[dict]:
    with sqlite3.connect(stack.workdir / "events.db") as db:
        return [json.loads(data) for (data,) in db.execute("SELECT data FROM events WHERE sender_id = ?", (sender,))]


def test_goodbye_asks_for_a_rating_in_the_shoppers_language(stack):
    chat = Chat(stack, sender=f"415555{uuid.uuid4().int % 10000:04d}")  # an id that looks like a phone number
    email = "jane.roe@example.com"  # no account: no offer comes before the rating
    chat.say(f"my email is {email}")
    goodbye = chat.say("bye")
    ask = next(reply for reply in goodbye if reply.get("buttons"))
    assert ask["text"] == "Before you go: did I help you today?"
    assert [b["payload"] for b in ask["buttons"]] == [UP, DOWN]
    assert "Glad I could help" in chat.text(UP)
    assert "did I help" not in chat.text("goodbye")  # asked once per conversation

    zh = Chat(stack)
    reply = zh.say("再见")
    assert any("今天我帮到您了吗" in (r.get("text") or "") for r in reply)
    assert "很抱歉没能帮好您" in zh.text(DOWN)

    rows = analytics_rows(stack, chat.conversation_id)
    assert any(r.get("event") == "user" and r.get("text") == UP for r in rows)
    assert email not in json.dumps(rows) and "[email]" in json.dumps(rows)


def test_erasure_reaches_the_analytics_copy(stack):
    chat = Chat(stack)
    chat.say("hello, my phone is 415-555-0199")
    assert analytics_rows(stack, chat.conversation_id)
    assert "Shall I go ahead?" in chat.text("please delete all my personal data")
    chat.say("yes")
    remaining = analytics_rows(stack, chat.conversation_id)
    assert not any(r.get("event") == "user" and "hello" in (r.get("text") or "") for r in remaining)


def test_the_report_and_the_owners_page(stack):
    Chat(stack).say("I want to talk to a human agent")
    rated = Chat(stack)
    rated.say("bye")
    rated.say(UP)
    env = stack.env()
    result = subprocess.run([str(ACTIONS_PY), "-m", "shop.analytics", "--json", "--days", "2"], cwd=REPO, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    figures = json.loads(result.stdout)
    assert figures["conversations"] >= 3 and figures["handoffs"] >= 1 and figures["csat_up"] >= 1
    page = f"{stack.page_url}/owner/report"
    assert requests.get(page, timeout=30).status_code == 403
    answer = requests.get(page, params={"token": stack.owner_token}, timeout=120)
    assert answer.status_code == 200 and "Containment" in answer.text and "data:image/png;base64," in answer.text
    log = (stack.workdir / "page.log").read_text()
    assert stack.owner_token not in log and "token=[masked]" in log
