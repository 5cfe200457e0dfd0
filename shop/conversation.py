"""What a conversation holds between turns, and which products a follow-up points at.

The state is plain data (kept in the tracker's ``conversation`` slot by actions/conversation.py):
the list of products last shown and its order, the product in focus, the last comparison, the
filters in force and where each came from, the order in focus and the cart. ``resolve`` reads a
follow-up against it: ordinals in English and Chinese ("the second one", 第二款, 最后一个), "it /
that one", "these / those two / both", "the Sony one", "the cheaper one", or a product named.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from shop.catalog import Catalog, Product, normalize_brand

# A list longer than this is not what "the second one" refers to; the slot stays small.
MAX_SHOWN = 10
MAX_CART_LINES = 20
MAX_QUANTITY = 10

# Where a filter came from: asked for in a request ("Sony headphones under 300") lasts until the
# shopper changes it; only mentioned ("is the Sony one waterproof?") does not filter later lists.
ASKED, MENTIONED = "asked", "mentioned"


@dataclass
class CartLine:
    product_id: str
    quantity: int = 1


@dataclass
class ConversationState:
    shown: list[str] = field(default_factory=list)
    focus: str | None = None
    compared: list[str] = field(default_factory=list)
    filters: dict[str, dict[str, Any]] = field(default_factory=dict)
    order_id: str | None = None
    cart: list[CartLine] = field(default_factory=list)
    last_reply: str | None = None

    @classmethod
    def from_slot(cls, value: Any) -> ConversationState:
        """The state in a slot value; anything unreadable is an empty state, never an error."""
        if not isinstance(value, dict):
            return cls()
        def ids(raw: Any) -> list[str]:
            return [str(v) for v in raw if isinstance(v, str)][:MAX_SHOWN] if isinstance(raw, list) else []
        cart = []
        for line in value.get("cart") or []:
            if isinstance(line, dict) and isinstance(line.get("product_id"), str):
                try:
                    quantity = max(1, min(MAX_QUANTITY, int(line.get("quantity", 1))))
                except (TypeError, ValueError):
                    quantity = 1
                cart.append(CartLine(line["product_id"], quantity))
        filters = value.get("filters") if isinstance(value.get("filters"), dict) else {}
        return cls(
            shown=ids(value.get("shown")),
            focus=value.get("focus") if isinstance(value.get("focus"), str) else None,
            compared=ids(value.get("compared")),
            filters={str(k): dict(v) for k, v in filters.items() if isinstance(v, dict)},
            order_id=value.get("order_id") if isinstance(value.get("order_id"), str) else None,
            cart=cart[:MAX_CART_LINES],
            last_reply=value.get("last_reply") if isinstance(value.get("last_reply"), str) else None,
        )

    def to_slot(self) -> dict[str, Any]:
        return asdict(self)

    def show(self, product_ids: Sequence[str]) -> None:
        """A new list on screen: what ordinals now count through; one product shown is in focus."""
        self.shown = list(dict.fromkeys(product_ids))[:MAX_SHOWN]
        self.compared = []
        if len(self.shown) == 1:
            self.focus = self.shown[0]

    def set_filter(self, name: str, value: Any, origin: str) -> None:
        if value in (None, "", []):
            self.filters.pop(name, None)
        else:
            self.filters[name] = {"value": value, "origin": origin}

    def asked_filter(self, name: str) -> Any:
        """A filter's value when the shopper asked for it (not when a product was only mentioned)."""
        entry = self.filters.get(name) or {}
        return entry.get("value") if entry.get("origin") == ASKED else None

    # --- the cart ---------------------------------------------------------------------------------

    def cart_quantity(self, product_id: str) -> int:
        return next((line.quantity for line in self.cart if line.product_id == product_id), 0)

    def add_to_cart(self, product_id: str, quantity: int = 1, *, set_quantity: bool = False) -> int:
        """Adds (or with ``set_quantity`` sets) a product's quantity; returns the quantity now in the cart."""
        quantity = max(1, min(MAX_QUANTITY, int(quantity)))
        for line in self.cart:
            if line.product_id == product_id:
                line.quantity = quantity if set_quantity else min(MAX_QUANTITY, line.quantity + quantity)
                return line.quantity
        if len(self.cart) >= MAX_CART_LINES:
            raise ValueError("the cart is full")
        self.cart.append(CartLine(product_id, quantity))
        return quantity

    def remove_from_cart(self, product_id: str, quantity: int | None = None) -> int:
        """Removes a product (or ``quantity`` of it); returns what is left of it in the cart."""
        for line in list(self.cart):
            if line.product_id == product_id:
                if quantity is None or quantity >= line.quantity:
                    self.cart.remove(line)
                    return 0
                line.quantity -= quantity
                return line.quantity
        return 0


# --- which products a follow-up means ------------------------------------------------------------

_ORDINAL_WORDS = {"first": 0, "1st": 0, "second": 1, "2nd": 1, "third": 2, "3rd": 2, "fourth": 3, "4th": 3,
                  "fifth": 4, "5th": 4, "last": -1, "frist": 0, "secnd": 1, "thrid": 2, "top": 0}
_ORDINAL_RE = re.compile(r"\b(" + "|".join(_ORDINAL_WORDS) + r")\b(?!\s+(?:two|2|three|3)\b)|"
                         r"\b(?:number|no\.?|option|#)\s*([1-5])\b", re.IGNORECASE)
_FIRST_N_RE = re.compile(r"\b(?:first|top)\s+(two|2|three|3)\b|\bfirst\s+(?:two|2)\b", re.IGNORECASE)
_ZH_DIGITS = {"一": 0, "1": 0, "二": 1, "两": 1, "2": 1, "三": 2, "3": 2, "四": 3, "4": 3, "五": 4, "5": 4}
_ORDINAL_ZH_RE = re.compile(r"第\s*([一二三四五12345])|(最后)\s*[一那这]?\s*[个款台部件只]?")
_FIRST_N_ZH_RE = re.compile(r"前\s*([两二三3 2])\s*[个款台部件只]?")
_PLURAL_RE = re.compile(r"\b(these|those|them|they|both|all three|all of them|all|either|which one|which of|wich|"
                        r"which is|which has|which would|any of)\b|这几|那几|这些|那些|它们|这两|那两|这三|哪个|哪款|"
                        r"哪一|两款|三款|都", re.IGNORECASE)
_TWO_RE = re.compile(r"\b(two|2|both)\b|两|二", re.IGNORECASE)
_PRONOUN_RE = re.compile(r"\b(it|its|it's|this|that|this one|that one|the one)\b|它|这个|那个|这款|那款|这台|那台|"
                         r"这件|就它", re.IGNORECASE)
_CHEAPER_RE = re.compile(r"\b(cheaper|cheapest|less expensive|least expensive|lower priced)\b|便宜", re.IGNORECASE)
_DEARER_RE = re.compile(r"\b(more expensive|most expensive|pricier|priciest|dearer|dearest)\b|贵的|更贵|最贵",
                        re.IGNORECASE)


@dataclass(frozen=True)
class Reference:
    """What a follow-up points at: products (in the order meant) and how they were found."""

    products: tuple[Product, ...] = ()
    how: str = "none"  # named, ordinal, brand, price, plural, pronoun, none

    @property
    def one(self) -> Product | None:
        return self.products[0] if len(self.products) == 1 else None


def ordinals(text: str) -> list[int]:
    """The list positions a text names, in order: "the first and the third" → [0, 2]; -1 = last."""
    found: list[tuple[int, int]] = []
    first_n = _FIRST_N_RE.search(text) or _FIRST_N_ZH_RE.search(text)
    if first_n:
        word = next(g for g in first_n.groups() if g)
        count = 2 if word.strip() in ("two", "2", "两", "二") else 3
        return list(range(count))
    for match in _ORDINAL_RE.finditer(text):
        index = _ORDINAL_WORDS[match.group(1).lower()] if match.group(1) else int(match.group(2)) - 1
        found.append((match.start(), index))
    for match in _ORDINAL_ZH_RE.finditer(text):
        found.append((match.start(), -1 if match.group(2) else _ZH_DIGITS[match.group(1)]))
    return [index for _, index in sorted(found)]


def resolve(text: str, state: ConversationState, catalog: Catalog, *, named: Product | None = None) -> Reference:
    """The products a follow-up means, read against what the conversation holds."""
    text = (text or "")[:500]
    shown = [p for p in map(catalog.get, state.shown) if p is not None]
    positions = ordinals(text)
    if positions and shown:
        picked = [shown[i] for i in positions if -len(shown) <= i < len(shown)]
        if picked:
            return Reference(tuple(dict.fromkeys(picked)), "ordinal")
    if named is not None:
        return Reference((named,), "named")
    brand = normalize_brand(text) if shown else None
    by_brand = [p for p in shown if p.brand == brand]
    if by_brand:
        return Reference(tuple(by_brand), "brand")
    group = [p for p in map(catalog.get, state.compared) if p is not None] or shown
    if len(group) >= 2 and (_CHEAPER_RE.search(text) or _DEARER_RE.search(text)) and _refers(text):
        cheap_first = sorted(group, key=lambda p: p.price)
        return Reference((cheap_first[0] if _CHEAPER_RE.search(text) else cheap_first[-1],), "price")
    if _PLURAL_RE.search(text) and shown:
        if _TWO_RE.search(text) and len(group) > 2:
            group = group[:2]
        return Reference(tuple(group), "plural")
    focus = catalog.get(state.focus) if state.focus else None
    if focus is not None and (_PRONOUN_RE.search(text) or not shown):
        return Reference((focus,), "pronoun")
    if _PRONOUN_RE.search(text) and len(shown) == 1:
        return Reference((shown[0],), "pronoun")
    return Reference()


_ONE_RE = re.compile(r"\b(one|ones)\b|那个|的|款", re.IGNORECASE)


def _refers(text: str) -> bool:
    """"the cheaper one", "便宜的那个": a comparative pointing at one of the products on show."""
    return bool(_ONE_RE.search(text))
