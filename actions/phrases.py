"""How replies name what the shopper asked for: categories, brands, budgets, product lines, a query's
conditions, and the reason a product was chosen by (in the shopper's language, from messages.yml)."""

from __future__ import annotations

import re
from collections.abc import Callable

from actions.services import services
from actions.text import money, say
from shop.budget import BudgetRange
from shop.catalog import Product
from shop.catalog_query import Query, field_value
from shop.picks import CATEGORY_LABELS
from shop.zh_terms import BRANDS_ZH, CATEGORY_LABELS_ZH


def category_label(category: str | None, language: str) -> str:
    """How a reply names a category ("TVs", "电视"); "products" when there is none."""
    labels = CATEGORY_LABELS_ZH if language == "zh" else CATEGORY_LABELS
    return labels.get(category or "") or say(language, "rec.products_word")


def brand_label(brand: str, language: str) -> str:
    return BRANDS_ZH.get(brand, brand) if language == "zh" else brand


def describe_budget(budget: BudgetRange, language: str) -> str:
    """"up to $500"; in Chinese an attribute ("$500(约 ¥3,600)以内的"), nothing when unlimited."""
    if language != "zh":
        return budget.describe()
    return "" if budget.unlimited else budget.describe_zh(services().currency) + "的"


def budget_words(query: Query, language: str) -> str:
    """The query's price bounds as a reply's phrase (" up to $500"), nothing when unlimited."""
    described = describe_budget(BudgetRange(query.min_price, query.max_price), language)
    return f" {described}" if described and language == "en" else described


def price_in(language: str) -> Callable[[float], str]:
    """A formatter of dollar amounts for ``language`` (shop.catalog_query's facts take one)."""
    return lambda amount: money(amount, language)


def as_spelt(phrase: str) -> str:
    """A product line as the catalogue spells it ("macbook air" → "MacBook Air")."""
    pattern = re.compile(re.escape(phrase).replace(r"\ ", r"[\s-]"), re.IGNORECASE)
    for product in services().catalog.products:
        found = pattern.search(product.name)
        if found:
            return found.group(0)
    return phrase


def line_label(query: Query, products: list[Product]) -> str | None:
    """The product line as the catalogue spells it ("iphone" → "iPhone")."""
    if not query.line:
        return None
    for product in products:
        found = re.search(re.escape(query.line).replace(r"\ ", r"[\s-]"), product.name, re.IGNORECASE)
        if found:
            return found.group(0)
    return query.line


def what_label(query: Query, products: list[Product], language: str) -> str:
    line = line_label(query, products)
    if line:
        return line if language == "zh" else f"{line}s" if not line.endswith("s") else line
    return category_label(query.category, language)


def condition_words(query: Query, language: str) -> str:
    """What the shopper asked for, in their words ("noise cancelling, over ear")."""
    return ("、" if language == "zh" else ", ").join(dict.fromkeys(c.words for c in query.conditions if c.words))


def with_words(query: Query, language: str) -> str:
    """The conditions, the need and the device as a phrase: "with noise cancelling for long flights"."""
    parts = []
    words = condition_words(query, language)
    if words:
        parts.append(say(language, "conv.with", conditions=words))
    if query.need:
        need = services().query.need(query.need)
        if need is not None:
            parts.append(say(language, "conv.for_need", need=need.labels.get(language, need.key)))
    if query.compatible:
        parts.append(say(language, "conv.compatible", device=as_spelt(query.compatible)))
    return ("" if language == "zh" else " ").join(parts)


def reason_for(product: Product, query: Query, language: str) -> str:
    """A card's reason from the query: the figure it was chosen by ("16 GB of RAM")."""
    svc = services()
    if query.sort is not None and field_value(product, query.sort.key) is not None:
        return svc.query.fact(product, query.sort.key, language, price_in(language))
    if query.compatible:
        return svc.query.fact(product, "compatible_with", language, price_in(language))
    for condition in query.conditions:
        if condition.field not in ("type",) and field_value(product, condition.field) is not None:
            return svc.query.fact(product, condition.field, language, price_in(language))
    return ""
