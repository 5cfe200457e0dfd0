"""Personal data masked in stored conversations and logs; erasure from the chat and the admin command;
retention."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import time

from tests.e2e.shopdata import customer_email
from tests.servers import ACTIONS_PY, REPO, Chat


def stored_events(stack, sender: str) -> list[dict]:
    with sqlite3.connect(stack.workdir / "tracker.db") as db:
        rows = db.execute("SELECT data FROM events WHERE sender_id = ? ORDER BY id", (sender,)).fetchall()
    return [json.loads(data) for (data,) in rows]


def admin(stack, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([str(ACTIONS_PY), "-m", "shop.admin", *args], cwd=REPO, env=stack.env(), input=stdin,
                          capture_output=True, text=True, timeout=120)


def test_personal_data_is_masked_in_stored_events_and_logs_but_actions_see_it(stack, mailbox):
    chat = Chat(stack)
    email = customer_email("C00005")
    chat.say(f"my email is {email}")
    assert "linked this chat to your account" in chat.text(mailbox.latest_code(email))  # the action saw it
    chat.say("call me on 416-555-0199, card 4111 1111 1111 1111, I live at 12 King Street West")
    chat.say("my budget is 123-45-6789, card 5555.5555.5555.4444 exp 04/29")  # an SSN, a dotted card
    stored = json.dumps(stored_events(stack, chat.conversation_id))
    for secret in (email, "416-555-0199", "4111 1111 1111 1111", "12 King Street", "123-45-6789",
                   "5555.5555.5555.4444", "04/29"):
        assert secret not in stored
    assert "[email]" in stored and "[card]" in stored and "[phone]" in stored and "[address]" in stored
    assert chat.slot("customer_id") == "C00005"  # the link itself is kept
    for log in ("rasa.log", "actions.log"):
        assert email not in (stack.workdir / log).read_text()


def test_deletion_in_chat_erases_every_conversation_of_the_customer(stack):
    earlier = Chat(stack, customer="C00006")
    earlier.say("how much does express delivery cost?")
    chat = Chat(stack, customer="C00006")
    chat.say("I want to talk to a human agent")
    assert "Shall I go ahead?" in chat.text("delete my personal data")
    assert "Done: I've erased" in chat.text("yes")
    assert stored_events(stack, earlier.conversation_id) == []
    kept = stored_events(stack, chat.conversation_id)
    assert not any(e["event"] == "user" for e in kept)  # only the confirmation after the erasure
    assert chat.slot("customer_id") is None
    again = Chat(stack, customer="C00006")
    again.say("hi")
    assert again.slot("customer_id") is None  # the erased profile is not used any more
    lines = admin(stack, "audit", "C00006").stdout
    assert "erase" in lines and "shopper in chat" in lines


def test_admin_erasure_asks_for_confirmation(stack):
    chat = Chat(stack, customer="C00007")
    chat.say("hi")
    refused = admin(stack, "erase", "C00007", stdin="no\n")
    assert refused.returncode == 1 and "nothing was erased" in refused.stdout
    assert stored_events(stack, chat.conversation_id)
    done = admin(stack, "erase", "C00007", stdin="C00007\n")
    assert done.returncode == 0 and "Erased C00007: 1 conversations" in done.stdout
    assert stored_events(stack, chat.conversation_id) == []


def test_conversations_past_the_retention_period_are_deleted(stack):
    old, recent = Chat(stack), Chat(stack)
    old.say("hi")
    recent.say("hi")
    with sqlite3.connect(stack.workdir / "tracker.db") as db:
        db.execute("UPDATE events SET timestamp = ? WHERE sender_id = ?",
                   (time.time() - 200 * 86400, old.conversation_id))
    done = admin(stack, "expire")
    assert done.returncode == 0 and "idle for more than 90 days" in done.stdout
    assert stored_events(stack, old.conversation_id) == [] and stored_events(stack, recent.conversation_id)


def database_files(stack) -> list:
    return [p for p in stack.workdir.iterdir() if ".db" in p.name]


def test_tickets_are_masked_and_erasure_leaves_nothing_readable_in_any_database_file(stack):
    chat = Chat(stack, customer="C00009")
    chat.say("my neighbour Zebediah Quux paid with card 4111.1111.1111.1111 cvv 737, ssn 123-45-6789, "
             "call 416-555-0142")
    chat.say("I want to talk to a human agent")  # the ticket quotes the recent messages for the agent
    with sqlite3.connect(stack.workdir / "shop_state.db") as db:
        summary = db.execute("SELECT summary FROM tickets WHERE customer_id = 'C00009'").fetchone()[0]
    assert "Zebediah" in summary  # the shopper's words are kept for the agent ...
    for secret in ("4111", "737", "123-45-6789", "416-555-0142"):
        assert secret not in summary  # ... without the card, its code, the SSN or the phone
    assert "Shall I go ahead?" in chat.text("delete my personal data")
    assert "Done: I've erased" in chat.text("yes")
    for path in database_files(stack):
        assert b"Zebediah" not in path.read_bytes(), path.name  # not in free pages, not in a WAL
