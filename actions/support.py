"""Human handoff, complaints, marketing opt-out and data-deletion requests."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ConversationPaused, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.services import services
from actions.text import language_of, latest_text, say
from shop.handoff import Handoff
from shop.transcript import transcript


def _recent_user_messages(tracker: Tracker, count: int = 5) -> str:
    texts = [e.get("text") or "" for e in tracker.events if e.get("event") == "user"]
    return " | ".join(text[:300] for text in texts[-count:])


def _open_ticket(tracker: Tracker, kind: str, summary: str, conversation: str) -> Handoff:
    """A ticket that reaches a person: by email to the help desk and/or to an agent on a live channel."""
    return services().help_desk.open(
        kind, summary, conversation, customer_id=tracker.get_slot("customer_id"),
        sender_id=tracker.sender_id, channel=tracker.get_latest_input_channel(), language=language_of(tracker))


def availability_text(now: datetime | None = None, language: str = "en") -> str:
    knowledge = services().knowledge
    now = now or datetime.now(timezone.utc)
    key = "support.online" if knowledge.support_hours.is_open(now) else "support.closed"
    return say(language, key, hours=knowledge.describe_hours(language))


class ActionHumanHandoff(Action):
    def name(self) -> str:
        return "action_human_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        language = language_of(tracker)
        conversation = transcript(tracker.events)
        handoff = _open_ticket(tracker, "handoff", _recent_user_messages(tracker), conversation)
        ticket_id = handoff.ticket.ticket_id
        next_step = say(language, handoff.next_step_key, support_email=services().settings.support_email)
        dispatcher.utter_message(text=say(language, "support.handoff", ticket_id=ticket_id,
                                          availability=availability_text(language=language), next_step=next_step))
        events: list[EventType] = [SlotSet("ticket_id", ticket_id)]
        if handoff.live:
            # The live channel's connector posts the transcript for the agent and opens the
            # conversation for them; the assistant is paused until the agent resolves it.
            dispatcher.utter_message(json_message={"handoff": {
                "ticket_id": ticket_id, "transcript": conversation}})
            events.append(ConversationPaused())
        return events


class ActionFileComplaint(Action):
    def name(self) -> str:
        return "action_file_complaint"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        language = language_of(tracker)
        ticket_id = _open_ticket(tracker, "complaint", latest_text(tracker),
                                 transcript(tracker.events)).ticket.ticket_id
        name = tracker.get_slot("customer_name")
        sorry = say(language, "support.sorry_named", name=name) if name else say(language, "support.sorry")
        dispatcher.utter_message(text=say(language, "support.complaint", sorry=sorry, ticket_id=ticket_id))
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
        language = language_of(tracker)
        if customer_id:
            services().customers.set_marketing_consent(customer_id, False)
            dispatcher.utter_message(text=say(language, "support.opt_out_account"))
        else:
            dispatcher.utter_message(text=say(language, "support.opt_out_chat"))
        return events


class ActionRequestDataDeletion(Action):
    def name(self) -> str:
        return "action_request_data_deletion"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        language = language_of(tracker)
        dispatcher.utter_message(
            text=say(language, "privacy.ask"),
            buttons=[
                {"title": say(language, "privacy.button_yes"), "payload": "/affirm"},
                {"title": say(language, "privacy.button_no"), "payload": "/deny"},
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
        language = language_of(tracker)
        if not tracker.get_slot("erasure_requested"):
            dispatcher.utter_message(text=say(language, "privacy.kept"))
            return []
        customer_id = tracker.get_slot("customer_id")
        svc = services()
        privacy = svc.privacy
        actor = "shopper in chat"
        if customer_id:
            report = privacy.erase_customer(customer_id, actor=actor, keep_sender=tracker.sender_id)
            others = report.conversations - 1
            earlier = say(language, "privacy.others_one" if others == 1 else "privacy.others_many", count=others) \
                if others > 0 else ""
            what = say(language, "privacy.what_account", others=earlier)
        else:
            privacy.erase_conversation(tracker.sender_id, actor=actor)
            what = say(language, "privacy.what_guest")
        dispatcher.utter_message(text=say(language, "privacy.done", what=what))
        return [SlotSet("erasure_requested", False), SlotSet("customer_id", None), SlotSet("customer_name", None),
                SlotSet("email", None), SlotSet("ticket_id", None)]


RATING_INTENT = "rate_conversation"
RATINGS = ("up", "down")


def ask_for_rating(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    """The thumbs up/down at the end of a conversation (CSAT, shop/analytics.py), once per conversation."""
    if any(e.get("event") == "user" and ((e.get("parse_data") or {}).get("intent") or {}).get("name") == RATING_INTENT
           for e in tracker.events):
        return
    language = language_of(tracker)
    dispatcher.utter_message(text=say(language, "csat.ask"), buttons=[
        {"title": say(language, f"csat.button_{rating}"), "payload": f'/{RATING_INTENT}{{"rating": "{rating}"}}'}
        for rating in RATINGS])


class ActionRateConversation(Action):
    """Thanks the shopper for the rating; the rating itself is read from the conversation's events."""

    def name(self) -> str:
        return "action_rate_conversation"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        rating = next(tracker.get_latest_entity_values("rating"), None)
        language = language_of(tracker)
        key = f"csat.thanks_{rating}" if rating in RATINGS else "csat.thanks"
        dispatcher.utter_message(text=say(language, key))
        return []
