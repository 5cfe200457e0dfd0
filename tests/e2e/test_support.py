"""Small talk, policies, support, privacy and robustness through the running servers."""

import re
import sqlite3

import pytest

from tests.e2e.shopdata import customer_email
from tests.servers import Chat

TICKET = re.compile(r"\bKT-[0-9A-F]{6}\b")


def test_greeting_introduces_the_assistant(stack):
    reply = Chat(stack).text("hi there")
    assert "Kestrel Electronics" in reply and "Recommend a product" in reply


def test_bot_challenge(stack):
    assert "not a human" in Chat(stack).text("am I talking to a real person?")


@pytest.mark.parametrize(
    ("question", "fact"),
    [
        ("how much does express delivery cost?", "$14.99"),
        ("can I pay with paypal?", "PayPal"),
        ("how long is the warranty on a laptop?", "1-year"),
        ("how many days do I have to send something back?", "30 days"),
        ("do you ship to Canada?", "Canada"),
    ],
)
def test_policy_questions_get_the_shops_facts(stack, question, fact):
    assert fact in Chat(stack).text(question)


def test_out_of_scope_is_declined_politely(stack):
    reply = Chat(stack).text("what's the weather like in Paris tomorrow?")
    assert "outside what I can help with" in reply


def test_handoff_gives_a_ticket_and_support_hours_and_emails_the_help_desk(stack, smtp_sink):
    chat = Chat(stack, customer="C00001")
    reply = chat.text("I want to talk to a human agent")
    ticket = TICKET.search(reply).group(0)
    assert "Monday to Saturday, 8 am–8 pm ET" in reply and "reply by email to the address on your account" in reply
    [mail] = smtp_sink.wait_for(1, subject=ticket)
    assert mail["To"] == "support@kestrel-electronics.example" and "customer C00001" in mail.get_content()
    assert "shopper: I want to talk to a human agent" in mail.get_content()


def test_a_guest_handoff_in_chinese_says_how_to_be_reached(stack):
    reply = Chat(stack).text("我想找人工客服")
    assert TICKET.search(reply) and "工单号" in reply and "support@kestrel-electronics.example" in reply


def test_complaint_apologises_files_a_ticket_and_offers_a_human(stack):
    chat = Chat(stack)
    # A clear complaint is filed at once; an unsure one is asked about first (tests/e2e/test_side_effects.py).
    reply = chat.text("I want to make a complaint, your service has been terrible")
    assert "sorry" in reply.lower() and TICKET.search(reply) and "human agent" in reply
    assert TICKET.search(chat.text("yes please")) is not None


def test_a_mailed_code_links_the_customer_and_opt_out_is_stored(stack, mailbox):
    chat = Chat(stack)
    email = customer_email("C00001")
    before = len(mailbox.to(email))
    assert "sent a six-digit code" in chat.text(f"my email is {email}")
    assert chat.slot("customer_id") is None  # an email alone proves nothing
    assert "linked this chat to your account" in chat.text(mailbox.latest_code(email, before + 1))
    assert chat.slot("customer_id") == "C00001"
    assert "won't get marketing messages" in chat.text("stop sending me promotional emails")
    with sqlite3.connect(stack.workdir / "shop_state.db") as db:
        consent = db.execute(
            "SELECT marketing_consent FROM customer_settings WHERE customer_id = 'C00001'"
        ).fetchone()
    assert consent == (0,)


def test_data_deletion_needs_confirmation(stack):
    chat = Chat(stack, customer="C00002")
    assert "Shall I go ahead?" in chat.text("please delete all my personal data")
    assert "Done: I've erased" in chat.text("yes")
    with sqlite3.connect(stack.workdir / "shop_state.db") as db:
        assert db.execute("SELECT 1 FROM erased_customers WHERE customer_id = 'C00002'").fetchone()
        actions = [a for (a,) in db.execute("SELECT action FROM audit_log WHERE subject = 'C00002' ORDER BY id")]
    assert actions == ["identity.linked", "erase"]  # signed in with a token, then the erasure


@pytest.mark.parametrize(
    "message",
    ["", "   ", "x" * 10_000, "🙂🙂🙂", "'; DROP TABLE events; --", "\x00\x07 control", "KE-" + "9" * 50],
)
def test_bad_input_gets_a_reply_and_the_server_stays_up(stack, message):
    chat = Chat(stack)
    replies = chat.say(message)
    assert isinstance(replies, list) and len(replies) <= 3  # one answer, not a fallback loop
    assert chat.say("hello")  # still answering afterwards
