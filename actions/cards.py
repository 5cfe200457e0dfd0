"""Product cards: one per recommended product, shaped for the channel the shopper is on.

The web chat (socket.io) gets a custom payload that its widget draws as a card; every other channel
(REST, rasa shell, Slack, Telegram) gets the same card as text with buttons, which each of them can
show natively (Slack Block Kit buttons, Telegram inline keyboards, numbered choices in the shell).
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.text import money
from shop.picks import Pick

# Rasa's name for the socket.io input channel, which the shop page's chat widget uses.
WEB_CHAT_CHANNEL = "socketio"
CARD_TYPE = "product_card"


def on_web_chat(tracker: Tracker) -> bool:
    return tracker.get_latest_input_channel() == WEB_CHAT_CHANNEL


def card_buttons(product_id: str) -> list[dict[str, str]]:
    return [
        {"title": "Details", "payload": f'/product_question{{"product": "{product_id}"}}'},
        {"title": "More like this", "payload": f'/more_like_this{{"product": "{product_id}"}}'},
        {"title": "Not interested", "payload": f'/not_interested{{"product": "{product_id}"}}'},
    ]


def card_text(pick: Pick) -> str:
    product = pick.product
    return (f"• {product.name} — {money(product.price)}, ★ {product.rating:.1f} "
            f"({product.review_count:,} reviews)\n{sentence(pick.reason)}")


def sentence(reason: str) -> str:
    return f"{reason[:1].upper()}{reason[1:]}."


def card_payload(pick: Pick) -> dict[str, Any]:
    """What the web chat widget draws (web/chat.js, ``renderCard``); ``text`` is its plain fallback."""
    product = pick.product
    return {
        "type": CARD_TYPE,
        "product_id": product.product_id,
        "name": product.name,
        "price": money(product.price),
        "rating": round(float(product.rating), 1),
        "reviews": int(product.review_count),
        "reason": sentence(pick.reason),
        "text": card_text(pick),
        "buttons": card_buttons(product.product_id),
    }


def send_card(dispatcher: CollectingDispatcher, tracker: Tracker, pick: Pick) -> None:
    if on_web_chat(tracker):
        # Rasa's socket.io channel emits a custom payload as ``emit(event, **payload)``: it goes under "data".
        dispatcher.utter_message(json_message={"data": card_payload(pick)})
    else:
        dispatcher.utter_message(text=card_text(pick), buttons=card_buttons(pick.product.product_id))
