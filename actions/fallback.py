"""A readable "did you mean…?" for Rasa's two-stage fallback."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import grounded_answer, is_about_the_shop, send_grounded
from actions.conversation import answer_about_products
from actions.text import language_of, latest_text, say

# The intents a guess may name; each is described in words by the catalogue's "intent.<name>".
INTENT_DESCRIPTIONS = (
    "request_recommendation", "product_question", "order_status", "cancel_order", "return_item", "shipping_info",
    "payment_methods", "warranty", "promotions", "marketing_opt_out", "human_handoff", "complaint",
    "delete_my_data",
)


# Intents that change something; an unsure reading of one is asked about in its own words ("Do you
# want me to stop sending you offers?") before anything else (config.yml's SideEffectGuard list).
CONFIRMED_INTENTS = ("marketing_opt_out", "marketing_opt_in", "complaint", "human_handoff", "not_interested",
                     "accept_offer")
# config.yml's FallbackClassifier threshold: a reading at least this sure fell back only because it
# would change something (the guard's stricter bar), so it is asked about rather than answered.
GENERAL_FALLBACK_THRESHOLD = 0.45


def _guarded_guess(tracker: Tracker) -> str | None:
    ranking = (tracker.latest_message or {}).get("intent_ranking") or []
    reading = next((r for r in ranking if r.get("name") != "nlu_fallback"), None)
    if reading and reading["name"] in CONFIRMED_INTENTS and reading.get("confidence", 0) >= GENERAL_FALLBACK_THRESHOLD:
        return reading["name"]
    return None


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
        language = language_of(tracker)
        guarded = _guarded_guess(tracker)
        if guarded:
            dispatcher.utter_message(
                text=say(language, f"confirm.{guarded}"),
                buttons=[
                    {"title": say(language, "fallback.button_yes"), "payload": f"/{guarded}"},
                    {"title": say(language, "fallback.button_no"), "payload": "/out_of_scope"},
                ],
            )
            return []
        # A follow-up about what was shown or a catalogue question ("a charger for my macbook
        # air") is answered from the conversation state and the catalogue.
        answered = answer_about_products(dispatcher, tracker, redirect=False)
        if answered is not None:
            return answered
        answer = await grounded_answer(tracker)
        if answer.kind in ("generated", "passage", "refused") or (
                answer.kind == "unknown" and is_about_the_shop(latest_text(tracker))):
            # ...and a shop question nobody wrote down gets an honest "I don't know" and a human.
            send_grounded(dispatcher, answer, language)
            return []
        ranking = (tracker.latest_message or {}).get("intent_ranking") or []
        guess = next((r["name"] for r in ranking if r.get("name") in INTENT_DESCRIPTIONS), None)
        if guess is None:
            dispatcher.utter_message(response="utter_ask_rephrase")
            return []
        dispatcher.utter_message(
            text=say(language, "fallback.ask_affirmation", topic=say(language, f"intent.{guess}")),
            buttons=[
                {"title": say(language, "fallback.button_yes"), "payload": f"/{guess}"},
                {"title": say(language, "fallback.button_no"), "payload": "/out_of_scope"},
            ],
        )
        return []
