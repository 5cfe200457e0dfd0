"""Writes the recorded trackers in tests/actions/trackers/: each conversation is played as Rasa's own
events into Rasa's own ``DialogueStateTracker`` (with this project's domain), and the file is what
Rasa sends the action server for the next action (``current_state(EventVerbosity.ALL)``, as
rasa.core.actions.action.RemoteAction does). The action tests then load them with
``rasa_sdk.Tracker.from_dict``, the way the action server does.

The turns are the ones the NLU and the policies produce for these messages (intents, entities, the
form's slot events, the session start's slots); no trained model is needed to write them.
Run with Rasa's venv after changing the domain or a conversation here:

    .venv-rasa/bin/python -m tests.actions.record_trackers
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    BotUttered,
    Event,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity

REPO = Path(__file__).resolve().parents[2]
OUT = Path(__file__).resolve().parent / "trackers"
# Fixed clocks make the files byte-for-byte reproducible: 2026-12-03 09:00 UTC, the day
# tests/actions/conftest.py fixes for the shop's order reasoning (SHOP_TODAY).
START = 1796288400.0
CHANNEL = "rest"
# Three phones under $500 that the recommender shows for "phones under $500" (data/shop/products.csv).
PHONES = ["P00001", "P00106", "P00107"]
JANE = {"customer_id": "C00001", "customer_name": "Jane", "email": "jane.doe@example.com"}


def user(text: str, intent: str, language: str, entities: dict[str, Any] | None = None,
         confidence: float = 0.97) -> list[Event]:
    """A message as the NLU parses it, then the slots the domain's from_entity mappings fill."""
    found = [{"entity": k, "value": v, "extractor": "DIETClassifier"} for k, v in (entities or {}).items()]
    found.append({"entity": "language", "value": language, "extractor": "LanguageDetector"})
    parse = {"intent": {"name": intent, "confidence": confidence}, "entities": found, "text": text,
             "intent_ranking": [{"name": intent, "confidence": confidence}]}
    slots = {"language": language, **(entities or {})}
    return [ActionExecuted("action_listen"),
            UserUttered(text, parse["intent"], found, parse, input_channel=CHANNEL, metadata={})] + \
        [SlotSet(name, value) for name, value in slots.items()]


def session(language: str, verified: dict[str, str] | None = None) -> list[Event]:
    """Rasa's session start, and the custom action_session_start's slots for a signed-in customer."""
    metadata = {"verified_customer_id": verified["customer_id"]} if verified else {}
    events: list[Event] = [SlotSet("session_started_metadata", metadata), ActionExecuted("action_session_start"),
                           SessionStarted()]
    if verified:
        events += [SlotSet(name, value) for name, value in verified.items()]
    return events


def greeting(language: str) -> list[Event]:
    text = ("您好！我是 Kestrel Electronics 的智能助手 Kes。" if language == "zh"
            else "Hi! I'm Kes, the Kestrel Electronics assistant.")
    return [ActionExecuted("utter_greet"), BotUttered(text, {}, {"utter_action": "utter_greet"})]


def shown_phones(text: str, language: str, budget: str, budget_max: float, heading: str) -> list[Event]:
    """The recommendation form filled in one message and its cards shown."""
    conversation = {"shown": PHONES, "focus": None, "compared": [], "filters": {}, "order_id": None,
                    "cart": [], "last_reply": None}
    return [
        *user(text, "request_recommendation", language, {"category": "phones", "budget": budget}),
        ActionExecuted("recommend_form"), ActiveLoop("recommend_form"),
        SlotSet("budget", budget), SlotSet("budget_min", None), SlotSet("budget_max", budget_max),
        SlotSet("requested_slot", None), ActionExecuted("recommend_form"), ActiveLoop(None),
        ActionExecuted("action_recommend_products"), BotUttered(heading, {}, {}),
        SlotSet("shown_products", PHONES), SlotSet("conversation", conversation),
    ]


def asked_order_id(text: str, intent: str, language: str, form: str, question: str) -> list[Event]:
    """A form that needs an order number has just asked for it."""
    return [*user(text, intent, language), ActionExecuted(form), ActiveLoop(form),
            SlotSet("requested_slot", "order_id"), ActionExecuted("action_ask_order_id"),
            BotUttered(question, {}, {})]


def conversations() -> Iterator[tuple[str, list[Event]]]:
    # What action_session_start receives: the channel's metadata (a verified token's customer id) in
    # the slot Rasa sets just before it, on a new conversation and on one that comes back.
    yield "session_start_token", [SlotSet("session_started_metadata", {"verified_customer_id": "C00001"})]
    yield "session_start_returning_zh", [
        *session("zh"), *user("不要再给我发促销信息了", "marketing_opt_out", "zh"),
        ActionExecuted("action_marketing_opt_out"), SlotSet("marketing_opted_out", True),
        BotUttered("好的,本次对话不会再向您推送优惠。", {}, {}), ActionExecuted("action_listen"),
        SlotSet("session_started_metadata", {"verified_customer_id": "C00002"})]
    yield "guest_en", [*session("en"), *user("hi", "greet", "en"), *greeting("en")]
    yield "guest_zh", [*session("zh"), *user("你好", "greet", "zh"), *greeting("zh")]
    yield "jane_en", [*session("en", JANE), *user("hi there", "greet", "en"), *greeting("en")]
    yield "jane_zh", [*session("zh", JANE), *user("你好", "greet", "zh"), *greeting("zh")]
    yield "phones_en", [*session("en"), *shown_phones("show me phones under $500", "en", "under $500", 500.0,
                                                      "Here are my top picks in phones up to $500:")]
    yield "phones_zh", [*session("zh"), *shown_phones("推荐几款2000元以内的手机", "zh", "2000元以内", 277.78,
                                                      "为您推荐几款$278(约 ¥2,000)以内的手机:")]
    yield "order_form_guest_en", [*session("en"), *asked_order_id(
        "where is my order?", "order_status", "en", "order_status_form",
        "What's your order number? It looks like KE-104233 and is in your confirmation email.")]
    yield "cancel_form_jane_en", [*session("en", JANE), *asked_order_id(
        "I want to cancel my order", "cancel_order", "en", "cancel_order_form",
        "Which order is it about? Pick one or type the order number.")]


def record(sender: str, events: list[Event], domain: Domain) -> dict[str, Any]:
    for index, event in enumerate(events):
        event.timestamp = START + index
    tracker = DialogueStateTracker.from_events(sender, events, slots=domain.slots)
    return tracker.current_state(EventVerbosity.ALL)


def main() -> None:
    domain = Domain.load(REPO / "domain.yml")
    OUT.mkdir(exist_ok=True)
    for name, events in conversations():
        state = record(f"recorded-{name}", events, domain)
        path = OUT / f"{name}.json"
        path.write_text(json.dumps(state, indent=1, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
        print(f"wrote {path.relative_to(REPO)} ({len(state['events'])} events)")


if __name__ == "__main__":
    main()
