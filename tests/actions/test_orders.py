"""Order status and cancellation (actions/orders.py): the forms' validation, what a verified customer
and a guest may see, and a cancellation only by the owner and only while processing."""

from __future__ import annotations

from typing import Any

from tests.actions.conftest import Chat

# Jane Doe (C00001, jane.doe@example.com) has one order in every state (data/shop/orders.csv).
JANE_PROCESSING, JANE_SHIPPED, JANE_DELIVERED, JANE_CANCELLED = "KE-100001", "KE-100002", "KE-100003", "KE-100004"
# Other customers' processing orders, each cancelled (or not) by one test only.
OTHERS_PROCESSING = {"KE-107213": "C00360", "KE-909102": "C01949", "KE-577822": "C01339"}


def answering_order_id(fixture: str, text: str, order_id: str | None = None, form: str | None = None) -> Chat:
    """The form (the fixture's, or ``form``) has asked for the order number; the shopper answers."""
    chat = Chat(fixture)
    if form:
        chat.loop(form, "order_id")
    return chat.user(text, "inform", {"order_id": order_id} if order_id else None)


def test_a_verified_customer_is_offered_their_recent_orders() -> None:
    reply = Chat("jane_en").run("action_ask_order_id")
    assert reply.text == "Which order is it about? Pick one or type the order number."
    assert set(reply.payloads) == {JANE_PROCESSING, JANE_SHIPPED, JANE_DELIVERED, JANE_CANCELLED}
    assert f"{JANE_SHIPPED} (2026-11-13, shipped)" in [b["title"] for b in reply.buttons]


def test_a_guest_is_asked_for_the_number_without_any_orders_shown() -> None:
    reply = Chat("guest_en").run("action_ask_order_id")
    assert "What's your order number?" in reply.text and "KE-" in reply.text
    assert reply.buttons == []


def test_the_status_form_takes_a_verified_customers_own_order_with_its_summary() -> None:
    reply = answering_order_id("cancel_form_jane_en", f"it's {JANE_SHIPPED}", JANE_SHIPPED, "order_status_form") \
        .run("validate_order_status_form")
    assert reply.messages == []
    assert reply.slots["order_id"] == JANE_SHIPPED
    assert reply.slots["order_summary"].endswith("$916.98")
    assert "Samsung Galaxy S25 256GB" in reply.slots["order_summary"]


def test_the_status_form_refuses_another_customers_order_to_a_verified_customer() -> None:
    reply = answering_order_id("cancel_form_jane_en", "KE-107213", "KE-107213", "order_status_form") \
        .run("validate_order_status_form")
    assert reply.text == "I couldn't find an order KE-107213 on your account. Please check the number and try again."
    assert reply.slots["order_id"] is None


def test_a_guest_gives_a_number_in_any_shape_and_is_then_asked_for_the_email() -> None:
    reply = answering_order_id("order_form_guest_en", "#100002").run("validate_order_status_form")
    assert reply.slots == {"order_id": JANE_SHIPPED, "requested_slot": "email"}
    assert reply.messages == []  # whether the order exists is not told before the email


def test_an_answer_that_is_no_order_number_is_said_to_be_one() -> None:
    reply = answering_order_id("order_form_guest_en", "my blue one").run("validate_order_status_form")
    assert reply.text.startswith('"my blue one" doesn\'t look like an order number.')
    assert reply.slots["order_id"] is None


def test_a_verified_customer_sees_the_shipped_orders_carrier_tracking_and_total() -> None:
    reply = Chat("jane_en", order_id=JANE_SHIPPED).user("where is it?", "order_status").run("action_order_status")
    text = reply.text
    assert "UPS" in text and "1Z4K7E9R0312345678" in text and "$916.98" in text and "2026-11-13" in text
    assert "Standard shipping takes 3–5 business days" in text
    assert reply.events == []


def test_a_guest_with_the_orders_email_sees_only_its_status() -> None:
    chat = Chat("order_form_guest_en", order_id=JANE_SHIPPED, email="jane.doe@example.com")
    reply = chat.user("jane.doe@example.com", "inform").run("action_order_status")
    assert reply.text.startswith(f"Order {JANE_SHIPPED} is shipped.")
    for private in ("1Z4K7E9R0312345678", "UPS", "$916.98", "Galaxy"):
        assert private not in reply.text


def test_a_guest_with_another_email_learns_nothing_not_even_whether_the_order_exists() -> None:
    wrong_email = Chat("order_form_guest_en", order_id=JANE_SHIPPED, email="someone@else.example") \
        .user("someone@else.example", "inform").run("action_order_status")
    no_order = Chat("order_form_guest_en", order_id="KE-999998", email="jane.doe@example.com") \
        .user("jane.doe@example.com", "inform").run("action_order_status")
    assert wrong_email.text == no_order.text.replace("KE-999998", JANE_SHIPPED)
    assert "couldn't find an order" in wrong_email.text
    assert wrong_email.slots == {"order_id": None, "email": None}


def test_a_late_processing_order_is_said_to_be_late_with_a_person_offered() -> None:
    reply = Chat("jane_en", order_id=JANE_PROCESSING).user("status of my order?", "order_status") \
        .run("action_order_status")
    assert "is still being processed after" in reply.text and "$1,799.98" in reply.text
    assert reply.payloads == ["/human_handoff"]


def test_the_order_status_in_chinese() -> None:
    reply = Chat("jane_zh", order_id=JANE_SHIPPED).user("我的订单到哪了?", "order_status").run("action_order_status")
    assert "已由 UPS 发货" in reply.text and "1Z4K7E9R0312345678" in reply.text and "标准配送" in reply.text
    assert "约 ¥" in reply.text  # a Chinese price shows the yuan beside the dollars
    guest = Chat("guest_zh", order_id=JANE_DELIVERED, email="jane.doe@example.com") \
        .user("jane.doe@example.com", "inform").run("action_order_status")
    assert guest.text.startswith(f"订单 {JANE_DELIVERED} 的状态:已送达。")


def test_the_cancel_form_ends_at_once_for_a_guest() -> None:
    chat = Chat("order_form_guest_en").loop("cancel_order_form", "order_id")
    reply = chat.user("KE-107213", "inform", {"order_id": "KE-107213"}).run("validate_cancel_order_form")
    assert reply.slots.get("requested_slot", "absent") is None


def test_the_cancel_form_asks_for_confirmation_only_when_the_order_can_be_cancelled() -> None:
    processing = answering_order_id("cancel_form_jane_en", JANE_PROCESSING, JANE_PROCESSING) \
        .run("validate_cancel_order_form")
    # Both of the form's slots are required: Rasa's form asks for the confirmation next.
    assert processing.slots == {"order_id": JANE_PROCESSING, "order_summary": processing.slots["order_summary"]}
    shipped = answering_order_id("cancel_form_jane_en", JANE_SHIPPED, JANE_SHIPPED).run("validate_cancel_order_form")
    assert shipped.slots["order_id"] == JANE_SHIPPED and shipped.slots["requested_slot"] is None


def test_the_owner_cancels_a_processing_order_once_confirmed(shop: Any) -> None:
    order_id, owner = "KE-107213", OTHERS_PROCESSING["KE-107213"]
    chat = Chat("cancel_form_jane_en", customer_id=owner, customer_name="Linh", order_id=order_id)
    reply = chat.user("yes", "affirm", slots={"cancel_confirmed": True}).run("action_cancel_order")
    assert reply.text == f"Done: order {order_id} is cancelled."
    assert reply.slots == {"cancel_confirmed": None}
    assert shop.orders.get(order_id).status == "cancelled"
    again = chat.user("cancel it", "cancel_order", slots={"cancel_confirmed": True}).run("action_cancel_order")
    assert again.text == f"Order {order_id} is already cancelled."


def test_no_one_but_the_owner_can_cancel(shop: Any) -> None:
    order_id = "KE-577822"
    reply = Chat("cancel_form_jane_en", order_id=order_id).user("yes", "affirm", slots={"cancel_confirmed": True}) \
        .run("action_cancel_order")
    assert reply.text == "I couldn't find that order. Please check the number."
    assert reply.slots == {"cancel_confirmed": None, "order_id": None}
    guest = Chat("order_form_guest_en", order_id=order_id, email="samuelturner704@example.com") \
        .user("yes", "affirm", slots={"cancel_confirmed": True}).run("action_cancel_order")
    assert guest.text.startswith("To cancel an order I first need to make sure it's yours")
    assert shop.orders.get(order_id).status == "processing"


def test_a_shipped_order_cannot_be_cancelled_and_says_where_it_is(shop: Any) -> None:
    reply = Chat("cancel_form_jane_en", order_id=JANE_SHIPPED).user("yes", "affirm", slots={"cancel_confirmed": True}) \
        .run("action_cancel_order")
    assert reply.text.startswith(f"Order {JANE_SHIPPED} has already shipped with UPS (tracking 1Z4K7E9R0312345678)")
    assert shop.orders.get(JANE_SHIPPED).status == "shipped"
    delivered = Chat("cancel_form_jane_en", order_id=JANE_DELIVERED) \
        .user("yes", "affirm", slots={"cancel_confirmed": True}).run("action_cancel_order")
    assert "was delivered on 2026-08-20, so it can't be cancelled" in delivered.text


def test_a_denied_confirmation_keeps_the_order(shop: Any) -> None:
    order_id, owner = "KE-909102", OTHERS_PROCESSING["KE-909102"]
    reply = Chat("cancel_form_jane_en", customer_id=owner, order_id=order_id) \
        .user("no", "deny", slots={"cancel_confirmed": False}).run("action_cancel_order")
    assert reply.text == f"Okay, I've left order {order_id} as it is."
    assert shop.orders.get(order_id).status == "processing"


def test_a_cancellation_in_chinese() -> None:
    reply = Chat("jane_zh", order_id=JANE_SHIPPED).user("取消", "cancel_order", slots={"cancel_confirmed": True}) \
        .run("action_cancel_order")
    assert reply.text.startswith(f"订单 {JANE_SHIPPED} 已由 UPS 发货(运单号 1Z4K7E9R0312345678)")


def test_every_cancellation_is_confirmed_afresh() -> None:
    reply = Chat("jane_en", cancel_confirmed=True).run("action_reset_order_slots")
    assert reply.slots == {"cancel_confirmed": None}


def test_order_look_ups_pause_after_ten_in_a_conversation() -> None:
    chat = Chat("order_form_guest_en")
    texts = []
    for number in range(100101, 100112):
        chat.loop("order_status_form", "order_id")
        texts.append(chat.user(f"KE-{number}", "inform", {"order_id": f"KE-{number}"})
                     .run("validate_order_status_form").text)
    assert texts[:10] == [""] * 10  # a guest is told nothing about a number before the email
    assert texts[10].startswith("You've looked up a lot of orders in a short time")


def test_an_order_named_by_its_status_is_the_customers_order_with_that_status() -> None:
    # C00001: KE-100001 processing, KE-100002 shipped, KE-100003 delivered, KE-100004 cancelled.
    for text, order_id in (("and the one that was delivered?", "KE-100003"),
                           ("what about the order that shipped", "KE-100002"),
                           ("那个已签收的订单呢", "KE-100003"),
                           ("and the one that hasn't shipped yet?", "KE-100001")):
        reply = Chat("jane_en").user(text, "shipping_info").run("action_answer_policy")
        assert order_id in reply.text and reply.slots == {"order_id": order_id}, text
    guest = Chat("guest_en").user("and the one that was delivered?", "shipping_info").run("action_answer_policy")
    assert "KE-10000" not in guest.text  # a guest has no orders to name
