"""The recommendation form, the personal recommendations it ends in, and reactions to them."""

from __future__ import annotations

import re
from dataclasses import asdict, replace
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.cards import show_cards
from actions.marketing import make_offer, offer_events
from actions.order_problems import order_advice
from actions.phrases import (
    brand_label,
    budget_words,
    category_label,
    describe_budget,
    price_in,
    reason_for,
    what_label,
    with_words,
)
from actions.services import services
from actions.state import brand_origin, load_state, shopper_key, shown_event, state_event
from actions.text import language_of, latest_entity, latest_text, money, say
from shop.budget import BudgetRange, parse_budget, states_budget
from shop.catalog import Product, normalize_brand, normalize_category
from shop.catalog_query import SPEC_SPAN_RE, Condition, Query, Sort, resolved_field
from shop.conversation import ASKED
from shop.picks import CATEGORY_LABELS, Pick, Picks, Request
from shop.refinements import parse_refinement
from shop.zh_terms import CATEGORY_LABELS_ZH


def yuan_rate() -> float:
    return services().settings.yuan_per_dollar


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
        query = _query(tracker)
        accessory = query.category == "accessories" and any(c.field == "type" for c in query.conditions)
        if query.sort is not None or query.line or query.compatible or accessory:
            # "the cheapest iphone", "a charger for my macbook air", "a power bank": a budget adds nothing.
            return [slot for slot in domain_slots if slot != "budget"]
        if refinement.cheaper and tracker.get_slot("shown_products"):
            # "anything cheaper with noise cancelling?": cheaper than what was shown is the budget.
            return [slot for slot in domain_slots if slot != "budget"]
        return domain_slots

    async def extract_category(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        # "over ear, under 300" names no category but only headphones are over-ear.
        if tracker.get_slot("category") or latest_entity(tracker, "category"):
            return {}
        category = _query(tracker).category
        return {"category": category} if category else {}

    async def extract_budget(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        # NLU may not tag a bare answer ("500", "no limit") as a budget; when we
        # have just asked for one, read the raw text.
        text = latest_text(tracker)
        if latest_entity(tracker, "budget"):
            return {}
        if tracker.get_slot("requested_slot") != "budget":
            # "smartwatches under 200" that NLU did not tag: the words state a budget.
            if tracker.get_slot("budget") or not states_budget(text):
                return {}
            text = SPEC_SPAN_RE.sub(" ", text)
        return {"budget": text} if parse_budget(text, yuan_rate()) is not None else {}

    def validate_category(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        category = normalize_category(value if isinstance(value, str) else None)
        # The category chosen before this message (this message's own slot events come after it).
        last_user = max((i for i, e in enumerate(tracker.events) if e.get("event") == "user"), default=0)
        previous = next(
            (e.get("value") for e in reversed(tracker.events[:last_user])
             if e.get("event") == "slot" and e.get("name") == "category" and e.get("value")),
            None,
        )
        query = _query(tracker, category=previous)
        if previous and category != previous and query.category == previous:
            # "up to $800, really good camera" while choosing a phone: the camera is the phone's.
            category = previous
        elif category is None and query.category:
            category = query.category  # "the cheapest macbook air": a laptop
        if category is None:
            language = language_of(tracker)
            labels = ("、" if language == "zh" else ", ").join(
                (CATEGORY_LABELS_ZH if language == "zh" else CATEGORY_LABELS).values())
            dispatcher.utter_message(text=say(language, "rec.unknown_category", value=str(value)[:60], labels=labels))
            return {"category": None}
        slots: dict[str, Any] = {"category": category}
        if previous and previous != category and not latest_entity(tracker, "budget"):
            # A budget for phones says nothing about a budget for headphones.
            slots.update(budget=None, budget_min=None, budget_max=None, brand=None)
        return slots

    def validate_budget(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        # The tagged words alone ("8", "dollars左右") lose their context: the whole message says
        # whether a number is a price ("for my 8 yr old" is not) and what qualifies it.
        text = latest_text(tracker)
        budget = parse_budget(text or (value if isinstance(value, str) else None), yuan_rate())
        if budget is None and isinstance(value, str) and not latest_entity(tracker, "budget"):
            # The form re-validates a budget given earlier ("show me more" keeps "under 100"):
            # this message says nothing about money, so the budget it was given with stands.
            budget = parse_budget(value, yuan_rate())
        if budget is None:
            if tracker.get_slot("requested_slot") == "budget":  # an answer to our question we cannot read
                dispatcher.utter_message(text=say(language_of(tracker), "rec.bad_budget"))
            return {"budget": None}
        raw = value if isinstance(value, str) else text  # two tagged pieces arrive as a list
        return {"budget": raw, "budget_min": budget.min_price, "budget_max": budget.max_price}


def _query(tracker: Tracker, **context: Any) -> Query:
    svc = services()
    return svc.query.parse(latest_text(tracker), language_of(tracker), yuan_per_dollar=svc.settings.yuan_per_dollar,
                           **context)


def _form_request(tracker: Tracker) -> Query | None:
    """The query of the message that opened this turn's recommendation form, when it was an earlier
    message (the form was opened by it, then asked for what was missing)."""
    events = tracker.events
    latest = max((i for i, e in enumerate(events) if e.get("event") == "user"), default=None)
    opened = next((i for i in range(len(events) - 1, -1, -1) if events[i].get("event") == "active_loop"
                   and events[i].get("name") == "recommend_form"), None)
    if latest is None or opened is None or opened > latest:
        return None  # no form, or the form opened on this very message
    if not (tracker.active_loop.get("name") == "recommend_form" or any(
            e.get("event") == "active_loop" and not e.get("name") for e in events[latest:])):
        return None  # a later turn ("show me more" tomorrow), not the form's own end
    request = next((e for e in reversed(events[:opened]) if e.get("event") == "user"), None)
    if request is None:
        return None
    svc = services()
    return svc.query.parse(str(request.get("text") or ""), language_of(tracker),
                           yuan_per_dollar=svc.settings.yuan_per_dollar)


# How many of the recommender's picks are read to rank a query's results: more than any query's
# results on one page need, few enough to stay within a millisecond or two.
_RANKED_CANDIDATES = 200


def query_to_slot(query: Query) -> dict[str, Any]:
    return asdict(query)


def query_from_slot(value: Any) -> Query | None:
    """A query kept in the conversation state; None when there is none or it is unreadable."""
    if not isinstance(value, dict):
        return None
    try:
        sort = value.get("sort")
        return Query(
            category=value.get("category"), brand=value.get("brand"), min_price=value.get("min_price"),
            max_price=value.get("max_price"),
            conditions=tuple(Condition(c["field"], c["op"], c["value"], c.get("words", ""))
                             for c in value.get("conditions") or []),
            sort=Sort(tuple(sort["fields"]), sort["order"], sort.get("words", "")) if sort else None,
            need=value.get("need"), line=value.get("line"), compatible=value.get("compatible"),
        )
    except (KeyError, TypeError):
        return None


def _shown_events(tracker: Tracker, shown: list[str], picks: Picks, keep: bool,
                  state: Any = None) -> list[EventType]:
    ids = [p.product.product_id for p in picks.items]
    return [SlotSet("shown_products", (shown if keep else []) + ids), shown_event(tracker, ids, state)]


class ActionRecommendProducts(Action):
    """Personal top picks within the shopper's filters (category, budget, brand, in stock)."""

    def name(self) -> str:
        return "action_recommend_products"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        svc = services()
        language = language_of(tracker)
        advice = order_advice(tracker, "warranty")
        if advice is not None:
            # "the protection plan for my $1,200 laptop bought 6 weeks ago" names a laptop and a
            # price, but asks about the plan.
            dispatcher.utter_message(text=advice)
            return []
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
                    return _shown_events(tracker, shown, picks, keep=False)

        if category is None and not (customer_id and refinement.personal):
            dispatcher.utter_message(response="utter_ask_category")
            return []
        brand = None if refinement.any_brand else normalize_brand(tracker.get_slot("brand"))
        events: list[EventType] = []
        if brand and brand_origin(tracker) != ASKED:
            # A brand only mentioned ("is the Sony one waterproof?") is not a filter on later lists.
            brand = None
            events.append(SlotSet("brand", None))
        budget = BudgetRange(tracker.get_slot("budget_min"), tracker.get_slot("budget_max"))
        if refinement.any_brand:
            events.append(SlotSet("brand", None))
        if refinement.cheaper and shown:
            shown_prices = [p.price for p in map(svc.catalog.get, shown) if p is not None]
            if shown_prices:
                budget = BudgetRange(None, round(min(shown_prices) - 0.01, 2))
                events += [SlotSet("budget_min", None), SlotSet("budget_max", budget.max_price)]
        exclude = (set(shown) if refinement.more else set()) | dismissed | purchased
        customer = svc.customers.get(customer_id)
        request = Request(
            customer_id=customer_id, category=category, brand=brand, min_price=budget.min_price,
            max_price=budget.max_price, exclude_ids=tuple(sorted(exclude)),
            segment=customer.segment if customer else None, region=customer.region if customer else None,
            age_band=customer.age_band if customer else None,
        )
        state = load_state(tracker)
        query = self._query(tracker, state, category, brand, budget, refinement)
        if query.structured:
            state.filters["query"] = {"value": query_to_slot(query), "origin": ASKED}
            events.append(state_event(state))
            found = svc.query.run(query, exclude_ids=exclude)
            if not found:
                dispatcher.utter_message(text=say(language, "conv.query_none", what=what_label(query, [], language),
                                                  conditions=with_words(query, language),
                                                  budget=budget_words(query, language)))
                return events
            picks = self._within(request, query, found, language)
        else:
            if state.filters.pop("query", None) is not None:
                events.append(state_event(state))
            picks = svc.picker.recommend(request, svc.settings.page_size)
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
        if query.structured and not refinement.more:
            heading = self._query_heading(query, picks, language) or heading
        show_cards(dispatcher, tracker, heading, picks)
        if query.sort is not None:
            state.focus = picks.items[0].product.product_id  # "add it": the cheapest one just named
        decision = make_offer(dispatcher, tracker, "recommendation", categories=[category] if category else [])
        events = [e for e in events if e.get("name") != "conversation"]
        return events + _shown_events(tracker, shown, picks, keep=refinement.more, state=state) + offer_events(decision)

    @staticmethod
    def _query(tracker: Tracker, state: Any, category: str | None, brand: str | None, budget: BudgetRange,
               refinement: Any) -> Query:
        """This turn's query; "show me more" and "cheaper ones" keep the conditions asked before."""
        query = _query(tracker, category=category, brand=brand, min_price=budget.min_price,
                       max_price=budget.max_price)
        if not query.structured:
            # "headphones for long flights" → "under 300": the form's answers state only the budget;
            # the need and conditions of the request that opened it still hold.
            opening = _form_request(tracker)
            if opening is not None and opening.structured and opening.category in (None, category):
                query = replace(opening, category=category, brand=brand, min_price=budget.min_price,
                                max_price=budget.max_price)
        previous = query_from_slot((state.filters.get("query") or {}).get("value"))
        if previous is not None and not query.structured and (refinement.more or refinement.cheaper) \
                and previous.category == category:
            query = replace(previous, brand=brand, min_price=budget.min_price, max_price=budget.max_price)
        return query

    @staticmethod
    def _query_heading(query: Query, picks: Picks, language: str) -> str | None:
        """A heading that states what was asked: the superlative's fact, or the conditions."""
        svc = services()
        products = [pick.product for pick in picks.items]
        what = what_label(query, products, language)
        if query.sort is not None:
            best = products[0]
            terms = svc.query.field_terms(resolved_field(best, query.sort.key), language)
            word = (terms.high if query.sort.order == "desc" else terms.low) if terms else query.sort.words
            return say(language, "conv.superlative_catalog", what=what, word=word,
                       fact=svc.query.fact(best, query.sort.key, language, price_in(language)))
        return say(language, "conv.query_heading", what=what, conditions=with_words(query, language),
                   budget=budget_words(query, language))

    @staticmethod
    def _within(request: Request, query: Query, found: list[Product], language: str) -> Picks:
        """The query's results, ranked by the recommender when the query gives no order of its own."""
        svc = services()
        if query.sort is not None:
            return Picks([Pick(p, reason_for(p, query, language) or "") for p in found[:svc.settings.page_size]],
                         personalised=False)
        allowed = {p.product_id for p in found}
        ranked = svc.picker.recommend(request, _RANKED_CANDIDATES)
        picks = [pick for pick in ranked.items if pick.product.product_id in allowed][:svc.settings.page_size]
        chosen = {pick.product.product_id for pick in picks}
        for product in found:
            if len(picks) >= svc.settings.page_size:
                break
            if product.product_id not in chosen:
                reason = reason_for(product, query, language) or f"top rated in {product.category}"
                picks.append(Pick(product, reason))
        return Picks(picks, personalised=ranked.personalised)

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
        return _shown_events(tracker, shown, picks, keep=True)


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
