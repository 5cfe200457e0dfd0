"""Reasoning about one order against the shop's terms: the return window, the dispatch promise,
the protection plan, and what a damaged or wrong item starts.

The figures come from the ``order_terms`` block of data/shop/knowledge_base.yml (the same file whose
texts state them), so an answer about an order and the policy text never disagree.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np

from shop.orders import Order
from shop.yaml_file import load_mapping


class OrderTermsError(ValueError):
    """The knowledge base has no usable ``order_terms`` block."""


@dataclass(frozen=True)
class OrderTerms:
    return_window_days: int = 30
    protection_plan_rate: float = 0.12
    protection_plan_window_days: int = 30
    dispatch_business_days: int = 1
    late_after_business_days: int = 3

    @classmethod
    def load(cls, knowledge_base: str | Path) -> OrderTerms:
        raw = load_mapping(knowledge_base, "knowledge base", OrderTermsError).get("order_terms")
        if not isinstance(raw, dict):
            raise OrderTermsError(f"{knowledge_base} has no order_terms block")
        try:
            terms = cls(**{name: type(getattr(cls, name))(value) for name, value in raw.items()})
        except (TypeError, ValueError) as error:
            raise OrderTermsError(f"bad order_terms in {knowledge_base}: {error}") from error
        if not 0 < terms.protection_plan_rate < 1 or terms.return_window_days <= 0:
            raise OrderTermsError(f"implausible order_terms in {knowledge_base}: {raw}")
        return terms


def _day(value: str) -> date | None:
    try:
        return datetime.fromisoformat(value[:10]).date() if value else None
    except ValueError:
        return None


@dataclass(frozen=True)
class ReturnCheck:
    delivered: date | None
    days_since_delivery: int | None
    days_left: int | None  # None when not delivered yet

    @property
    def within_window(self) -> bool:
        return self.days_left is not None and self.days_left >= 0


@dataclass(frozen=True)
class DispatchCheck:
    business_days_processing: int
    late: bool


@dataclass(frozen=True)
class ProtectionPlan:
    item_price: float
    price: float
    days_since_purchase: int | None
    days_left: int | None

    @property
    def available(self) -> bool:
        return self.days_left is None or self.days_left >= 0


class OrderAdvisor:
    def __init__(self, terms: OrderTerms) -> None:
        self.terms = terms

    def returns(self, order: Order, today: date) -> ReturnCheck:
        delivered = _day(order.delivered_date) if order.status == "delivered" else None
        if delivered is None:
            return ReturnCheck(None, None, None)
        since = (today - delivered).days
        return ReturnCheck(delivered, since, self.terms.return_window_days - since)

    def dispatch(self, order: Order, today: date) -> DispatchCheck | None:
        """How long a processing order has waited, in business days, against the promise."""
        ordered = _day(order.order_date)
        if order.status != "processing" or ordered is None:
            return None
        waited = int(np.busday_count(ordered, today)) if today > ordered else 0
        return DispatchCheck(waited, waited > self.terms.late_after_business_days)

    def protection_plan(self, item_price: float, purchased: date | None, today: date) -> ProtectionPlan:
        price = round(item_price * self.terms.protection_plan_rate, 2)
        if purchased is None:
            return ProtectionPlan(item_price, price, None, None)
        since = (today - purchased).days
        return ProtectionPlan(item_price, price, since, self.terms.protection_plan_window_days - since)

    def plan_for_order(self, order: Order, today: date) -> list[ProtectionPlan]:
        purchased = _day(order.order_date)
        return [self.protection_plan(item.unit_price, purchased, today) for item in order.items]


# "bought 6 weeks ago", "3 days ago", "last month", "六周前", "两个月前"
_AGO_RE = re.compile(r"\b(\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten)\s+(day|week|month|year)s?\s+ago\b",
                     re.IGNORECASE)
_LAST_RE = re.compile(r"\blast\s+(week|month|year)\b", re.IGNORECASE)
_AGO_ZH_RE = re.compile(r"(\d+|[一二两三四五六七八九十])\s*(?:个)?\s*(天|周|星期|礼拜|月|年)(?:前|之前|以前)")
_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
            "eight": 8, "nine": 9, "ten": 10, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
            "七": 7, "八": 8, "九": 9, "十": 10}
_UNIT_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365,
              "天": 1, "周": 7, "星期": 7, "礼拜": 7, "月": 30, "年": 365}


def days_ago(text: str) -> int | None:
    """How long ago the shopper says something happened ("6 weeks ago" → 42), or None."""
    text = (text or "")[:500]
    match = _AGO_RE.search(text) or _AGO_ZH_RE.search(text)
    if match:
        count = match.group(1).lower()
        number = int(count) if count.isdigit() else _NUMBERS.get(count, 1)
        return number * _UNIT_DAYS[match.group(2).lower()]
    last = _LAST_RE.search(text)
    return _UNIT_DAYS[last.group(1).lower()] if last else None


def today_utc() -> date:
    """Today's date (UTC); ``SHOP_TODAY`` (YYYY-MM-DD) fixes it, so that tests and demos over the
    fixed shop data reason about the same day whatever the clock says."""
    fixed = _day(os.environ.get("SHOP_TODAY", ""))
    return fixed or datetime.now(UTC).date()


def date_days_ago(today: date, days: int) -> date:
    return today - timedelta(days=days)
