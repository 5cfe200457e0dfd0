"""Order status and cancellation: forms that ask for an order id, validate it, then act."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.order_access import guest_order, order_by_status, status_word
from actions.order_problems import RETURN_RE, late_by, order_advice
from actions.services import services
from actions.text import client_of, language_of, latest_entity, latest_intent, latest_text, money, say
from shop.customers import find_email
from shop.order_ids import ORDER_ID_EXAMPLE, looks_like_order_attempt, parse_order_id
from shop.orders import CancelOutcome, Order

# Intents with which a shopper answers "what's your order number?"; anything else
# is a digression that the rules answer before the form asks again.
_ANSWER_INTENTS = {"inform", "order_status", "cancel_order", "nlu_fallback", "affirm"}


def order_summary(order: Order, language: str = "en") -> str:
    catalog = services().catalog
    names = []
    for item in order.items[:3]:
        product = catalog.get(item.product_id)
        name = product.display_name(language) if product else item.product_id
        names.append(say(language, "order.item_quantity", quantity=item.quantity, name=name)
                     if item.quantity > 1 else name)
    if len(order.items) > 3:
        names.append(say(language, "order.more_items", count=len(order.items) - 3))
    return say(language, "order.summary", items=say(language, "order.list_separator").join(names),
               total=money(order.total, language))


def describe_status(order: Order, language: str = "en") -> str:
    date = order.order_date[:10]
    head = say(language, "order.head", order_id=order.order_id, summary=order_summary(order, language), date=date)
    if order.status == "processing":

        days = late_by(order)
        if days is not None:
            return say(language, "order.processing_late", head=head, days=days)
        return say(language, "order.processing", head=head)
    if order.status == "shipped":
        express = order.shipping_method == "express"
        window = say(language, "order.window_express" if express else "order.window_standard")
        track = say(language, "order.track", url=order.tracking_url) if order.tracking_url else ""
        if language == "en":
            method = order.shipping_method.capitalize()
        else:
            method = say(language, "order.method_express" if express else "order.method_standard")
        return say(language, "order.shipped", head=head, carrier=order.carrier, tracking=order.tracking_number,
                   method=method, window=window, track=track)
    if order.status == "delivered":
        return say(language, "order.delivered", head=head, date=order.delivered_date[:10])
    if order.status == "cancelled":
        return say(language, "order.cancelled", head=head)
    return say(language, "order.other_status", head=head, status=status_word(order.status, language))


class ActionAskOrderId(Action):
    """Asks for an order number, offering a known customer their recent orders as buttons."""

    def name(self) -> str:
        return "action_ask_order_id"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        language = language_of(tracker)
        recent = services().orders.for_customer(tracker.get_slot("customer_id"), limit=4)
        if recent:
            dispatcher.utter_message(
                text=say(language, "order.which"),
                buttons=[
                    {"title": say(language, "order.button", order_id=o.order_id, date=o.order_date[:10],
                                  status=status_word(o.status, language)), "payload": o.order_id}
                    for o in recent
                ],
            )
        else:
            dispatcher.utter_message(text=say(language, "order.ask_id", example=ORDER_ID_EXAMPLE))
        return []


class _OrderIdValidation:
    """Order-id extraction and validation shared by the order forms (a mixin: rasa-sdk
    registers every Action subclass, so the shared part must not be one)."""

    async def extract_order_id(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        if latest_entity(tracker, "order_id"):
            return {}
        referred = order_by_status(tracker)  # "the one that was delivered", at any point of the form
        if referred is not None and not tracker.get_slot("order_id"):
            return {"order_id": referred.order_id}
        if tracker.get_slot("requested_slot") != "order_id":
            return {}
        text = latest_text(tracker).strip()
        if parse_order_id(text) or looks_like_order_attempt(text) or latest_intent(tracker) in _ANSWER_INTENTS:
            # Keep the raw answer so validation can say what was wrong with it.
            return {"order_id": text[:80] or None}
        return {}

    def validate_order_id(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        language = language_of(tracker)
        order_id = parse_order_id(value if isinstance(value, str) else None)
        if order_id is None:
            shown = str(value or "")[:40]
            dispatcher.utter_message(text=say(language, "order.bad_id", value=shown, example=ORDER_ID_EXAMPLE))
            return {"order_id": None}
        svc = services()
        if not svc.limits.allow_lookup(tracker.sender_id, client_of(tracker)):
            dispatcher.utter_message(text=say(language, "order.lookup_limit"))
            return {"order_id": None}
        customer_id = tracker.get_slot("customer_id")
        if not customer_id:
            # A guest: whether the order exists is told only with the email it was placed with
            # (ActionOrderStatus), so guessing numbers reveals nothing.
            return {"order_id": order_id}
        order = svc.orders.get(order_id)
        if order is None or order.customer_id != customer_id:
            where = say(language, "order.on_your_account")
            dispatcher.utter_message(text=say(language, "order.not_found_id", order_id=order_id, where=where))
            return {"order_id": None}
        return {"order_id": order.order_id, "order_summary": order_summary(order, language)}


class ValidateOrderStatusForm(_OrderIdValidation, FormValidationAction):
    def name(self) -> str:
        return "validate_order_status_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[str]:
        # A guest shows an order with its number and the email it was placed with (the usual
        # order-status page of a shop); a verified customer needs only the number.
        return domain_slots if tracker.get_slot("customer_id") else [*domain_slots, "email"]

    def validate_email(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        return {"email": find_email(value if isinstance(value, str) else None)}


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
        if not tracker.get_slot("customer_id"):
            return []  # a guest cannot cancel: the form ends and action_cancel_order says how to verify
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
        language = language_of(tracker)
        customer_id = tracker.get_slot("customer_id")
        if not customer_id:
            order = guest_order(tracker)
            if order is None:  # unknown number or another email: the same answer, nothing to learn
                dispatcher.utter_message(text=say(language, "order.not_found_for_email",
                                                  order_id=parse_order_id(tracker.get_slot("order_id")) or ""))
                return [SlotSet("order_id", None), SlotSet("email", None)]
            dispatcher.utter_message(text=say(language, "order.guest_status", order_id=order.order_id,
                                              status=status_word(order.status, language)))
            return []
        order = services().orders.get(tracker.get_slot("order_id"))
        if order is None or order.customer_id != customer_id:  # the form checked; this guards a hand-set slot
            dispatcher.utter_message(text=say(language, "order.not_found"))
            return [SlotSet("order_id", None)]

        if RETURN_RE.search(latest_text(tracker)):
            # "我的订单还能退货吗" read as a status question: the return window of this order answers it.
            advice = order_advice(tracker, "return_item")
            if advice is not None:
                dispatcher.utter_message(text=advice)
                return []

        # A late order gets the offer of a person to chase it, as a button.
        buttons = [{"title": say(language, "grounded.button_human"), "payload": "/human_handoff"}] \
            if late_by(order) is not None else []
        dispatcher.utter_message(text=describe_status(order, language), buttons=buttons)
        return []


class ActionCancelOrder(Action):
    def name(self) -> str:
        return "action_cancel_order"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        language = language_of(tracker)
        orders = services().orders
        order_id = tracker.get_slot("order_id")
        reset = [SlotSet("cancel_confirmed", None)]
        customer_id = tracker.get_slot("customer_id")
        if not customer_id:
            dispatcher.utter_message(text=say(language, "order.cancel_needs_verification"))
            return reset
        order = orders.get(order_id)
        if order is None or order.customer_id != customer_id:
            dispatcher.utter_message(text=say(language, "order.not_found"))
            return reset + [SlotSet("order_id", None)]
        if not order.cancellable:
            dispatcher.utter_message(text=self._why_not(order, language))
            return reset
        if tracker.get_slot("cancel_confirmed") is not True:
            dispatcher.utter_message(text=say(language, "order.kept", order_id=order.order_id))
            return reset
        outcome, _ = orders.cancel(order.order_id, customer_id)
        if outcome is CancelOutcome.CANCELLED:
            dispatcher.utter_message(text=say(language, "order.cancel_done", order_id=order.order_id))
        else:
            dispatcher.utter_message(text=self._why_not(orders.get(order.order_id) or order, language))
        return reset

    @staticmethod
    def _why_not(order: Order, language: str = "en") -> str:
        if order.status == "cancelled":
            return say(language, "order.already_cancelled", order_id=order.order_id)
        if order.status == "shipped":
            return say(language, "order.cannot_cancel_shipped", order_id=order.order_id, carrier=order.carrier,
                       tracking=order.tracking_number)
        if order.status == "delivered":
            return say(language, "order.cannot_cancel_delivered", order_id=order.order_id,
                       date=order.delivered_date[:10])
        return say(language, "order.cannot_cancel_other", order_id=order.order_id,
                   status=status_word(order.status, language) if language != "en" else order.status)


class ActionResetOrderSlots(Action):
    """Clears the previous cancellation's confirmation so every cancellation is confirmed afresh."""

    def name(self) -> str:
        return "action_reset_order_slots"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        return [SlotSet("cancel_confirmed", None)]
