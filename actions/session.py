"""Session start and customer identification."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.services import services
from actions.text import language_of, latest_entity, latest_text, say
from shop.customers import Customer, find_email


def customer_slots(customer: Customer, tracker: Tracker) -> list[EventType]:
    if tracker.get_slot("marketing_opted_out"):
        # The shopper opted out before we knew who they were: the account follows.
        services().customers.set_marketing_consent(customer.customer_id, False)
    return [
        SlotSet("customer_id", customer.customer_id),
        SlotSet("customer_name", customer.first_name),
        SlotSet("email", customer.email),
    ]


class ActionSessionStart(Action):
    """Starts a session, keeps earlier slots, and links the customer the channel names.

    A shop page that knows who is logged in passes ``{"customer_id": "C00042"}``
    (or ``email``) as message metadata; anything unknown is ignored, so a forged
    or stale id never links a conversation to the wrong account.
    """

    def name(self) -> str:
        return "action_session_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        events: list[EventType] = [SessionStarted()]
        for key, value in tracker.current_slot_values().items():
            if value is not None and key not in ("session_started_metadata", "requested_slot"):
                events.append(SlotSet(key, value))
        metadata = tracker.get_slot("session_started_metadata") or {}
        if isinstance(metadata, dict):
            directory = services().customers
            customer = directory.get(metadata.get("customer_id")) or directory.by_email(
                metadata.get("email") if isinstance(metadata.get("email"), str) else None
            )
            if customer:
                events.extend(customer_slots(customer, tracker))
        events.append(ActionExecuted("action_listen"))
        return events


class ActionIdentifyCustomer(Action):
    """Links the conversation to the account whose email the shopper gave."""

    def name(self) -> str:
        return "action_identify_customer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        email = find_email(latest_entity(tracker, "email") or latest_text(tracker))
        customer = services().customers.by_email(email)
        language = language_of(tracker)
        if customer is None:
            dispatcher.utter_message(text=say(language, "session.no_account"))
            return [SlotSet("email", None)]
        dispatcher.utter_message(text=say(language, "session.linked", name=customer.first_name))
        return customer_slots(customer, tracker)
