"""The conversation state in its slot, and whom the conversation's feedback belongs to.

The state itself is plain data (shop/conversation.py); this module reads it from and writes it to
the ``conversation`` slot for every action that follows up on what was shown, asked or carted.
"""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet

from shop.conversation import ASKED, MENTIONED, ConversationState

CONVERSATION_SLOT = "conversation"
# Intents whose brand is a filter the shopper asked for; a brand named elsewhere ("is the Sony
# one waterproof?") is only a mention.
REQUEST_INTENTS = frozenset({"request_recommendation", "inform"})


def load_state(tracker: Tracker) -> ConversationState:
    state = ConversationState.from_slot(tracker.get_slot(CONVERSATION_SLOT))
    if not state.shown:  # conversations from before the state was kept
        state.shown = list(tracker.get_slot("shown_products") or [])[-3:]
    return state


def state_event(state: ConversationState) -> SlotSet:
    return SlotSet(CONVERSATION_SLOT, state.to_slot())


def shown_event(tracker: Tracker, product_ids: list[str], state: ConversationState | None = None) -> SlotSet:
    """The conversation state after a new list of products is on screen."""
    state = state or load_state(tracker)
    state.show(product_ids)
    return state_event(state)


def brand_origin(tracker: Tracker) -> str:
    """Whether the brand in force was asked for in a request or only mentioned in passing."""
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        parse = event.get("parse_data") or {}
        if any(e.get("entity") == "brand" for e in parse.get("entities") or []):
            return ASKED if (parse.get("intent") or {}).get("name") in REQUEST_INTENTS else MENTIONED
    return ASKED


def shopper_key(tracker: Tracker) -> str:
    """Who feedback belongs to: the customer when known, else this conversation."""
    return tracker.get_slot("customer_id") or f"guest:{tracker.sender_id}"
