"""Personal offers in the conversation: making one, taking or declining it, opting back in.

The offer and its code always come from shop.marketing (the catalogue and the store); the text
here only words them. Consent and the weekly cap are checked inside ``MarketingEngine.decide``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.services import services
from actions.text import money
from shop.catalog import normalize_category
from shop.marketing import Decision, OfferError

OFFER_BUTTONS = [
    {"title": "Yes, I'll take it", "payload": "/accept_offer"},
    {"title": "No, thanks", "payload": "/deny"},
]


def chat_opted_out(tracker: Tracker) -> bool:
    return bool(tracker.get_slot("marketing_opted_out"))


def asked_categories(tracker: Tracker) -> list[str]:
    category = normalize_category(tracker.get_slot("category"))
    return [category] if category else []


def offer_text(decision: Decision, lead: str = "") -> str:
    offer = decision.offer
    assert offer is not None
    conditions = offer.conditions()
    fine_print = f" ({conditions})" if conditions else ""
    return (f"{lead}I can offer you {offer.title}{fine_print}. Would you like it? "
            "I'll give you a personal coupon code for your next order.")


def make_offer(dispatcher: CollectingDispatcher, tracker: Tracker, point: str, *,
               categories: Sequence[str] = (), cart_value: float = 0.0, lead: str = "") -> Decision | None:
    """Asks the engine for an offer at this point and, if there is one, shows it with Yes/No buttons."""
    decision = services().marketing.decide(
        tracker.get_slot("customer_id"), point, sender_id=tracker.sender_id, categories=categories,
        cart_value=cart_value, chat_opted_out=chat_opted_out(tracker))
    if decision is None or decision.offer is None:
        return None
    show_offer(dispatcher, decision, lead)
    return decision


def show_offer(dispatcher: CollectingDispatcher, decision: Decision, lead: str = "") -> None:
    dispatcher.utter_message(text=offer_text(decision, lead), buttons=OFFER_BUTTONS)


def offer_events(decision: Decision | None) -> list[EventType]:
    return [SlotSet("offer_decision", decision.decision_id)] if decision and decision.offer else []


class ActionAcceptOffer(Action):
    def name(self) -> str:
        return "action_accept_offer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        try:
            coupon = services().marketing.accept(tracker.get_slot("offer_decision"), tracker.get_slot("customer_id"),
                                                 chat_opted_out=chat_opted_out(tracker))
        except OfferError as exc:
            dispatcher.utter_message(text=f"{exc} Is there anything else I can help you with?")
            return [SlotSet("offer_decision", None)]
        offer = services().marketing.offers.get(coupon.offer_id)
        title = offer.title if offer else "your offer"
        dispatcher.utter_message(
            text=f"Great! Your personal code is {coupon.code}: {title}. Enter it at checkout; it works "
            f"once and is valid until {coupon.expires_at:%B %-d, %Y}."
        )
        return [SlotSet("offer_decision", None)]


class ActionDeclineOffer(Action):
    def name(self) -> str:
        return "action_decline_offer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        declined = services().marketing.decline(tracker.get_slot("offer_decision"), tracker.get_slot("customer_id"))
        lead = "No problem, I've dropped that offer." if declined else "Okay."
        dispatcher.utter_message(text=f"{lead} Is there anything else I can help you with?")
        return [SlotSet("offer_decision", None)]


class ActionPriceObjection(Action):
    """"Too expensive": a personal offer if one may be made, otherwise ways to pay less."""

    def name(self) -> str:
        return "action_price_objection"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        decision = make_offer(dispatcher, tracker, "price_objection", categories=asked_categories(tracker),
                              lead="I understand, it's a lot of money. ")
        if decision is None:
            buttons = [{"title": "Cheaper ones", "payload": "show me cheaper ones"}] \
                if tracker.get_slot("shown_products") else []
            dispatcher.utter_message(
                text="I understand. I can look for something cheaper: tell me a lower budget or say "
                "\"cheaper ones\". We also match a lower price from a major retailer.",
                buttons=buttons,
            )
        return offer_events(decision)


class ActionGoodbye(Action):
    """Says goodbye; a customer leaving items in their cart may first get an offer."""

    def name(self) -> str:
        return "action_goodbye"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        svc = services()
        customer_id = tracker.get_slot("customer_id")
        products = [p for p in map(svc.catalog.get, svc.marketing.history.open_cart(customer_id)) if p is not None]
        decision = None
        if products:
            names = ", ".join(p.name for p in products[:3]) + (" and more" if len(products) > 3 else "")
            value = sum(p.price for p in products)
            decision = make_offer(
                dispatcher, tracker, "leaving", categories=sorted({p.category for p in products}), cart_value=value,
                lead=f"Before you go: your cart still has {names} ({money(value)}). ")
        if decision is None:
            dispatcher.utter_message(response="utter_goodbye")
        return offer_events(decision)


class ActionMarketingOptIn(Action):
    def name(self) -> str:
        return "action_marketing_opt_in"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        customer_id = tracker.get_slot("customer_id")
        if not customer_id:
            dispatcher.utter_message(
                text="I can turn marketing back on for your account: tell me the email on your account "
                "first, then ask me again."
            )
            return [SlotSet("marketing_opted_out", None)]
        services().customers.set_marketing_consent(customer_id, True)
        dispatcher.utter_message(
            text="Done: you're opted in to marketing again, so I may show you personal offers now and then. "
            "You can opt out any time by saying \"unsubscribe\"."
        )
        return [SlotSet("marketing_opted_out", None)]
