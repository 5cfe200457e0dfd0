"""Decides which offer (if any) a customer gets, and records what becomes of it.

Every path into an offer goes through ``MarketingEngine.decide``, which checks consent and the
weekly cap itself, so no caller can forget them. Coupon codes come only from ``accept``.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

import numpy as np
from sqlalchemy.exc import IntegrityError

from shop.config import MarketingSettings
from shop.marketing.bandit import LinearBandit
from shop.marketing.experiments import assign
from shop.marketing.features import FEATURE_SCHEMA, feature_vector
from shop.marketing.history import ShoppingHistory
from shop.marketing.offers import Offer, OfferCatalogue, OfferContext
from shop.marketing.store import Coupon, MarketingStore, as_utc, expiry

NO_OFFER = "no_offer"


class CustomerLookup(Protocol):
    """What the engine needs of shop.customers.CustomerDirectory."""

    def get(self, customer_id: str | None): ...  # noqa: ANN201 - returns shop.customers.Customer | None

    def marketing_consent(self, customer_id: str) -> bool: ...


class OfferError(ValueError):
    """An offer or coupon cannot be used; the message says why, in words fit for the shopper."""


@dataclass(frozen=True)
class Decision:
    decision_id: str
    customer_id: str
    variant: str          # experiment arm
    strategy: str
    arm: str              # an offer id or no_offer
    offer: Offer | None
    point: str


@dataclass(frozen=True)
class Redemption:
    code: str
    offer_id: str
    customer_id: str
    order_id: str
    discount: float


def _rng_for(decision_id: str) -> np.random.Generator:
    # Thompson draws are reproducible from the log: the decision id seeds them.
    return np.random.default_rng(uuid.UUID(decision_id).int % 2**63)


class MarketingEngine:
    def __init__(self, settings: MarketingSettings, offers: OfferCatalogue, store: MarketingStore,
                 customers: CustomerLookup, history: ShoppingHistory) -> None:
        self.settings = settings
        self.offers = offers
        self.store = store
        self.customers = customers
        self.history = history
        self.bandit = LinearBandit(settings.bandit.algorithm, settings.bandit.exploration)

    # Eligibility ----------------------------------------------------------------
    def may_contact(self, customer_id: str | None, chat_opted_out: bool = False) -> bool:
        """Consent as it is right now; an anonymous shopper has given none."""
        if not customer_id or chat_opted_out or self.customers.get(customer_id) is None:
            return False
        return bool(self.customers.marketing_consent(customer_id))

    def offers_left_this_week(self, customer_id: str, now: datetime | None = None) -> int:
        shown = self.store.count_events("shown", customer_id, as_utc(now) - timedelta(days=7))
        return max(0, self.settings.max_offers_per_week - shown)

    def context_for(self, customer_id: str, categories: Sequence[str] = (), cart_value: float = 0.0) -> OfferContext:
        customer = self.customers.get(customer_id)
        first = not (self.history.has_purchased(customer_id) or self.store.has_purchased(customer_id))
        return OfferContext(segment=customer.segment if customer else None, first_purchase=first,
                            categories=tuple(categories), cart_value=float(cart_value or 0.0))

    # Decisions ------------------------------------------------------------------
    def decide(self, customer_id: str | None, point: str, *, sender_id: str | None = None,
               categories: Sequence[str] = (), cart_value: float = 0.0, chat_opted_out: bool = False,
               now: datetime | None = None) -> Decision | None:
        """An offer for this customer at this point, ``no_offer``, or None when none may be made.

        None (nothing logged): no consent, anonymous, cap reached, or a point that is switched off.
        """
        now = as_utc(now)
        if point not in self.settings.decision_points or not self.may_contact(customer_id, chat_opted_out):
            return None
        assert customer_id is not None
        if point == "leaving" and cart_value <= 0:
            return None
        if self.offers_left_this_week(customer_id, now) <= 0:
            return None
        context = self.context_for(customer_id, categories, cart_value)
        eligible = self.offers.eligible(context, now.date(), self.store.discount_spent())
        variant = assign(self.settings.experiment, customer_id)
        decision_id = str(uuid.uuid4())
        x = feature_vector(context, point)
        arm = self._choose(variant.strategy, decision_id, x, eligible, cart_value)
        offer = self.offers.get(arm)
        record = {
            "customer_id": customer_id, "sender_id": sender_id[:200] if sender_id else None, "decision_id": decision_id,
            "experiment": self.settings.experiment.name, "variant": variant.name, "offer_id": arm,
            "point": point, "segment": context.segment, "at": now,
        }
        with self.store.transaction() as conn:
            self.store.add_event("decision", conn, event_id=decision_id, context={
                "x": x.tolist(), "feature_schema": FEATURE_SCHEMA, "strategy": variant.strategy,
                "categories": list(context.categories), "cart_value": context.cart_value,
                "first_purchase": context.first_purchase, "eligible": [o.offer_id for o in eligible]}, **record)
            if offer is not None:
                self.store.add_event("shown", conn, **record)
        if variant.strategy == "bandit":
            self.store.update_arm(arm, FEATURE_SCHEMA, x, self.settings.bandit.ridge, pull=True)
        return Decision(decision_id, customer_id, variant.name, variant.strategy, arm, offer, point)

    def _choose(self, strategy: str, decision_id: str, x: np.ndarray, eligible: list[Offer],
                cart_value: float) -> str:
        if strategy == "plain" or not eligible:
            return NO_OFFER
        if strategy == "biggest_discount":
            return max(eligible, key=lambda offer: offer.nominal_discount(cart_value)).offer_id
        arms = [offer.offer_id for offer in eligible] + [NO_OFFER]
        if strategy == "uniform":
            return arms[int(_rng_for(decision_id).integers(len(arms)))]
        states = self.store.load_arms(arms, FEATURE_SCHEMA, len(x), self.settings.bandit.ridge)
        return self.bandit.choose(x, arms, states, _rng_for(decision_id))

    # The shopper's answer ---------------------------------------------------------
    def _shown_decision(self, decision_id: str | None, customer_id: str | None) -> tuple[dict, Offer]:
        decision = self.store.event(decision_id) if decision_id else None
        if decision is None or decision["kind"] != "decision" or decision["customer_id"] != customer_id:
            raise OfferError("I don't have an open offer for you right now.")
        offer = self.offers.get(decision["offer_id"])
        if offer is None:
            raise OfferError("I don't have an open offer for you right now.")
        return decision, offer

    def accept(self, decision_id: str | None, customer_id: str | None, *, chat_opted_out: bool = False,
               now: datetime | None = None) -> Coupon:
        """Records the acceptance and issues the customer's single-use code for the offer."""
        now = as_utc(now)
        decision, offer = self._shown_decision(decision_id, customer_id)
        if not self.may_contact(customer_id, chat_opted_out):
            raise OfferError("You've opted out of marketing, so I can't give you that offer any more.")
        if now.date() > offer.valid_until:
            raise OfferError("Sorry, that offer has ended.")
        valid_until = datetime.combine(offer.valid_until, datetime.max.time())
        return self.store.issue_coupon(customer_id, offer.offer_id, decision["decision_id"],  # type: ignore[arg-type]
                                       expiry(now, self.settings.coupon_valid_days, valid_until), now)

    def decline(self, decision_id: str | None, customer_id: str | None, now: datetime | None = None) -> bool:
        try:
            decision, offer = self._shown_decision(decision_id, customer_id)
        except OfferError:
            return False
        if self.store.has_event("declined", decision["decision_id"]) or self.store.coupon_for_decision(
                decision["decision_id"]):
            return True
        self.store.add_event("declined", at=as_utc(now), customer_id=customer_id,
                             decision_id=decision["decision_id"], offer_id=offer.offer_id)
        return True

    # Checkout -------------------------------------------------------------------
    def redeem(self, code: str, order_id: str, order_total: float, customer_id: str | None = None,
               now: datetime | None = None) -> Redemption:
        """Uses a coupon on an order (the checkout calls this); each code works once."""
        now = as_utc(now)
        code = (code or "").strip().upper()
        order_id = (order_id or "").strip()
        if not order_id:
            raise OfferError("An order id is needed to redeem a coupon.")
        if not order_total or order_total <= 0:
            raise OfferError("The order total must be a positive amount.")
        coupon = self.store.coupon(code)
        if coupon is None:
            raise OfferError(f"{code or 'That'} is not a valid coupon code.")
        if customer_id and coupon.customer_id != customer_id:
            raise OfferError(f"Coupon {code} belongs to another customer.")
        if coupon.redeemed_at is not None:
            raise OfferError(f"Coupon {code} has already been used (order {coupon.order_id}).")
        if now > coupon.expires_at:
            raise OfferError(f"Coupon {code} expired on {coupon.expires_at:%Y-%m-%d}.")
        offer = self.offers.get(coupon.offer_id)
        if offer is None:
            raise OfferError(f"The offer behind coupon {code} no longer exists.")
        if order_total < offer.min_basket:
            raise OfferError(f"Coupon {code} needs an order of at least ${offer.min_basket:,.2f}.")
        discount = offer.discount_on(order_total)
        try:
            with self.store.transaction() as conn:
                if not self.store.mark_redeemed(code, order_id, now, conn):
                    raise OfferError(f"Coupon {code} has already been used.")
                self.store.add_event("redeemed", conn, at=now, customer_id=coupon.customer_id,
                                     decision_id=coupon.decision_id, offer_id=coupon.offer_id, coupon_code=code,
                                     order_id=order_id, amount=float(order_total), discount=discount)
        except IntegrityError as exc:
            raise OfferError(f"Order {order_id} has already used a coupon.") from exc
        self.record_purchase(coupon.customer_id, order_id, order_total, now=now, decision_id=coupon.decision_id)
        return Redemption(code, coupon.offer_id, coupon.customer_id, order_id, discount)

    def record_purchase(self, customer_id: str, order_id: str, amount: float, *, now: datetime | None = None,
                        decision_id: str | None = None) -> str | None:
        """A completed order: the conversion of the customer's latest open decision, if recent enough.

        Returns the decision it is attributed to. Reporting the same order twice counts it once.
        """
        now = as_utc(now)
        decision = self.store.event(decision_id) if decision_id else None
        if decision is None:
            decision = self.store.latest_decision(customer_id, now - timedelta(days=self.settings.attribution_days))
        # A decision is rewarded once, even if its customer orders again with its coupon.
        converted_before = decision is not None and self.store.has_event("purchase", decision["decision_id"])
        try:
            self.store.add_event("purchase", at=now, customer_id=customer_id, order_id=order_id,
                                 amount=float(amount), decision_id=decision["decision_id"] if decision else None,
                                 variant=decision["variant"] if decision else None,
                                 offer_id=decision["offer_id"] if decision else None,
                                 experiment=decision["experiment"] if decision else None,
                                 segment=decision["segment"] if decision else None)
        except IntegrityError:
            return None  # this order was reported before
        if decision is None:
            return None
        if converted_before:
            return decision["decision_id"]
        context = json.loads(decision["context"] or "{}")
        if context.get("strategy") == "bandit" and context.get("feature_schema") == FEATURE_SCHEMA:
            self.store.update_arm(decision["offer_id"], FEATURE_SCHEMA, np.array(context["x"]),
                                  self.settings.bandit.ridge, reward=1.0)
        return decision["decision_id"]
