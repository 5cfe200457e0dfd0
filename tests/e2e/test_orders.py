"""Order status and cancellation through the running servers, for verified customers (signed in with a
token; guests: tests/e2e/test_identity.py)."""

import requests

from tests.e2e.shopdata import orders, orders_with_status, owner_of
from tests.servers import Chat


def test_status_of_a_shipped_order_names_carrier_and_tracking(stack):
    reply = Chat(stack, customer="C00001").text("where is my order KE-100002?")
    assert "KE-100002" in reply and "shipped" in reply and "tracking number" in reply


def test_unknown_and_malformed_ids_are_explained_and_asked_again(stack):
    chat = Chat(stack, customer="C00001")
    assert "order number" in chat.text("where's my package?").lower()
    unknown = chat.text("KE-999999")
    assert "couldn't find an order KE-999999" in unknown and "order number" in unknown.lower()
    malformed = chat.text("KE-12")
    assert "doesn't look like an order number" in malformed
    delivered = chat.text("ke100003")
    assert "KE-100003" in delivered and "delivered on" in delivered


def test_cancel_a_processing_order_after_confirmation(stack):
    order_id = orders_with_status("processing")[5]
    owner = owner_of(order_id)
    chat = Chat(stack, customer=owner)
    assert "Shall I cancel it?" in chat.text(f"please cancel order {order_id}")
    assert f"order {order_id} is cancelled" in chat.text("yes")
    assert "was cancelled" in Chat(stack, customer=owner).text(f"what's the status of {order_id}")
    assert "already cancelled" in Chat(stack, customer=owner).text(f"cancel {order_id}")


def test_declining_the_confirmation_keeps_the_order(stack):
    order_id = orders_with_status("processing")[6]
    chat = Chat(stack, customer=owner_of(order_id))
    chat.say(f"I want to cancel {order_id}")
    assert "left order" in chat.text("no")
    assert "being processed" in Chat(stack, customer=owner_of(order_id)).text(f"status of order {order_id}")


def test_a_shipped_order_cannot_be_cancelled(stack):
    reply = Chat(stack, customer="C00001").text("cancel my order KE-100002")
    assert "can't be cancelled" in reply and "processing" in reply


def test_an_identified_customer_sees_only_their_orders(stack):
    chat = Chat(stack, customer="C00001")
    reply = chat.text("where is my order?")
    assert "KE-100001" in reply  # offered as a button
    someone_elses = next(o["order_id"] for o in orders() if o["customer_id"] != "C00001")
    assert f"couldn't find an order {someone_elses} on your account" in chat.text(someone_elses)


def test_cancellation_survives_an_action_server_restart(stack):
    order_id = orders_with_status("processing")[7]
    chat = Chat(stack, customer=owner_of(order_id))
    chat.say(f"cancel {order_id}")
    chat.say("yes")
    stack.stop("actions")
    stack.start_actions()
    assert requests.get(f"{stack.actions_url}/health", timeout=5).ok
    assert "was cancelled" in Chat(stack, customer=owner_of(order_id)).text(f"status of {order_id}")
