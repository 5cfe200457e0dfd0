"""The recommender on the shop's own data: it must beat popularity on purchases it has not seen."""

from __future__ import annotations

import time
from dataclasses import replace

import numpy as np
import pytest

from shop.config import load_settings
from shop.recommender import UserProfile, fit
from shop.recommender.data import load_customers, load_events, load_products
from shop.recommender.model import _STORAGE_RE
from shop.recommender.training import TrainingData

HELD_OUT = 0.2


@pytest.fixture(scope="module")
def split():
    """Trained on everything before the last 20% of purchases (by time); those purchases held out."""
    settings = load_settings()
    # The committed data only: conversation feedback in var/ would make the result drift.
    data = TrainingData(products=load_products(settings.data.products),
                        customers=load_customers(settings.data.customers),
                        events=load_events(settings.data.interactions))
    purchases = data.events[data.events["event"] == "purchase"].sort_values("timestamp", kind="stable")
    cutoff = purchases["timestamp"].iloc[int(len(purchases) * (1 - HELD_OUT))]
    train = replace(data, events=data.events[data.events["timestamp"] < cutoff])
    held_out = purchases[purchases["timestamp"] >= cutoff].groupby("customer_id")["product_id"].apply(set)
    # One thread: LightFM's parallel updates are not reproducible, and assertions must not flake.
    fast = replace(settings.recommender, epochs=10, no_components=16, num_threads=1)
    started = time.perf_counter()
    model = fit(train, fast, progress=None, fingerprint="heldout")
    return model, held_out, data, time.perf_counter() - started


def _precision_at_10(ranked: dict[str, list[str]], held_out) -> float:
    return float(np.mean([len(set(ranked[user][:10]) & held_out[user]) / 10 for user in ranked]))


def test_beats_popularity_on_held_out_purchases(split):
    model, held_out, _, seconds = split
    users = [u for u in held_out.index if model.has_user(u)]
    assert len(users) > 400
    # Both rank the whole catalogue (stock is a snapshot of today) and leave out what the shopper bought.
    lightfm = {u: [r.product_id for r in model.recommend(u, k=10, in_stock_only=False, explain_items=False)]
               for u in users}
    popular = {u: model.popular(k=10, in_stock_only=False, exclude_ids=model.purchased_ids(u)) for u in users}
    ours, baseline = _precision_at_10(lightfm, held_out), _precision_at_10(popular, held_out)
    print(f"held-out P@10 over {len(users)} shoppers: LightFM {ours:.4f}, popularity {baseline:.4f} "
          f"(trained in {seconds:.1f} s)")
    # Observed about 0.029-0.031 vs 0.0246 across seeds; the ceiling is low because shoppers pick by
    # a noisy softmax over 1,600 products.
    assert ours > 1.1 * baseline


def test_filters_hold_on_the_real_catalogue(split):
    model, _, data, _ = split
    catalogue = data.products.set_index("product_id")
    for user in ("C00001", "C00002", None):
        results = model.recommend(user, category="phones", brand="Samsung", max_price=500, k=10)
        assert results
        for r in results:
            product = catalogue.loc[r.product_id]
            assert (product.category, product.brand) == ("phones", "Samsung")
            assert product.price <= 500 and product.stock > 0


def test_cold_start_on_the_real_catalogue(split):
    model, _, _, _ = split
    results = model.recommend(None, UserProfile(brands=("Samsung",)), category="phones", max_price=800, k=5)
    assert [r.brand for r in results[:3]] == ["Samsung"] * 3
    assert all(r.reason for r in results)
    # A budget in a category becomes a price-band preference: bands overlapping "under $300".
    assert model.price_bands_for("phones", None, 300)[0] == 1


def test_anonymous_picks_lean_towards_well_rated_products(split):
    model, _, data, _ = split
    catalogue = data.products
    for category, budget in (("phones", 600), ("headphones", 300), ("laptops", 1500)):
        picks = model.recommend(None, category=category, max_price=budget, k=3, explain_items=False)
        allowed = catalogue[(catalogue["category"] == category) & (catalogue["price"] <= budget)
                            & (catalogue["stock"] > 0)]
        ratings = allowed.set_index("product_id")["rating"]
        assert len(picks) == 3
        assert ratings[[p.product_id for p in picks]].mean() > ratings.mean(), category


def test_one_pick_per_product_line(split):
    model, _, _, _ = split


    for user in ("C00001", "C00002", None):
        picks = model.recommend(user, category="phones", k=5, explain_items=False)
        lines = [_STORAGE_RE.sub("", p.name).strip().lower() for p in picks]
        assert len(picks) == 5 and len(set(lines)) == 5, lines
