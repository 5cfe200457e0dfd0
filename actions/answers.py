"""Answers from the shop's own knowledge: policies, product facts and standing offers."""

from __future__ import annotations

import asyncio
import re
from functools import partial
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher

from actions.cards import data_sheet
from actions.conversation import answer_about_products, shopping_redirect
from actions.marketing import offer_events, show_offer
from actions.order_access import order_by_status
from actions.order_problems import order_advice
from actions.orders import describe_status
from actions.recommendations import product_in_list, shopper_key
from actions.services import services
from actions.text import language_of, latest_entity, latest_intent, latest_text, say
from shop.catalog import normalize_category
from shop.grounded.answerer import GroundedAnswer

# Facts that apply to every order, offered when a shopper asks about deals.
# Targeted offers come from the marketing module; none are invented here.
STANDING_OFFER_FACTS = ("shipping_cost", "payment_instalments", "price_match")


class ActionAnswerPolicy(Action):
    """Shipping, payment, returns and warranty questions, answered from the knowledge base."""

    def name(self) -> str:
        return "action_answer_policy"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        redirect = shopping_redirect(tracker)
        if redirect is not None:
            return redirect
        referred = order_by_status(tracker)
        if referred is not None:  # "and the one that was delivered?" after an order: that order's status
            dispatcher.utter_message(text=describe_status(referred, language_of(tracker)))
            return [SlotSet("order_id", referred.order_id)]
        advice = order_advice(tracker, latest_intent(tracker))
        if advice is not None:  # the policy applied to the order in focus (or the figures given)
            dispatcher.utter_message(text=advice)
            return []
        answer = services().knowledge.answer_in(language_of(tracker), latest_text(tracker), latest_intent(tracker))
        if answer.text == _last_bot_text(tracker) and not answer.guessed:
            # The same block again, to another question: say that it is the same, and offer a person.
            dispatcher.utter_message(text=say(language_of(tracker), "conv.same_answer"), buttons=[
                {"title": say(language_of(tracker), "grounded.button_human"), "payload": "/human_handoff"}])
            return []
        if answer.guessed and not _meaning_agrees(latest_text(tracker), answer.fact_ids, language_of(tracker)):
            # The intent alone chose this policy and the question's meaning is closer to another one
            # ("do you sell refrigerators?" read as return_item): say what the shop knows, or that it
            # does not know, rather than recite the wrong policy.
            send_grounded(dispatcher, await grounded_answer(tracker), language_of(tracker))
        else:
            dispatcher.utter_message(text=answer.text)
        return []


def _last_bot_text(tracker: Tracker) -> str | None:
    return next((e.get("text") for e in reversed(tracker.events) if e.get("event") == "bot"), None)


def _meaning_agrees(question: str, fact_ids: tuple[str, ...], language: str = "en") -> bool:
    """Whether the policy closest in meaning to the question is one of these facts ("do you take
    bitcoin?" is closest to the payment methods, which the payment overview states)."""
    closest = services().answerer.retriever.closest_policy(question, language)  # the index is multilingual
    return closest is not None and closest.passage_id.removeprefix("fact:") in fact_ids


class ActionPromotions(Action):
    def name(self) -> str:
        return "action_promotions"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        redirect = shopping_redirect(tracker)
        if redirect is not None:
            return redirect
        kb = services().knowledge
        language = language_of(tracker)
        answer = kb.answer_in(language, latest_text(tracker), "promotions")
        category = latest_entity(tracker, "category") or tracker.get_slot("category")
        categories = [c for c in [normalize_category(category)] if c]
        # The personal offer (if the customer may get one) is decided first, so the facts can say so.
        decision = services().marketing.decide(
            tracker.get_slot("customer_id"), "promotions", sender_id=tracker.sender_id, categories=categories,
            chat_opted_out=bool(tracker.get_slot("marketing_opted_out")))
        personal = decision is not None and decision.offer is not None
        lines = [say(language, "promo.lead_personal" if personal else "promo.lead_no_codes")]
        lines += [f"• {kb.fact_text(fact_id, language)}" for fact_id in STANDING_OFFER_FACTS]
        # A specific question ("do you price match?") gets its fact first.
        if answer.kind == "fact" and not set(answer.fact_ids) <= set(STANDING_OFFER_FACTS):
            lines.insert(0, answer.text)
        dispatcher.utter_message(text="\n".join(lines))
        if personal:
            show_offer(dispatcher, decision, language=language)
        return offer_events(decision)


def _history(tracker: Tracker, turns: int = 2) -> list[tuple[str, str]]:
    """The last few messages before the current one, oldest first, for the generator's prompt."""
    lines: list[tuple[str, str]] = []
    events = [e for e in tracker.events if e.get("event") in ("user", "bot") and e.get("text")]
    for event in events[-(2 * turns + 1):-1]:
        lines.append(("Shopper" if event["event"] == "user" else "Assistant", str(event["text"])))
    return lines


# Words that make an unanswerable question one about the shop (a human may know), not small talk.
_ABOUT_THE_SHOP = re.compile(
    r"\b(you|your|kestrel|shop|store|stores|sell|sells|stock|order|orders|buy|deliver|delivery|pick ?up|"
    r"discount|discounts|gift|price|prices|warranty|repair|install|installation|trade[- ]in)\b|"
    r"你们|贵店|店里|商店|门店|有货|库存|订单|下单|购买|买|送货|配送|自提|优惠|折扣|礼品|礼物|价格|价钱|保修|维修|"
    r"安装|以旧换新", re.I)
def is_about_the_shop(text: str) -> bool:
    return bool(_ABOUT_THE_SHOP.search(text))


_REFERS_BACK = re.compile(r"\b(it|its|it's|this|that|this one|that one|them|they)\b|"
                          r"它|这款|那款|这个|那个|这台|那台", re.I)


def product_in_context(tracker: Tracker) -> str | None:
    """The product the conversation is about, when the message points back at it ("does it…")."""
    if not _REFERS_BACK.search(latest_text(tracker)):
        return None
    product = services().catalog.find_by_name(tracker.get_slot("product") or "")
    return product.product_id if product else None


async def grounded_answer(tracker: Tracker, product_id: str | None = None) -> GroundedAnswer:
    """The grounded answer to the latest message, computed off the event loop."""
    svc = services()
    question, history = latest_text(tracker), _history(tracker)
    product_id = product_id or product_in_context(tracker)
    # Every language takes the same path; the answer comes in the shopper's language.
    return await asyncio.get_running_loop().run_in_executor(
        None, partial(svc.answerer.answer, question, history, product_id, language_of(tracker)))


def send_grounded(dispatcher: CollectingDispatcher, answer: GroundedAnswer, language: str = "en") -> None:
    if answer.offers_human:
        dispatcher.utter_message(text=answer.text, buttons=[
            {"title": say(language, "grounded.button_human"), "payload": "/human_handoff"},
            {"title": say(language, "grounded.button_no"), "payload": "/deny"},
        ])
    else:
        dispatcher.utter_message(text=answer.text)


class ActionGroundedAnswer(Action):
    """Free-form answers from the shop's knowledge for questions no rule covers: out-of-scope
    intents and the core fallback. Off-topic chat gets the out-of-scope reply."""

    def name(self) -> str:
        return "action_grounded_answer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        redirect = shopping_redirect(tracker)
        if redirect is not None:
            return redirect
        out_of_scope = latest_intent(tracker) == "out_of_scope"
        if not out_of_scope:
            # "the second one" after a list, read as a bare inform no rule takes: a follow-up on what
            # was shown comes before the knowledge (the message leaves the dialogue, as below).
            followed = answer_about_products(dispatcher, tracker, redirect=False)
            if followed is not None:
                return [UserUtteranceReverted(), *followed]
        answer = await grounded_answer(tracker)
        if answer.kind == "unknown" and out_of_scope and not is_about_the_shop(latest_text(tracker)):
            dispatcher.utter_message(response="utter_out_of_scope")
        else:
            send_grounded(dispatcher, answer, language_of(tracker))
        # As the core fallback it must take the message back out of the dialogue, as Rasa's default
        # fallback does; otherwise the same uncertain prediction comes again and answers again.
        return [] if out_of_scope else [UserUtteranceReverted()]


class ActionAnswerProductQuestion(Action):
    """A card's "Details" button gets the product's data sheet; a typed question about a product
    gets a grounded free-form answer about it."""

    def name(self) -> str:
        return "action_answer_product_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        svc = services()
        catalog = svc.catalog
        language = language_of(tracker)
        text = latest_text(tracker)
        # A follow-up about what was shown ("which one has the most RAM?", "第一个怎么样?") or a
        # catalogue question ("cheapest iphone") is answered from the state and the catalogue.
        answered = answer_about_products(dispatcher, tracker)
        if answered is not None:
            return answered
        named = latest_entity(tracker, "product")
        # A card's "Details" button names the product id. Otherwise the whole message first: a
        # full product name in it beats the (often partial) span NLU tagged as the product.
        product = catalog.get(named) or catalog.find_by_name(text) or catalog.find_by_name(named)
        shown = tracker.get_slot("shown_products") or []
        if product is None:
            product = product_in_list(text, shown)
        if product is not None and product.product_id in shown:
            svc.feedback.record(shopper_key(tracker), product.product_id, "details")
        if product is not None and text.startswith("/"):
            dispatcher.utter_message(text=data_sheet(product, language))
            return [SlotSet("product", product.name)]
        if product is None:
            # "does it have 5G?" right after talking about a product means that product.
            product = catalog.find_by_name(tracker.get_slot("product") or "")
        answer = await grounded_answer(tracker, product.product_id if product else None)
        if answer.kind == "unknown" and product is None and _REFERS_BACK.search(text):
            # "does it have 5G?" with nothing in focus; a question about no product at all ("do you
            # sell refrigerators?") gets the honest "I don't know" and a human instead.
            dispatcher.utter_message(text=say(language, "product.which"))
            return []
        send_grounded(dispatcher, answer, language)
        return [SlotSet("product", product.name)] if product is not None else []
