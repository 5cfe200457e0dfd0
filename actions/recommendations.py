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
from actions.text import language_of, latest_entity, latest_text, money, say
from shop.budget import BudgetRange, parse_budget
from shop.catalog import Product, normalize_brand, normalize_category
from shop.picks import CATEGORY_LABELS, Picks, Request
from shop.refinements import parse_refinement
from shop.zh_terms import BRANDS_ZH, CATEGORY_LABELS_ZH


def category_label(category: str | None, language: str) -> str:
    """How a reply names a category ("TVs", "电视"); "products" when there is none."""
    labels = CATEGORY_LABELS_ZH if language == "zh" else CATEGORY_LABELS
    return labels.get(category or "") or say(language, "rec.products_word")


def brand_label(brand: str, language: str) -> str:
    return BRANDS_ZH.get(brand, brand) if language == "zh" else brand


def describe_budget(budget: BudgetRange, language: str) -> str:
    """"up to $500"; in Chinese an attribute ("$500(约 ¥3,600)以内的"), nothing when unlimited."""
    if language != "zh":
        return budget.describe()
    return "" if budget.unlimited else budget.describe_zh(services().currency) + "的"


def yuan_rate() -> float:
    return services().settings.yuan_per_dollar


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
        return {"budget": text} if parse_budget(text, yuan_rate()) is not None else {}

    def validate_category(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        category = normalize_category(value if isinstance(value, str) else None)
        if category is None:
            language = language_of(tracker)
            labels = ("、" if language == "zh" else ", ").join(
                (CATEGORY_LABELS_ZH if language == "zh" else CATEGORY_LABELS).values())
            dispatcher.utter_message(text=say(language, "rec.unknown_category", value=str(value)[:60], labels=labels))
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
        budget = parse_budget(value if isinstance(value, str) else None, yuan_rate())
        if budget is None:
            dispatcher.utter_message(text=say(language_of(tracker), "rec.bad_budget"))
            return {"budget": None}
        return {"budget": value, "budget_min": budget.min_price, "budget_max": budget.max_price}


def show_cards(dispatcher: CollectingDispatcher, tracker: Tracker, heading: str, picks: Picks) -> None:
    """A heading, one card per product (name, price, rating, why) with its own buttons, then next steps."""
    language = language_of(tracker)
    dispatcher.utter_message(text=heading)
    for pick in picks.items:
        send_card(dispatcher, tracker, pick)
    dispatcher.utter_message(
        text=say(language, "rec.next_steps"),
        buttons=[
            {"title": say(language, "rec.button_more"), "payload": say(language, "rec.button_more_payload")},
            {"title": say(language, "rec.button_cheaper"), "payload": say(language, "rec.button_cheaper_payload")},
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
        language = language_of(tracker)
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
                    show_cards(dispatcher, tracker,
                               say(language, "rec.since_you_bought", name=anchor.display_name(language)), picks)
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
            dispatcher.utter_message(text=self._nothing_found(category, brand, budget, refinement.more, language))
            return events
        if category and brand:
            what = say(language, "rec.what_brand_category", brand=brand_label(brand, language),
                       category=category_label(category, language))
        else:
            what = category_label(category, language) if category else say(language, "rec.picks_word")
        described = describe_budget(budget, language)
        if refinement.more:
            heading = say(language, "rec.heading_more", what=what, budget=described)
        elif category is None:
            heading = say(language, "rec.heading_personal")
        else:
            heading = say(language, "rec.heading_top", what=what, budget=described)
        show_cards(dispatcher, tracker, heading, picks)
        decision = make_offer(dispatcher, tracker, "recommendation", categories=[category] if category else [])
        return events + _shown_events(shown, picks, keep=refinement.more) + offer_events(decision)

    @staticmethod
    def _nothing_found(category: str | None, brand: str | None, budget: BudgetRange, paging: bool,
                       language: str = "en") -> str:
        label = category_label(category, language)
        if paging:
            return say(language, "rec.everything_shown", label=label)
        low, high = services().catalog.price_range(category)
        brand_text = (brand_label(brand, language) + ("" if language == "zh" else " ")) if brand else ""
        hint = say(language, "rec.range_hint", label=label, low=money(low, language), high=money(high, language)) \
            if low is not None and high is not None else ""
        return say(language, "rec.nothing_found", brand=brand_text, label=label,
                   budget=describe_budget(budget, language), hint=hint)


_ORDINALS = {"first": 0, "1st": 0, "second": 1, "2nd": 1, "third": 2, "3rd": 2, "last": -1}
_ORDINAL_RE = re.compile(r"\b(" + "|".join(_ORDINALS) + r")\b", re.IGNORECASE)
# "第二个", "第2款", "最后一个"
_ORDINALS_ZH = {"一": 0, "1": 0, "二": 1, "2": 1, "三": 2, "3": 2}
_ORDINAL_ZH_RE = re.compile(r"第\s*([一二三123])\s*[个款台部件只]|(最后)\s*[一那这]?\s*[个款台部件只]")


def product_in_list(text: str, shown: list[str]) -> Product | None:
    """The product a shopper points at in the list just shown: "the second one", "the last one"."""
    match = _ORDINAL_RE.search(text)
    index: int | None = _ORDINALS[match.group(1).lower()] if match else None
    if index is None:
        chinese = _ORDINAL_ZH_RE.search(text)
        if chinese:
            index = -1 if chinese.group(2) else _ORDINALS_ZH[chinese.group(1)]
    if index is not None and shown and index < len(shown):
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
    language = language_of(tracker)
    products = [p for p in map(catalog.get, tracker.get_slot("shown_products") or []) if p is not None][-5:]
    dispatcher.utter_message(
        text=say(language, "rec.which_one"),
        buttons=[{"title": p.display_name(language), "payload": f'/{intent}{{"product": "{p.product_id}"}}'}
                 for p in products],
    )


class ActionMoreLikeThis(Action):
    def name(self) -> str:
        return "action_more_like_this"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        svc = services()
        language = language_of(tracker)
        product, ambiguous = referenced_product(tracker)
        if product is None:
            if ambiguous:
                ask_which(dispatcher, tracker, "more_like_this")
            else:
                dispatcher.utter_message(text=say(language, "rec.more_like_which"))
            return []
        shown = list(tracker.get_slot("shown_products") or [])
        exclude = set(shown) | svc.feedback.dismissed_by(shopper_key(tracker))
        picks = svc.picker.similar(product.product_id, exclude, svc.settings.page_size)
        if not picks.items:
            dispatcher.utter_message(text=say(language, "rec.nothing_similar", name=product.display_name(language)))
            return []
        show_cards(dispatcher, tracker, say(language, "rec.more_like", name=product.display_name(language)), picks)
        return _shown_events(shown, picks, keep=True)


class ActionNotInterested(Action):
    """Remembers that the shopper does not want a product: never shown to them again, and a signal for training."""

    def name(self) -> str:
        return "action_not_interested"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        language = language_of(tracker)
        product, ambiguous = referenced_product(tracker)
        if product is None:
            if ambiguous:
                ask_which(dispatcher, tracker, "not_interested")
            else:
                dispatcher.utter_message(text=say(language, "rec.noted"))
            return []
        services().feedback.record(shopper_key(tracker), product.product_id, "not_interested")
        dispatcher.utter_message(
            text=say(language, "rec.wont_suggest", name=product.display_name(language)),
            buttons=[{"title": say(language, "rec.button_others"),
                      "payload": say(language, "rec.button_more_payload")}],
        )
        return []
