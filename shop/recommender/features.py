"""Feature vocabularies for users and items, and the LightFM feature matrices built from them.

Users are described by their profile (segment, region, age band) and by *preferences*: the
categories, brands and price bands they lean towards. For a known customer the preferences come
from their history; for a new or anonymous shopper they are what the shopper states in the
conversation. Both use the same feature names, so what the model learns from customers with a
history carries over to a shopper it has never seen.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from shop.recommender.data import Interactions

# Attribute tokens rarer than this across the catalogue are noise, not a taste the model can learn.
MIN_ATTRIBUTE_COUNT = 3


def segment_feature(value: str) -> str:
    return f"segment:{value}"


def region_feature(value: str) -> str:
    return f"region:{value}"


def age_feature(value: str) -> str:
    return f"age:{value}"


def likes_category(value: str) -> str:
    return f"likes:category:{value}"


def likes_brand(value: str) -> str:
    return f"likes:brand:{value}"


def likes_price(band: int) -> str:
    return f"likes:price:{band}"


@dataclass(frozen=True)
class PriceBands:
    """Quantile price bands within each category: band 1 is the cheapest quarter of phones, etc."""

    count: int
    edges: Mapping[str, tuple[float, ...]]  # interior edges, count - 1 per category

    @classmethod
    def fit(cls, products: pd.DataFrame, count: int) -> PriceBands:
        quantiles = np.linspace(0.0, 1.0, count + 1)[1:-1]
        edges = {str(category): tuple(float(x) for x in np.quantile(group["price"].to_numpy(), quantiles))
                 for category, group in products.groupby("category")}
        return cls(count=count, edges=edges)

    def band(self, category: str, price: float) -> int:
        """1..count; a category never seen gets the middle band rather than a guess at either end."""
        edges = self.edges.get(category)
        if edges is None:
            return (self.count + 1) // 2
        return int(np.searchsorted(np.asarray(edges), price, side="right")) + 1

    def overlapping(self, category: str, low: float | None, high: float | None) -> tuple[int, ...]:
        """The bands a budget reaches into: "under $500" for phones is bands 1 and 2, say."""
        if low is None and high is None:
            return ()
        lo = self.band(category, low) if low is not None else 1
        hi = self.band(category, high) if high is not None else self.count
        return tuple(range(min(lo, hi), max(lo, hi) + 1))


def release_feature(release_date: object) -> str | None:
    """Half-year of release: newness is a taste of its own (early adopters), and shapes demand over time."""
    text = str(release_date or "")
    if len(text) < 7 or not text[:4].isdigit() or not text[5:7].isdigit():
        return None
    return f"release:{text[:4]}H{1 if int(text[5:7]) <= 6 else 2}"


def salient_attributes(category: str, attributes: Mapping[str, Any]) -> list[str]:
    """A few attribute tokens that plausibly shape taste (OS, kind, key booleans), not every spec."""
    tokens: list[str] = []
    for key in ("os", "compatible_os", "type", "panel", "sensor", "resolution"):
        value = attributes.get(key)
        if isinstance(value, str) and value and not (key == "resolution" and category != "tvs"):
            tokens.append(f"attr:{key}={value}")
    for key in ("5g", "foldable", "wireless", "noise_cancelling", "gps", "image_stabilization"):
        if attributes.get(key) is True:
            tokens.append(f"attr:{key}")
    refresh = attributes.get("refresh_rate_hz")
    if isinstance(refresh, int | float) and refresh >= 120:
        tokens.append("attr:high_refresh")
    gpu = attributes.get("gpu")
    if isinstance(gpu, str) and any(word in gpu for word in ("RTX", "Radeon RX", "Arc A")):
        tokens.append("attr:discrete_gpu")
    return tokens


@dataclass(frozen=True)
class ItemVocabulary:
    """Turns a product's fields into weighted feature names the trained model knows."""

    price_bands: PriceBands
    attributes: frozenset[str]
    releases: frozenset[str] = frozenset()

    @classmethod
    def fit(cls, products: pd.DataFrame, price_band_count: int) -> ItemVocabulary:
        counts = Counter(token for category, attrs in zip(products["category"], products["attributes"], strict=True)
                         for token in salient_attributes(category, attrs))
        kept = frozenset(token for token, n in counts.items() if n >= MIN_ATTRIBUTE_COUNT)
        releases = frozenset(r for r in map(release_feature, products.get("release_date", ())) if r)
        return cls(price_bands=PriceBands.fit(products, price_band_count), attributes=kept, releases=releases)

    def features(self, category: str, brand: str, price: float, attributes: Mapping[str, Any],
                 release_date: str | None = None) -> dict[str, float]:
        tokens = [f"category:{category}", f"brand:{brand}",
                  f"price:{self.price_bands.band(category, price)}"]
        release = release_feature(release_date)
        if release in self.releases:
            tokens.append(release)
        tokens += [t for t in salient_attributes(category, attributes) if t in self.attributes]
        return dict.fromkeys(tokens, 1.0)

    def all_features(self, products: pd.DataFrame) -> list[str]:
        names = {f"category:{c}" for c in products["category"]} | {f"brand:{b}" for b in products["brand"]}
        names |= {f"price:{band}" for band in range(1, self.price_bands.count + 1)}
        return sorted(names | self.attributes | self.releases)


def preference_features(categories: Iterable[str] = (), brands: Iterable[str] = (),
                        price_bands: Iterable[int] = ()) -> dict[str, float]:
    """Stated preferences as user features; each group shares a weight of 1, like a history does."""
    features: dict[str, float] = {}
    for names in ([likes_category(c) for c in categories], [likes_brand(b) for b in brands],
                  [likes_price(int(p)) for p in price_bands]):
        names = list(dict.fromkeys(names))
        for name in names:
            features[name] = features.get(name, 0.0) + 1.0 / len(names)
    return features


def profile_features(segment: str | None = None, region: str | None = None,
                     age_band: str | None = None) -> dict[str, float]:
    pairs = ((segment, segment_feature), (region, region_feature), (age_band, age_feature))
    return {make(value): 1.0 for value, make in pairs if value}


def history_preferences(interactions: Interactions, products: pd.DataFrame,
                        bands: PriceBands) -> dict[str, dict[str, float]]:
    """Per customer: the share of their interest in each category, brand and price band."""
    info = products.set_index("product_id")
    joined = interactions.weights.join(info[["category", "brand", "price"]], on="product_id", how="inner")
    joined = joined.assign(band=[bands.band(c, p) for c, p in zip(joined["category"], joined["price"], strict=True)])
    result: dict[str, dict[str, float]] = defaultdict(dict)
    for column, make in (("category", likes_category), ("brand", likes_brand), ("band", likes_price)):
        sums = joined.groupby(["customer_id", column])["weight"].sum()
        shares = sums / sums.groupby(level=0).transform("sum")
        for (customer, value), share in shares.items():
            result[customer][make(value)] = float(share)
    return result


def user_feature_names(products: pd.DataFrame, customers: pd.DataFrame, bands: PriceBands) -> list[str]:
    """Every user feature the model gets an embedding for, including preferences no one has yet."""
    names: set[str] = set()
    for column, make in (("segment", segment_feature), ("region", region_feature), ("age_band", age_feature)):
        if column in customers:
            names |= {make(v) for v in customers[column] if v}
    names |= {likes_category(c) for c in products["category"]} | {likes_brand(b) for b in products["brand"]}
    names |= {likes_price(band) for band in range(1, bands.count + 1)}
    return sorted(names)


def feature_row(features: Mapping[str, float], feature_map: Mapping[str, int], size: int,
                identity: int | None = None) -> sp.csr_matrix:
    """One normalised row, as lightfm.data.Dataset builds them (weights sum to 1); unknown names are skipped."""
    columns = [feature_map[name] for name in features if name in feature_map]
    values = [float(features[name]) for name in features if name in feature_map]
    if identity is not None:
        columns.append(identity)
        values.append(1.0)
    data = np.asarray(values, dtype=np.float32)
    if data.sum() > 0:
        data /= data.sum()
    return sp.csr_matrix((data, (np.zeros(len(columns), dtype=np.int32), np.asarray(columns, dtype=np.int32))),
                         shape=(1, size))
