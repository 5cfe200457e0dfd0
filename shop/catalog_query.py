"""Catalogue questions as structured queries over the catalogue's own fields.

A request ("over ear, under 300", "cheapest iphone", "laptop for video editing around 1500",
"a charger for my macbook air", "哪个内存最大?") becomes a ``Query``: category, brand, price bounds,
conditions on attributes, a sort key, a need, a product line or a device it must work with. The
words come from the catalogue's data (product names, attribute values) and the per-language
vocabulary files (data/shop/query_terms.yml, query_terms_zh.yml), not from lists in this code.
``run`` answers the query over the products, so an answer is exactly what products.csv says.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shop.budget import parse_budget
from shop.catalog import CATEGORIES, Catalog, Product, normalize_brand, normalize_category
from shop.currency import DEFAULT_YUAN_PER_DOLLAR
from shop.yaml_file import load_mapping

# Fields a word like "battery" stands for: each product answers with the one it has.
FIELD_GROUPS: dict[str, tuple[str, ...]] = {
    "battery": ("battery_hours", "battery_days", "battery_mah"),
    "camera": ("main_camera_mp", "megapixels"),
}
# Columns of products.csv beside the attributes.
_COLUMNS = ("price", "rating", "stock", "release_date")
_HAN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
# Words that start product names without naming a line ("Samsung The Frame").
_COMMON_WORDS = frozenset({"the", "for", "and", "with", "new", "usb", "pro", "ultra", "max", "mini", "air", "plus"})
# A product line needs this many products to be a line ("iPhone", "MacBook Air"), not one name.
_MIN_LINE_PRODUCTS = 2
# Spans that are specs, not prices: "65 inch", "16gb", "120hz" must not become a budget.
SPEC_SPAN_RE = re.compile(r"\d+(?:\.\d+)?\s*(?:gb|g\b|tb|inch(?:es)?|in\b|\"|hz|mah|mp|mm|英寸|寸|小时|天)",
                           re.IGNORECASE)


class QueryTermsError(ValueError):
    """A vocabulary file is missing or malformed."""


def _norm(text: str) -> str:
    """Lower case, hyphens and punctuation as spaces, single spaces ("Noise-cancelling" → "noise cancelling")."""
    text = text.lower().replace("-", " ").replace("_", " ")
    text = re.sub(r"[^\w\s\u3400-\u4dbf\u4e00-\u9fff+\"]", " ", text)
    return " ".join(text.split())


def _found(phrase: str, text: str) -> re.Match[str] | None:
    """Where a (normalised) phrase occurs in normalised text: as whole words, or anywhere for Chinese."""
    if _HAN_RE.search(phrase):
        index = text.find(phrase)
        return re.compile(re.escape(phrase)).search(text) if index >= 0 else None
    return re.search(rf"(?<![a-z0-9]){re.escape(phrase)}(?![a-z0-9])", text)


@dataclass(frozen=True)
class Condition:
    """One attribute condition ("noise_cancelling equals true", "ram_gb at_least 16")."""

    field: str
    op: str  # equals, contains, not_in, at_least, at_most, about
    value: Any
    words: str = ""

    def holds(self, product: Product) -> bool:
        value = field_value(product, self.field)
        if value is None:
            return False
        if self.op == "equals":
            if isinstance(self.value, bool):
                return value == self.value
            return str(value).lower() == str(self.value).lower()
        if self.op == "contains":
            values = value if isinstance(value, (list, tuple)) else [value]
            return any(str(self.value).lower() in str(v).lower() for v in values)
        if self.op == "not_in":
            return str(value).lower() not in {str(v).lower() for v in self.value}
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            return False
        if self.op == "at_least":
            return value >= self.value
        if self.op == "at_most":
            return value <= self.value
        if self.op == "about":
            return abs(value - self.value) <= 0.5
        return False


@dataclass(frozen=True)
class Sort:
    fields: tuple[str, ...]
    order: str  # "asc" or "desc"
    words: str = ""

    @property
    def key(self) -> str:
        return self.fields[0]


@dataclass(frozen=True)
class Query:
    category: str | None = None
    brand: str | None = None
    min_price: float | None = None
    max_price: float | None = None
    conditions: tuple[Condition, ...] = ()
    sort: Sort | None = None
    need: str | None = None
    line: str | None = None  # a product line the name must contain ("iphone", "macbook air")
    compatible: str | None = None  # a device an accessory must work with ("macbook air")
    asked: tuple[str, ...] = ()  # fields asked about without a direction ("how much ram")

    @property
    def structured(self) -> bool:
        """Whether the request says more than category, brand and budget."""
        return bool(self.conditions or self.sort or self.need or self.line or self.compatible)


def field_value(product: Product, name: str) -> Any:
    """A product's value of a field, a column or a field group ("battery"); None when it has none."""
    if name in FIELD_GROUPS:
        for member in FIELD_GROUPS[name]:
            if member in product.attributes:
                return product.attributes[member]
        return None
    if name in _COLUMNS:
        return getattr(product, name)
    return product.attributes.get(name)


def resolved_field(product: Product, name: str) -> str:
    """The concrete field a group stands for on this product ("battery" → "battery_hours")."""
    if name in FIELD_GROUPS:
        return next((m for m in FIELD_GROUPS[name] if m in product.attributes), FIELD_GROUPS[name][0])
    return name


@dataclass(frozen=True)
class FieldTerms:
    words: tuple[str, ...]
    label: str
    fact: str
    unit: str = ""
    high: str = ""
    low: str = ""


@dataclass
class QueryTerms:
    """One language's words for the catalogue's fields, filters, sorts and needs."""

    fields: dict[str, FieldTerms]
    superlatives: list[tuple[str, Sort]]  # (phrase, sort), longest phrase first
    filters: list[tuple[str, Condition]]
    numbers: list[tuple[re.Pattern[str], str, str, float]]  # pattern, field, op, scale
    needs: list[tuple[str, str]]  # (phrase, need key)
    sort_desc: tuple[str, ...] = ()
    sort_asc: tuple[str, ...] = ()
    field_words: list[tuple[str, str]] = field(default_factory=list)  # (word, field), longest first


@dataclass(frozen=True)
class Need:
    key: str
    category: str | None
    conditions: tuple[Condition, ...]
    sort: Sort | None
    labels: dict[str, str]


def _condition(spec: dict[str, Any], words: str = "") -> Condition:
    for op in ("equals", "contains", "not_in", "at_least", "at_most", "about"):
        if op in spec:
            return Condition(str(spec["field"]), op, spec[op], words)
    raise QueryTermsError(f"condition without an operator: {spec}")


def _sort(spec: dict[str, Any], words: str = "") -> Sort:
    order = str(spec.get("order", "desc"))
    if order not in ("asc", "desc"):
        raise QueryTermsError(f"sort order must be asc or desc: {spec}")
    return Sort((str(spec["field"]),), order, words)


def _words(spec: dict[str, Any]) -> list[str]:
    return [_norm(str(w)) for w in spec.get("words") or [] if str(w).strip()]


def _longest_first(pairs: Iterable[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return sorted(pairs, key=lambda pair: -len(pair[0]))


def load_terms(path: str | Path, base: dict[str, Any] | None = None) -> tuple[QueryTerms, dict[str, Any]]:
    """A language's vocabulary; ``base`` (the English file) supplies what the fields mean (unit)."""
    raw = load_mapping(path, "query vocabulary", QueryTermsError)
    base_fields = (base or {}).get("fields") or {}
    fields: dict[str, FieldTerms] = {}
    for name, spec in (raw.get("fields") or {}).items():
        spec = dict(spec or {})
        unit = str(spec.get("unit") or (base_fields.get(name) or {}).get("unit") or "")
        fields[str(name)] = FieldTerms(tuple(_words(spec)), str(spec.get("label", name)),
                                       str(spec.get("fact", "{name}: {value}")), unit,
                                       str(spec.get("high", "")), str(spec.get("low", "")))
    superlatives = _longest_first((w, _sort(s, w)) for s in raw.get("superlatives") or [] for w in _words(s))
    filters = _longest_first((w, _condition(s, w)) for s in raw.get("filters") or [] for w in _words(s))
    numbers = []
    for spec in raw.get("numbers") or []:
        try:
            pattern = re.compile(str(spec["pattern"]), re.IGNORECASE)
        except (KeyError, re.error) as error:
            raise QueryTermsError(f"bad number pattern {spec}: {error}") from error
        numbers.append((pattern, str(spec["field"]), str(spec.get("op", "at_least")), float(spec.get("scale", 1))))
    needs = _longest_first((w, str(key)) for key, s in (raw.get("needs") or {}).items() for w in _words(s))
    words = raw.get("sort_words") or {}
    field_words = _longest_first((w, name) for name, terms in fields.items() for w in terms.words)
    return QueryTerms(fields, superlatives, filters, numbers, needs,
                      tuple(_norm(w) for w in words.get("desc") or []),
                      tuple(_norm(w) for w in words.get("asc") or []), field_words), raw


def _add_catalogue_fields(terms: QueryTerms, products: Sequence[Product]) -> None:
    """Every attribute the catalogue has can be asked about, with or without a vocabulary entry: a
    shop's own attributes ("waterproof_rating", "kid_proof_case") are named by their key, and a yes/no
    attribute ("5g", "stylus_support") also filters. The vocabulary files only add better words."""
    values: dict[str, set[type]] = {}
    for product in products:
        for key, value in product.attributes.items():
            values.setdefault(str(key), set()).add(type(value))
    added = []
    for key, types in sorted(values.items()):
        # A one-word key that is not yes/no ("kit", "video", "display") is too common a word to mean
        # the field by itself; it needs a vocabulary entry.
        if key in terms.fields or (types != {bool} and "_" not in key):
            continue
        words = _norm(key.replace("_", " "))
        terms.fields[key] = FieldTerms((words,), words, f"The {{name}}: {words} {{value}}")
        added.append((words, key))
        if types == {bool}:
            terms.filters.append((words, Condition(key, "equals", True, words)))
    if added:
        terms.field_words[:] = _longest_first([*terms.field_words, *added])
        terms.filters[:] = _longest_first(terms.filters)


class CatalogQuery:
    """Parses shoppers' requests into queries and runs them over the catalogue."""

    def __init__(self, catalog: Catalog, terms: dict[str, QueryTerms], needs: dict[str, Need]) -> None:
        self.catalog = catalog
        self.terms = terms
        self.needs = needs
        self._names = {p.product_id: _norm(p.name) for p in catalog.products}
        vocabulary = {w for t in terms.values() for w, _ in t.filters + t.field_words + t.superlatives}
        self._lines = {line: n for line, n in self._product_lines(catalog.products).items()
                       if line.split()[0] not in vocabulary and line.split()[0] not in _COMMON_WORDS}
        self._field_categories = self._categories_by_field(catalog.products)

    @classmethod
    def load(cls, catalog: Catalog, english: str | Path, chinese: str | Path | None = None) -> CatalogQuery:
        en_terms, en_raw = load_terms(english)
        terms = {"en": en_terms}
        zh_raw: dict[str, Any] = {}
        if chinese is not None and Path(chinese).exists():
            terms["zh"], zh_raw = load_terms(chinese, en_raw)
        needs = {}
        for key, spec in (en_raw.get("needs") or {}).items():
            labels = {"en": str(spec.get("label", key))}
            zh_spec = (zh_raw.get("needs") or {}).get(key) or {}
            labels["zh"] = str(zh_spec.get("label", labels["en"]))
            needs[str(key)] = Need(
                str(key), spec.get("category"),
                tuple(_condition(c) for c in spec.get("conditions") or []),
                _sort(spec["sort"]) if spec.get("sort") else None, labels)
        _add_catalogue_fields(en_terms, catalog.products)
        return cls(catalog, terms, needs)

    # --- vocabulary from the catalogue itself ---------------------------------------------------

    @staticmethod
    def _product_lines(products: Sequence[Product]) -> dict[str, int]:
        """Product lines named after the brand ("iphone", "macbook air", "galaxy tab"), with their
        product counts: the words a shopper uses for a family of products."""
        counts: dict[str, int] = {}
        brands: dict[str, set[str]] = {}
        brand_words = {_norm(p.brand) for p in products}
        for product in products:
            words = _norm(product.name).split()
            if words and words[0] == _norm(product.brand):
                words = words[1:]
            if not words or not words[0].isalpha() or len(words[0]) < 3 or words[0] in brand_words:
                continue
            if normalize_category(words[0]) is not None and words[0] not in ("iphone", "ipad", "macbook", "airpods"):
                continue  # "Watch", "Buds": kinds, not lines
            lines = [words[0]] + ([f"{words[0]} {words[1]}"] if len(words) > 1 and words[1].isalpha() else [])
            for line in lines:
                counts[line] = counts.get(line, 0) + 1
                brands.setdefault(line, set()).add(product.brand)
        # A line belongs to one brand: "Silicone Case" (several brands) names a kind of product.
        return {line: n for line, n in counts.items() if n >= _MIN_LINE_PRODUCTS and len(brands[line]) == 1}

    @staticmethod
    def _categories_by_field(products: Sequence[Product]) -> dict[str, set[str]]:
        found: dict[str, set[str]] = {}
        for product in products:
            for name in product.attributes:
                found.setdefault(name, set()).add(product.category)
        for group, members in FIELD_GROUPS.items():
            found[group] = set().union(*(found.get(m, set()) for m in members))
        for column in _COLUMNS:
            found[column] = set(CATEGORIES)
        return found

    def categories_with(self, name: str) -> set[str]:
        return self._field_categories.get(name, set())

    # --- parsing --------------------------------------------------------------------------------

    def parse(self, text: str, language: str = "en", *, category: str | None = None, brand: str | None = None,
              min_price: float | None = None, max_price: float | None = None,
              yuan_per_dollar: float = DEFAULT_YUAN_PER_DOLLAR) -> Query:
        """The query a request states; category, brand and price bounds default to the given ones
        (the conversation's), and what the text says wins."""
        terms = self.terms.get(language) or self.terms["en"]
        raw = (text or "")[:500]
        norm = _norm(raw)
        # Chinese shoppers mix in English words ("最便宜的 iphone"): both vocabularies read them.
        vocabularies = [terms] + ([self.terms["en"]] if language != "en" else [])
        rest = norm
        conditions: list[Condition] = []
        sort: Sort | None = None
        for vocabulary in vocabularies:
            for pattern, name, op, scale in vocabulary.numbers:
                for match in pattern.finditer(rest):
                    number = float(match.group(1)) * scale
                    conditions.append(Condition(name, op, number, match.group(0)))
                rest = pattern.sub(" ", rest)
        for vocabulary in vocabularies:
            for phrase, found_sort in vocabulary.superlatives:
                if sort is None and _found(phrase, rest):
                    # A bare direction word beside a field word ("the biggest battery") sorts by that
                    # field; alone ("the biggest one") by the superlative's own (the screen).
                    bare = phrase in vocabulary.sort_desc or phrase in vocabulary.sort_asc
                    sort = (self._directed_field(rest, vocabularies) if bare else None) or found_sort
                    rest = rest.replace(phrase, " ")
        if sort is None:
            sort = self._directed_field(rest, vocabularies)
        need_key = None
        for vocabulary in vocabularies:
            for phrase, key in vocabulary.needs:
                if need_key is None and _found(phrase, rest):
                    need_key = key
                    rest = rest.replace(phrase, " ")
        for vocabulary in vocabularies:
            for phrase, condition in vocabulary.filters:
                if _found(phrase, rest) and all(c.field != condition.field or c.op != condition.op
                                                for c in conditions):
                    conditions.append(condition)
                    rest = re.sub(rf"(?<![a-z0-9]){re.escape(phrase)}(?![a-z0-9])", " ", rest) \
                        if not _HAN_RE.search(phrase) else rest.replace(phrase, " ")
        asked = tuple(dict.fromkeys(name for vocabulary in vocabularies
                                    for word, name in vocabulary.field_words if _found(word, rest)))
        # A category word inside an attribute phrase ("really good camera" said of phones) is the
        # attribute; the conversation's category stays.
        said_category = normalize_category(rest) or (None if category else normalize_category(raw))
        said_brand = normalize_brand(raw) if raw else None
        budget = parse_budget(SPEC_SPAN_RE.sub(" ", raw), yuan_per_dollar)
        line = self._line(norm)
        query_category = said_category or category
        need = self.needs.get(need_key) if need_key else None
        if need is not None and need.category and query_category not in (None, need.category):
            need = None  # "travel" said about a laptop is not a headphone need
        if need is not None:
            query_category = query_category or need.category
            conditions += [c for c in need.conditions if all(c.field != o.field for o in conditions)]
        compatible = None
        if line is not None and (query_category == "accessories" or _accessory_condition(conditions)):
            compatible, line = line, None
            query_category = "accessories"
        if line is not None and said_category is None and query_category is None:
            query_category = self._line_category(line)
        if query_category is None:
            query_category = self._implied_category(conditions)
        conditions = [c for c in conditions
                      if query_category is None or query_category in self.categories_with(c.field)]
        if said_brand and line is None and compatible is None:
            brand = said_brand
        elif said_brand and line is not None:
            brand = said_brand
        low, high = (budget.min_price, budget.max_price) if budget is not None else (min_price, max_price)
        return Query(category=query_category, brand=brand, min_price=low, max_price=high,
                     conditions=tuple(conditions), sort=sort, need=need.key if need else None,
                     line=line, compatible=compatible, asked=asked)

    def _directed_field(self, text: str, vocabularies: list[QueryTerms]) -> Sort | None:
        """"most ram", "highest refresh rate", "内存最大": a direction word beside a field word."""
        for vocabulary in vocabularies:
            for word, name in vocabulary.field_words:
                match = _found(word, text)
                if not match:
                    continue
                before = text[:match.start()].split()[-2:]
                after = text[match.end():].split()[:1]
                near = before + after
                if _HAN_RE.search(word):
                    near = [text[match.end():match.end() + 2], text[max(0, match.start() - 2):match.start()]]
                for direction, words in (("desc", vocabulary.sort_desc), ("asc", vocabulary.sort_asc)):
                    if any(w in words or any(w2 and w2 in w for w2 in words if _HAN_RE.search(w2)) for w in near):
                        group = next((g for g, members in FIELD_GROUPS.items() if name in members), name)
                        return Sort((group,), direction, f"{' '.join(before)} {word}".strip())
        return None

    def _line(self, norm: str) -> str | None:
        found = [line for line in self._lines if _found(line, norm)]
        return max(found, key=len) if found else None

    def _line_category(self, line: str) -> str | None:
        categories = {p.category for p in self.catalog.products if line in self._names[p.product_id]}
        return categories.pop() if len(categories) == 1 else None

    def _implied_category(self, conditions: Sequence[Condition]) -> str | None:
        """The one category in which every condition can hold ("over ear" → headphones)."""
        if not conditions:
            return None
        possible = set(CATEGORIES)
        for condition in conditions:
            holding = {p.category for p in self.catalog.products if condition.holds(p)}
            possible &= holding
        return possible.pop() if len(possible) == 1 else None

    # --- running --------------------------------------------------------------------------------

    def run(self, query: Query, pool: Sequence[Product] | None = None, *, in_stock_only: bool = True,
            exclude_ids: Iterable[str] = ()) -> list[Product]:
        """The products meeting the query, best first: by its sort, else in the catalogue's (or the
        pool's) own order. ``pool`` limits the answer to products already shown."""
        excluded = set(exclude_ids)
        products = list(self.catalog.products if pool is None else pool)
        brand = normalize_brand(query.brand) if query.brand else None
        found = []
        for product in products:
            if product.product_id in excluded or (in_stock_only and pool is None and not product.in_stock):
                continue
            if pool is None and query.category and product.category != query.category:
                continue
            if brand and product.brand != brand:
                continue
            if query.min_price is not None and product.price < query.min_price:
                continue
            if query.max_price is not None and product.price > query.max_price:
                continue
            if query.line and not _found(query.line, self._names.get(product.product_id) or _norm(product.name)):
                continue
            if not all(c.holds(p) for c in query.conditions for p in (product,)
                       if product.category in self.categories_with(c.field)):
                continue
            found.append(product)
        if query.compatible:
            scored = [(compatibility(p, query.compatible, self._line_category(query.compatible)), p) for p in found]
            found = [p for score, p in sorted(scored, key=lambda sp: -sp[0]) if score > 0]
        if query.sort is not None:
            found = sort_products(found, query.sort)
        return found

    def need(self, key: str | None) -> Need | None:
        return self.needs.get(key) if key else None

    # --- stating facts ----------------------------------------------------------------------------

    def field_terms(self, name: str, language: str) -> FieldTerms | None:
        terms = self.terms.get(language) or self.terms["en"]
        return terms.fields.get(name) or self.terms["en"].fields.get(name)

    def value_text(self, product: Product, name: str, language: str, price: Callable[[float], str]) -> str:
        """A product's value of a field in words: "16 GB", "1 TB", "18 hours", "$343.00"."""
        concrete = resolved_field(product, name)
        value = field_value(product, concrete)
        if concrete == "price":
            return price(product.price)
        if isinstance(value, bool):
            return "✓" if value else "✗"
        if isinstance(value, (list, tuple)):
            return ", ".join(str(v) for v in value)
        terms = self.field_terms(concrete, language)
        unit = terms.unit if terms else ""
        if unit == "GB" and isinstance(value, (int, float)) and value >= 1024:
            return f"{value / 1024:g} TB"
        if isinstance(value, float):
            value = f"{value:g}"
        if unit in ("hours", "days") and language == "zh":
            unit = "小时" if unit == "hours" else "天"
        if unit == "inches":
            return f"{value}-inch" if language == "en" else f"{value} 英寸"
        return f"{value} {unit}".strip()

    def fact(self, product: Product, name: str, language: str, price: Callable[[float], str]) -> str:
        """One sentence stating a product's value of a field, in the shopper's language."""
        concrete = resolved_field(product, name)
        terms = self.field_terms(concrete, language)
        template = terms.fact if terms else "{name}: {value}"
        return template.format(name=product.display_name(language),
                               value=self.value_text(product, concrete, language, price))


def _accessory_condition(conditions: Sequence[Condition]) -> bool:
    accessory_types = {"charger", "wireless charger", "power bank", "case", "screen protector", "cable", "mouse",
                       "keyboard", "memory card", "ssd", "stylus", "hub"}
    return any(c.field == "type" and str(c.value) in accessory_types for c in conditions)


def compatibility(product: Product, device: str, device_category: str | None) -> float:
    """How well an accessory fits a device: named outright (2), the device's family (1), not (0).
    "MacBook Air, MacBook Pro" fits a MacBook Air; "USB-C laptops" fits it as a laptop."""
    compatible = str(product.attributes.get("compatible_with") or "")
    parts = [_norm(part) for part in re.split(r"[,/]| and ", compatible) if part.strip()]
    device = _norm(device)
    if any(part == device or part.startswith(device + " ") or device.startswith(part + " ") and len(part) > 3
           for part in parts):
        return 2.0
    if device_category and any(_found(device_category, part) or _found(device_category.rstrip("s"), part)
                               for part in parts):
        return 1.0
    return 0.0


def sort_products(products: Sequence[Product], sort: Sort) -> list[Product]:
    """Products in the sort's order; those without the field last, ties in their given order."""
    def key(indexed: tuple[int, Product]) -> tuple[int, Any, int]:
        index, product = indexed
        value = field_value(product, sort.key)
        if value is None or isinstance(value, (list, dict)):
            return (1, 0, index)
        if isinstance(value, bool):
            value = int(value)
        if isinstance(value, str):
            return (0, value, index) if sort.order == "asc" else (0, "".join(chr(0x10FFFF - ord(c)) for c in value),
                                                                   index)
        return (0, value if sort.order == "asc" else -value, index)
    return [p for _, p in sorted(enumerate(products), key=key)]
