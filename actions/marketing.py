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

from actions.cart import add_to_cart
from actions.conversation import answer_about_products
from actions.services import services
from actions.state import load_state
from actions.support import ask_for_rating
from actions.text import language_of, latest_text, money, say
from shop.catalog import normalize_category
from shop.marketing import Decision, OfferError


def offer_buttons(language: str = "en") -> list[dict[str, str]]:
    return [
        {"title": say(language, "offer.button_yes"), "payload": "/accept_offer"},
        {"title": say(language, "offer.button_no"), "payload": "/deny"},
    ]


def offer_error_text(error: OfferError, language: str) -> str:
    """The engine's reason in the shopper's language (the engine words it in English)."""
    if language != "en":
        for key in ("offer.err.no_open", "offer.err.opted_out", "offer.err.ended"):
            if str(error) == say("en", key):
                return say(language, key)
    return str(error)


def chat_opted_out(tracker: Tracker) -> bool:
    return bool(tracker.get_slot("marketing_opted_out"))


def asked_categories(tracker: Tracker) -> list[str]:
    category = normalize_category(tracker.get_slot("category"))
    return [category] if category else []


def offer_text(decision: Decision, lead: str = "", language: str = "en") -> str:
    offer = decision.offer
    assert offer is not None
    conditions = offer.conditions(language)
    fine_print = say(language, "offer.fine_print", conditions=conditions) if conditions else ""
    return say(language, "offer.text", lead=lead, title=offer.display_title(language), fine_print=fine_print)


def make_offer(dispatcher: CollectingDispatcher, tracker: Tracker, point: str, *,
               categories: Sequence[str] = (), cart_value: float = 0.0, lead: str = "") -> Decision | None:
    """Asks the engine for an offer at this point and, if there is one, shows it with Yes/No buttons."""
    decision = services().marketing.decide(
        tracker.get_slot("customer_id"), point, sender_id=tracker.sender_id, categories=categories,
        cart_value=cart_value, chat_opted_out=chat_opted_out(tracker))
    if decision is None or decision.offer is None:
        return None
    show_offer(dispatcher, decision, lead, language_of(tracker))
    return decision


def show_offer(dispatcher: CollectingDispatcher, decision: Decision, lead: str = "", language: str = "en") -> None:
    dispatcher.utter_message(text=offer_text(decision, lead, language), buttons=offer_buttons(language))


def offer_events(decision: Decision | None) -> list[EventType]:
    return [SlotSet("offer_decision", decision.decision_id)] if decision and decision.offer else []


class ActionAcceptOffer(Action):
    def name(self) -> str:
        return "action_accept_offer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        language = language_of(tracker)
        try:
            coupon = services().marketing.accept(tracker.get_slot("offer_decision"), tracker.get_slot("customer_id"),
                                                 chat_opted_out=chat_opted_out(tracker))
        except OfferError as exc:
            if load_state(tracker).focus:
                # "I'll take it" with no offer open, right after a product: the product is wanted.
                return add_to_cart(dispatcher, tracker) + [SlotSet("offer_decision", None)]
            dispatcher.utter_message(text=say(language, "offer.error", error=offer_error_text(exc, language)))
            return [SlotSet("offer_decision", None)]
        offer = services().marketing.offers.get(coupon.offer_id)
        title = offer.display_title(language) if offer else say(language, "offer.your_offer")
        dispatcher.utter_message(text=say(language, "offer.accepted", code=coupon.code, title=title,
                                          expires=say(language, "offer.expires", date=coupon.expires_at)))
        return [SlotSet("offer_decision", None)]


class ActionDeclineOffer(Action):
    def name(self) -> str:
        return "action_decline_offer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        language = language_of(tracker)
        declined = services().marketing.decline(tracker.get_slot("offer_decision"), tracker.get_slot("customer_id"))
        lead = say(language, "offer.dropped" if declined else "offer.okay")
        dispatcher.utter_message(text=say(language, "offer.declined", lead=lead))
        return [SlotSet("offer_decision", None)]


class ActionPriceObjection(Action):
    """"Too expensive": a personal offer if one may be made, otherwise ways to pay less."""

    def name(self) -> str:
        return "action_price_objection"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        language = language_of(tracker)
        if services().query.parse(latest_text(tracker), language).sort is not None:
            # "what's your most expensive tv?" is a catalogue question, not a price objection.
            answered = answer_about_products(dispatcher, tracker)
            if answered is not None:
                return answered
        decision = make_offer(dispatcher, tracker, "price_objection", categories=asked_categories(tracker),
                              lead=say(language, "offer.price_lead"))
        if decision is None:
            buttons = [{"title": say(language, "rec.button_cheaper"),
                        "payload": say(language, "rec.button_cheaper_payload")}] \
                if tracker.get_slot("shown_products") else []
            # The price-match promise is the knowledge base's own words, never a second copy of them.
            price_match = services().knowledge.fact_text("price_match", language)
            dispatcher.utter_message(text=say(language, "offer.cheaper_instead", price_match=price_match),
                                     buttons=buttons)
        return offer_events(decision)


class ActionGoodbye(Action):
    """Says goodbye; a customer leaving items in their cart may first get an offer."""

    def name(self) -> str:
        return "action_goodbye"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        svc = services()
        language = language_of(tracker)
        customer_id = tracker.get_slot("customer_id")
        products = [p for p in map(svc.catalog.get, svc.marketing.history.open_cart(customer_id)) if p is not None]
        decision = None
        if products:
            separator = "、" if language == "zh" else ", "
            names = separator.join(p.display_name(language) for p in products[:3]) + (
                say(language, "offer.and_more") if len(products) > 3 else "")
            value = sum(p.price for p in products)
            decision = make_offer(
                dispatcher, tracker, "leaving", categories=sorted({p.category for p in products}), cart_value=value,
                lead=say(language, "offer.cart_lead", names=names, value=money(value, language)))
        if decision is None:
            dispatcher.utter_message(response="utter_goodbye")
            ask_for_rating(dispatcher, tracker)
        return offer_events(decision)


class ActionMarketingOptIn(Action):
    def name(self) -> str:
        return "action_marketing_opt_in"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        language = language_of(tracker)
        customer_id = tracker.get_slot("customer_id")
        if not customer_id:
            dispatcher.utter_message(text=say(language, "offer.opt_in_needs_account"))
            return [SlotSet("marketing_opted_out", None)]
        services().customers.set_marketing_consent(customer_id, True)
        dispatcher.utter_message(text=say(language, "offer.opted_in"))
        return [SlotSet("marketing_opted_out", None)]
