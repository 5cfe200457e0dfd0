"""One short, deterministic reason per recommended product."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Protocol

import numpy as np

# What a purchase in one category invites next: the add-ons shoppers come back for.
COMPLEMENTS: dict[str, tuple[str, ...]] = {
    "laptops": ("accessories",),
    "phones": ("accessories", "headphones", "smartwatches"),
    "tablets": ("accessories",),
    "cameras": ("accessories",),
    "tvs": ("accessories",),
}
SINGULAR = {"phones": "phone", "laptops": "laptop", "tablets": "tablet", "headphones": "pair of headphones",
            "smartwatches": "smartwatch", "cameras": "camera", "tvs": "TV", "accessories": "accessory"}
LABELS = {"tvs": "TVs"}
# A brand is "an interest" once it has this share of everything the shopper looked at or bought;
# one stray view of a brand is not.
BRAND_SHARE = 0.2
# Liked noticeably more by the shopper's segment than by customers overall.
SEGMENT_LIFT = 1.25
TOP_RATED_QUANTILE = 0.75


class Explained(Protocol):
    """What a reason is drawn from: the arrays and look-ups of a trained recommender
    (shop.recommender.model.Recommender, which calls :func:`explain`)."""

    item_categories: np.ndarray
    item_brands: np.ndarray
    item_ratings: np.ndarray
    user_segments: np.ndarray
    reference_time: float

    def purchases_of(self, user: int) -> tuple[np.ndarray, np.ndarray]: ...

    def brand_shares(self, user: int) -> dict[str, float]: ...

    def segment_lift(self, segment: str, item: int) -> float: ...

    def top_rated_threshold(self, category: str) -> float: ...


def label(category: str) -> str:
    return LABELS.get(category, category)


def month_phrase(timestamp: float, reference: float) -> str:
    """ "in March", or "in March 2025" when that is not the year of the newest data."""
    moment = datetime.fromtimestamp(timestamp, UTC)
    same_year = moment.year == datetime.fromtimestamp(reference, UTC).year
    return f"in {moment:%B}" if same_year else f"in {moment:%B %Y}"


def explain(model: Explained, item: int, user: int | None, segment: str | None = None,
            stated_brands: tuple[str, ...] = (), brand_filter: str | None = None) -> str:
    """Why ``item`` suits this shopper, most specific reason first.

    Order: an add-on for something they bought, a brand they keep coming back to (or said they
    like; not when they filtered by it, that says nothing), their segment's favourites, then what
    is top rated or popular in the category.
    """
    category = str(model.item_categories[item])
    brand = str(model.item_brands[item])
    if user is not None:
        anchor = _complement_anchor(model, user, category)
        if anchor is not None:
            bought_category, when = anchor
            return f"goes with the {SINGULAR[bought_category]} you bought {month_phrase(when, model.reference_time)}"
    if brand_filter is None or brand_filter.lower() != brand.lower():
        liked = model.brand_shares(user) if user is not None else {}
        if liked.get(brand, 0.0) >= BRAND_SHARE or brand.lower() in {b.lower() for b in stated_brands}:
            return f"matches your interest in {brand}"
    if user is not None and segment is None:
        segment = str(model.user_segments[user]) or None
    if segment is not None and model.segment_lift(segment, item) >= SEGMENT_LIFT:
        return "popular with customers like you"
    if model.item_ratings[item] >= model.top_rated_threshold(category):
        return f"top rated in {label(category)}"
    return f"popular in {label(category)}"


def _complement_anchor(model: Explained, user: int, category: str) -> tuple[str, float] | None:
    """The most recent purchase this item is an add-on for: (its category, when)."""
    items, times = model.purchases_of(user)
    best: tuple[str, float] | None = None
    for index in np.argsort(-times, kind="stable"):
        bought = str(model.item_categories[items[index]])
        if category in COMPLEMENTS.get(bought, ()):
            best = (bought, float(times[index]))
            break
    return best
