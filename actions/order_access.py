"""Who may see an order, and how its status reads: shared by the order actions (actions/orders.py)
and the ones that reason about an order (actions/order_problems.py)."""

from __future__ import annotations

from rasa_sdk import Tracker

from actions.services import services
from actions.text import say
from shop.customers import find_email
from shop.order_ids import parse_order_id
from shop.orders import Order


def status_word(status: str, language: str) -> str:
    """An order status in words ("已发货"); an unknown status as it is."""
    try:
        return say(language, f"order.status.{status}")
    except KeyError:
        return status


def guest_order(tracker: Tracker) -> Order | None:
    """The order a guest named, if the email they gave is the one it was placed with."""
    svc = services()
    order = svc.orders.get(parse_order_id(tracker.get_slot("order_id")))
    email = find_email(tracker.get_slot("email"))
    if order is None or email is None:
        return None
    owner = svc.customers.get(order.customer_id)
    return order if owner is not None and owner.email == email else None
