"""Small helpers to read the tracker and format shop data as chat text in the shopper's language."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker

from actions.services import services
from shop.language import Language, detect, normalise

# Anything longer is not a question a shopper typed; keep logs and lookups bounded.
MAX_TEXT = 1000


def latest_text(tracker: Tracker) -> str:
    text = (tracker.latest_message or {}).get("text")
    return text[:MAX_TEXT] if isinstance(text, str) else ""


def latest_intent(tracker: Tracker) -> str | None:
    return ((tracker.latest_message or {}).get("intent") or {}).get("name")


def message_metadata(tracker: Tracker) -> dict[str, Any]:
    """The metadata the channel attached to the latest message (rasa_ext/identity.py: known keys only)."""
    for event in reversed(tracker.events or []):
        if isinstance(event, dict) and event.get("event") == "user":
            metadata = event.get("metadata")
            return metadata if isinstance(metadata, dict) else {}
    return {}


def client_of(tracker: Tracker) -> str | None:
    """The digest of the shopper's network address that the channel passed (for rate limits), if any."""
    client = message_metadata(tracker).get("client")
    return client[:64] if isinstance(client, str) and client else None


def latest_entity(tracker: Tracker, entity: str) -> Any:
    return next(tracker.get_latest_entity_values(entity), None)


def language_of(tracker: Tracker) -> Language:
    """The language to answer in: the conversation's ``language`` slot (set by the NLU from every
    message that clearly shows one), else the latest message's own, else English."""
    return normalise(tracker.get_slot("language") or detect(latest_text(tracker)))


def say(language: str, key: str, **values: Any) -> str:
    """The catalogue's text ``key`` in ``language`` (data/shop/messages.yml)."""
    return services().messages.text(language, key, **values)


def money(amount: float, language: str = "en") -> str:
    """"$343.00"; in Chinese with the approximate yuan figure beside it."""
    if language == "en":
        return f"${amount:,.2f}"
    return services().currency.price(amount, language)
