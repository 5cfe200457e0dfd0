"""Personal offers in the chat (actions/marketing.py): none without consent, an offer taken gives the
customer's own code from the store, a declined one is recorded, goodbye asks for a rating once."""

from __future__ import annotations

from typing import Any

import pytest

from shop.marketing.experiments import assign
from tests.actions.conftest import Chat


def bandit_customers(shop: Any, count: int) -> list[str]:
    """Customers with marketing consent whom the experiment gives personal offers (not the control
    group), who have seen no offer yet this session."""
    found = []
    for number in range(300, 600):
        customer_id = f"C{number:05d}"
        if shop.customers.get(customer_id) is None or not shop.customers.marketing_consent(customer_id):
            continue
        if assign(shop.marketing.settings.experiment, customer_id).strategy != "bandit":
            continue
        if shop.marketing.offers_left_this_week(customer_id) == shop.marketing.settings.max_offers_per_week:
            found.append(customer_id)
        if len(found) == count:
            return found
    raise AssertionError("no customers left for the offer tests")


def open_offer(shop: Any, customer_id: str, sender: str) -> Any:
    """A decision with an offer shown, as the engine makes it at the promotions point (the bandit
    explores, so a decision may be "no offer"; those do not count against the weekly cap)."""
    for _ in range(30):
        decision = shop.marketing.decide(customer_id, "promotions", sender_id=sender)
        if decision is not None and decision.offer is not None:
            return decision
    pytest.fail(f"the engine made no offer to {customer_id} in 30 decisions")


def test_an_offer_taken_gives_the_customers_own_code(shop: Any) -> None:
    [customer_id] = bandit_customers(shop, 1)
    chat = Chat("jane_en", customer_id=customer_id)
    decision = open_offer(shop, customer_id, chat.sender)
    chat.set(offer_decision=decision.decision_id)
    reply = chat.user("yes please", "accept_offer").run("action_accept_offer")
    coupon = shop.marketing.store.coupon_for_decision(decision.decision_id)
    assert coupon is not None and coupon.customer_id == customer_id
    assert reply.text.startswith(f"Great! Your personal code is {coupon.code}: {decision.offer.title}.")
    assert reply.slots == {"offer_decision": None}


def test_an_offer_declined_is_recorded_as_declined(shop: Any) -> None:
    [customer_id] = bandit_customers(shop, 1)
    chat = Chat("jane_zh", customer_id=customer_id)
    decision = open_offer(shop, customer_id, chat.sender)
    reply = chat.set(offer_decision=decision.decision_id).user("不用了", "deny").run("action_decline_offer")
    assert reply.text == "没问题,这个优惠我先撤回了。还有什么可以帮您的吗?"
    assert shop.marketing.store.has_event("declined", decision.decision_id)
    assert shop.marketing.store.coupon_for_decision(decision.decision_id) is None


def test_no_open_offer_to_take(shop: Any) -> None:
    reply = Chat("guest_en").user("I'll take it", "accept_offer").run("action_accept_offer")
    assert reply.text == "I don't have an open offer for you right now. Is there anything else I can help you with?"
    zh = Chat("guest_zh").user("我要", "accept_offer").run("action_accept_offer")
    assert zh.text == "目前没有可以给您的优惠。还有什么可以帮您的吗?"  # the engine's reason, in Chinese
    # Someone else's offer is not this customer's to take.
    [owner] = bandit_customers(shop, 1)
    decision = open_offer(shop, owner, "someone-else")
    other = Chat("jane_en", offer_decision=decision.decision_id).user("yes", "accept_offer").run("action_accept_offer")
    assert other.text.startswith("I don't have an open offer") and \
        shop.marketing.store.coupon_for_decision(decision.decision_id) is None


def test_ill_take_it_right_after_a_product_adds_it_to_the_cart() -> None:
    chat = Chat("phones_en")
    chat.state["slots"]["conversation"]["focus"] = "P00107"
    reply = chat.user("I'll take it", "accept_offer").run("action_accept_offer")
    assert reply.text.startswith("Added Samsung Galaxy A35 5G 128GB to your cart")
    assert reply.slots["offer_decision"] is None


def test_a_price_objection_without_consent_offers_ways_to_pay_less(shop: Any) -> None:
    for chat in (Chat("phones_en"), Chat("jane_en", marketing_opted_out=True, shown_products=["P00001"])):
        reply = chat.user("that's too expensive", "price_objection").run("action_price_objection")
        assert reply.text.startswith("I understand. I can look for something cheaper")
        assert shop.knowledge.fact_text("price_match", "en") in reply.text
        assert reply.payloads == ["show me cheaper ones"] and "offer_decision" not in reply.slots


def test_a_price_objection_for_a_customer_who_may_get_offers(shop: Any) -> None:
    [customer_id] = bandit_customers(shop, 1)
    reply = Chat("jane_en", customer_id=customer_id).user("too pricey for me", "price_objection") \
        .run("action_price_objection")
    if "offer_decision" in reply.slots:  # the bandit chose an offer: shown with its buttons
        assert reply.text.startswith("I understand, it's a lot of money. I can offer you ")
        assert reply.payloads == ["/accept_offer", "/deny"]
        assert shop.marketing.store.event(reply.slots["offer_decision"])["customer_id"] == customer_id
    else:  # or none: the ways to pay less, as for anyone
        assert reply.text.startswith("I understand. I can look for something cheaper")


def test_goodbye_asks_for_a_rating_once() -> None:
    chat = Chat("guest_en")
    reply = chat.user("bye", "goodbye").run("action_goodbye")
    assert reply.responses == ["utter_goodbye"]
    assert reply.payloads == ['/rate_conversation{"rating": "up"}', '/rate_conversation{"rating": "down"}']
    chat.user('/rate_conversation{"rating": "up"}', "rate_conversation", {"rating": "up"})
    again = chat.user("bye", "goodbye").run("action_goodbye")
    assert again.responses == ["utter_goodbye"] and again.buttons == []


def test_marketing_opt_in_needs_an_account_and_then_records_consent(shop: Any) -> None:
    guest = Chat("guest_en", marketing_opted_out=True).user("send me offers again", "marketing_opt_in") \
        .run("action_marketing_opt_in")
    assert guest.text.startswith("I can turn marketing back on for your account")
    customer_id = "C00250"
    shop.customers.set_marketing_consent(customer_id, False)
    reply = Chat("jane_en", customer_id=customer_id).user("opt me back in", "marketing_opt_in") \
        .run("action_marketing_opt_in")
    assert reply.text.startswith("Done: you're opted in to marketing again")
    assert reply.slots == {"marketing_opted_out": None}
    assert shop.customers.marketing_consent(customer_id) is True


def test_promotions_invent_no_code_for_a_guest(shop: Any) -> None:
    reply = Chat("guest_en").user("any deals on right now?", "promotions").run("action_promotions")
    lines = reply.text.split("\n")
    assert lines[0] == "I don't have any coupon codes to give out right now, but these apply to every order:"
    assert lines[1:] == [f"• {shop.knowledge.fact_text(fact, 'en')}"
                         for fact in ("shipping_cost", "payment_instalments", "price_match")]
    assert reply.events == [] and reply.buttons == []
