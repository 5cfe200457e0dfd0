"""A damaged, defective or wrong item (actions/order_problems.py): a verified customer's delivered order
gets a replacement with a ticket; a guest who only names an order number gets a ticket and is asked
to verify, with no replacement."""

from __future__ import annotations

from typing import Any

from tests.actions.conftest import Chat

JANE_DELIVERED = "KE-100003"  # Sony WH-1000XM5 headphones, delivered 2026-08-20
SONY = "Sony WH-1000XM5 Wireless Headphones - Black"


def tickets_of(shop: Any, chat: Chat) -> list[Any]:
    """The tickets this conversation opened (the state database's rows)."""
    return [view.ticket for view in shop.help_desk.tickets(include_closed=True) if view.ticket.sender_id == chat.sender]


def test_a_verified_customers_damaged_item_starts_a_replacement_with_a_ticket(shop: Any) -> None:
    chat = Chat("jane_en")
    reply = chat.user(f"the headphones from {JANE_DELIVERED} arrived damaged", "item_problem",
                      {"order_id": JANE_DELIVERED}).run("action_item_problem")
    assert reply.text.startswith(f"I'm sorry the {SONY} from order {JANE_DELIVERED} arrived damaged. "
                                 "I've started a replacement (ticket KT-")
    [ticket] = tickets_of(shop, chat)
    assert ticket.kind == "replacement" and ticket.customer_id == "C00001"
    assert ticket.summary.startswith(f"{JANE_DELIVERED}: damaged item")
    assert reply.slots["ticket_id"] == ticket.ticket_id and ticket.ticket_id in reply.text
    assert reply.slots["order_id"] == JANE_DELIVERED
    assert reply.slots["conversation"]["order_id"] == JANE_DELIVERED


def test_a_guest_naming_an_order_number_gets_a_ticket_and_is_asked_to_verify(shop: Any) -> None:
    chat = Chat("guest_en")
    reply = chat.user("my earbuds from KE-428495 are broken", "item_problem", {"order_id": "KE-428495"}) \
        .run("action_item_problem")
    [ticket] = tickets_of(shop, chat)
    assert ticket.customer_id is None and "guest not verified" in ticket.summary
    assert ticket.ticket_id in reply.text and "type the email address on your account" in reply.text
    assert "replacement (ticket" not in reply.text  # no label is sent to an address nobody proved
    assert reply.slots == {"ticket_id": ticket.ticket_id}


def test_a_problem_told_before_the_order_keeps_one_ticket_for_both_turns(shop: Any) -> None:
    chat = Chat("jane_en")
    asked = chat.user("my order arrived broken", "item_problem").run("action_item_problem")
    [ticket] = tickets_of(shop, chat)
    assert ticket.ticket_id in asked.text and "Which order is it?" in asked.text
    assert f'/item_problem{{"order_id": "{JANE_DELIVERED}"}}' in asked.payloads  # delivered orders only
    assert "/item_problem{\"order_id\": \"KE-100002\"}" not in asked.payloads
    assert asked.payloads[-1] == "/human_handoff"

    started = chat.user(f'/item_problem{{"order_id": "{JANE_DELIVERED}"}}', "item_problem",
                        {"order_id": JANE_DELIVERED}).run("action_item_problem")
    assert f"order {JANE_DELIVERED} arrived damaged" in started.text  # "broken", told a turn earlier
    assert started.slots["ticket_id"] == ticket.ticket_id
    assert len(tickets_of(shop, chat)) == 1


def test_an_order_not_yet_delivered_gets_no_replacement(shop: Any) -> None:
    chat = Chat("jane_en")
    reply = chat.user("KE-100002 is damaged", "item_problem", {"order_id": "KE-100002"}).run("action_item_problem")
    assert reply.text.startswith("Order KE-100002 is shipped and hasn't been delivered yet")
    assert tickets_of(shop, chat) == []


def test_a_wrong_item_in_chinese(shop: Any) -> None:
    chat = Chat("jane_zh")
    reply = chat.user(f"订单 {JANE_DELIVERED} 发错货了", "item_problem", {"order_id": JANE_DELIVERED}) \
        .run("action_item_problem")
    name_zh = shop.catalog.get("P00667").display_name("zh")
    assert reply.text.startswith(f"非常抱歉,订单 {JANE_DELIVERED} 里的{name_zh}发错了。")
    [ticket] = tickets_of(shop, chat)
    assert ticket.summary.startswith(f"{JANE_DELIVERED}: wrong item")


def test_a_guest_who_proved_the_order_with_its_email_gets_the_replacement(shop: Any) -> None:
    chat = Chat("guest_en", order_id="KE-428495", email="cheryl_hamilton883@example.org")
    reply = chat.user("the earbuds arrived broken", "item_problem").run("action_item_problem")
    assert reply.text.startswith("I'm sorry the JBL Endurance Peak 3 Wireless Sport Earbuds - Black from order "
                                 "KE-428495 arrived damaged. I've started a replacement")
    [ticket] = tickets_of(shop, chat)
    assert ticket.summary.startswith("KE-428495: damaged item")
    stranger = Chat("guest_en", order_id="KE-428495", email="someone@else.example") \
        .user("the earbuds arrived broken", "item_problem").run("action_item_problem")
    assert "type the email address on your account" in stranger.text
