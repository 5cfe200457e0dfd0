"""Order status and cancellation: forms that ask for an order id, validate it, then act."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.services import services
from actions.text import latest_entity, latest_intent, latest_text, money
from shop.order_ids import ORDER_ID_EXAMPLE, looks_like_order_attempt, parse_order_id
from shop.orders import CancelOutcome, Order

# Intents with which a shopper answers "what's your order number?"; anything else
# is a digression that the rules answer before the form asks again.
_ANSWER_INTENTS = {"inform", "order_status", "cancel_order", "nlu_fallback", "affirm"}


def order_summary(order: Order) -> str:
    catalog = services().catalog
    names = []
    for item in order.items[:3]:
        product = catalog.get(item.product_id)
        name = product.name if product else item.product_id
        names.append(f"{item.quantity} × {name}" if item.quantity > 1 else name)
    if len(order.items) > 3:
        names.append(f"{len(order.items) - 3} more")
    return f"{', '.join(names)}; {money(order.total)}"


def describe_status(order: Order) -> str:
    date = order.order_date[:10]
    head = f"Order {order.order_id} ({order_summary(order)}), placed on {date}"
    if order.status == "processing":
        return (f"{head}, is being processed and hasn't shipped yet. Orders placed before 2 pm ET "
                "ship the same business day. It can still be cancelled if you need to.")
    if order.status == "shipped":
        window = "1–2 business days" if order.shipping_method == "express" else "3–5 business days"
        track = f" Track it: {order.tracking_url}" if order.tracking_url else ""
        return (f"{head}, has shipped with {order.carrier}, tracking number {order.tracking_number}. "
                f"{order.shipping_method.capitalize()} shipping takes {window}.{track}")
    if order.status == "delivered":
        return f"{head}, was delivered on {order.delivered_date[:10]}."
    if order.status == "cancelled":
        return f"{head}, was cancelled."
    return f"{head}, has status: {order.status}."


class ActionAskOrderId(Action):
    """Asks for an order number, offering a known customer their recent orders as buttons."""

    def name(self) -> str:
        return "action_ask_order_id"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        recent = services().orders.for_customer(tracker.get_slot("customer_id"), limit=4)
        if recent:
            dispatcher.utter_message(
                text="Which order is it about? Pick one or type the order number.",
                buttons=[
                    {"title": f"{o.order_id} ({o.order_date[:10]}, {o.status})", "payload": o.order_id}
                    for o in recent
                ],
            )
        else:
            dispatcher.utter_message(
                text=f"What's your order number? It looks like {ORDER_ID_EXAMPLE} and is in your confirmation email."
            )
        return []


class _OrderIdValidation:
    """Order-id extraction and validation shared by the order forms (a mixin: rasa-sdk
    registers every Action subclass, so the shared part must not be one)."""

    async def extract_order_id(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        if tracker.get_slot("requested_slot") != "order_id" or latest_entity(tracker, "order_id"):
            return {}
        text = latest_text(tracker).strip()
        if parse_order_id(text) or looks_like_order_attempt(text) or latest_intent(tracker) in _ANSWER_INTENTS:
            # Keep the raw answer so validation can say what was wrong with it.
            return {"order_id": text[:80] or None}
        return {}

    def validate_order_id(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        order_id = parse_order_id(value if isinstance(value, str) else None)
        if order_id is None:
            shown = str(value or "")[:40]
            dispatcher.utter_message(
                text=f"\"{shown}\" doesn't look like an order number. Ours look like {ORDER_ID_EXAMPLE}."
            )
            return {"order_id": None}
        order = services().orders.get(order_id)
        customer_id = tracker.get_slot("customer_id")
        if order is None or (customer_id and order.customer_id != customer_id):
            where = " on your account" if customer_id else ""
            dispatcher.utter_message(
                text=f"I couldn't find an order {order_id}{where}. Please check the number and try again."
            )
            return {"order_id": None}
        return {"order_id": order.order_id, "order_summary": order_summary(order)}


class ValidateOrderStatusForm(_OrderIdValidation, FormValidationAction):
    def name(self) -> str:
        return "validate_order_status_form"


class ValidateCancelOrderForm(_OrderIdValidation, FormValidationAction):
    def name(self) -> str:
        return "validate_cancel_order_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[str]:
        # Only an order that can still be cancelled needs the shopper's confirmation;
        # for any other the form ends and action_cancel_order explains why.
        order = services().orders.get(parse_order_id(tracker.get_slot("order_id")))
        if order is not None and not order.cancellable:
            return ["order_id"]
        return domain_slots


class ActionOrderStatus(Action):
    def name(self) -> str:
        return "action_order_status"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        order = services().orders.get(tracker.get_slot("order_id"))
        if order is None:  # the form guarantees a valid id; this guards a hand-set slot
            dispatcher.utter_message(text="I couldn't find that order. Please check the number.")
            return [SlotSet("order_id", None)]
        dispatcher.utter_message(text=describe_status(order))
        return []


class ActionCancelOrder(Action):
    def name(self) -> str:
        return "action_cancel_order"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        orders = services().orders
        order_id = tracker.get_slot("order_id")
        order = orders.get(order_id)
        reset = [SlotSet("cancel_confirmed", None)]
        if order is None:
            dispatcher.utter_message(text="I couldn't find that order. Please check the number.")
            return reset + [SlotSet("order_id", None)]
        if not order.cancellable:
            dispatcher.utter_message(text=self._why_not(order))
            return reset
        if tracker.get_slot("cancel_confirmed") is not True:
            dispatcher.utter_message(text=f"Okay, I've left order {order.order_id} as it is.")
            return reset
        outcome, _ = orders.cancel(order.order_id, tracker.get_slot("customer_id"))
        if outcome is CancelOutcome.CANCELLED:
            dispatcher.utter_message(text=f"Done: order {order.order_id} is cancelled.")
        else:
            dispatcher.utter_message(text=self._why_not(orders.get(order.order_id) or order))
        return reset

    @staticmethod
    def _why_not(order: Order) -> str:
        if order.status == "cancelled":
            return f"Order {order.order_id} is already cancelled."
        if order.status == "shipped":
            return (f"Order {order.order_id} has already shipped with {order.carrier} "
                    f"(tracking {order.tracking_number}), so it can't be cancelled: orders can only be "
                    "cancelled while they're processing. Once it arrives you can return it within 30 days "
                    "of delivery, unused and in its original packaging.")
        if order.status == "delivered":
            return (f"Order {order.order_id} was delivered on {order.delivered_date[:10]}, so it can't be "
                    "cancelled, but you can return it within 30 days of delivery if it's unused and in its "
                    "original packaging.")
        return f"Order {order.order_id} is {order.status} and can't be cancelled."


class ActionResetOrderSlots(Action):
    """Clears the previous cancellation's confirmation so every cancellation is confirmed afresh."""

    def name(self) -> str:
        return "action_reset_order_slots"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        return [SlotSet("cancel_confirmed", None)]
