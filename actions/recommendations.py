"""The recommendation form and the catalogue search it ends in."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.services import services
from actions.text import latest_entity, latest_text, money, product_line
from shop.budget import BudgetRange, parse_budget
from shop.catalog import normalize_brand, normalize_category
from shop.refinements import parse_refinement

CATEGORY_LABELS = {
    "phones": "phones",
    "laptops": "laptops",
    "tablets": "tablets",
    "headphones": "headphones",
    "smartwatches": "smartwatches",
    "cameras": "cameras",
    "tvs": "TVs",
    "accessories": "accessories",
}


class ValidateRecommendForm(FormValidationAction):
    def name(self) -> str:
        return "validate_recommend_form"

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


class ActionRecommendProducts(Action):
    """Searches the catalogue (filters, then rating and popularity) and shows the best matches."""

    def name(self) -> str:
        return "action_recommend_products"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        svc = services()
        category = normalize_category(tracker.get_slot("category"))
        if category is None:
            dispatcher.utter_message(response="utter_ask_category")
            return []
        refinement = parse_refinement(latest_text(tracker))
        brand = None if refinement.any_brand else normalize_brand(tracker.get_slot("brand"))
        budget = BudgetRange(tracker.get_slot("budget_min"), tracker.get_slot("budget_max"))
        shown: list[str] = list(tracker.get_slot("shown_products") or [])
        events: list[EventType] = []
        if refinement.any_brand:
            events.append(SlotSet("brand", None))
        if refinement.cheaper and shown:
            shown_prices = [p.price for p in map(svc.catalog.get, shown) if p is not None]
            if shown_prices:
                budget = BudgetRange(None, round(min(shown_prices) - 0.01, 2))
                events += [SlotSet("budget_min", None), SlotSet("budget_max", budget.max_price)]
        exclude = set(shown) if refinement.more else set()
        customer_id = tracker.get_slot("customer_id")
        exclude |= {item.product_id for order in svc.orders.for_customer(customer_id, limit=50)
                    for item in order.items}
        products = svc.catalog.search(
            category=category,
            brand=brand,
            min_price=budget.min_price,
            max_price=budget.max_price,
            exclude_ids=tuple(exclude),
            limit=svc.settings.page_size,
        )
        label = CATEGORY_LABELS[category]
        brand_text = f"{brand} " if brand else ""
        if not products:
            dispatcher.utter_message(text=self._nothing_found(category, brand, budget, refinement.more))
            return events
        heading = "Here are more" if refinement.more else "Here are my top picks for"
        lines = [f"{heading} {brand_text}{label} {budget.describe()}:"]
        lines += [product_line(product) for product in products]
        dispatcher.utter_message(
            text="\n".join(lines),
            buttons=[
                {"title": "Show me more", "payload": "show me more"},
                {"title": "Cheaper ones", "payload": "show me cheaper ones"},
                {"title": "Details on the first", "payload": f"tell me about the {products[0].name}"},
            ],
        )
        new_shown = (shown if refinement.more else []) + [p.product_id for p in products]
        return events + [SlotSet("shown_products", new_shown)]

    @staticmethod
    def _nothing_found(category: str, brand: str | None, budget: BudgetRange, paging: bool) -> str:
        label = CATEGORY_LABELS[category]
        if paging:
            return f"That's everything I have for those {label}. Try another budget or brand?"
        low, high = services().catalog.price_range(category)
        brand_text = f"{brand} " if brand else ""
        hint = f" Our {label} range from {money(low)} to {money(high)}." if low is not None else ""
        return (f"I couldn't find any {brand_text}{label} in stock {budget.describe()}.{hint} "
                "Want to try another budget or brand?")
