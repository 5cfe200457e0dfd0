"""The offer catalogue (data/shop/offers.yml) and who may be offered what, when."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from shop.yaml_file import load_mapping

KINDS = ("percent", "fixed", "free_express_shipping", "bundle")


class OfferCatalogueError(ValueError):
    """The offer file is missing, unreadable or describes an impossible offer."""


@dataclass(frozen=True)
class Offer:
    offer_id: str
    title: str
    kind: str
    value: float
    valid_from: date
    valid_until: date
    budget: float
    max_discount: float | None = None
    min_basket: float = 0.0
    categories: tuple[str, ...] = ()
    with_categories: tuple[str, ...] = ()
    segments: tuple[str, ...] = ()
    first_purchase_only: bool = False
    title_zh: str = ""  # the title for Chinese conversations (``title_zh`` in offers.yml)

    def display_title(self, language: str = "en") -> str:
        return self.title_zh if language == "zh" and self.title_zh else self.title

    def nominal_discount(self, basket: float | None = None) -> float:
        """What the offer is worth on a basket (for ranking "the biggest discount" and for budgets)."""
        basket = max(basket or 0.0, self.min_basket, 100.0)
        if self.kind == "percent":
            amount = basket * self.value / 100
            return min(amount, self.max_discount) if self.max_discount else amount
        return self.value

    def discount_on(self, order_total: float) -> float:
        """The discount a coupon of this offer grants on an order of ``order_total`` dollars."""
        if self.kind == "percent":
            amount = order_total * self.value / 100
            if self.max_discount:
                amount = min(amount, self.max_discount)
        else:
            amount = self.value
        return round(min(amount, order_total), 2)

    def conditions(self, language: str = "en") -> str:
        """The fine print a shopper sees with the offer."""
        if language == "zh":
            return self._conditions_zh()
        parts = []
        if self.min_basket:
            parts.append(f"on orders of ${self.min_basket:,.0f} or more")
        if self.max_discount and self.kind == "percent":
            parts.append(f"up to ${self.max_discount:,.0f} off")
        if self.first_purchase_only:
            parts.append("on your first order")
        return ", ".join(parts)

    def _conditions_zh(self) -> str:
        parts = []
        if self.min_basket:
            parts.append(f"订单满 ${self.min_basket:,.0f} 可用")
        if self.max_discount and self.kind == "percent":
            parts.append(f"最多减 ${self.max_discount:,.0f}")
        if self.first_purchase_only:
            parts.append("限首单使用")
        return ",".join(parts)


@dataclass(frozen=True)
class OfferContext:
    """What the assistant knows at a decision point."""

    segment: str | None = None
    first_purchase: bool = False
    categories: tuple[str, ...] = ()   # the category asked about, or the categories in the cart
    cart_value: float = 0.0


def _date(value: Any, field_name: str, offer_id: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise OfferCatalogueError(f"offer {offer_id}: {field_name} is not a date: {value!r}") from exc


def _strings(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(item) for item in value)


def parse_offer(raw: Mapping[str, Any]) -> Offer:
    offer_id = str(raw.get("id") or "").strip()
    if not offer_id or offer_id == "no_offer":
        raise OfferCatalogueError(f"every offer needs an id other than 'no_offer': {dict(raw)!r}")
    kind = str(raw.get("kind", ""))
    if kind not in KINDS:
        raise OfferCatalogueError(f"offer {offer_id}: kind must be one of {KINDS}, not {kind!r}")
    try:
        offer = Offer(
            offer_id=offer_id,
            title=str(raw["title"]),
            kind=kind,
            value=float(raw["value"]),
            valid_from=_date(raw["valid_from"], "valid_from", offer_id),
            valid_until=_date(raw["valid_until"], "valid_until", offer_id),
            budget=float(raw["budget"]),
            max_discount=float(raw["max_discount"]) if raw.get("max_discount") is not None else None,
            min_basket=float(raw.get("min_basket") or 0),
            categories=_strings(raw.get("categories")),
            with_categories=_strings(raw.get("with_categories")),
            segments=_strings(raw.get("segments")),
            first_purchase_only=bool(raw.get("first_purchase_only", False)),
            title_zh=str(raw.get("title_zh") or ""),
        )
    except KeyError as exc:
        raise OfferCatalogueError(f"offer {offer_id}: {exc.args[0]} is required") from exc
    except (TypeError, ValueError) as exc:
        raise OfferCatalogueError(f"offer {offer_id}: {exc}") from exc
    if offer.value <= 0 or offer.budget < 0 or (offer.kind == "percent" and offer.value >= 100):
        raise OfferCatalogueError(f"offer {offer_id}: value must be positive (a percentage below 100), budget >= 0")
    if offer.valid_until < offer.valid_from:
        raise OfferCatalogueError(f"offer {offer_id}: valid_until is before valid_from")
    return offer


class OfferCatalogue:
    def __init__(self, offers: Iterable[Offer]) -> None:
        self._offers: dict[str, Offer] = {}
        for offer in offers:
            if offer.offer_id in self._offers:
                raise OfferCatalogueError(f"offer id {offer.offer_id} appears twice")
            self._offers[offer.offer_id] = offer

    @classmethod
    def load(cls, path: str | Path) -> OfferCatalogue:
        raw = load_mapping(path, "offer catalogue", OfferCatalogueError)
        if not isinstance(raw.get("offers"), list):
            raise OfferCatalogueError(f"{path}: expected a list under 'offers'")
        return cls(parse_offer(item) for item in raw["offers"])

    def __len__(self) -> int:
        return len(self._offers)

    def __iter__(self):
        return iter(self._offers.values())

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(self._offers)

    def get(self, offer_id: str | None) -> Offer | None:
        return self._offers.get(offer_id or "")

    def eligible(self, context: OfferContext, today: date, spent: Mapping[str, float]) -> list[Offer]:
        """Offers that may be made in this context today, in catalogue order."""
        return [offer for offer in self._offers.values() if is_eligible(offer, context, today, spent)]


def is_eligible(offer: Offer, context: OfferContext, today: date, spent: Mapping[str, float]) -> bool:
    if not offer.valid_from <= today <= offer.valid_until:
        return False
    if spent.get(offer.offer_id, 0.0) >= offer.budget:
        return False
    if offer.segments and context.segment not in offer.segments:
        return False
    if offer.first_purchase_only and not context.first_purchase:
        return False
    # A category-bound offer is only made when the conversation or the cart touches its categories.
    return not offer.categories or bool(set(offer.categories) & set(context.categories))
