"""Human handoff, complaints, marketing opt-out and data-deletion requests."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.services import services
from actions.text import latest_text


def _recent_user_messages(tracker: Tracker, count: int = 5) -> str:
    texts = [e.get("text") or "" for e in tracker.events if e.get("event") == "user"]
    return " | ".join(text[:300] for text in texts[-count:])


def _open_ticket(tracker: Tracker, kind: str, summary: str) -> str:
    ticket = services().state.create_ticket(
        kind, summary, customer_id=tracker.get_slot("customer_id"), sender_id=tracker.sender_id
    )
    return ticket.ticket_id


def availability_text(now: datetime | None = None) -> str:
    hours = services().knowledge.support_hours
    now = now or datetime.now(timezone.utc)
    if hours.is_open(now):
        return f"Our agents are available {hours.describe()}, and they're online now."
    return (f"Our agents are available {hours.describe()}; we're closed right now, "
            "so an agent will pick this up when we open.")


class ActionHumanHandoff(Action):
    def name(self) -> str:
        return "action_human_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        ticket_id = _open_ticket(tracker, "handoff", _recent_user_messages(tracker))
        dispatcher.utter_message(
            text=f"I've passed this conversation to our support team as ticket {ticket_id}. "
            f"{availability_text()} Please keep the ticket number handy."
        )
        return [SlotSet("ticket_id", ticket_id)]


class ActionFileComplaint(Action):
    def name(self) -> str:
        return "action_file_complaint"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        ticket_id = _open_ticket(tracker, "complaint", latest_text(tracker))
        name = tracker.get_slot("customer_name")
        sorry = f"I'm really sorry about this, {name}." if name else "I'm really sorry about this."
        dispatcher.utter_message(
            text=f"{sorry} I've recorded your complaint as ticket {ticket_id} so our team follows it up."
        )
        dispatcher.utter_message(response="utter_offer_human")
        return [SlotSet("ticket_id", ticket_id)]


class ActionMarketingOptOut(Action):
    """Withdraws marketing consent at once: on the account if known, and for this chat."""

    def name(self) -> str:
        return "action_marketing_opt_out"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        customer_id = tracker.get_slot("customer_id")
        # The slot stops offers in this chat at once (the engine checks it with the account's consent)
        # and carries a guest's opt-out to the account once the chat is linked to one.
        events: list[EventType] = [SlotSet("marketing_opted_out", True), SlotSet("offer_decision", None)]
        if customer_id:
            services().customers.set_marketing_consent(customer_id, False)
            dispatcher.utter_message(
                text="Done: you won't get marketing messages or offers from us any more. "
                "Messages about your orders are not affected. You can opt back in any time."
            )
        else:
            dispatcher.utter_message(
                text="Done: I won't show you offers in this chat. To unsubscribe your email address "
                "as well, tell me the email on your account."
            )
        return events


class ActionRequestDataDeletion(Action):
    def name(self) -> str:
        return "action_request_data_deletion"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        dispatcher.utter_message(
            text="I can ask our privacy team to erase your personal data: your profile, your "
            "conversations with me and your shopping history. This can't be undone. Shall I go ahead?",
            buttons=[
                {"title": "Yes, delete my data", "payload": "/affirm"},
                {"title": "No, keep it", "payload": "/deny"},
            ],
        )
        return [SlotSet("erasure_requested", True)]


class ActionConfirmDataDeletion(Action):
    """Erases the shopper's data at once, after the confirmation step.

    The customer's other conversations, settings, tickets and feedback go now (shop.privacy); this
    conversation is erased by the Rasa server's tracker store when it stores this turn, which it
    recognises by this action followed by ``erasure_requested`` set to False (rasa_ext/stores.py).
    """

    def name(self) -> str:
        return "action_confirm_data_deletion"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        if not tracker.get_slot("erasure_requested"):
            dispatcher.utter_message(text="Okay. Is there anything else I can help you with?")
            return []
        customer_id = tracker.get_slot("customer_id")
        svc = services()
        privacy = svc.privacy
        actor = "shopper in chat"
        if customer_id:
            report = privacy.erase_customer(customer_id, actor=actor, keep_sender=tracker.sender_id)
            others = report.conversations - 1
            what = (f"your account's settings, support tickets and shopping feedback"
                    f"{f', {others} earlier conversation' + ('s' if others != 1 else '') if others > 0 else ''}")
        else:
            privacy.erase_conversation(tracker.sender_id, actor=actor)
            what = "the tickets and feedback of this conversation"
        dispatcher.utter_message(
            text=f"Done: I've erased {what}, and this conversation is erased as soon as I've sent this "
            "message. The erasure is recorded in our privacy log (without your data)."
        )
        return [SlotSet("erasure_requested", False), SlotSet("customer_id", None), SlotSet("customer_name", None),
                SlotSet("email", None), SlotSet("ticket_id", None)]
