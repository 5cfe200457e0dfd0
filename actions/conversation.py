"""Follow-ups resolved against the conversation state: questions about the products shown,
comparisons, catalogue questions ("cheapest iphone"), and the form questions not repeated.

The state is plain data (shop/conversation.py) kept in the ``conversation`` slot; the catalogue's
answers come from shop/catalog_query.py, so every figure is the catalogue's own.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.cards import data_sheet, on_web_chat, show_cards
from actions.phrases import budget_words, category_label, condition_words, price_in, reason_for, what_label, with_words
from actions.services import services
from actions.state import load_state, shopper_key, state_event
from actions.text import language_of, latest_entity, latest_intent, latest_text, money, say
from shop.budget import states_budget
from shop.catalog import Product, normalize_category
from shop.catalog_query import Condition, Query, field_value, resolved_field, sort_products
from shop.conversation import MENTIONED, ConversationState, resolve
from shop.picks import Pick, Picks
from shop.refinements import parse_refinement

# Intents with which a shopper answers a form's question; after any other (a digression) the
# question is not asked again: it is still open, and an answer to it is still taken.
FORM_ANSWER_INTENTS = frozenset({"request_recommendation", "inform", "affirm", "deny", "nlu_fallback"})
# Rows of a comparison beyond price and rating: the attributes that differ, at most this many.
MAX_COMPARED_ATTRIBUTES = 7
MAX_COMPARED = 3


# --- answering about products ----------------------------------------------------------------------


def answer_about_products(dispatcher: CollectingDispatcher, tracker: Tracker,
                          redirect: bool = True) -> list[EventType] | None:
    """Answers a follow-up or a catalogue question from the state and the catalogue; None when the
    message is neither (the caller then answers it as before). With ``redirect``, a product request
    NLU took for a question starts the recommendation form instead."""
    svc = services()
    catalog, language, text = svc.catalog, language_of(tracker), latest_text(tracker)
    if text.startswith("/"):
        return None
    state = load_state(tracker)
    named_entity = latest_entity(tracker, "product")
    named = catalog.get(named_entity) if isinstance(named_entity, str) else None
    from_text = named is None
    named = named or catalog.find_by_name(text)
    if named is None and state.shown and parse_refinement(text).cheaper and not _about_shown(text) \
            and not _CHEAPER_ONE_RE.search(text):
        # "有没有更便宜的" (the Chinese "Cheaper" button), "anything cheaper?": a new list below what was
        # shown, not the cheapest of it ("which of these is cheaper?" is about the list).
        return [FollowupAction("action_recommend_products")]
    focus_or_shown = bool(state.focus or state.shown)
    if named is not None and from_text and focus_or_shown and _POINTS_BACK_RE.search(text):
        # "does it have noise cancelling?" is about the product in focus, even though the words
        # "noise cancelling" are in another product's name.
        named = None
    context = named.category if named is not None else \
        (catalog.get(state.focus).category if state.focus and catalog.get(state.focus) else None) or \
        (catalog.get(state.shown[0]).category if state.shown and catalog.get(state.shown[0]) else None)
    query = svc.query.parse(text, language, category=context, yuan_per_dollar=svc.settings.yuan_per_dollar)
    if named is not None and (query.compatible or (from_text and (
            query.sort and (query.line or normalize_category(text)) or states_budget(text)))):
        # "a charger for my macbook air", "cheapest iphone", "降噪耳机 2000元以内": a request over the
        # catalogue, not a question about the product whose name shares a word.
        named = None
    reference = resolve(text, state, catalog, named=named)
    if reference.how == "named" and reference.one is not None:
        # "tell me more about the DJI Neo Drone": "drone" is its name, not a question about it.
        name = reference.one.name.lower().replace("-", " ")
        query = replace(query, conditions=tuple(c for c in query.conditions if not c.words
                                                or c.words.lower() not in name))
    asked = bool(query.conditions or query.asked or query.sort or query.need)
    if reference.how == "named" and _only_names(text):
        asked = False  # "tell me more about X" wants its data sheet
    if not asked and reference.one is not None and reference.how in ("ordinal", "brand", "price") \
            and state.filters.get("question"):
        # "那第二个呢?" right after "第一个有独立显卡吗?": the same question about another product.
        query = _previous_question(state, query)
        asked = True
    catalogue_words = (normalize_category(text) is not None or query.line is not None or states_budget(text)) \
        and not _THESE_RE.search(text)
    among_shown = bool(state.shown) and (_about_shown(text) or not catalogue_words)
    if reference.how == "plural" or (query.sort and reference.how == "none" and among_shown):
        group = list(reference.products) or [p for p in map(catalog.get, state.shown) if p]
        if (query.sort or query.need) and not catalogue_words:
            return _superlative_among(dispatcher, tracker, state, group, query)
        if query.conditions and not catalogue_words:
            return _which_of(dispatcher, tracker, state, group, query)
        if query.asked and not catalogue_words:
            return _facts(dispatcher, tracker, state, group, query)
        if not catalogue_words:
            return None
    elif reference.products and reference.how != "none":
        product = reference.products[0]
        if len(reference.products) > 1 and query.sort:
            return _superlative_among(dispatcher, tracker, state, list(reference.products), query)
        if asked:
            return _facts(dispatcher, tracker, state, list(reference.products), query)
        if reference.how in ("ordinal", "brand", "price") or (reference.how == "named" and _only_names(text)):
            dispatcher.utter_message(text=data_sheet(product, language))
            svc.feedback.record(shopper_key(tracker), product.product_id, "details")
            state.focus = product.product_id
            return [state_event(state), SlotSet("product", product.name)]
        return None
    if not focus_or_shown and _POINTS_BACK_RE.search(text) and not catalogue_words:
        return None  # "does it have 5G?" with nothing shown yet: the caller asks which product is meant
    if query.sort or (query.structured and (query.line or query.compatible or query.conditions)):
        return _catalog_answer(dispatcher, tracker, state, query)
    return shopping_redirect(tracker) if redirect else None


_POLICY_RE = re.compile(r"\b(return|refund|warrant|ship|deliver|pay|price match|cancel|exchange|coupon|discount|deal|"
                        r"promo|order|broken|damaged|defective|wrong)\w*|退|保修|配送|发货|快递|付款|支付|运费|优惠|折扣|"
                        r"订单|坏", re.IGNORECASE)


def shopping_redirect(tracker: Tracker) -> list[EventType] | None:
    """A product request that NLU took for something else ("headphones under 100" read as a
    returns question): the recommendation form takes it, with the category and budget it states."""
    text = latest_text(tracker)
    if text.startswith("/") or _POLICY_RE.search(text) or tracker.active_loop.get("name"):
        return None
    query = services().query.parse(text, language_of(tracker))
    if normalize_category(text) is None and query.category is None:
        return None
    if not (states_budget(text) or query.structured):
        return None
    return [FollowupAction("recommend_form")]


_POINTS_BACK_RE = re.compile(r"\b(it|its|it's|this one|that one|these|those|them|any of|which one|which of)\b|"
                             r"它|这款|那款|这个|那个|这几|哪个|哪款|第", re.IGNORECASE)


_THESE_RE = re.compile(r"\b(these|those|them|of the \w+ you showed)\b|这几|这些|那几|那些|它们", re.IGNORECASE)


# "the cheaper one", 更便宜的那款: one of the list, not a request for cheaper products.
_CHEAPER_ONE_RE = re.compile(r"\b(?:the|that) cheaper one\b|\bcheaper of (?:the|these|those)\b|"
                             r"更便宜的(?:那|这)|(?:那|这)(?:个|款)更便宜", re.IGNORECASE)
_SHOWN_RE = re.compile(r"\b(these|those|them|of the|which one|wich one|which of|which is|which has|wich)\b|这|哪",
                       re.IGNORECASE)


def _about_shown(text: str) -> bool:
    return bool(_SHOWN_RE.search(text))


def _only_names(text: str) -> bool:
    return bool(re.match(r"^\s*(?:and |what about |how about |tell me (?:more )?about |more about |details on )",
                         text, re.IGNORECASE))


def _remember_question(state: ConversationState, query: Query) -> None:
    state.filters["question"] = {
        "value": {"asked": list(query.asked),
                  "conditions": [[c.field, c.op, c.value, c.words] for c in query.conditions]},
        "origin": MENTIONED,
    }


def _previous_question(state: ConversationState, query: Query) -> Query:
    previous = (state.filters.get("question") or {}).get("value") or {}
    conditions = tuple(Condition(*c) for c in previous.get("conditions") or [] if len(c) == 4)
    return replace(query, asked=tuple(previous.get("asked") or ()), conditions=conditions)


def _facts(dispatcher: CollectingDispatcher, tracker: Tracker, state: ConversationState,
           products: list[Product], query: Query) -> list[EventType] | None:
    """Yes/no for each condition and the value of each field asked, per product."""
    svc = services()
    language = language_of(tracker)
    lines = []
    for product in products[:MAX_COMPARED]:
        for condition in query.conditions:
            lines.append(_condition_answer(product, condition, language))
        for name in query.asked:
            if field_value(product, name) is None:
                terms = svc.query.field_terms(name, language)
                lines.append(say(language, "conv.no_such_field", name=product.display_name(language),
                                 label=terms.label if terms else name))
            else:
                lines.append(say(language, "conv.fact", fact=svc.query.fact(product, name, language,
                                                                            price_in(language))))
        if not query.conditions and not query.asked and query.sort:
            lines.append(say(language, "conv.fact", fact=svc.query.fact(product, query.sort.key, language,
                                                                        price_in(language))))
    if not lines:
        return None  # only a need ("good for photography?"): the grounded answer weighs it
    dispatcher.utter_message(text="\n".join(dict.fromkeys(lines)))
    if len(products) == 1:
        state.focus = products[0].product_id
    _remember_question(state, query)
    return [state_event(state), SlotSet("product", products[0].name)]


def _condition_answer(product: Product, condition: Condition, language: str) -> str:
    svc = services()
    holds = condition.holds(product)
    value = field_value(product, condition.field)
    terms = svc.query.field_terms(condition.field, language)
    if isinstance(value, bool) or value is None:
        # The field's own label ("5G", "降噪"), not the words as typed ("支持5g", "anc").
        label = (terms.label if terms else "") or condition.words or condition.field
        return say(language, "conv.bool_yes" if holds else "conv.bool_no", name=product.display_name(language),
                   label=label)
    fact = svc.query.fact(product, condition.field, language, price_in(language))
    return say(language, "conv.yes" if holds else "conv.no", fact=fact)


def _superlative_among(dispatcher: CollectingDispatcher, tracker: Tracker, state: ConversationState,
                       group: list[Product], query: Query) -> list[EventType]:
    """"Which one has the most RAM?": the answer among the products shown, with its figure."""
    svc = services()
    language = language_of(tracker)
    sort = query.sort
    if sort is None and query.need:
        need = svc.query.need(query.need)
        sort = need.sort if need else None
        group = [p for p in group if need is None or all(c.holds(p) for c in need.conditions)] or group
    if sort is None or not group:
        return []
    ranked = [p for p in sort_products(group, sort) if field_value(p, sort.key) is not None]
    if not ranked:
        return _facts(dispatcher, tracker, state, group, Query(asked=(sort.key,))) or []
    best = ranked[0]
    terms = svc.query.field_terms(resolved_field(best, sort.key), language)
    word = (terms.high if sort.order == "desc" else terms.low) if terms else ""
    fact = svc.query.fact(best, sort.key, language, price_in(language))
    tied = [p for p in ranked[1:] if field_value(p, sort.key) == field_value(best, sort.key)]
    if tied:
        fact += say(language, "conv.tied", names=say(language, "conv.and").join(p.display_name(language)
                                                                                for p in tied))
    lines = [say(language, "conv.superlative_shown", fact=fact, word=word or sort.words, count=len(group))]
    for other in ranked[1 + len(tied):]:
        lines.append(say(language, "conv.fact", fact=svc.query.fact(other, sort.key, language, price_in(language))))
    dispatcher.utter_message(text="\n".join(lines))
    state.focus = best.product_id
    return [state_event(state), SlotSet("product", best.name)]


def _which_of(dispatcher: CollectingDispatcher, tracker: Tracker, state: ConversationState,
              group: list[Product], query: Query) -> list[EventType]:
    """"Do any of these have noise cancelling?": which of the shown products meet the conditions."""
    language = language_of(tracker)
    meeting = [p for p in group if all(c.holds(p) for c in query.conditions)]
    what = condition_words(query, language)
    if not meeting:
        dispatcher.utter_message(text=say(language, "conv.none_of_these", what=what))
        _remember_question(state, query)
        return [state_event(state)]
    names = say(language, "conv.and").join(p.display_name(language) for p in meeting)
    verb = say(language, "conv.verb_one" if len(meeting) == 1 else "conv.verb_many")
    dispatcher.utter_message(text=say(language, "conv.some_of_these", names=names, verb=verb, what=what))
    if len(meeting) == 1:
        state.focus = meeting[0].product_id
    _remember_question(state, query)
    return [state_event(state)]


def _catalog_answer(dispatcher: CollectingDispatcher, tracker: Tracker, state: ConversationState,
                    query: Query) -> list[EventType]:
    """A catalogue question ("what's the cheapest iphone you have?"): the fact and the products."""
    svc = services()
    language = language_of(tracker)
    found = svc.query.run(query)
    if not found:
        budget = budget_words(query, language)
        dispatcher.utter_message(text=say(language, "conv.query_none", what=what_label(query, [], language),
                                          conditions=with_words(query, language), budget=budget))
        return []
    page = found[:svc.settings.page_size]
    what = what_label(query, found, language)
    if query.sort is not None:
        best = page[0]
        terms = svc.query.field_terms(resolved_field(best, query.sort.key), language)
        word = (terms.high if query.sort.order == "desc" else terms.low) if terms else query.sort.words
        heading = say(language, "conv.superlative_catalog",
                      fact=svc.query.fact(best, query.sort.key, language, price_in(language)), word=word, what=what)
    else:
        heading = say(language, "conv.query_heading", what=what, conditions=with_words(query, language),
                      budget=budget_words(query, language))
    show_products(dispatcher, tracker, heading, page, query)
    state.show([p.product_id for p in page])
    if query.sort is not None:
        state.focus = page[0].product_id
    return [state_event(state), SlotSet("shown_products", [p.product_id for p in page])]


def show_products(dispatcher: CollectingDispatcher, tracker: Tracker, heading: str, products: list[Product],
                  query: Query) -> None:
    language = language_of(tracker)
    picks = [Pick(p, reason_for(p, query, language) or f"a best seller in {p.category}") for p in products]
    show_cards(dispatcher, tracker, heading, Picks(picks, personalised=False))


# --- comparisons -----------------------------------------------------------------------------------


_SPLIT_RE = re.compile(r"\s+(?:and|vs\.?|versus|with|or|to)\s+|\s*(?:和|跟|与|对比|还是|,|，)\s*", re.IGNORECASE)


def compared_products(tracker: Tracker, state: ConversationState) -> list[Product]:
    """The 2–3 products a comparison is about: named, pointed at, or the ones on show."""
    catalog = services().catalog
    text = latest_text(tracker)
    named = [p for p in (catalog.find_by_name(part) for part in _SPLIT_RE.split(text) if part.strip()) if p]
    named = list(dict.fromkeys(named))
    if len(named) >= 2:
        return named[:MAX_COMPARED]
    reference = resolve(text, state, catalog)
    if len(reference.products) >= 2:
        return list(reference.products)[:MAX_COMPARED]
    group = [p for p in map(catalog.get, state.compared or state.shown) if p is not None]
    if named and group:
        return list(dict.fromkeys([named[0]] + group))[:2]
    return group[:MAX_COMPARED]


def comparison_rows(products: list[Product], language: str) -> list[tuple[str, list[str]]]:
    """(label, one value per product) for price, rating and the attributes that differ."""
    svc = services()
    rows = [(say(language, "conv.row_price"), [money(p.price, language) for p in products]),
            (say(language, "conv.row_rating"), [f"{p.rating:.1f} ({p.review_count:,})" for p in products])]
    names = list(dict.fromkeys(k for p in products for k in p.attributes))
    for name in names:
        values = [svc.query.value_text(p, name, language, price_in(language)) if name in p.attributes else "–"
                  for p in products]
        if len(set(values)) > 1 and name != "color":
            terms = svc.query.field_terms(name, language)
            rows.append((terms.label if terms else name.replace("_", " "), values))
        if len(rows) >= MAX_COMPARED_ATTRIBUTES + 2:
            break
    return rows


class ActionCompareProducts(Action):
    """Two or three products side by side: the attributes that differ, prices, ratings."""

    def name(self) -> str:
        return "action_compare_products"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        language = language_of(tracker)
        state = load_state(tracker)
        products = compared_products(tracker, state)
        if len(products) < 2:
            dispatcher.utter_message(text=say(language, "conv.which_products" if products or state.shown
                                              else "conv.nothing_shown"))
            return []
        rows = comparison_rows(products, language)
        names = [p.display_name(language) for p in products]
        lines = [say(language, "conv.compare_heading")]
        lines += [f"{i}. {name}" for i, name in enumerate(names, 1)]
        for label, values in rows:
            lines.append(f"{label}: " + " | ".join(f"{i}) {v}" for i, v in enumerate(values, 1)))
        by_price = sorted(products, key=lambda p: p.price)
        cheap, dear = by_price[0], by_price[-1]
        if dear.price > cheap.price:
            lines.append(say(language, "conv.compare_price", cheap=cheap.display_name(language),
                             dear=dear.display_name(language), difference=money(dear.price - cheap.price, language)))
        else:
            lines.append(say(language, "conv.compare_same_price"))
        text = "\n".join(lines)
        if on_web_chat(tracker):
            dispatcher.utter_message(json_message={"data": {
                "type": "comparison_table", "text": text, "products": names,
                "product_ids": [p.product_id for p in products],
                "rows": [{"label": label, "values": values} for label, values in rows]}})
        else:
            dispatcher.utter_message(text=text)
        state.compared = [p.product_id for p in products]
        return [state_event(state)]


# --- form questions that are not repeated ---------------------------------------------------------


def _already_asked(tracker: Tracker) -> bool:
    """The form asked its question before and the shopper has since talked about something else."""
    return latest_intent(tracker) not in FORM_ANSWER_INTENTS and tracker.get_slot("requested_slot") is not None


class ActionAskCategory(Action):
    def name(self) -> str:
        return "action_ask_category"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        if not _already_asked(tracker):
            dispatcher.utter_message(response="utter_ask_category")
        return []


class ActionAskBudget(Action):
    def name(self) -> str:
        return "action_ask_budget"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        if not _already_asked(tracker):
            category = normalize_category(tracker.get_slot("category"))
            dispatcher.utter_message(response="utter_ask_budget",
                                     category=category_label(category, language_of(tracker)))
        return []
