"""Tickets reach a person: the help desk's email (through a real SMTP server on loopback), the
listing an agent works from, and what the shopper is told comes next."""

from __future__ import annotations

import dataclasses
import socket

import pytest

from shop import admin
from shop.config import SupportSettings, load_settings
from shop.handoff import HelpDesk
from shop.mailer import MailSettings
from shop.state import StateStore
from shop.transcript import MAX_LINES, transcript

EVENTS = [
    {"event": "action", "name": "action_listen"},
    {"event": "user", "text": "hi, my email is anna.lee@example.com", "timestamp": 1764763200.0},
    {"event": "bot", "text": "Hello! How can I help?", "timestamp": 1764763201.0},
    {"event": "user", "text": "call me on 415-555-0132, I want a human", "timestamp": 1764763230.0},
    {"event": "slot", "name": "language", "value": "en"},
]


def desk_with(tmp_path, mail: MailSettings, **support) -> HelpDesk:
    settings = dataclasses.replace(load_settings(), mail=mail, support_email="help@shop.example",
                                   support=SupportSettings(**support))
    return HelpDesk(StateStore(tmp_path / "state.db"), settings)


def smtp(sink) -> MailSettings:
    return MailSettings(host="127.0.0.1", port=sink.port, tls="none", sender="assistant@shop.example")


def test_transcript_masks_personal_data_and_keeps_the_order():
    text = transcript(EVENTS)
    assert text.splitlines() == [
        "12:00 shopper: hi, my email is [email]",
        "12:00 assistant: Hello! How can I help?",
        "12:00 shopper: call me on [phone], I want a human",
    ]


def test_a_long_conversation_keeps_its_end():
    events = [{"event": "user", "text": f"message {i}"} for i in range(MAX_LINES + 5)]
    lines = transcript(events).splitlines()
    assert lines[0] == "[... 5 earlier messages left out]" and lines[-1] == f"shopper: message {MAX_LINES + 4}"
    assert len(lines) == MAX_LINES + 1


def test_a_ticket_is_emailed_to_the_help_desk_with_the_masked_transcript(tmp_path, smtp_sink):
    desk = desk_with(tmp_path, smtp(smtp_sink))
    handoff = desk.open("handoff", "wants a human", transcript(EVENTS), customer_id="C00001",
                        sender_id="conv-1", channel="rest", language="en")
    assert desk.wait_for_mail() == "email"
    [mail] = smtp_sink.wait_for(1, subject=handoff.ticket.ticket_id)
    assert mail["To"] == "help@shop.example" and mail["From"] == "assistant@shop.example"
    body = mail.get_content()
    assert "customer C00001" in body and "conversation id: conv-1" in body
    assert "shopper: call me on [phone], I want a human" in body
    assert "anna.lee@example.com" not in body and "415-555-0132" not in body
    assert (handoff.live, handoff.emailed, handoff.next_step_key) == (False, True, "support.next_email")
    [view] = desk.tickets()
    assert (view.ticket.ticket_id, view.status, view.delivery) == (handoff.ticket.ticket_id, "open", "email")


def test_next_step_depends_on_who_and_where(tmp_path, smtp_sink):
    desk = desk_with(tmp_path, smtp(smtp_sink))
    guest = desk.open("handoff", "x", "", customer_id=None, sender_id="g", channel="socketio", language="zh")
    live = desk.open("handoff", "x", "", customer_id="C00001", sender_id="cw", channel="chatwoot", language="en")
    assert guest.next_step_key == "support.next_guest" and not guest.live
    assert live.next_step_key == "support.next_live" and live.live
    desk.wait_for_mail()
    smtp_sink.wait_for(1, subject=live.ticket.ticket_id)
    deliveries = {v.ticket.ticket_id: v.delivery for v in desk.tickets()}
    assert deliveries[live.ticket.ticket_id] == "live channel, email"


def test_email_can_be_switched_off(tmp_path, smtp_sink):
    desk = desk_with(tmp_path, smtp(smtp_sink), email_tickets=False)
    handoff = desk.open("handoff", "x", "", customer_id="C00001", sender_id="s", channel="rest", language="en")
    assert not handoff.emailed and handoff.next_step_key == "support.next_guest"
    assert desk.wait_for_mail() is None
    assert desk.tickets()[0].delivery == ""


def test_an_unreachable_smtp_server_is_recorded_not_raised(tmp_path):
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    desk = desk_with(tmp_path, MailSettings(host="127.0.0.1", port=port, tls="none"))
    handoff = desk.open("complaint", "broken", "", customer_id=None, sender_id="s", channel="rest", language="en")
    assert desk.wait_for_mail().startswith("failed: could not send mail through 127.0.0.1")
    [view] = desk.tickets()
    assert view.ticket.ticket_id == handoff.ticket.ticket_id and view.status == "open"


def test_without_an_smtp_host_the_ticket_lands_in_the_sink_file(tmp_path):
    sink = tmp_path / "mail.log"
    desk = desk_with(tmp_path, MailSettings(host="", sink=sink))
    handoff = desk.open("handoff", "x", "shopper: hello", customer_id="C00001", sender_id="s", channel="rest",
                        language="en")
    assert desk.wait_for_mail() == "mail sink"
    assert handoff.ticket.ticket_id in sink.read_text() and "shopper: hello" in sink.read_text()


def test_admin_lists_and_closes_tickets(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SHOP_STATE_DB", str(tmp_path / "state.db"))
    monkeypatch.setenv("SHOP_EMAIL_TICKETS", "0")
    monkeypatch.delenv("SHOP_STATE_URL", raising=False)
    desk = HelpDesk(StateStore(tmp_path / "state.db"), load_settings())
    first = desk.open("handoff", "my email is a@b.example", "", customer_id="C00001", sender_id="s1",
                      channel="rest", language="en").ticket
    # A ticket written before ticket progress existed: open, never sent.
    old = desk.state.create_ticket("complaint", "old one", sender_id="s2")
    assert admin.main(["tickets"]) == 0
    out = capsys.readouterr().out
    assert first.ticket_id in out and old.ticket_id in out and "[email]" in out and "a@b.example" not in out
    assert admin.main(["tickets", "--close", first.ticket_id.lower()]) == 0
    assert capsys.readouterr().out == f"Closed {first.ticket_id}.\n"
    assert admin.main(["tickets"]) == 0
    out = capsys.readouterr().out
    assert first.ticket_id not in out and old.ticket_id in out
    assert admin.main(["tickets", "--close", "KT-000000"]) == 1
    assert admin.main(["tickets", "--all"]) == 0
    assert "closed" in capsys.readouterr().out


@pytest.mark.parametrize("value", ["0", "off", "false"])
def test_the_environment_turns_ticket_email_off(monkeypatch, value):
    monkeypatch.setenv("SHOP_EMAIL_TICKETS", value)
    assert load_settings().support.email_tickets is False
