"""The trained recommender as plain arrays, and scoring with numpy alone (no LightFM at query time).

A score is ``user_embedding . item_embedding + item_bias``; the user bias is left out because it
does not change a ranking. Representations are precomputed at training time, so a query is one
matrix-vector product, a boolean mask and an ``argpartition``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from shop.recommender.data import parse_attributes
from shop.recommender.explain import TOP_RATED_QUANTILE, explain
from shop.recommender.features import (
    ItemVocabulary,
    PriceBands,
    feature_row,
    preference_features,
    profile_features,
)

# Arrays every artifact must hold; Recommender(...) refuses anything less.
ARRAY_KEYS = (
    "item_ids", "item_names", "item_categories", "item_brands", "item_prices", "item_ratings", "item_stock",
    "item_biases", "item_embeddings", "popularity",
    "user_ids", "user_segments", "user_embeddings",
    "user_feature_names", "user_feature_embeddings",
    "item_feature_names", "item_feature_embeddings", "item_feature_biases",
    "segment_names", "segment_popularity",
    "history_users", "history_items", "history_weights",
    "purchase_users", "purchase_items", "purchase_times",
    "dismissed_users", "dismissed_items",
)

# Storage sizes in product names ("iPhone 17 Pro 256GB", "MacBook Air (M4, 16GB, 512GB)").
_STORAGE_RE = re.compile(r"\([^)]*\d\s?[GT]B[^)]*\)|\b\d+\s?[GT]B\b", re.IGNORECASE)

# How much an anonymous shopper's ranking leans on product ratings, in standard deviations of the
# model's own scores per standard deviation of rating.
QUALITY_WEIGHT = 0.75


@dataclass(frozen=True)
class UserProfile:
    """What is known about a shopper without a history: profile fields and stated preferences."""

    segment: str | None = None
    region: str | None = None
    age_band: str | None = None
    categories: tuple[str, ...] = ()
    brands: tuple[str, ...] = ()
    price_bands: tuple[int, ...] = ()

    def is_empty(self) -> bool:
        return not (self.segment or self.region or self.age_band or self.categories or self.brands
                    or self.price_bands)


@dataclass(frozen=True)
class Recommendation:
    product_id: str
    name: str
    category: str
    brand: str
    price: float
    score: float
    reason: str


@dataclass(frozen=True)
class Query:
    """Hard filters: a recommendation never breaks one of these."""

    category: str | None = None
    brand: str | None = None
    min_price: float | None = None
    max_price: float | None = None
    in_stock_only: bool = True
    exclude_ids: tuple[str, ...] = field(default_factory=tuple)


class Recommender:
    """Scores and explains recommendations from the arrays of one trained artifact."""

    def __init__(self, arrays: Mapping[str, np.ndarray], meta: Mapping[str, Any]) -> None:
        missing = [key for key in ARRAY_KEYS if key not in arrays]
        if missing:
            raise ValueError(f"recommender arrays are incomplete: missing {missing}")
        self.arrays = {key: np.asarray(arrays[key]) for key in ARRAY_KEYS}
        self.meta = dict(meta)
        a = self.arrays
        self.item_ids = a["item_ids"].astype(str)
        self.item_names = a["item_names"].astype(str)
        self.item_categories = a["item_categories"].astype(str)
        self.item_brands = a["item_brands"].astype(str)
        self.item_prices = a["item_prices"].astype(np.float64)
        self.item_ratings = a["item_ratings"].astype(np.float64)
        self.item_in_stock = a["item_stock"] > 0
        self.item_biases = np.ascontiguousarray(a["item_biases"], dtype=np.float32)
        self.item_embeddings = np.ascontiguousarray(a["item_embeddings"], dtype=np.float32)
        self.popularity = a["popularity"].astype(np.float64)
        self.user_ids = a["user_ids"].astype(str)
        self.user_segments = a["user_segments"].astype(str)
        self.user_embeddings = np.ascontiguousarray(a["user_embeddings"], dtype=np.float32)
        self.reference_time = float(self.meta.get("reference_time", 0.0))
        self.vocabulary = ItemVocabulary(
            price_bands=PriceBands(count=int(self.meta["price_band_count"]),
                                   edges={k: tuple(v) for k, v in self.meta["price_band_edges"].items()}),
            attributes=frozenset(self.meta["attribute_vocabulary"]))
        self._item_index = {pid: i for i, pid in enumerate(self.item_ids)}
        self._user_index = {uid: i for i, uid in enumerate(self.user_ids)}
        self._user_feature_index = {n: i for i, n in enumerate(a["user_feature_names"].astype(str))}
        self._item_feature_index = {n: i for i, n in enumerate(a["item_feature_names"].astype(str))}
        # Integer codes so that a category or brand filter is one vectorised comparison.
        self._categories, self._category_codes = np.unique(np.char.lower(self.item_categories), return_inverse=True)
        self._brands, self._brand_codes = np.unique(np.char.lower(self.item_brands), return_inverse=True)
        self._history = _group_by_user(a["history_users"], a["history_items"], a["history_weights"])
        self._purchases = _group_by_user(a["purchase_users"], a["purchase_items"], a["purchase_times"])
        dismissed = _group_by_user(a["dismissed_users"], a["dismissed_items"], np.zeros(len(a["dismissed_items"])))
        self._dismissed = {user: items for user, (items, _) in dismissed.items()}
        self._segment_index = {s: i for i, s in enumerate(a["segment_names"].astype(str))}
        self._segment_lift = _lift(a["segment_popularity"].astype(np.float64), self.popularity)
        self._top_rated: dict[str, float] = {}

    # --- look-ups -------------------------------------------------------------------------

    @property
    def fingerprint(self) -> str:
        return str(self.meta.get("fingerprint", ""))

    def __len__(self) -> int:
        return len(self.item_ids)

    def has_user(self, user_id: str | None) -> bool:
        return user_id is not None and user_id in self._user_index

    def has_item(self, product_id: str) -> bool:
        return product_id in self._item_index

    def purchases_of(self, user: int) -> tuple[np.ndarray, np.ndarray]:
        return self._purchases.get(user, (np.zeros(0, dtype=np.int64), np.zeros(0)))

    def purchased_ids(self, user_id: str) -> list[str]:
        user = self._user_index.get(user_id)
        return [] if user is None else [str(self.item_ids[i]) for i in self.purchases_of(user)[0]]

    def latest_purchase(self, user_id: str | None) -> str | None:
        """The product a known customer bought most recently, or None."""
        user = self._user_index.get(user_id) if user_id is not None else None
        if user is None:
            return None
        items, times = self.purchases_of(user)
        return str(self.item_ids[items[int(np.argmax(times))]]) if len(items) else None

    def brand_shares(self, user: int) -> dict[str, float]:
        items, weights = self._history.get(user, (np.zeros(0, dtype=np.int64), np.zeros(0)))
        total = float(weights.sum())
        if total <= 0:
            return {}
        shares: dict[str, float] = {}
        for brand, weight in zip(self.item_brands[items], weights, strict=True):
            shares[str(brand)] = shares.get(str(brand), 0.0) + float(weight) / total
        return shares

    def segment_lift(self, segment: str, item: int) -> float:
        row = self._segment_index.get(segment)
        return 0.0 if row is None else float(self._segment_lift[row, item])

    def top_rated_threshold(self, category: str) -> float:
        if category not in self._top_rated:
            ratings = self.item_ratings[self.item_categories == category]
            self._top_rated[category] = float(np.quantile(ratings, TOP_RATED_QUANTILE)) if len(ratings) else np.inf
        return self._top_rated[category]

    def price_bands_for(self, category: str | None, min_price: float | None,
                        max_price: float | None) -> tuple[int, ...]:
        """The price bands a budget reaches into within a category; () without a category or budget."""
        if not category:
            return ()
        return self.vocabulary.price_bands.overlapping(category, min_price, max_price)

    # --- representations ------------------------------------------------------------------

    def profile_vector(self, profile: UserProfile) -> np.ndarray | None:
        """A new shopper's embedding: their features' embeddings, weighted as LightFM weights them.

        This is ``get_user_representations`` on a one-row feature matrix, done with numpy. None when
        nothing in the profile is known to the model.
        """
        features = profile_features(profile.segment, profile.region, profile.age_band)
        features.update(preference_features(profile.categories, profile.brands, profile.price_bands))
        row = feature_row(features, self._user_feature_index, len(self._user_feature_index))
        if row.nnz == 0:
            return None
        return np.asarray(row @ self.arrays["user_feature_embeddings"], dtype=np.float32).ravel()

    def item_vector(self, category: str, brand: str, price: float,
                    attributes: Mapping[str, Any] | None = None) -> tuple[float, np.ndarray]:
        """(bias, embedding) of a product the model was not trained on, from its features alone."""
        features = self.vocabulary.features(category, brand, float(price), attributes or {})
        row = feature_row(features, self._item_feature_index, len(self._item_feature_index))
        embedding = np.asarray(row @ self.arrays["item_feature_embeddings"], dtype=np.float32).ravel()
        bias = float((row @ self.arrays["item_feature_biases"]).ravel()[0]) if row.nnz else 0.0
        return bias, embedding

    def with_new_items(self, products: pd.DataFrame) -> Recommender:
        """A copy that also ranks these products (columns as products.csv, attributes parsed or JSON).

        Products the model already knows are left as they are; the new ones are scored from their
        features and have no popularity yet.
        """
        fresh = products[~products["product_id"].astype(str).isin(self._item_index)]
        if fresh.empty:
            return self
        arrays = dict(self.arrays)
        vectors = [self.item_vector(str(r.category), str(r.brand), float(r.price), _attributes(r.attributes))
                   for r in fresh.itertuples(index=False)]
        n = len(fresh)
        def text(column: str) -> np.ndarray:
            return fresh[column].astype(str).to_numpy().astype(str)

        def number(column: str, default: float) -> np.ndarray:
            values = fresh[column] if column in fresh else pd.Series([default] * n)
            return pd.to_numeric(values, errors="coerce").fillna(default).to_numpy(np.float64)

        extra = {
            "item_ids": text("product_id"), "item_names": text("name"), "item_categories": text("category"),
            "item_brands": text("brand"), "item_prices": number("price", 0.0), "item_ratings": number("rating", 0.0),
            # A product without a stock figure is assumed sellable: it was just added to the catalogue.
            "item_stock": number("stock", 1.0).astype(np.int64),
            "item_biases": np.array([b for b, _ in vectors], dtype=np.float32),
            "item_embeddings": np.vstack([e for _, e in vectors]).astype(np.float32),
            "popularity": np.zeros(n),
        }
        for key, values in extra.items():
            arrays[key] = np.concatenate([arrays[key], values])
        arrays["segment_popularity"] = np.hstack([arrays["segment_popularity"],
                                                  np.zeros((arrays["segment_popularity"].shape[0], n))])
        return Recommender(arrays, self.meta)

    # --- ranking --------------------------------------------------------------------------

    def candidates(self, query: Query) -> np.ndarray:
        """Boolean mask of the products every filter allows; all False for an unknown category or brand."""
        mask = self.item_in_stock.copy() if query.in_stock_only else np.ones(len(self.item_ids), dtype=bool)
        for value, names, codes in ((query.category, self._categories, self._category_codes),
                                    (query.brand, self._brands, self._brand_codes)):
            if value:
                code = int(np.searchsorted(names, value.lower()))
                if code >= len(names) or names[code] != value.lower():
                    mask[:] = False
                    return mask
                mask &= codes == code
        if query.min_price is not None:
            mask &= self.item_prices >= query.min_price
        if query.max_price is not None:
            mask &= self.item_prices <= query.max_price
        for product_id in query.exclude_ids:
            index = self._item_index.get(product_id)
            if index is not None:
                mask[index] = False
        return mask

    def scores_for(self, vector: np.ndarray) -> np.ndarray:
        return self.item_embeddings @ vector + self.item_biases

    def user_vector(self, user_id: str | None, profile: UserProfile | None = None) -> np.ndarray | None:
        """A known customer's precomputed embedding, plus whatever they state on top; else the profile's."""
        stated = self.profile_vector(profile) if profile is not None and not profile.is_empty() else None
        user = self._user_index.get(user_id) if user_id is not None else None
        if user is None:
            return stated
        vector = self.user_embeddings[user]
        return vector if stated is None else vector + stated

    def top_k(self, scores: np.ndarray, mask: np.ndarray, k: int) -> np.ndarray:
        """Indices of the k best allowed scores, best first; ties go to the lower index (stable)."""
        candidates = np.flatnonzero(mask)
        if k <= 0 or len(candidates) == 0:
            return np.zeros(0, dtype=np.int64)
        values = scores[candidates]
        if len(candidates) > k:
            keep = np.argpartition(-values, k - 1)[:k]
            candidates, values = candidates[keep], values[keep]
        order = np.lexsort((candidates, -values))
        return candidates[order]

    def recommend(self, user_id: str | None = None, profile: UserProfile | None = None, *,
                  category: str | None = None, brand: str | None = None,
                  min_price: float | None = None, max_price: float | None = None,
                  in_stock_only: bool = True, exclude_ids: Iterable[str] = (),
                  exclude_purchased: bool = True, k: int = 10, explain_items: bool = True) -> list[Recommendation]:
        """The k best products for a shopper within the filters, each with a reason.

        Known customer: their own embedding. Anyone else: built from their profile and stated
        preferences (a budget within a category becomes a price-band preference). With nothing to
        go on, the most popular products that pass the filters.
        """
        user = self._user_index.get(user_id) if user_id is not None else None
        profile = profile or UserProfile()
        if user is None and not profile.price_bands and category and (min_price is not None or max_price is not None):
            profile = UserProfile(**{**vars(profile), "price_bands": self.price_bands_for(category, min_price,
                                                                                           max_price)})
        if user is None and category and not profile.categories:
            profile = UserProfile(**{**vars(profile), "categories": (category,)})
        excluded = set(exclude_ids)
        if user is not None:
            excluded.update(self.item_ids[self._dismissed.get(user, np.zeros(0, dtype=np.int64))])
            if exclude_purchased:
                excluded.update(self.item_ids[self.purchases_of(user)[0]])
        query = Query(category, brand, min_price, max_price, in_stock_only, tuple(excluded))
        mask = self.candidates(query)
        vector = self.user_vector(user_id, profile)
        scores = self.popularity if vector is None else self.scores_for(vector)
        if user is None and vector is not None:
            scores = self._nudge_to_quality(scores, mask)
        if profile.brands and not brand:
            scores = self._prefer_brands(scores, mask, profile.brands)
        top = self._one_per_line(self.top_k(scores, mask, k * 4), k)
        return [Recommendation(
            product_id=str(self.item_ids[i]), name=str(self.item_names[i]), category=str(self.item_categories[i]),
            brand=str(self.item_brands[i]), price=float(self.item_prices[i]), score=float(scores[i]),
            reason=explain(self, int(i), user, profile.segment, profile.brands, brand) if explain_items else "",
        ) for i in top]

    def similar(self, product_id: str, *, k: int = 3, same_category: bool = True, in_stock_only: bool = True,
                exclude_ids: Iterable[str] = ()) -> list[Recommendation]:
        """Products whose learned representation is closest (cosine) to this one: "more like this".

        Empty when the product is unknown to the model; the product itself is never returned.
        """
        index = self._item_index.get(product_id)
        if index is None:
            return []
        category = str(self.item_categories[index]) if same_category else None
        mask = self.candidates(Query(category, None, None, None, in_stock_only, (product_id, *exclude_ids)))
        norms = np.linalg.norm(self.item_embeddings, axis=1)
        scores = self.item_embeddings @ self.item_embeddings[index] / np.maximum(norms * norms[index], 1e-12)
        name = str(self.item_names[index])
        return [Recommendation(
            product_id=str(self.item_ids[i]), name=str(self.item_names[i]), category=str(self.item_categories[i]),
            brand=str(self.item_brands[i]), price=float(self.item_prices[i]), score=float(scores[i]),
            reason=f"similar to the {name}",
        ) for i in self.top_k(scores, mask, k)]

    def _nudge_to_quality(self, scores: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """For a shopper without a history: what shoppers like them pick, nudged toward well-rated products.

        A cold-start vector says little beyond category and price, so on its own it surfaces cheap
        best sellers with mediocre ratings, which is a poor first impression in a shop.
        """
        if mask.sum() < 2:
            return scores
        return scores + QUALITY_WEIGHT * _standardised(self.item_ratings, mask) * float(scores[mask].std())

    def _one_per_line(self, ranked: np.ndarray, k: int) -> np.ndarray:
        """The best of each product line: three storage sizes of one phone are one suggestion, not three."""
        seen: set[str] = set()
        kept = []
        for index in ranked:
            line = _STORAGE_RE.sub("", str(self.item_names[index])).strip().lower()
            if line not in seen:
                seen.add(line)
                kept.append(index)
            if len(kept) == k:
                break
        return np.asarray(kept, dtype=np.int64)

    def _prefer_brands(self, scores: np.ndarray, mask: np.ndarray, brands: tuple[str, ...]) -> np.ndarray:
        """Stated brands first, each group still in model order: a soft filter, since the shopper said so.

        The learned brand features alone only nudge a ranking (brand loyalty is weak in the data), which
        reads as ignoring what the shopper just told us.
        """
        wanted = np.isin(self._brand_codes, np.flatnonzero(np.isin(self._brands, [b.lower() for b in brands])))
        if not (wanted & mask).any():
            return scores
        allowed = scores[mask]
        return scores + wanted * (float(allowed.max() - allowed.min()) + 1.0)

    def popular(self, *, category: str | None = None, brand: str | None = None, min_price: float | None = None,
                max_price: float | None = None, in_stock_only: bool = True, exclude_ids: Iterable[str] = (),
                k: int = 10) -> list[str]:
        """Product ids by popularity within the filters: the baseline, and the fallback without a model."""
        mask = self.candidates(Query(category, brand, min_price, max_price, in_stock_only, tuple(exclude_ids)))
        return [str(self.item_ids[i]) for i in self.top_k(self.popularity, mask, k)]


def _standardised(values: np.ndarray, mask: np.ndarray) -> np.ndarray:
    spread = float(values[mask].std())
    return (values - float(values[mask].mean())) / spread if spread > 0 else np.zeros_like(values)


def _group_by_user(users: np.ndarray, items: np.ndarray,
                   values: np.ndarray) -> dict[int, tuple[np.ndarray, np.ndarray]]:
    users, items, values = np.asarray(users, dtype=np.int64), np.asarray(items, dtype=np.int64), np.asarray(values)
    if len(users) == 0:
        return {}
    order = np.argsort(users, kind="stable")
    users, items, values = users[order], items[order], values[order]
    starts = np.flatnonzero(np.r_[True, users[1:] != users[:-1]])
    ends = np.r_[starts[1:], len(users)]
    return {int(users[s]): (items[s:e], values[s:e]) for s, e in zip(starts, ends, strict=True)}


def _lift(segment_popularity: np.ndarray, popularity: np.ndarray) -> np.ndarray:
    """How much more an item is liked within a segment than overall (1 = no different)."""
    if segment_popularity.size == 0:
        return segment_popularity
    seg_share = segment_popularity / np.maximum(segment_popularity.sum(axis=1, keepdims=True), 1e-12)
    overall = popularity / max(float(popularity.sum()), 1e-12)
    return np.where(overall > 0, seg_share / np.maximum(overall, 1e-12), 0.0)


def _attributes(value: Any) -> dict:
    return value if isinstance(value, dict) else parse_attributes(value)
