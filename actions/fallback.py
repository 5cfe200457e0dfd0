"""A readable "did you mean…?" for Rasa's two-stage fallback."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import grounded_answer, is_about_the_shop, send_grounded
from actions.text import latest_text

INTENT_DESCRIPTIONS = {
    "request_recommendation": "a product recommendation",
    "product_question": "a question about a product",
    "order_status": "the status of an order",
    "cancel_order": "cancelling an order",
    "return_item": "returns and refunds",
    "shipping_info": "shipping and delivery",
    "payment_methods": "payment options",
    "warranty": "warranty and protection plans",
    "promotions": "deals and promotions",
    "marketing_opt_out": "unsubscribing from marketing",
    "human_handoff": "talking to a human agent",
    "complaint": "making a complaint",
    "delete_my_data": "deleting your personal data",
}


class ActionDefaultAskAffirmation(Action):
    """Asks whether the best guess was right, in words instead of intent names."""

    def name(self) -> str:
        return "action_default_ask_affirmation"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        # A question the shop's knowledge answers gets the answer, not a guess at its intent; the
        # fallback loop stays open, so "yes" still confirms the guess and a clear new message
        # simply goes on.
        answer = await grounded_answer(tracker)
        if answer.kind in ("generated", "passage", "refused") or (
                answer.kind == "unknown" and is_about_the_shop(latest_text(tracker))):
            # ...and a shop question nobody wrote down gets an honest "I don't know" and a human.
            send_grounded(dispatcher, answer)
            return []
        ranking = (tracker.latest_message or {}).get("intent_ranking") or []
        guess = next((r["name"] for r in ranking if r.get("name") in INTENT_DESCRIPTIONS), None)
        if guess is None:
            dispatcher.utter_message(response="utter_ask_rephrase")
            return []
        dispatcher.utter_message(
            text=f"Sorry, I'm not sure I understood. Is this about {INTENT_DESCRIPTIONS[guess]}?",
            buttons=[
                {"title": "Yes", "payload": f"/{guess}"},
                {"title": "No, something else", "payload": "/out_of_scope"},
            ],
        )
        return []
