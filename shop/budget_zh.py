"""Chinese budgets: "五百元以内", "3000块以下", "500美元以内", "两千左右", "500到800元", "1万以上".

Amounts in yuan (元/块/人民币/¥/RMB) are converted to dollars, the shop's currency; 美元/刀/美金/$
mean dollars. A bare amount is taken as dollars, because every price the shop shows is in dollars.
"""

from __future__ import annotations

import re

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
# A run of Chinese numerals (mixed with Arabic digits: "1万", "3千5"); single characters such as
# the "一" of the brand 一加 only count when a unit or a currency word makes them an amount.
_NUMERAL_RUN = re.compile(r"[\d.零〇一二两三四五六七八九十百千万]+")
_CURRENCY_AFTER = re.compile(r"^\s*(?:元|块|刀|美元|美金|人民币|rmb|cny|usd|k)", re.I)

_YUAN = re.compile(r"元|块|人民币|¥|￥|rmb|cny", re.I)
_DOLLARS = re.compile(r"美元|美金|刀|\$|usd|dollar|bucks", re.I)
_RANGE = re.compile(r"(\d+(?:\.\d+)?)\s*(?:元|块|刀|美元|美金)?\s*(?:到|至|-|~|～|—|–)\s*(\d+(?:\.\d+)?)")
_NO_LIMIT = re.compile(r"不限|没有预算|无所谓|随便|都行|都可以|不在乎|没上限|没有上限|不差钱")
_AT_MOST_NEGATED = re.compile(r"不超过|不要超过|别超过|不高于|不多于|不能超过")
_AT_LEAST_NEGATED = re.compile(r"不低于|不少于")
_AROUND = re.compile(r"左右|上下|大概|大约|差不多|约")
_AT_MOST = re.compile(r"以内|以下|之内|之下|内|低于|少于|最多|顶多|封顶|便宜于")
_AT_LEAST = re.compile(r"以上|起|至少|超过|高于|多于|最少")
_MARKED_AFTER = re.compile(r"^\s*(?:元|块|刀|美元|美金|人民币|rmb|cny|usd|以|之|内|左右|上下|起|到|至)", re.I)
_AMOUNT = re.compile(r"(\d+(?:\.\d+)?)\s*(k|K|w|W)?")
# Numbers that are not money: an age, a count, a size or storage, a position, an id or model
# ("8岁", "3个", "两台", "65寸", "256G", "第3个", "订单100002", "iphone15").
_NOT_PRICE_AFTER = re.compile(r"^\s*(?:岁|个|台|部|寸|英寸|核|年|月|天|号|代|款|只|件|张|人|小时|分钟|倍|毫安|万?像素|"
                              r"g(?![a-z])|gb|t(?![a-z])|tb|mah|mp|hz|pro|max|plus|ultra)", re.I)
_NOT_PRICE_BEFORE = re.compile(r"(?:(?:第|订单号?|单号|型号|编号)\s*|[a-z]-?)$", re.I)


def _numeral_value(run: str) -> float | None:
    """"三千五" -> 3500, "两百五" -> 250, "一万二" -> 12000, "1.5万" -> 15000, "1万" -> 10000."""
    if "万" in run:
        head, _, tail = run.partition("万")
        high = _numeral_value(head) if head else 1.0
        if high is None:
            return None
        low = _below_wan(tail, ellipsis=1000) if tail else 0.0
        return high * 10000 + (low or 0.0)
    return _below_wan(run)


def _below_wan(run: str, ellipsis: int | None = None) -> float | None:
    total, current, last_unit, zero = 0.0, None, None, False
    for match in re.finditer(r"\d+(?:\.\d+)?|.", run):
        piece = match.group()
        if piece[0].isdigit():
            current = float(piece)
        elif piece in _DIGITS:
            zero = zero or piece in "零〇"
            current = float(_DIGITS[piece])
        elif piece in _UNITS:
            total += (1.0 if current is None else current) * _UNITS[piece]
            current, last_unit = None, _UNITS[piece]
        else:
            return None
    if current is not None:
        # "三千五": a digit after a unit is the next unit down, unless a 零 stands between;
        # "一万二": a lone digit after 万 counts thousands.
        if last_unit and last_unit >= 100 and not zero and current < 10:
            total += current * (last_unit // 10)
        elif last_unit is None and ellipsis and current < 10:
            total += current * ellipsis
        else:
            total += current
    return total


def _with_arabic_numerals(text: str) -> str:
    """The text with every Chinese amount written in digits."""

    def replace(match: re.Match[str]) -> str:
        run = match.group()
        has_unit = any(ch in "十百千万" for ch in run) or any(ch.isdigit() for ch in run)
        if not has_unit and not _CURRENCY_AFTER.match(text[match.end():]):
            return run
        value = _numeral_value(run.strip("."))
        return run if value is None else f"{value:g}"

    return _NUMERAL_RUN.sub(replace, text)


def _is_price(text: str, match: re.Match[str]) -> bool:
    if _CURRENCY_AFTER.match(text[match.end(1):]):
        return True
    return not (_NOT_PRICE_AFTER.match(text[match.end(1):]) or _NOT_PRICE_BEFORE.search(text[:match.start(1)]))


def parse_budget_zh(text: str, yuan_per_dollar: float) -> tuple[float | None, float | None] | None:
    """(min, max) in dollars from a Chinese budget phrase; (None, None) for "no limit"; None when
    the text states no usable budget."""
    text = _with_arabic_numerals(text.strip()[:500])
    amounts = [(float(m.group(1)) * (1000 if (m.group(2) or "").lower() == "k" else
                                     10000 if (m.group(2) or "").lower() == "w" else 1), m)
               for m in _AMOUNT.finditer(text) if _is_price(text, m)]
    if not amounts:
        return (None, None) if _NO_LIMIT.search(text) else None
    rate = 1.0 / yuan_per_dollar if _YUAN.search(text) and not _DOLLARS.search(text) else 1.0

    def dollars(value: float) -> float:
        return round(value * rate, 2)

    found = _RANGE.search(text)
    if found:
        low, high = sorted((float(found.group(1)), float(found.group(2))))
        return (dollars(low) if low > 0 else None, dollars(high)) if high > 0 else None
    # The amount the budget is about: the one a currency word or qualifier follows ("iphone 15
    # 一千美元以下" means 1000), else the last one.
    marked = [value for value, m in amounts if _MARKED_AFTER.match(text[m.end():])]
    amount = dollars(marked[0] if marked else amounts[-1][0])
    if amount <= 0:
        return None
    if _AT_MOST_NEGATED.search(text):
        return None, amount
    if _AT_LEAST_NEGATED.search(text):
        return amount, None
    if _AROUND.search(text):
        return round(amount * 0.8, 2), round(amount * 1.2, 2)
    if _AT_LEAST.search(text) and not _AT_MOST.search(text):
        return amount, None
    return None, amount
