"""Small helpers to read the tracker and format shop data as chat text."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker

# Anything longer is not a question a shopper typed; keep logs and lookups bounded.
MAX_TEXT = 1000


def latest_text(tracker: Tracker) -> str:
    text = (tracker.latest_message or {}).get("text") or ""
    return text[:MAX_TEXT]


def latest_intent(tracker: Tracker) -> str | None:
    return ((tracker.latest_message or {}).get("intent") or {}).get("name")


def latest_entity(tracker: Tracker, entity: str) -> Any:
    return next(tracker.get_latest_entity_values(entity), None)


def money(amount: float) -> str:
    return f"${amount:,.2f}"
