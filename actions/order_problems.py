"""One order reasoned about: its return window, its dispatch, its protection plan, and a damaged,
defective or wrong item (a replacement with a free label and a ticket). The reasoning is in
shop/order_advice.py; this module finds the order in focus and says the result."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.order_access import guest_order, status_word
from actions.phrases import category_label
from actions.services import services
from actions.state import load_state, state_event
from actions.text import language_of, latest_entity, latest_text, money, say
from shop.catalog import normalize_category
from shop.order_advice import date_days_ago, days_ago, today_utc
from shop.order_ids import ORDER_ID_EXAMPLE, parse_order_id
from shop.orders import Order

_WRONG_RE = re.compile(r"\b(wrong|not what i ordered|isn'?t what i ordered|different (?:item|product|model|colou?r)|"
                       r"mix(?:ed)? up)\b|发错|寄错|不是我买的|不是我订的|错了", re.IGNORECASE)
_DAMAGED_RE = re.compile(r"\b(damaged|dammaged|damage|broken|brokn|cracked|crushed|smashed|dented|shattered)\b|"
                         r"坏|破损|碎|压扁|摔", re.IGNORECASE)
RETURN_RE = re.compile(r"\b(return|send (?:it )?back|refund)\w*|退货|退款|退回|能退", re.IGNORECASE)
_PLAN_RE = re.compile(r"\b(protection plan|extended warranty|protection|care plan|extend(?:ed)? the warranty)\b|"
                      r"延保|保障计划|延长保修|延长保障", re.IGNORECASE)
_ABOUT_ORDER_RE = re.compile(r"\b(my order|this order|the order|it|my parcel|my package|mine)\b|订单|我的|它|包裹",
                             re.IGNORECASE)
_SHIP_RE = re.compile(r"\b(ship|shipped|dispatch|dispatched|send|sent|arrive|leave|processing)\b|发货|寄出|发出",
                      re.IGNORECASE)
_AMOUNT_RE = re.compile(r"\$\s*(\d[\d,]*(?:\.\d+)?)|(\d[\d,]*(?:\.\d+)?)\s*(?:dollars|bucks|usd|美元|刀)",
                        re.IGNORECASE)


def named_order(tracker: Tracker) -> Order | None:
    """The order the shopper means: named now, else the one the conversation is about; only the
    shopper's own when the shopper is known. A guest's is anyone's order, for what is public about
    it (the policy's figures); what acts on it goes through ``order_in_focus``."""
    orders = services().orders
    customer_id = tracker.get_slot("customer_id")
    state = load_state(tracker)
    for candidate in (latest_entity(tracker, "order_id"), parse_order_id(latest_text(tracker)),
                      tracker.get_slot("order_id"), state.order_id):
        order = orders.get(parse_order_id(candidate) if isinstance(candidate, str) else None)
        if order is not None and (not customer_id or order.customer_id == customer_id):
            return order
    return None


def order_in_focus(tracker: Tracker) -> Order | None:
    """``named_order``, when the shopper may see it: a verified customer's own, or the order a guest
    named together with the email it was placed with (the order-status form's proof)."""
    order = named_order(tracker)
    if order is None or tracker.get_slot("customer_id"):
        return order
    proven = guest_order(tracker)
    return order if proven is not None and proven.order_id == order.order_id else None


def _item_name(order: Order, text: str, language: str) -> str:
    catalog = services().catalog
    products = [catalog.get(item.product_id) for item in order.items]
    products = [p for p in products if p is not None]
    if not products:
        return order.order_id
    named = catalog.find_by_name(text)
    for product in products:
        if named is not None and product.product_id == named.product_id:
            return product.display_name(language)
    category = normalize_category(text)
    chosen = next((p for p in products if p.category == category), max(products, key=lambda p: p.price))
    return chosen.display_name(language)


def order_advice(tracker: Tracker, intent: str | None) -> str | None:
    """A policy question answered for the order in focus (or the figures the shopper gives), or None."""
    svc = services()
    language = language_of(tracker)
    text = latest_text(tracker)
    terms = svc.advisor.terms
    today = today_utc()
    if _PLAN_RE.search(text):
        amount = _AMOUNT_RE.search(text)
        ago = days_ago(text)
        if amount:
            price = float((amount.group(1) or amount.group(2)).replace(",", ""))
            purchased = date_days_ago(today, ago) if ago is not None else None
            plan = svc.advisor.protection_plan(price, purchased, today)
            values = dict(item=_item_from_text(text, language), plan=money(plan.price, language),
                          rate=f"{terms.protection_plan_rate * 100:g}", price=money(price, language),
                          window=terms.protection_plan_window_days)
            if plan.days_since_purchase is None:
                return say(language, "advice.plan_price", **{k: v for k, v in values.items() if k != "item"})
            key = "advice.plan_open" if plan.available else "advice.plan_closed"
            return say(language, key, days=plan.days_since_purchase, left=plan.days_left, **values)
        order = order_in_focus(tracker)
        if order is not None and order.items:
            item = max(order.items, key=lambda i: i.unit_price)
            plan = svc.advisor.plan_for_order(order, today)[order.items.index(item)]
            product = svc.catalog.get(item.product_id)
            name = product.display_name(language) if product else item.product_id
            key = "advice.plan_open" if plan.available else "advice.plan_closed"
            return say(language, key, item=name, plan=money(plan.price, language),
                       rate=f"{terms.protection_plan_rate * 100:g}", price=money(item.unit_price, language),
                       window=terms.protection_plan_window_days, days=plan.days_since_purchase, left=plan.days_left)
        return None
    order = order_in_focus(tracker)
    if order is None or not (_ABOUT_ORDER_RE.search(text) or parse_order_id(text)):
        return None
    if intent == "return_item":
        check = svc.advisor.returns(order, today)
        if check.delivered is None:
            return say(language, "advice.return_not_delivered", order_id=order.order_id,
                       status=status_word(order.status, language), window=terms.return_window_days)
        date = check.delivered.isoformat()
        if check.within_window:
            return say(language, "advice.return_open", order_id=order.order_id, date=date,
                       days=check.days_since_delivery, window=terms.return_window_days, left=check.days_left,
                       label=say(language, "advice.label_free"))
        closed = date_days_ago(check.delivered, -terms.return_window_days).isoformat()
        return say(language, "advice.return_closed", order_id=order.order_id, date=date,
                   days=check.days_since_delivery, window=terms.return_window_days, closed=closed)
    if intent in ("shipping_info", "order_status") and _SHIP_RE.search(text):
        return dispatch_note(order, language)
    return None


def late_by(order: Order) -> int | None:
    """Business days a processing order has waited, when that is past the dispatch promise."""
    dispatch = services().advisor.dispatch(order, today_utc())
    return dispatch.business_days_processing if dispatch is not None and dispatch.late else None


def dispatch_note(order: Order, language: str) -> str | None:
    """For a processing order: how long it has waited against the dispatch promise."""
    svc = services()
    dispatch = svc.advisor.dispatch(order, today_utc())
    if dispatch is None:
        return None
    key = "advice.processing_late" if dispatch.late else "advice.processing_ok"
    return say(language, key, order_id=order.order_id, date=order.order_date[:10],
               days=dispatch.business_days_processing, promise=svc.advisor.terms.dispatch_business_days)


def _item_from_text(text: str, language: str) -> str:
    product = services().catalog.find_by_name(text)
    if product is not None:
        return product.display_name(language)
    category = normalize_category(text)
    label = category_label(category, language)
    return label.rstrip("s") if language == "en" and category else label


class ActionItemProblem(Action):
    """A damaged, defective or wrong item: a replacement with a free return label and a ticket."""

    def name(self) -> str:
        return "action_item_problem"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        svc = services()
        language = language_of(tracker)
        order = order_in_focus(tracker)
        state = load_state(tracker)
        told_now = latest_text(tracker)
        if order is None and named_order(tracker) is not None:
            # A guest naming an order number proves nothing: the problem goes on record for a person,
            # and the replacement (a free label sent to the order's address) waits for verification.
            ticket = svc.state.create_ticket("replacement", f"item problem, guest not verified: {told_now[:300]}",
                                             sender_id=tracker.sender_id)
            dispatcher.utter_message(text=say(language, "problem.needs_verification", ticket_id=ticket.ticket_id))
            return [SlotSet("ticket_id", ticket.ticket_id)]
        if order is None:
            # A ticket at once (the problem is on record, a person can pick it up), then the order.
            ticket = svc.state.create_ticket("replacement", f"item problem, order not yet given: {told_now[:300]}",
                                             customer_id=tracker.get_slot("customer_id"),
                                             sender_id=tracker.sender_id)
            state.filters["problem_ticket"] = {"value": ticket.ticket_id, "origin": "asked"}
            recent = [o for o in svc.orders.for_customer(tracker.get_slot("customer_id"), limit=4)
                      if o.status == "delivered"]
            dispatcher.utter_message(
                text=say(language, "problem.ask_order", example=ORDER_ID_EXAMPLE, ticket_id=ticket.ticket_id),
                buttons=[{"title": o.order_id, "payload": f'/item_problem{{"order_id": "{o.order_id}"}}'}
                         for o in recent] + [{"title": say(language, "grounded.button_human"),
                                              "payload": "/human_handoff"}])
            return [state_event(state), SlotSet("ticket_id", ticket.ticket_id)]
        state.order_id = order.order_id
        if order.status != "delivered":
            dispatcher.utter_message(text=say(language, "problem.not_delivered", order_id=order.order_id,
                                              status=status_word(order.status, language)))
            return [state_event(state), SlotSet("order_id", order.order_id)]
        # The problem is told in the earlier message when this one only gave the order number.
        texts = [e.get("text") or "" for e in tracker.events if e.get("event") == "user"][-2:]
        told = " ".join(texts)
        kind = "problem.wrong" if _WRONG_RE.search(told) else "problem.damaged" if _DAMAGED_RE.search(told) \
            else "problem.defective"
        item = _item_name(order, told, language)
        pending = (state.filters.pop("problem_ticket", None) or {}).get("value")
        ticket_id = pending or svc.state.create_ticket(
            "replacement", f"{order.order_id}: {kind.split('.')[1]} item: {told[:300]}",
            customer_id=tracker.get_slot("customer_id"), sender_id=tracker.sender_id).ticket_id
        dispatcher.utter_message(text=say(language, "problem.started", item=item, order_id=order.order_id,
                                          what=say(language, kind), ticket_id=ticket_id))
        return [state_event(state), SlotSet("order_id", order.order_id), SlotSet("ticket_id", ticket_id)]
