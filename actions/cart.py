"""The chat's cart: add, remove, show, change quantity, and a checkout link (never a payment).

The cart lives in the conversation state (shop/conversation.py); checkout is the shop's own cart
permalink built from shop.yml's ``checkout:`` template. Adding a product is feedback the
recommender learns from (shop/feedback.py).
"""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.services import services
from actions.state import load_state, state_event
from actions.text import language_of, latest_entity, latest_text, money, say
from shop.catalog import Product, normalize_category
from shop.conversation import ConversationState, resolve

_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "a couple": 2, "a pair": 2,
                 "一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5}
_COUNT = r"(\d{1,2}|one|two|three|four|five|a couple|a pair)"
# A quantity is said as one: "add 2", "two of them", "make it 3", "2x", "来两台"; a number inside a
# product's name ("AirPods Pro 2", "iPhone 16") or a spec ("256gb") is not one, nor a position
# ("第二个", the second one: as "the second one" in English).
_QUANTITY_RE = re.compile(
    rf"\b(?:add|put|buy|get|take|want|need|order|make it|quantity to|set it to|change it to|only|just)\s+{_COUNT}\b"
    rf"(?!\s*(?:gb|tb|inch|in\b|%|dollars|bucks|st\b|nd\b|rd\b|th\b))|"
    rf"\b{_COUNT}\s*(?:x|×|of (?:them|those|these|it)|more|units|pieces|pcs)\b|^\s*{_COUNT}\s*$|"
    r"(?<!第)(?<!第\s)(\d{1,2}|[一两二三四五])\s*[个台件部只副]", re.IGNORECASE)
_SET_RE = re.compile(r"\b(make it|change (?:the )?quantity to|quantity|set it to|i want|only|just)\b|改成|数量|只要",
                     re.IGNORECASE)
_MORE_RE = re.compile(r"\b(one more|another one|another)\b|再加|再来", re.IGNORECASE)
_CLEAR_RE = re.compile(r"\b(empty|clear|everything|all items|remove all)\b|清空|全部删|都删", re.IGNORECASE)
_ORDINAL_ONLY_RE = re.compile(r"\b(first|second|third|last|1st|2nd|3rd)\b|第", re.IGNORECASE)


def quantity_in(text: str) -> int | None:
    """The quantity a shopper says ("add 2", "two of them", "来两台"), or None."""
    match = _QUANTITY_RE.search(text)
    if not match:
        return None
    word = next(g for g in match.groups() if g).lower()
    if word.isdigit():
        return int(word)
    if word == "one" and re.search(r"\b(?:first|second|third|last|that|this|the|which|another)\s+one\b", text, re.I):
        return None  # "the first one" is a position
    return _NUMBER_WORDS.get(word)


def cart_total(state: ConversationState) -> float:
    catalog = services().catalog
    return sum((catalog.get(line.product_id).price if catalog.get(line.product_id) else 0.0) * line.quantity
               for line in state.cart)


def cart_buttons(language: str) -> list[dict[str, str]]:
    return [{"title": say(language, "cart.button_checkout"), "payload": "/checkout"},
            {"title": say(language, "cart.button_view"), "payload": "/show_cart"}]


def _named(tracker: Tracker) -> Product | None:
    catalog = services().catalog
    entity = latest_entity(tracker, "product")
    product = catalog.get(entity) if isinstance(entity, str) else None
    if product is None and isinstance(entity, str):
        product = catalog.find_by_name(entity)
    return product or catalog.find_by_name(latest_text(tracker))


class ActionAddToCart(Action):
    def name(self) -> str:
        return "action_add_to_cart"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        return add_to_cart(dispatcher, tracker)


def add_to_cart(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    """Adds what the shopper points at (or the product in focus) to the cart."""
    svc = services()
    language = language_of(tracker)
    text = latest_text(tracker)
    state = load_state(tracker)
    reference = resolve(text, state, svc.catalog, named=_named(tracker))
    products = list(reference.products)
    if reference.how == "plural":
        products = products if re.search(r"\b(all|both|them all)\b|都|全部", text, re.I) else []
    if not products and _MORE_RE.search(text) and state.cart:
        products = [svc.catalog.get(state.cart[-1].product_id)]
    if not products and state.focus:
        products = [svc.catalog.get(state.focus)]
    products = [p for p in products if p is not None]
    if not products:
        shown = [p for p in map(svc.catalog.get, state.shown) if p is not None]
        dispatcher.utter_message(text=say(language, "cart.which"), buttons=[
            {"title": p.display_name(language), "payload": f'/add_to_cart{{"product": "{p.product_id}"}}'}
            for p in shown[:5]])
        return []
    quantity = quantity_in(text)
    set_quantity = bool(quantity and _SET_RE.search(text))
    if _MORE_RE.search(text) and quantity is None:
        quantity = 1
    lines = []
    for product in products:
        if not product.in_stock:
            lines.append(say(language, "cart.out_of_stock", name=product.display_name(language)))
            continue
        try:
            now = state.add_to_cart(product.product_id, quantity or 1, set_quantity=set_quantity)
        except ValueError:
            lines.append(say(language, "cart.full"))
            break
        svc.feedback.record(tracker.get_slot("customer_id") or f"guest:{tracker.sender_id}",
                            product.product_id, "add_to_cart")
        state.focus = product.product_id
        lines.append(("ADDED", product.display_name(language), now))
    texts = []
    for line in lines:
        if isinstance(line, tuple):
            texts.append(say(language, "cart.added", name=line[1], quantity=line[2],
                             total=money(cart_total(state), language)))
        else:
            texts.append(line)
    dispatcher.utter_message(text="\n".join(texts), buttons=cart_buttons(language) if state.cart else [])
    return [state_event(state)]


class ActionRemoveFromCart(Action):
    def name(self) -> str:
        return "action_remove_from_cart"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        svc = services()
        language = language_of(tracker)
        text = latest_text(tracker)
        state = load_state(tracker)
        if not state.cart:
            dispatcher.utter_message(text=say(language, "cart.empty"))
            return []
        if _CLEAR_RE.search(text):
            state.cart = []
            dispatcher.utter_message(text=say(language, "cart.emptied"))
            return [state_event(state)]
        in_cart = [p for p in (svc.catalog.get(line.product_id) for line in state.cart) if p is not None]
        # Positions and "it" count through the cart here, not through the last list shown.
        cart_view = ConversationState(shown=[p.product_id for p in in_cart],
                                      focus=state.focus if state.cart_quantity(state.focus or "") else None)
        reference = resolve(text, cart_view, svc.catalog, named=_named(tracker))
        products = [p for p in reference.products if state.cart_quantity(p.product_id)]
        category = normalize_category(text)
        if not products and category:
            products = [p for p in in_cart if p.category == category]
        if not products and len(in_cart) == 1:
            products = in_cart
        if not products:
            dispatcher.utter_message(text=say(language, "cart.which_remove"), buttons=[
                {"title": p.display_name(language), "payload": f'/remove_from_cart{{"product": "{p.product_id}"}}'}
                for p in in_cart])
            return []
        quantity = quantity_in(text)
        lines = []
        for product in products[:1] if quantity else products:
            if re.search(r"\b(only|just)\b|只要", text, re.I) and quantity:
                left = state.add_to_cart(product.product_id, quantity, set_quantity=True)
            else:
                left = state.remove_from_cart(product.product_id, quantity)
            total = money(cart_total(state), language)
            if left:
                lines.append(say(language, "cart.reduced", quantity=left, name=product.display_name(language),
                                 total=total))
            else:
                lines.append(say(language, "cart.removed", name=product.display_name(language), total=total))
        dispatcher.utter_message(text="\n".join(lines))
        return [state_event(state)]


def cart_text(state: ConversationState, language: str) -> str:
    catalog = services().catalog
    lines = []
    for line in state.cart:
        product = catalog.get(line.product_id)
        if product is None:
            continue
        lines.append(say(language, "cart.line", quantity=line.quantity, name=product.display_name(language),
                         price=money(product.price * line.quantity, language)))
    return say(language, "cart.contents", lines="\n".join(lines), total=money(cart_total(state), language))


class ActionShowCart(Action):
    def name(self) -> str:
        return "action_show_cart"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        language = language_of(tracker)
        state = load_state(tracker)
        if not state.cart:
            dispatcher.utter_message(text=say(language, "cart.empty"))
            return []
        dispatcher.utter_message(text=cart_text(state, language), buttons=cart_buttons(language)[:1])
        return []


class ActionCheckout(Action):
    """A link to the shop's own checkout with the cart's items; the chat never takes a payment."""

    def name(self) -> str:
        return "action_checkout"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        svc = services()
        language = language_of(tracker)
        state = load_state(tracker)
        if not state.cart:
            dispatcher.utter_message(text=say(language, "cart.checkout_empty"))
            return []
        url = svc.settings.checkout.url([(line.product_id, line.quantity) for line in state.cart])
        dispatcher.utter_message(text=say(language, "cart.checkout", url=url,
                                          total=money(cart_total(state), language)))
        return []
