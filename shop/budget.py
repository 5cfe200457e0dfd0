"""Turns what shoppers say about money ("under $500", "between 200 and 400") into a price range."""

from __future__ import annotations

import re
from dataclasses import dataclass

from shop.budget_zh import parse_budget_zh
from shop.currency import Currency

# Above this a number is not a believable budget for one electronics item (e.g. a pasted id).
MAX_BUDGET = 100_000.0

_NUMBER = r"\$?\s*(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*(k|grand|thousand)?\b"
_NUMBER_RE = re.compile(_NUMBER, re.IGNORECASE)
_RANGE_RE = re.compile(
    rf"(?:between|from)?\s*{_NUMBER}\s*(?:dollars|bucks|usd|\$)?\s*(?:-|–|—|to|and|till|until)\s*{_NUMBER}",
    re.IGNORECASE,
)
_NO_LIMIT_RE = re.compile(
    r"\b(no (?:budget|limit|max(?:imum)?|preference)|any(?:thing)?|unlimited|doesn'?t matter|"
    r"don'?t care|whatever|money is no object|not sure|no idea)\b",
    re.IGNORECASE,
)
_AT_MOST_RE = re.compile(
    r"\b(under|below|less than|cheaper than|up to|max(?:imum)?|at most|no more than|not more than|"
    r"within|or less|or under|tops|upto)\b|<",
    re.IGNORECASE,
)
_AT_LEAST_RE = re.compile(
    r"\b(over|above|more than|at least|min(?:imum)?|starting at|from|upwards of|or more|plus)\b|\+|>",
    re.IGNORECASE,
)
_CHINESE_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff¥￥]")
DEFAULT_YUAN_PER_DOLLAR = Currency().yuan_per_dollar
_AROUND_RE = re.compile(r"\b(around|about|roughly|approx(?:imately)?|close to|near|circa)\b|~", re.IGNORECASE)


@dataclass(frozen=True)
class BudgetRange:
    """A price range in dollars; ``None`` on a side means unbounded."""

    min_price: float | None = None
    max_price: float | None = None

    @property
    def unlimited(self) -> bool:
        return self.min_price is None and self.max_price is None

    def contains(self, price: float) -> bool:
        return (self.min_price is None or price >= self.min_price) and (
            self.max_price is None or price <= self.max_price
        )

    def describe(self) -> str:
        if self.min_price is not None and self.max_price is not None:
            return f"between ${self.min_price:,.0f} and ${self.max_price:,.0f}"
        if self.max_price is not None:
            return f"up to ${self.max_price:,.0f}"
        if self.min_price is not None:
            return f"from ${self.min_price:,.0f}"
        return "with no price limit"

    def describe_zh(self, currency: Currency) -> str:
        """The range as a Chinese attribute: "$500(约 ¥3,600)以内"."""
        low = None if self.min_price is None else currency.whole(self.min_price, "zh")
        high = None if self.max_price is None else currency.whole(self.max_price, "zh")
        if low and high:
            return f"{low}到{high}之间"
        if high:
            return f"{high}以内"
        if low:
            return f"{low}以上"
        return "不限价格"


def _to_amount(digits: str, suffix: str | None) -> float:
    value = float(digits.replace(",", ""))
    if suffix:
        value *= 1000
    return value


def parse_budget(text: str | None, yuan_per_dollar: float = DEFAULT_YUAN_PER_DOLLAR) -> BudgetRange | None:
    """Reads a budget from free text, English or Chinese; ``None`` when the text states no usable budget.

    A bare amount ("$300") is read as a ceiling, because that is what shoppers mean. Chinese amounts
    in yuan are converted to dollars at ``yuan_per_dollar`` (shop/budget_zh.py).
    """
    if not text or not isinstance(text, str):
        return None
    text = text.strip()[:500]
    if _CHINESE_RE.search(text):
        bounds = parse_budget_zh(text, yuan_per_dollar)
        if bounds is None:
            return None
        low, high = bounds
        if (high is not None and high > MAX_BUDGET) or (low is not None and low > MAX_BUDGET):
            return None
        return BudgetRange(low, high)
    range_match = _RANGE_RE.search(text)
    if range_match:
        low = _to_amount(range_match.group(1), range_match.group(2))
        high = _to_amount(range_match.group(3), range_match.group(4))
        # "1-2k" means 1,000-2,000: a suffix on the upper bound applies to both.
        if range_match.group(4) and not range_match.group(2) and low < high / 100:
            low *= 1000
        low, high = sorted((low, high))
        if high <= 0 or high > MAX_BUDGET:
            return None
        return BudgetRange(low if low > 0 else None, high)
    numbers = list(_NUMBER_RE.finditer(text))
    if not numbers:
        return BudgetRange() if _NO_LIMIT_RE.search(text) else None
    for pattern, kind in ((_AROUND_RE, "around"), (_AT_MOST_RE, "max"), (_AT_LEAST_RE, "min")):
        qualifier = pattern.search(text)
        if not qualifier:
            continue
        # The amount a qualifier governs follows it ("iphone 15 under 800" means 800),
        # except in postfix forms such as "500 or less" and "500+".
        after = [m for m in numbers if m.start() >= qualifier.end()]
        before = [m for m in numbers if m.end() <= qualifier.start()]
        match = after[0] if after else before[-1] if before else None
        if match is None:
            continue
        amount = _to_amount(match.group(1), match.group(2))
        if amount <= 0 or amount > MAX_BUDGET:
            return None
        if kind == "around":
            return BudgetRange(round(amount * 0.8, 2), round(amount * 1.2, 2))
        return BudgetRange(None, amount) if kind == "max" else BudgetRange(amount, None)
    amount = _to_amount(numbers[-1].group(1), numbers[-1].group(2))
    if amount <= 0 or amount > MAX_BUDGET:
        return None
    return BudgetRange(None, amount)
