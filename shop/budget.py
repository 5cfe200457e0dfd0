"""Turns what shoppers say about money ("under $500", "between 200 and 400") into a price range.

Not every number is money: ages ("for my 8 yr old"), counts ("which of these 3"), model numbers
("iphone 15", "galaxy s23"), sizes ("256gb", "65 inch"), order numbers ("KE-100002", "order 55812")
are left out before a budget is looked for; a price is what remains, or any number with a currency
word or sign ("100 dollars左右", "$8").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from shop.budget_zh import parse_budget_zh
from shop.currency import DEFAULT_YUAN_PER_DOLLAR, Currency

# Above this a number is not a believable budget for one electronics item (e.g. a pasted id).
MAX_BUDGET = 100_000.0

# A number that is not glued to letters before it ("s23", "rtx4090", "KE-100002"; "1-2k" is a range).
_NUMBER = r"(?<![\w.])(?<![A-Za-z]-)\$?\s*(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*(k|grand|thousand)?\b"
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
# What follows a number that is not a price: a unit, an age, a count of things, a model suffix.
_NOT_PRICE_AFTER = re.compile(
    r"^\s*-?\s*(?:yrs?\b|years?\b|y/?o\b|months?\b|mos?\b|weeks?\b|days?\b|hours?\b|hrs?\b|minutes?\b|"
    r"mins?\b|gb\b|tb\b|mb\b|gigs?\b|inch(?:es)?\b|in\b|\"|''|mp\b|megapixels?\b|mm\b|hz\b|w\b|watts?\b|"
    r"mah\b|p\b|fps\b|%|x\b|th\b|st\b|nd\b|rd\b|gen\b|generation\b|pro\b|max\b|plus\b|ultra\b|mini\b|"
    r"lite\b|se\b|series\b|lbs?\b|kg\b|g\b|oz\b|feet\b|ft\b|cm\b|m\b|people\b|persons?\b|kids?\b|"
    r"children\b|ports?\b|cores?\b|pack\b|pcs\b|pieces?\b|items?\b|units?\b|of (?:them|these|those|the)\b|"
    r"(?:phones?|laptops?|tablets?|tvs?|headphones|earbuds|cameras?|watches|chargers?|cables?|monitors?|"
    r"speakers?|products?|options?|ones?)\b|k\s*(?:tv|monitor|screen|display|video|resolution)\b|"
    r"(?:k\b)?(?=\s*(?:tv|monitor|display)\b)|"
    # ... and in Chinese: 8岁, 3个, 两台, 65寸, 256G, 8核, 第3代, 5小时, 4800万像素
    r"岁|个|台|部|寸|英寸|核|年|月|天|号|代|款|只|件|张|人|小时|分钟|倍|毫安|万?像素|g\b|t\b)",
    re.IGNORECASE,
)
# What comes before a number that is not a price: a count ("these 3", "top 5"), a model or product
# line ("iphone 15", "pixel 8", "series 9"), an order or other identifier, a position.
_NOT_PRICE_BEFORE = re.compile(
    r"(?:\b(?:these|those|the|top|first|last|next|of|all|both|order|orders|purchase|number|no\.?|model|"
    r"iphone|galaxy|pixel|series|gen|generation|version|v|ps|xbox|windows|ios|android|watch|ipad|macbook|"
    r"airpods|switch|playstation|surface|note|ultra|age|aged|size|room|page|step|option|item|pick|"
    r"ticket|id|code|ke)\s*#?|#|第|订单号?|单号|型号|编号)\s*$",
    re.IGNORECASE,
)
# A currency word or sign makes a number a price, whatever else is around it.
_CURRENCY_AFTER = re.compile(r"^\s*(?:k|grand|thousand)?\s*(?:dollars?|bucks|usd|cad|\$|元|块|刀|美元|美金)", re.I)
_CHINESE_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff¥￥]")
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


def _is_price(text: str, match: re.Match[str]) -> bool:
    """Whether the number at `match` can be an amount of money in its context."""
    if "$" in match.group(0) or _CURRENCY_AFTER.match(text[match.end(1):]):
        return True
    after = text[match.end(1):]
    before = text[:match.start(1)].rstrip("$ ")
    return not (_NOT_PRICE_AFTER.match(after) or _NOT_PRICE_BEFORE.search(before))


def without_non_prices(text: str) -> str:
    """The text with every number that is not money (age, count, model, size, id) blanked out, so
    that only prices are left for the budget patterns (English and Chinese alike)."""
    pieces, position = [], 0
    for match in _NUMBER_RE.finditer(text):
        if not _is_price(text, match):
            pieces.append(text[position:match.start(1)] + "#" * (match.end(1) - match.start(1)))
            position = match.end(1)
    pieces.append(text[position:])
    return "".join(pieces)


def parse_budget(text: str | None, yuan_per_dollar: float = DEFAULT_YUAN_PER_DOLLAR) -> BudgetRange | None:
    """Reads a budget from free text, English or Chinese; ``None`` when the text states no usable budget.

    A bare amount ("$300") is read as a ceiling, because that is what shoppers mean. Chinese amounts
    in yuan are converted to dollars at ``yuan_per_dollar`` (shop/budget_zh.py).
    """
    if not text or not isinstance(text, str):
        return None
    text = without_non_prices(text.strip()[:500])
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


# A message that states a price ("under 300", "$800", "2000元以内"); a bare number ("iphone 15") does
# not. Cheaper than parse_budget, and it says only whether the words are about a price.
_BUDGET_WORDS_RE = re.compile(r"\$\s*\d|\d\s*(?:dollars|bucks|usd|k\b)|\b(?:under|below|over|above|around|about|"
                              r"less than|more than|up to|budget|max|between|within|cheaper than)\s+\$?\d|"
                              r"\d\s*(?:元|块|美元|刀)|以内|以下|左右|预算", re.IGNORECASE)


def states_budget(text: str | None) -> bool:
    """Whether the message states a price bound or a budget in words."""
    return bool(_BUDGET_WORDS_RE.search(text or ""))
