"""Fits the hybrid LightFM model and turns it into a Recommender's arrays."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
import pandas as pd
from lightfm import LightFM
from lightfm.data import Dataset

from shop.config import RecommenderSettings, Settings
from shop.recommender.data import Interactions, aggregate, load_customers, load_events, load_products
from shop.recommender.features import (
    ItemVocabulary,
    age_feature,
    history_preferences,
    region_feature,
    segment_feature,
    user_feature_names,
)
from shop.recommender.model import Recommender

Progress = Callable[[int, int], None]

# Popularity counts what shoppers commit to; a view is a weak vote.
_POPULARITY_EVENTS = ("add_to_cart", "purchase")


@dataclass(frozen=True)
class TrainingData:
    products: pd.DataFrame
    customers: pd.DataFrame
    events: pd.DataFrame

    @classmethod
    def load(cls, settings: Settings) -> TrainingData:
        return cls(products=load_products(settings.data.products), customers=load_customers(settings.data.customers),
                   events=load_events(settings.data.interactions, settings.recommender.feedback))


def print_progress(epoch: int, epochs: int) -> None:
    print(f"  epoch {epoch}/{epochs}", file=sys.stderr, flush=True)


def fit(data: TrainingData, settings: RecommenderSettings, progress: Progress | None = print_progress,
        fingerprint: str = "") -> Recommender:
    """Trains on the data and returns a ready-to-score Recommender (nothing is written to disk)."""
    started = time.perf_counter()
    products = data.products.drop_duplicates("product_id").reset_index(drop=True)
    known = set(products["product_id"])
    events = data.events[data.events["product_id"].isin(known)]
    interactions = aggregate(events, settings.event_weights, settings.half_life_days)
    customers = data.customers.drop_duplicates("customer_id")
    user_ids = sorted(set(customers["customer_id"]) | set(interactions.weights["customer_id"]))
    vocabulary = ItemVocabulary.fit(products, settings.price_bands)

    dataset = Dataset(user_identity_features=True, item_identity_features=True)
    dataset.fit(users=user_ids, items=products["product_id"],
                user_features=user_feature_names(products, customers, vocabulary.price_bands),
                item_features=vocabulary.all_features(products))
    profiles = _user_features(customers, interactions, products, vocabulary)
    user_features = dataset.build_user_features(((u, profiles.get(u, {})) for u in user_ids), normalize=True)
    item_rows = [(r.product_id, vocabulary.features(r.category, r.brand, r.price, r.attributes,
                                                    getattr(r, "release_date", None)))
                 for r in products.itertuples(index=False)]
    item_features = dataset.build_item_features(item_rows, normalize=True)
    matrix, weights = dataset.build_interactions(
        (r.customer_id, r.product_id, r.weight) for r in interactions.weights.itertuples(index=False))

    model = LightFM(no_components=settings.no_components, loss=settings.loss, learning_rate=settings.learning_rate,
                    item_alpha=settings.item_alpha, user_alpha=settings.user_alpha, max_sampled=settings.max_sampled,
                    random_state=np.random.RandomState(settings.random_seed))
    # WARP and k-OS take no sample weights; for them the weight only decides which pairs are positive.
    sample_weight = weights if settings.loss in ("warp", "logistic", "bpr") else None
    for epoch in range(1, settings.epochs + 1):
        model.fit_partial(matrix, user_features=user_features, item_features=item_features,
                          sample_weight=sample_weight, epochs=1, num_threads=settings.num_threads)
        if progress is not None:
            progress(epoch, settings.epochs)

    user_map, _, item_map, _ = dataset.mapping()
    item_order = np.array([item_map[p] for p in products["product_id"]])
    item_biases, item_embeddings = model.get_item_representations(item_features)
    _, user_embeddings = model.get_user_representations(user_features)
    n_users, n_items = len(user_map), len(item_map)
    user_feature_list = _names_after_identity(dataset.mapping()[1], n_users)
    item_feature_list = _names_after_identity(dataset.mapping()[3], n_items)

    segments = customers.set_index("customer_id")["segment"] if "segment" in customers else pd.Series(dtype=str)
    user_segments = np.array([str(segments.get(u, "") or "") for u in user_ids])
    user_rows = interactions.weights["customer_id"].map(user_map).to_numpy(np.int64)
    item_rows_idx = interactions.weights["product_id"].map(item_map).to_numpy(np.int64)
    popularity, segment_names, segment_popularity = _popularity(events, user_map, item_map, user_segments)

    arrays = {
        "item_ids": products["product_id"].astype(str).to_numpy().astype(str),
        "item_names": products["name"].astype(str).to_numpy().astype(str),
        "item_categories": products["category"].astype(str).to_numpy().astype(str),
        "item_brands": products["brand"].astype(str).to_numpy().astype(str),
        "item_prices": products["price"].to_numpy(np.float64),
        "item_ratings": products["rating"].to_numpy(np.float64),
        "item_stock": products["stock"].to_numpy(np.int64),
        "item_biases": item_biases[item_order].astype(np.float32),
        "item_embeddings": item_embeddings[item_order].astype(np.float32),
        "popularity": popularity[item_order],
        "user_ids": np.array(user_ids, dtype=str),
        "user_segments": user_segments,
        "user_embeddings": user_embeddings[[user_map[u] for u in user_ids]].astype(np.float32),
        "user_feature_names": np.array(user_feature_list, dtype=str),
        "user_feature_embeddings": model.user_embeddings[n_users:].astype(np.float32),
        "item_feature_names": np.array(item_feature_list, dtype=str),
        "item_feature_embeddings": model.item_embeddings[n_items:].astype(np.float32),
        "item_feature_biases": model.item_biases[n_items:].astype(np.float32),
        "segment_names": np.array(segment_names, dtype=str),
        "segment_popularity": segment_popularity[:, item_order],
        "history_users": user_rows, "history_items": _reindex(item_rows_idx, item_order),
        "history_weights": interactions.weights["weight"].to_numpy(np.float64),
        **_pairs(interactions.purchases, user_map, item_map, item_order, "purchase", "timestamp"),
        **_pairs(interactions.dismissed, user_map, item_map, item_order, "dismissed", None),
    }
    meta = {
        "format": 1,
        "fingerprint": fingerprint,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "hyperparameters": settings.hyperparameters(),
        "training_seconds": round(time.perf_counter() - started, 3),
        "reference_time": interactions.reference_time,
        "price_band_count": vocabulary.price_bands.count,
        "price_band_edges": {k: list(v) for k, v in vocabulary.price_bands.edges.items()},
        "attribute_vocabulary": sorted(vocabulary.attributes),
        "counts": {"users": n_users, "items": n_items, "pairs": int(matrix.nnz), "events": int(len(events))},
    }
    return Recommender(arrays, meta)


def _user_features(customers: pd.DataFrame, interactions: Interactions, products: pd.DataFrame,
                   vocabulary: ItemVocabulary) -> dict[str, dict[str, float]]:
    features = history_preferences(interactions, products, vocabulary.price_bands)
    for row in customers.itertuples(index=False):
        profile = features.setdefault(row.customer_id, {})
        for column, make in (("segment", segment_feature), ("region", region_feature), ("age_band", age_feature)):
            value = getattr(row, column, "")
            if value:
                profile[make(value)] = 1.0
    return features


def _names_after_identity(feature_map: dict[str, int], identities: int) -> list[str]:
    """Feature names in embedding-row order, without the per-user/per-item identity rows that come first."""
    names = sorted(feature_map, key=feature_map.__getitem__)
    return names[identities:]


def _reindex(dataset_items: np.ndarray, item_order: np.ndarray) -> np.ndarray:
    """Dataset item indices -> positions in the products table (the artifact's item order)."""
    position = np.empty(len(item_order), dtype=np.int64)
    position[item_order] = np.arange(len(item_order))
    return position[dataset_items]


def _pairs(frame: pd.DataFrame, user_map: dict[str, int], item_map: dict[str, int], item_order: np.ndarray,
           prefix: str, value_column: str | None) -> dict[str, np.ndarray]:
    users = frame["customer_id"].map(user_map)
    items = frame["product_id"].map(item_map)
    ok = (users.notna() & items.notna()).to_numpy()
    result = {f"{prefix}_users": users[ok].to_numpy(np.int64),
              f"{prefix}_items": _reindex(items[ok].to_numpy(np.int64), item_order)}
    if value_column is not None:
        result[f"{prefix}_times"] = frame.loc[ok, value_column].to_numpy(np.float64)
    return result


def _popularity(events: pd.DataFrame, user_map: dict[str, int], item_map: dict[str, int],
                user_segments: np.ndarray) -> tuple[np.ndarray, list[str], np.ndarray]:
    """Carts and purchases per item overall and per segment (views only break ties)."""
    items = events["product_id"].map(item_map).to_numpy(np.int64)
    users = events["customer_id"].map(user_map).fillna(-1).to_numpy(np.int64)
    votes = np.where(events["event"].isin(_POPULARITY_EVENTS).to_numpy(), 1.0,
                     np.where(events["event"].isin(("view", "details")).to_numpy(), 0.01, 0.0))
    popularity = np.bincount(items, weights=votes, minlength=len(item_map))
    segment_names = sorted({s for s in user_segments if s})
    segment_of_user = {name: i for i, name in enumerate(segment_names)}
    # user_segments is in sorted-id order; user_map order may differ, so go through the ids.
    ordered_ids = sorted(user_map)
    by_map_index = np.full(len(user_map), -1, dtype=np.int64)
    for uid, segment in zip(ordered_ids, user_segments, strict=True):
        by_map_index[user_map[uid]] = segment_of_user.get(segment, -1)
    rows = np.where(users >= 0, by_map_index[np.maximum(users, 0)], -1)
    segment_popularity = np.zeros((len(segment_names), len(item_map)))
    ok = rows >= 0
    np.add.at(segment_popularity, (rows[ok], items[ok]), votes[ok])
    return popularity, segment_names, segment_popularity


def train_from_files(settings: Settings, progress: Progress | None = print_progress, fingerprint: str = "",
                     ) -> Recommender:
    return fit(TrainingData.load(settings), settings.recommender, progress=progress, fingerprint=fingerprint)


