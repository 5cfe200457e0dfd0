"""The recommender engine on a small synthetic shop: data preparation, ranking, explanations, artifacts."""

from __future__ import annotations

import os
import time
from dataclasses import replace
from datetime import UTC, datetime

import numpy as np
import pandas as pd
import pytest

from shop.config import EventWeights, load_settings
from shop.recommender import (
    ArtifactError,
    RecommenderService,
    UserProfile,
    aggregate,
    fit,
    list_artifacts,
    load,
    load_events,
    save,
)
from shop.recommender.data import normalize_events
from shop.recommender.model import Recommender
from shop.recommender.train import train_if_needed
from tests.unit.recommender_fixtures import FAST, REFERENCE, stamp, training_data, write_shop

DAY = 86400.0


@pytest.fixture(scope="module")
def data():
    return training_data()


@pytest.fixture(scope="module")
def model(data) -> Recommender:
    return fit(data, FAST, progress=None, fingerprint="synthetic0000001")


def _events(rows):
    return normalize_events(pd.DataFrame(rows, columns=["customer_id", "product_id", "event", "timestamp"]))


# --- data preparation -------------------------------------------------------------------------


def test_weights_follow_event_type_and_decay_by_half_life():
    now = REFERENCE
    rows = [("A", "P1", "purchase", stamp(now)), ("A", "P1", "view", stamp(now)),
            ("A", "P2", "view", stamp(datetime.fromtimestamp(now.timestamp() - 30 * DAY, UTC))),
            ("B", "P1", "add_to_cart", stamp(datetime.fromtimestamp(now.timestamp() - 60 * DAY, UTC)))]
    result = aggregate(_events(rows), EventWeights(view=1, add_to_cart=3, purchase=5), half_life_days=30)
    weights = {(r.customer_id, r.product_id): r.weight for r in result.weights.itertuples()}
    assert weights[("A", "P1")] == pytest.approx(6.0)  # purchase 5 + view 1, both at the reference time
    assert weights[("A", "P2")] == pytest.approx(0.5)  # one half-life old
    assert weights[("B", "P1")] == pytest.approx(0.75)  # 3 * 0.5 ** 2
    assert result.reference_time == pytest.approx(now.timestamp())
    assert set(result.purchases["product_id"]) == {"P1"}


def test_not_interested_removes_the_pair_and_details_counts_like_a_view():
    rows = [("A", "P1", "purchase", stamp(REFERENCE)), ("A", "P1", "not_interested", stamp(REFERENCE)),
            ("A", "P2", "details", stamp(REFERENCE)), ("A", "P3", "bogus", stamp(REFERENCE))]
    result = aggregate(_events(rows), EventWeights(details=1.0), half_life_days=90)
    assert list(zip(result.weights["product_id"], result.weights["weight"], strict=True)) == [("P2", 1.0)]
    assert list(result.dismissed.itertuples(index=False, name=None)) == [("A", "P1")]


def test_feedback_file_is_added_when_present(tmp_path):
    shop_events = tmp_path / "interactions.csv"
    shop_events.write_text("customer_id,product_id,event,timestamp\nA,P1,view,2026-01-01T00:00:00Z\n")
    feedback = tmp_path / "feedback.csv"
    assert len(load_events(shop_events, feedback)) == 1  # no feedback file yet: fine
    feedback.write_text("customer_id,product_id,event,timestamp\nA,P1,not_interested,2026-01-02T00:00:00Z\n"
                        "A,P2,details,not-a-time\n")
    events = load_events(shop_events, feedback)
    assert list(events["event"]) == ["view", "not_interested"]  # the unreadable row is dropped


def test_dismissed_products_are_never_recommended(data):
    catalogue = data.products
    sony = catalogue[(catalogue.brand == "Sony") & (catalogue.stock > 0)].product_id.tolist()
    extra = _events([("C00001", pid, "not_interested", stamp(REFERENCE)) for pid in sony[:2]])
    model = fit(replace(data, events=pd.concat([data.events, extra], ignore_index=True)), FAST, progress=None)
    shown = {r.product_id for r in model.recommend("C00001", category="headphones", k=20)}
    assert shown and not shown & set(sony[:2])


# --- ranking and filters ----------------------------------------------------------------------


def test_known_shoppers_get_their_own_taste(model):
    audiophile = model.recommend("C00001", k=3)  # odd ids are audiophiles
    mobile = model.recommend("C00002", k=3)
    assert all(r.category == "headphones" for r in audiophile)
    assert all(r.category == "phones" for r in mobile)


@pytest.mark.parametrize("user", ["C00001", "C00002", None, "C99999"])
@pytest.mark.parametrize(
    "filters",
    [{}, {"category": "phones"}, {"category": "headphones", "brand": "bose"}, {"max_price": 160.0},
     {"min_price": 100.0, "max_price": 260.0, "category": "tvs"}, {"brand": "Sony", "in_stock_only": False}],
)
def test_filters_are_always_respected(model, data, user, filters):
    catalogue = data.products.set_index("product_id")
    exclude = tuple(catalogue.index[:5])
    results = model.recommend(user, UserProfile(brands=("Google",)), exclude_ids=exclude, k=50, **filters)
    assert results
    for r in results:
        product = catalogue.loc[r.product_id]
        assert r.product_id not in exclude
        if filters.get("in_stock_only", True):
            assert product.stock > 0
        if "category" in filters:
            assert product.category == filters["category"]
        if "brand" in filters:
            assert product.brand.lower() == filters["brand"].lower()
        assert filters.get("min_price", 0) <= product.price <= filters.get("max_price", np.inf)
    assert [r.score for r in results] == sorted((r.score for r in results), reverse=True)


def test_unknown_category_or_brand_matches_nothing(model):
    assert model.recommend("C00001", category="spaceships") == []
    assert model.recommend(None, brand="Nokia") == []


def test_purchases_are_left_out_unless_asked(model):
    bought = set(model.purchased_ids("C00001"))
    assert bought
    assert not bought & {r.product_id for r in model.recommend("C00001", k=40, in_stock_only=False)}
    everything = model.recommend("C00001", k=40, in_stock_only=False, exclude_purchased=False)
    assert bought <= {r.product_id for r in everything}


# --- cold start --------------------------------------------------------------------------------


def test_anonymous_shopper_with_a_stated_brand_gets_it_first(model):
    results = model.recommend(None, UserProfile(brands=("Google",)), category="phones", k=5)
    assert [r.brand for r in results[:3]] == ["Google"] * 3
    assert results[0].reason == "matches your interest in Google"


def test_profile_alone_steers_a_new_shopper(model):
    audio = model.recommend(None, UserProfile(segment="audiophile"), k=4)
    mobile = model.recommend(None, UserProfile(segment="mobile", categories=("phones",)), k=4)
    assert sum(r.category == "headphones" for r in audio) >= 3
    assert sum(r.category == "phones" for r in mobile) >= 3


def test_nothing_known_falls_back_to_popularity(model):
    ids = [r.product_id for r in model.recommend(None, k=5)]
    assert ids == model.popular(k=5)
    assert model.profile_vector(UserProfile(brands=("NoSuchBrand",))) is None


def test_a_new_product_is_scored_from_its_features(model):
    new = pd.DataFrame([{"product_id": "P99999", "name": "Sony headphones X", "category": "headphones",
                         "brand": "Sony", "price": 260.0, "rating": 4.5, "stock": 3,
                         "attributes": '{"type": "over-ear", "wireless": true, "noise_cancelling": true}',
                         "release_date": "2026-06-01"}])
    extended = model.with_new_items(new)
    assert len(extended) == len(model) + 1 and not model.has_item("P99999")
    audiophile = {r.product_id: r.score for r in extended.recommend("C00001", category="headphones", k=50)}
    mobile = {r.product_id: r.score for r in extended.recommend("C00002", category="headphones", k=50)}
    assert np.isfinite(audiophile["P99999"])
    # It looks like what audiophiles buy, so it ranks in their top half and scores higher for them.
    ranked = list(audiophile)
    assert ranked.index("P99999") < len(ranked) / 2
    assert audiophile["P99999"] > mobile["P99999"]


# --- explanations ------------------------------------------------------------------------------


def test_explanations(data):
    catalogue = data.products
    phone = catalogue[(catalogue.category == "phones") & (catalogue.brand == "Google")].product_id.iloc[0]
    march = datetime(2026, 3, 14, 10, tzinfo=UTC)
    extra = _events([("C00002", phone, "purchase", stamp(march))])
    model = fit(replace(data, events=pd.concat([data.events, extra], ignore_index=True)), FAST, progress=None)
    reasons = {r.category: r.reason for r in model.recommend("C00002", category="accessories", k=1)}
    assert reasons["accessories"] == "goes with the phone you bought in March"
    samsung = model.recommend("C00002", category="phones", brand=None, k=1)[0]
    assert samsung.brand == "Samsung" and samsung.reason == "matches your interest in Samsung"
    # Filtering by the brand says nothing about taste; the reason then comes from elsewhere.
    filtered = model.recommend("C00002", category="phones", brand="Samsung", k=1)[0]
    assert "Samsung" not in filtered.reason
    tv = model.recommend("C00001", category="tvs", k=10)
    assert {r.reason for r in tv} <= {"top rated in TVs", "popular in TVs", "popular with customers like you"}
    # Deterministic: the same question gets the same answer.
    assert model.recommend("C00002", k=5) == model.recommend("C00002", k=5)


def test_older_purchases_name_the_year(model):
    from shop.recommender.explain import month_phrase

    assert month_phrase(datetime(2025, 3, 1, tzinfo=UTC).timestamp(), REFERENCE.timestamp()) == "in March 2025"


# --- artifacts and the service -----------------------------------------------------------------


def test_artifact_round_trip(model, tmp_path):
    path = save(model, tmp_path)
    assert path.name == "recommender-synthetic0000001.npz"
    loaded = load(path)
    assert loaded.meta["hyperparameters"] == FAST.hyperparameters()
    assert loaded.meta["training_seconds"] > 0 and loaded.meta["created"]
    for user in ("C00001", "C00002", None):
        assert loaded.recommend(user, category="phones", k=5) == model.recommend(user, category="phones", k=5)
    with pytest.raises(ArtifactError, match="no recommender artifact"):
        load(tmp_path / "recommender-missing.npz")
    (tmp_path / "recommender-broken.npz").write_bytes(b"not a zip")
    with pytest.raises(ArtifactError, match="cannot read"):
        load(tmp_path / "recommender-broken.npz")


def _save_as(model, folder, fingerprint, age_seconds):
    copy = Recommender(model.arrays, {**model.meta, "fingerprint": fingerprint})
    path = save(copy, folder, keep=3)
    moment = time.time() - age_seconds
    os.utime(path, (moment, moment))
    return path


def test_service_reloads_when_a_newer_artifact_appears(model, tmp_path, caplog):
    now = [0.0]
    service = RecommenderService(tmp_path, check_seconds=10, clock=lambda: now[0])
    assert service.get() is None
    assert "no usable recommender artifact" in service.last_error
    with pytest.raises(ArtifactError):
        service.require()

    _save_as(model, tmp_path, "aaaaaaaaaaaaaaaa", age_seconds=100)
    assert service.get() is None  # checked less than 10 s ago: no new listing yet
    now[0] = 10
    assert service.require().fingerprint == "aaaaaaaaaaaaaaaa"

    _save_as(model, tmp_path, "bbbbbbbbbbbbbbbb", age_seconds=50)
    now[0] = 15
    assert service.get().fingerprint == "aaaaaaaaaaaaaaaa"
    now[0] = 20
    assert service.get().fingerprint == "bbbbbbbbbbbbbbbb"

    broken = tmp_path / "recommender-cccccccccccccccc.npz"
    broken.write_bytes(b"garbage")
    now[0] = 30
    assert service.get().fingerprint == "bbbbbbbbbbbbbbbb"  # the broken newest file is skipped
    assert "cannot read" in service.last_error and "cccccccccccccccc" in caplog.text


def test_old_artifacts_are_pruned(model, tmp_path):
    for age, key in enumerate("abcd"):
        _save_as(model, tmp_path, key * 16, age_seconds=100 - age)
    save(Recommender(model.arrays, {**model.meta, "fingerprint": "e" * 16}), tmp_path, keep=2)
    assert [p.name for p in list_artifacts(tmp_path)] == [f"recommender-{'e' * 16}.npz", f"recommender-{'d' * 16}.npz"]


def test_training_runs_only_when_the_inputs_change(data, tmp_path, monkeypatch):
    monkeypatch.delenv("SHOP_RECOMMENDER_DIR", raising=False)
    monkeypatch.delenv("SHOP_STATE_DB", raising=False)
    config = write_shop(tmp_path, data)
    settings = load_settings(config)
    first, trained = train_if_needed(settings, quiet=True)
    assert trained and first.parent == tmp_path / "artifacts"
    assert train_if_needed(settings, quiet=True) == (first, False)
    assert train_if_needed(settings, force=True, quiet=True) == (first, True)

    (tmp_path / "var").mkdir()
    settings.recommender.feedback.write_text(
        f"customer_id,product_id,event,timestamp\nC00001,P00001,not_interested,{stamp(REFERENCE)}\n")
    second, trained = train_if_needed(settings, quiet=True)
    assert trained and second != first
    changed = replace(settings, recommender=replace(settings.recommender, epochs=3))
    third, trained = train_if_needed(changed, quiet=True)
    assert trained and third not in (first, second)
    assert [p.name for p in list_artifacts(tmp_path / "artifacts")] == [third.name, second.name]  # keep: 2
    assert load(third).meta["hyperparameters"]["epochs"] == 3


def test_training_shows_progress(data, capsys):
    fit(data, replace(FAST, epochs=3), fingerprint="x")
    assert [line.strip() for line in capsys.readouterr().err.splitlines()] == ["epoch 1/3", "epoch 2/3", "epoch 3/3"]


def test_top_10_of_10000_items_is_fast(model):
    """The hot path is numpy only: one top-10 over 10,000 items well under a millisecond."""
    rng = np.random.default_rng(0)
    n, k = 10_000, model.item_embeddings.shape[1]
    arrays = dict(model.arrays)
    picks = rng.integers(len(model), size=n)
    for key in ("item_names", "item_categories", "item_brands", "item_prices", "item_ratings", "item_stock",
                "popularity", "item_biases"):
        arrays[key] = model.arrays[key][picks]
    arrays["item_ids"] = np.array([f"X{i:06d}" for i in range(n)])
    arrays["item_embeddings"] = rng.normal(size=(n, k)).astype(np.float32)
    arrays["segment_popularity"] = model.arrays["segment_popularity"][:, picks]
    for key in ("history_items", "purchase_items", "dismissed_items"):
        arrays[key] = np.minimum(model.arrays[key], n - 1)
    big = Recommender(arrays, model.meta)
    timings = []
    for _ in range(200):
        started = time.perf_counter()
        big.recommend("C00001", category="phones", max_price=300, k=10, explain_items=False)
        timings.append(time.perf_counter() - started)
    assert min(timings) < 1e-3, f"best of 200: {min(timings) * 1e3:.3f} ms"
