"""Products on screen: one card per recommended product, shaped for the channel the shopper is on,
a list of cards under its heading, and a product's data sheet.

The web chat (socket.io) and Chatwoot get a custom payload that they draw as a card (the widget's
``renderCard``, Chatwoot's ``cards`` message: connectors/chatwoot.py); every other channel
(REST, rasa shell, Slack, Telegram) gets the same card as text with buttons, which each of them can
show natively (Slack Block Kit buttons, Telegram inline keyboards, numbered choices in the shell).
"""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.services import services
from actions.text import language_of, money, say
from shop.catalog import Product
from shop.picks import Pick, Picks
from shop.zh_terms import BRANDS_ZH, CATEGORY_LABELS_ZH

# Rasa's name for the socket.io input channel, which the shop page's chat widget uses.
WEB_CHAT_CHANNEL = "socketio"
# Input channels that draw the card payload themselves.
CARD_CHANNELS = (WEB_CHAT_CHANNEL, "chatwoot")
CARD_TYPE = "product_card"


def draws_cards(tracker: Tracker) -> bool:
    return tracker.get_latest_input_channel() in CARD_CHANNELS


def on_web_chat(tracker: Tracker) -> bool:
    """The shop page's widget, which also draws payloads of its own (the comparison table)."""
    return tracker.get_latest_input_channel() == WEB_CHAT_CHANNEL


def card_buttons(product_id: str, language: str = "en") -> list[dict[str, str]]:
    return [
        {"title": say(language, "card.button_details"), "payload": f'/product_question{{"product": "{product_id}"}}'},
        {"title": say(language, "card.button_more_like"), "payload": f'/more_like_this{{"product": "{product_id}"}}'},
        {"title": say(language, "card.button_not_interested"),
         "payload": f'/not_interested{{"product": "{product_id}"}}'},
    ]


def card_text(pick: Pick, language: str = "en") -> str:
    product = pick.product
    return say(language, "card.text", name=product.display_name(language), price=money(product.price, language),
               rating=f"{product.rating:.1f}", reviews=f"{product.review_count:,}",
               reason=sentence(pick.reason, language))


def sentence(reason: str, language: str = "en") -> str:
    if language != "en":
        return f"{localised_reason(reason, language)}。"
    return f"{reason[:1].upper()}{reason[1:]}."


# The recommender explains its picks in English (shop/recommender/explain.py); these patterns
# turn each of its reasons into the catalogue's text for another language.
_SINGULAR_TO_CATEGORY = {"phone": "phones", "laptop": "laptops", "tablet": "tablets",
                         "pair of headphones": "headphones", "smartwatch": "smartwatches", "camera": "cameras",
                         "TV": "tvs", "accessory": "accessories"}
_LABEL_TO_CATEGORY = {"TVs": "tvs"} | {c: c for c in CATEGORY_LABELS_ZH}
_REASONS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^goes with the (?P<item>.+) you bought in (?P<month>[A-Z][a-z]+)(?: (?P<year>\d{4}))?$"),
     "reason.goes_with"),
    (re.compile(r"^matches your interest in (?P<brand>.+)$"), "reason.brand_interest"),
    (re.compile(r"^popular with customers like you$"), "reason.customers_like_you"),
    (re.compile(r"^top rated in (?P<category>.+)$"), "reason.top_rated"),
    (re.compile(r"^popular in (?P<category>.+)$"), "reason.popular"),
    (re.compile(r"^a best seller in (?P<category>.+)$"), "reason.best_seller"),
    (re.compile(r"^similar to the (?P<name>.+)$"), "reason.similar_to"),
]
_MONTHS = ("January February March April May June July August September October November December").split()


def localised_reason(reason: str, language: str) -> str:
    """A recommender reason in ``language``; unknown reasons stay as they are."""
    for pattern, key in _REASONS:
        found = pattern.match(reason)
        if not found:
            continue
        values = found.groupdict()
        if "item" in values:
            category = _SINGULAR_TO_CATEGORY.get(values["item"], "")
            month = _MONTHS.index(values["month"]) + 1 if values["month"] in _MONTHS else 0
            when = f"{values['year']}年{month}月" if values.get("year") else f"{month}月"
            return say(language, key, item=CATEGORY_LABELS_ZH.get(category, values["item"]), when=when)
        if "brand" in values:
            return say(language, key, brand=BRANDS_ZH.get(values["brand"], values["brand"]))
        if "category" in values:
            category = _LABEL_TO_CATEGORY.get(values["category"], "")
            return say(language, key, category=CATEGORY_LABELS_ZH.get(category, values["category"]))
        if "name" in values:
            product = services().catalog.find_by_name(values["name"])
            return say(language, key, name=product.display_name(language) if product else values["name"])
        return say(language, key)
    return reason


def card_payload(pick: Pick, language: str = "en") -> dict[str, Any]:
    """What the web chat widget draws (web/chat.js, ``renderCard``); ``text`` is its plain fallback."""
    product = pick.product
    return {
        "type": CARD_TYPE,
        "product_id": product.product_id,
        "name": product.display_name(language),
        "price": money(product.price, language),
        "rating": round(float(product.rating), 1),
        "reviews": int(product.review_count),
        "reason": sentence(pick.reason, language),
        "text": card_text(pick, language),
        "buttons": card_buttons(product.product_id, language),
    }


def send_card(dispatcher: CollectingDispatcher, tracker: Tracker, pick: Pick) -> None:
    language = language_of(tracker)
    if draws_cards(tracker):
        # Rasa's socket.io channel emits a custom payload as ``emit(event, **payload)``: it goes under "data".
        dispatcher.utter_message(json_message={"data": card_payload(pick, language)})
    else:
        dispatcher.utter_message(text=card_text(pick, language), buttons=card_buttons(pick.product.product_id,
                                                                                         language))


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


def data_sheet(product: Product, language: str = "en") -> str:
    """The Details button's answer: price, rating, stock, description and the first specs."""
    stock = say(language, "product.in_stock", count=product.stock) if product.stock > 0 \
        else say(language, "product.out_of_stock")
    if language == "zh":
        # The Chinese description already states the specs in words.
        specs = product.display_description(language).rstrip("。")
        description = ""
    else:
        specs = ", ".join(f"{key.replace('_', ' ')}: {value}" for key, value in list(product.attributes.items())[:8])
        description = product.description
    text = say(language, "product.data_sheet", name=product.display_name(language),
               price=money(product.price, language),
               rating=f"{product.rating:.1f}", reviews=f"{product.review_count:,}", stock=stock,
               description=description, specs=specs)
    return text.replace("\n\n", "\n") if language == "zh" else text
