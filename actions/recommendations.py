"""The recommendation form, the personal recommendations it ends in, and reactions to them."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.cards import send_card
from actions.marketing import make_offer, offer_events
from actions.services import services
from actions.text import latest_entity, latest_text, money
from shop.budget import BudgetRange, parse_budget
from shop.catalog import Product, normalize_brand, normalize_category
from shop.picks import CATEGORY_LABELS, Picks, Request
from shop.refinements import parse_refinement


def shopper_key(tracker: Tracker) -> str:
    """Who feedback belongs to: the customer when known, else this conversation."""
    return tracker.get_slot("customer_id") or f"guest:{tracker.sender_id}"


class ValidateRecommendForm(FormValidationAction):
    def name(self) -> str:
        return "validate_recommend_form"

    async def required_slots(
        self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[str]:
        # A known customer asking "what would I like?" or for "something like last time" has told
        # us enough: their history chooses the category and the price range.
        refinement = parse_refinement(latest_text(tracker))
        if tracker.get_slot("customer_id") and (refinement.personal or refinement.like_last_purchase) \
                and not tracker.get_slot("category"):
            return []
        return domain_slots

    async def extract_budget(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        # NLU may not tag a bare answer ("500", "no limit") as a budget; when we
        # have just asked for one, read the raw text.
        if tracker.get_slot("requested_slot") != "budget" or latest_entity(tracker, "budget"):
            return {}
        text = latest_text(tracker)
        return {"budget": text} if parse_budget(text) is not None else {}

    def validate_category(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        category = normalize_category(value if isinstance(value, str) else None)
        if category is None:
            labels = ", ".join(CATEGORY_LABELS.values())
            dispatcher.utter_message(text=f"Sorry, we don't sell \"{str(value)[:60]}\". We have {labels}.")
            return {"category": None}
        slots: dict[str, Any] = {"category": category}
        previous = next(
            (e.get("value") for e in reversed(tracker.events[:-1])
             if e.get("event") == "slot" and e.get("name") == "category" and e.get("value")),
            None,
        )
        if previous and previous != category and not latest_entity(tracker, "budget"):
            # A budget for phones says nothing about a budget for headphones.
            slots.update(budget=None, budget_min=None, budget_max=None, brand=None)
        return slots

    def validate_budget(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        budget = parse_budget(value if isinstance(value, str) else None)
        if budget is None:
            dispatcher.utter_message(text="Sorry, I didn't catch a budget in that.")
            return {"budget": None}
        return {"budget": value, "budget_min": budget.min_price, "budget_max": budget.max_price}


def show_cards(dispatcher: CollectingDispatcher, tracker: Tracker, heading: str, picks: Picks) -> None:
    """A heading, one card per product (name, price, rating, why) with its own buttons, then next steps."""
    dispatcher.utter_message(text=heading)
    for pick in picks.items:
        send_card(dispatcher, tracker, pick)
    dispatcher.utter_message(
        text="Want to see more, or something cheaper?",
        buttons=[
            {"title": "Show me more", "payload": "show me more"},
            {"title": "Cheaper ones", "payload": "show me cheaper ones"},
        ],
    )


def _shown_events(shown: list[str], picks: Picks, keep: bool) -> list[EventType]:
    return [SlotSet("shown_products", (shown if keep else []) + [p.product.product_id for p in picks.items])]


class ActionRecommendProducts(Action):
    """Personal top picks within the shopper's filters (category, budget, brand, in stock)."""

    def name(self) -> str:
        return "action_recommend_products"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        svc = services()
        refinement = parse_refinement(latest_text(tracker))
        customer_id = tracker.get_slot("customer_id")
        shown: list[str] = list(tracker.get_slot("shown_products") or [])
        dismissed = svc.feedback.dismissed_by(shopper_key(tracker))
        purchased = {item.product_id for order in svc.orders.for_customer(customer_id, limit=50)
                     for item in order.items}
        category = normalize_category(tracker.get_slot("category"))

        if refinement.like_last_purchase and category is None:
            anchor = svc.catalog.get(svc.picker.last_purchase(customer_id))
            if anchor is not None:
                picks = svc.picker.similar(anchor.product_id, dismissed | purchased, svc.settings.page_size)
                if picks.items:
                    show_cards(dispatcher, tracker, f"Since you bought the {anchor.name}, you might like:", picks)
                    return _shown_events(shown, picks, keep=False)

        if category is None and not (customer_id and refinement.personal):
            dispatcher.utter_message(response="utter_ask_category")
            return []
        brand = None if refinement.any_brand else normalize_brand(tracker.get_slot("brand"))
        budget = BudgetRange(tracker.get_slot("budget_min"), tracker.get_slot("budget_max"))
        events: list[EventType] = []
        if refinement.any_brand:
            events.append(SlotSet("brand", None))
        if refinement.cheaper and shown:
            shown_prices = [p.price for p in map(svc.catalog.get, shown) if p is not None]
            if shown_prices:
                budget = BudgetRange(None, round(min(shown_prices) - 0.01, 2))
                events += [SlotSet("budget_min", None), SlotSet("budget_max", budget.max_price)]
        exclude = (set(shown) if refinement.more else set()) | dismissed | purchased
        customer = svc.customers.get(customer_id)
        picks = svc.picker.recommend(Request(
            customer_id=customer_id, category=category, brand=brand, min_price=budget.min_price,
            max_price=budget.max_price, exclude_ids=tuple(sorted(exclude)),
            segment=customer.segment if customer else None, region=customer.region if customer else None,
            age_band=customer.age_band if customer else None,
        ), svc.settings.page_size)
        if not picks.items:
            dispatcher.utter_message(text=self._nothing_found(category, brand, budget, refinement.more))
            return events
        what = f"{brand + ' ' if brand else ''}{CATEGORY_LABELS[category]}" if category else "picks"
        if refinement.more:
            heading = f"Here are more {what} {budget.describe()}:"
        elif category is None:
            heading = "Here's what I think you'd like:"
        else:
            heading = f"Here are my top {what} for you {budget.describe()}:"
        show_cards(dispatcher, tracker, heading, picks)
        decision = make_offer(dispatcher, tracker, "recommendation", categories=[category] if category else [])
        return events + _shown_events(shown, picks, keep=refinement.more) + offer_events(decision)

    @staticmethod
    def _nothing_found(category: str | None, brand: str | None, budget: BudgetRange, paging: bool) -> str:
        label = CATEGORY_LABELS.get(category or "", "products")
        if paging:
            return f"That's everything I have for those {label}. Try another budget or brand?"
        low, high = services().catalog.price_range(category)
        brand_text = f"{brand} " if brand else ""
        hint = f" Our {label} range from {money(low)} to {money(high)}." if low is not None else ""
        return (f"I couldn't find any {brand_text}{label} in stock {budget.describe()}.{hint} "
                "Want to try another budget or brand?")


_ORDINALS = {"first": 0, "1st": 0, "second": 1, "2nd": 1, "third": 2, "3rd": 2, "last": -1}
_ORDINAL_RE = re.compile(r"\b(" + "|".join(_ORDINALS) + r")\b", re.IGNORECASE)


def product_in_list(text: str, shown: list[str]) -> Product | None:
    """The product a shopper points at in the list just shown: "the second one", "the last one"."""
    match = _ORDINAL_RE.search(text)
    if match and shown:
        index = _ORDINALS[match.group(1).lower()]
        if index < len(shown):
            return services().catalog.get(shown[index])
    return None


def referenced_product(tracker: Tracker) -> tuple[Product | None, bool]:
    """The product a reaction is about: (product, whether the shopper's words were ambiguous).

    A card's button names the product id; typed words may name the product, or its place in
    the list just shown ("the second one"). With one product on show, that one.
    """
    catalog = services().catalog
    named = latest_entity(tracker, "product")
    if isinstance(named, str):
        product = catalog.get(named) or catalog.find_by_name(named)
        if product is not None:
            return product, False
    shown = list(tracker.get_slot("shown_products") or [])
    product = product_in_list(latest_text(tracker), shown)
    if product is not None:
        return product, False
    if len(shown) == 1:
        return catalog.get(shown[0]), False
    return None, bool(shown)


def ask_which(dispatcher: CollectingDispatcher, tracker: Tracker, intent: str) -> None:
    catalog = services().catalog
    products = [p for p in map(catalog.get, tracker.get_slot("shown_products") or []) if p is not None][-5:]
    dispatcher.utter_message(
        text="Which one do you mean?",
        buttons=[{"title": p.name, "payload": f'/{intent}{{"product": "{p.product_id}"}}'} for p in products],
    )


class ActionMoreLikeThis(Action):
    def name(self) -> str:
        return "action_more_like_this"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        svc = services()
        product, ambiguous = referenced_product(tracker)
        if product is None:
            if ambiguous:
                ask_which(dispatcher, tracker, "more_like_this")
            else:
                dispatcher.utter_message(text="More like which product? Tell me its name, or ask me for "
                                              "recommendations first.")
            return []
        shown = list(tracker.get_slot("shown_products") or [])
        exclude = set(shown) | svc.feedback.dismissed_by(shopper_key(tracker))
        picks = svc.picker.similar(product.product_id, exclude, svc.settings.page_size)
        if not picks.items:
            dispatcher.utter_message(text=f"I don't have anything else quite like the {product.name} in stock.")
            return []
        show_cards(dispatcher, tracker, f"More like the {product.name}:", picks)
        return _shown_events(shown, picks, keep=True)


class ActionNotInterested(Action):
    """Remembers that the shopper does not want a product: never shown to them again, and a signal for training."""

    def name(self) -> str:
        return "action_not_interested"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        product, ambiguous = referenced_product(tracker)
        if product is None:
            if ambiguous:
                ask_which(dispatcher, tracker, "not_interested")
            else:
                dispatcher.utter_message(text="Noted. Tell me what you're looking for and I'll find better matches.")
            return []
        services().feedback.record(shopper_key(tracker), product.product_id, "not_interested")
        dispatcher.utter_message(
            text=f"Got it, I won't suggest the {product.name} again.",
            buttons=[{"title": "Show me others", "payload": "show me more"}],
        )
        return []
