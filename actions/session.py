"""Session start and customer identification: a signed token from the shop's site, or a one-time code.

A conversation is linked to an account (the ``customer_id`` slot) only with a proof:
- a signed token from the shop's site, verified by the Rasa server's channel, which passes the
  verified customer id as ``verified_customer_id`` in the message metadata (rasa_ext/identity.py;
  a client cannot set that key: the channel drops every key it does not know);
- or a six-digit code mailed to the email on the account and typed back in the chat (shop/verification.py).
An email the shopper merely types is kept in the ``email`` slot, unverified: with an order number
it shows that order's status to a guest, nothing more (actions/orders.py).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, FollowupAction, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.services import services
from actions.text import client_of, language_of, latest_entity, latest_text, say
from shop.customers import Customer, find_email
from shop.mailer import MailError, send
from shop.order_ids import parse_order_id
from shop.pii import mask_text
from shop.verification import CODE_TTL_SECONDS, CodeOutcome, normalise_code

logger = logging.getLogger(__name__)


def customer_slots(customer: Customer, tracker: Tracker) -> list[EventType]:
    """Links the conversation to a customer whose identity was proven (token or code)."""
    if tracker.get_slot("marketing_opted_out"):
        # The shopper opted out before we knew who they were: the account follows.
        services().customers.set_marketing_consent(customer.customer_id, False)
    return [
        SlotSet("customer_id", customer.customer_id),
        SlotSet("customer_name", customer.first_name),
        SlotSet("email", customer.email),
    ]


def audit(event: str, customer_id: str | None, tracker: Tracker, detail: str) -> None:
    """An identity event in the audit log (masked like the logs: no email, no code)."""
    services().state.audit(f"identity.{event}", customer_id or "-", tracker.sender_id[:64], mask_text(detail))


class ActionSessionStart(Action):
    """Starts a session, keeps earlier slots, and links the customer a verified token names."""

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
        verified = metadata.get("verified_customer_id") if isinstance(metadata, dict) else None
        if isinstance(verified, str):
            customer = services().customers.get(verified)
            if customer:  # an erased or unknown customer is not linked, even with a valid token
                events.extend(customer_slots(customer, tracker))
                if tracker.get_slot("customer_id") != customer.customer_id:
                    audit("linked", customer.customer_id, tracker, "signed token from the shop's site")
        events.append(ActionExecuted("action_listen"))
        return events


class ActionIdentifyCustomer(Action):
    """Sends a one-time code to the email the shopper gave, if it belongs to an account.

    The reply is the same whether or not it does: the chat must not tell a stranger who is a customer.
    """

    def name(self) -> str:
        return "action_identify_customer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        language = language_of(tracker)
        email = find_email(latest_entity(tracker, "email") or latest_text(tracker))
        if email is None:
            return []
        customer_id = tracker.get_slot("customer_id")
        if (tracker.active_loop or {}).get("name") == "order_status_form" and not customer_id:
            return [SlotSet("email", email)]  # a guest's order check: the form uses the email as it is
        svc = services()
        if customer_id and svc.customers.get(customer_id) and svc.customers.get(customer_id).email == email:
            dispatcher.utter_message(text=say(language, "session.already_linked"))
            return []
        if not svc.limits.allow_code(tracker.sender_id, client_of(tracker), email):
            audit("code_refused", None, tracker, "too many code requests")
            dispatcher.utter_message(text=say(language, "session.code_limit"))
            return [SlotSet("email", email)]
        customer = svc.customers.by_email(email)
        code = svc.verifier.issue(tracker.sender_id, customer.customer_id if customer else None)
        if customer is not None:
            subject = say(language, "session.code_mail_subject", shop=svc.settings.shop_name)
            body = say(language, "session.code_mail_body", name=customer.first_name, code=code,
                       minutes=CODE_TTL_SECONDS // 60, shop=svc.settings.shop_name)
            try:
                await asyncio.to_thread(send, svc.settings.mail, customer.email, subject, body)
            except MailError as exc:
                # The shopper is told what any email gets (below): a different reply would tell a
                # stranger that this address has an account. The code-sent sentence says what to do
                # when no mail comes.
                logger.error("The verification mail could not be sent: %s", exc)
                svc.verifier.discard(tracker.sender_id)
                audit("code_failed", customer.customer_id, tracker, "the mail server refused the code mail")
            else:
                audit("code_sent", customer.customer_id, tracker, "one-time code mailed")
        else:
            audit("code_sent", None, tracker, "email without an account: no mail")
        dispatcher.utter_message(text=say(language, "session.code_sent", minutes=CODE_TTL_SECONDS // 60))
        return [SlotSet("email", email)]


class ActionVerifyCode(Action):
    """Checks a typed six-digit code; links the account when it matches.

    Six digits with no code pending are an order number typed bare: the order form takes them.
    """

    def name(self) -> str:
        return "action_verify_code"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        language = language_of(tracker)
        svc = services()
        typed = normalise_code(latest_entity(tracker, "verification_code") or latest_text(tracker))
        sender, client = tracker.sender_id, client_of(tracker)
        if svc.state.pending_code(sender) is None:
            order_id = parse_order_id(typed)
            if order_id:
                return [SlotSet("order_id", order_id), FollowupAction("order_status_form")]
            dispatcher.utter_message(text=say(language, "session.no_code_pending"))
            return []
        if not svc.limits.may_verify(sender, client):
            audit("locked", None, tracker, "too many failed verifications")
            dispatcher.utter_message(text=say(language, "session.verify_limit"))
            return []
        check = await asyncio.to_thread(svc.verifier.check, sender, typed or "")
        if check.outcome is CodeOutcome.VERIFIED:
            customer = svc.customers.get(check.customer_id)
            if customer is not None:
                audit("linked", customer.customer_id, tracker, "one-time code")
                dispatcher.utter_message(text=say(language, "session.linked", name=customer.first_name))
                return customer_slots(customer, tracker)
        if check.outcome is CodeOutcome.EXPIRED:
            dispatcher.utter_message(text=say(language, "session.code_expired"))
            return []
        svc.limits.record_failure(sender, client)
        if check.outcome is CodeOutcome.WRONG:
            audit("failed", None, tracker, f"wrong code, {check.attempts_left} attempts left")
            dispatcher.utter_message(text=say(language, "session.code_wrong", left=check.attempts_left))
        else:
            audit("locked", None, tracker, "wrong code, no attempts left")
            dispatcher.utter_message(text=say(language, "session.code_locked"))
        return []
