"""Who may see an order, and how its status reads: shared by the order actions (actions/orders.py)
and the ones that reason about an order (actions/order_problems.py)."""

from __future__ import annotations

import re

from rasa_sdk import Tracker

from actions.services import services
from actions.text import latest_text, say
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


# "the one that was delivered", "the shipped order", "已签收的那个": an order named by its status.
# Processing first: "the one that hasn't shipped" must not read as shipped.
_BY_STATUS = (
    ("processing", re.compile(r"\b(processing|not (?:yet )?shipped|hasn'?t (?:been )?shipped|hasn'?t left)\b|"
                              r"还没发货|未发货|处理中", re.IGNORECASE)),
    ("delivered", re.compile(r"\b(delivered|arrived|received)\b|已签收|签收的|送到的|收到的", re.IGNORECASE)),
    ("shipped", re.compile(r"\b(shipped|on (?:its|the) way|in transit)\b|已发货|发货的|在路上", re.IGNORECASE)),
    ("cancelled", re.compile(r"\b(cancel+ed)\b|已取消|取消的", re.IGNORECASE)),
)
_ONE_OF_MINE = re.compile(r"\b(the one|one that|the order|that order|the other|my order|the \w+ one)\b|"
                          r"那个|那单|那笔|哪个|订单", re.IGNORECASE)


def order_by_status(tracker: Tracker) -> Order | None:
    """A verified customer's order named by its status ("and the one that was delivered?"): their
    latest order with that status, or None."""
    customer_id = tracker.get_slot("customer_id")
    text = latest_text(tracker)
    if not customer_id or not _ONE_OF_MINE.search(text) or parse_order_id(text):
        return None  # a guest has no orders to name; a number names its own
    for status, pattern in _BY_STATUS:
        if pattern.search(text):
            return next((o for o in services().orders.for_customer(customer_id, limit=20) if o.status == status),
                        None)
    return None
