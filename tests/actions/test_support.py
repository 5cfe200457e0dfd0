"""Handoff, complaints, marketing opt-out, data deletion and the rating (actions/support.py): each
leaves its mark in the state database (a ticket, a consent change, an erasure)."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import insert, select

from shop.privacy import events as tracker_events
from tests.actions.conftest import Chat


def test_a_handoff_opens_a_ticket_with_the_conversation(shop: Any) -> None:
    chat = Chat("jane_en")
    reply = chat.user("I'd like to talk to a person about my laptop", "human_handoff").run("action_human_handoff")
    ticket_id = reply.slots["ticket_id"]
    ticket = shop.state.ticket(ticket_id)
    assert ticket.kind == "handoff" and ticket.customer_id == "C00001" and ticket.sender_id == chat.sender
    assert "talk to a person about my laptop" in ticket.summary
    assert f"ticket {ticket_id}" in reply.text and "Monday to Saturday" in reply.text
    assert "reply by email to the address on your account" in reply.text  # a known customer: by email
    assert "ConversationPaused" not in str(reply.events) and reply.kinds == ["slot"]


def test_a_guests_handoff_asks_how_to_reach_them(shop: Any) -> None:
    reply = Chat("guest_en").user("human please", "human_handoff").run("action_human_handoff")
    assert shop.state.ticket(reply.slots["ticket_id"]).customer_id is None
    assert "support@kestrel-electronics.example" in reply.text


def test_a_handoff_on_a_live_channel_pauses_the_assistant_for_the_agent(shop: Any) -> None:
    chat = Chat("guest_en", channel="chatwoot")
    reply = chat.user("can I speak to someone?", "human_handoff").run("action_human_handoff")
    ticket_id = reply.slots["ticket_id"]
    [payload] = [custom["handoff"] for custom in reply.custom]
    assert payload["ticket_id"] == ticket_id and "can I speak to someone?" in payload["transcript"]
    assert reply.kinds == ["slot", "pause"]


def test_a_complaint_is_a_ticket_and_a_person_is_offered(shop: Any) -> None:
    chat = Chat("jane_en")
    reply = chat.user("your delivery driver threw my parcel over the fence", "complaint").run("action_file_complaint")
    ticket = shop.state.ticket(reply.slots["ticket_id"])
    assert ticket.kind == "complaint" and "threw my parcel" in ticket.summary
    assert reply.texts[0].startswith("I'm really sorry about this, Jane.") and ticket.ticket_id in reply.texts[0]
    assert reply.responses == ["utter_offer_human"]


def test_a_complaint_in_chinese() -> None:
    reply = Chat("guest_zh").user("快递员态度太差了", "complaint").run("action_file_complaint")
    assert reply.texts[0].startswith("真的很抱歉给您带来不便。我已将您的投诉登记为工单 KT-")


def test_a_customers_marketing_opt_out_is_recorded_on_the_account(shop: Any) -> None:
    customer = "C00044"
    assert shop.customers.marketing_consent(customer) is True
    chat = Chat("jane_en", customer_id=customer, customer_name="Diego")
    reply = chat.user("stop sending me offers", "marketing_opt_out").run("action_marketing_opt_out")
    assert reply.text.startswith("Done: you won't get marketing messages or offers from us any more.")
    assert reply.slots == {"marketing_opted_out": True, "offer_decision": None}
    assert shop.customers.marketing_consent(customer) is False
    assert shop.marketing.may_contact(customer) is False


def test_a_guests_opt_out_holds_for_the_chat_only() -> None:
    reply = Chat("guest_zh").user("退订", "marketing_opt_out").run("action_marketing_opt_out")
    assert reply.text.startswith("已办好:本次对话中我不会再向您推荐优惠。")
    assert reply.slots["marketing_opted_out"] is True


def test_data_deletion_asks_first_and_erases_nothing_yet(shop: Any) -> None:
    chat = Chat("jane_en")
    reply = chat.user("delete my data", "delete_my_data").run("action_request_data_deletion")
    assert "This can't be undone. Shall I go ahead?" in reply.text
    assert reply.payloads == ["/affirm", "/deny"]
    assert reply.slots == {"erasure_requested": True}
    assert not shop.state.is_erased("C00001") and shop.customers.get("C00001") is not None


def test_a_no_to_the_deletion_question_keeps_everything(shop: Any) -> None:
    reply = Chat("jane_en").user("no", "deny").run("action_confirm_data_deletion")
    assert reply.text == "Okay. Is there anything else I can help you with?" and reply.events == []
    assert not shop.state.is_erased("C00001")


def test_a_confirmed_deletion_erases_the_customers_tickets_and_earlier_conversations(shop: Any) -> None:
    customer = "C00560"
    earlier = shop.state.create_ticket("handoff", "an earlier question", customer_id=customer, sender_id="earlier")
    with shop.privacy.conversations.engine.begin() as db:  # an earlier conversation in Rasa's tracker store
        db.execute(insert(tracker_events).values(sender_id="earlier-chat", type_name="slot", timestamp=1.0,
                                                 data=json.dumps({"event": "slot", "name": "customer_id",
                                                                  "value": customer})))
    chat = Chat("jane_en", customer_id=customer, customer_name="Deepa", email="deepa_mendoza350@example.com")
    chat.user("delete my data", "delete_my_data").run("action_request_data_deletion")
    reply = chat.user("yes", "affirm").run("action_confirm_data_deletion")
    assert "1 earlier conversation" in reply.text and reply.text.startswith("Done: I've erased your account's")
    assert reply.slots == {"erasure_requested": False, "customer_id": None, "customer_name": None, "email": None,
                           "ticket_id": None}
    assert shop.state.ticket(earlier.ticket_id) is None
    assert shop.state.is_erased(customer) and shop.customers.get(customer) is None
    with shop.privacy.conversations.engine.connect() as db:
        assert db.execute(select(tracker_events).where(tracker_events.c.sender_id == "earlier-chat")).all() == []
    assert shop.state.audit_lines(customer)[-1]["action"] == "erase"


def test_a_guests_confirmed_deletion_erases_this_conversations_tickets(shop: Any) -> None:
    chat = Chat("guest_en")
    ticket_id = chat.user("talk to a human", "human_handoff").run("action_human_handoff").slots["ticket_id"]
    chat.user("delete my data", "delete_my_data").run("action_request_data_deletion")
    reply = chat.user("yes", "affirm").run("action_confirm_data_deletion")
    assert "the tickets and feedback of this conversation" in reply.text
    assert shop.state.ticket(ticket_id) is None


def test_the_rating_is_thanked_for_in_its_own_words() -> None:
    up = Chat("guest_en").user('/rate_conversation{"rating": "up"}', "rate_conversation", {"rating": "up"}) \
        .run("action_rate_conversation")
    assert up.text == "Thank you! Glad I could help."
    down = Chat("guest_zh").user("没帮助", "rate_conversation", {"rating": "down"}).run("action_rate_conversation")
    assert down.text.startswith("谢谢您的反馈,很抱歉没能帮好您。")


def test_a_handoff_in_chinese(shop: Any) -> None:
    reply = Chat("jane_zh").user("转人工", "human_handoff").run("action_human_handoff")
    ticket_id = reply.slots["ticket_id"]
    assert reply.text.startswith(f"我已把这段对话转给客服团队,工单号 {ticket_id}。我们的人工客服服务时间为周一至周六")
    assert reply.text.endswith("客服会通过您账户上的邮箱回复您。请保留好工单号。")
    assert shop.state.ticket(ticket_id).customer_id == "C00001"
