"""PII masking, erasure across stores and conversation retention (on SQLite; PostgreSQL in e2e)."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import insert

from shop.pii import MaskingFilter, mask_data, mask_text
from shop.privacy import ConversationStore, Privacy, _tracker_metadata, customer_stores, events
from shop.state import StateStore


@pytest.mark.parametrize(("text", "masked"), [
    ("my email is Anna.Smith@example.com", "my email is [email]"),
    ("call (555) 123-4567 or +1 555 123 4567", "call [phone] or [phone]"),
    ("card 4111 1111 1111 1111 please", "card [card] please"),
    ("I live at 221 Baker Street, Apt 4, Toronto M5V 2T6", "I live at [address], Toronto [address]"),
    ("+44 20 7946 0958", "[phone]"),
    ("ship it to H3Z-2Y7 please", "ship it to [address] please"),
])
def test_personal_data_is_masked(text, masked):
    assert mask_text(text) == masked


@pytest.mark.parametrize("text", [
    "where is my order KE-100002?", "product P00003 under $500", "budget 1000 to 2000",
    "4111 1111 1111 1112 fails the Luhn check", "ticket KT-1A2B3C", "ticket KT-C5C1C4",
    "a laptop around 1200 with 16 GB",
])
def test_shop_text_is_left_alone(text):
    assert mask_text(text) == text


def test_nested_event_data_is_masked_and_keys_kept():
    event = {"event": "user", "text": "me@x.org", "metadata": {"email": "me@x.org"}, "timestamp": 1.5,
             "parse_data": {"entities": [{"entity": "email", "value": "me@x.org"}]}}
    masked = mask_data(event)
    assert "me@x.org" not in json.dumps(masked) and masked["timestamp"] == 1.5 and "email" in masked["metadata"]


def test_log_records_are_masked():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "user said %r", ("mail me at a@b.co",), None)
    MaskingFilter().filter(record)
    assert record.getMessage() == "user said 'mail me at [email]'"


def _conversation(db, sender: str, customer: str | None, when: float) -> None:
    rows = [{"event": "user", "text": "hi", "timestamp": when}]
    if customer:
        rows.append({"event": "slot", "name": "customer_id", "value": customer, "timestamp": when})
    with db.begin() as connection:
        for row in rows:
            connection.execute(insert(events).values(sender_id=sender, type_name=row["event"], timestamp=when,
                                                     data=json.dumps(row)))


@pytest.fixture()
def stores(tmp_path):
    state = StateStore(tmp_path / "state.db")
    conversations = ConversationStore(f"sqlite:///{tmp_path / 'tracker.db'}")
    _tracker_metadata.create_all(conversations.engine)
    yield state, conversations
    conversations.close()
    state.close()


class Marketing:
    """A store plugged in the way the marketing events' store will be."""

    name = "marketing"

    def __init__(self) -> None:
        self.rows = {"C00001": 3, "C00002": 1}

    def erase_customer(self, customer_id: str) -> int:
        return self.rows.pop(customer_id, 0)


def test_erasure_reaches_every_store_and_leaves_an_audit_line(stores):
    state, conversations = stores
    now = datetime.now(UTC).timestamp()
    for sender, customer in (("a", "C00001"), ("b", "C00001"), ("c", "C00002"), ("d", None), ("e", "C000011")):
        _conversation(conversations.engine, sender, customer, now)
    state.create_ticket("handoff", "help", customer_id="C00001", sender_id="a")
    state.create_ticket("handoff", "anonymous", sender_id="b")
    state.add_feedback("C00001", "P00001", "not_interested", "2026-01-01T00:00:00Z")
    marketing = Marketing()
    privacy = Privacy(state, conversations, customer_stores(state, marketing))

    assert conversations.senders_of("C00001") == ["a", "b"]
    report = privacy.erase_customer("C00001", actor="test", keep_sender="b")
    assert report.removed["conversations"] == 2  # conversation a's two events; b is Rasa's to erase
    assert report.removed["marketing"] == 3 and marketing.rows == {"C00002": 1}
    assert report.removed["state"] + report.removed["conversation_state"] == 3  # 2 tickets, 1 feedback row
    assert conversations.senders_of("C00001") == ["b"] and conversations.senders_of("C00002") == ["c"]
    assert state.is_erased("C00001") and not state.is_erased("C00002")
    (line,) = state.audit_lines("C00001")
    assert line["action"] == "erase" and json.loads(line["detail"])["conversations"] == 2


def test_conversations_idle_beyond_the_retention_period_are_deleted(stores):
    state, conversations = stores
    now = datetime.now(UTC)
    _conversation(conversations.engine, "old", None, (now - timedelta(days=100)).timestamp())
    _conversation(conversations.engine, "recent", None, (now - timedelta(days=10)).timestamp())
    privacy = Privacy(state, conversations)
    assert privacy.expire(90, actor="test", now=now) == 1
    assert conversations.idle_since(now + timedelta(days=1)) == ["recent"]
    assert state.audit_lines()[-1]["action"] == "expire"
