"""The customer features the bandit conditions on, as a fixed-length vector."""

from __future__ import annotations

import hashlib

import numpy as np

from shop.config import DECISION_POINTS
from shop.marketing.offers import OfferContext

# The segments in data/shop/customers.csv; an unknown segment leaves all of them at zero.
SEGMENTS = ("bargain_hunter", "family", "gamer", "professional", "student", "tech_enthusiast")
CART_BANDS = (("cart_under_200", 0.01, 200.0), ("cart_200_plus", 200.0, float("inf")))

FEATURE_NAMES: tuple[str, ...] = (
    ("bias",)
    + tuple(f"segment={s}" for s in SEGMENTS)
    + tuple(f"point={p}" for p in DECISION_POINTS)
    + ("first_purchase",)
    + tuple(name for name, _, _ in CART_BANDS)
)
DIMENSION = len(FEATURE_NAMES)
# Stored bandit state is only valid for the feature layout it was learnt with.
FEATURE_SCHEMA = hashlib.sha256("|".join(FEATURE_NAMES).encode()).hexdigest()[:12]


def feature_vector(context: OfferContext, point: str) -> np.ndarray:
    x = np.zeros(DIMENSION)
    x[0] = 1.0
    if context.segment in SEGMENTS:
        x[1 + SEGMENTS.index(context.segment)] = 1.0
    offset = 1 + len(SEGMENTS)
    if point in DECISION_POINTS:
        x[offset + DECISION_POINTS.index(point)] = 1.0
    offset += len(DECISION_POINTS)
    x[offset] = float(context.first_purchase)
    for i, (_, low, high) in enumerate(CART_BANDS):
        x[offset + 1 + i] = float(low <= context.cart_value < high)
    return x
