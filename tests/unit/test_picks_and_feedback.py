"""Choosing products to show (model first, catalogue fallback) and recording shopper feedback."""

from __future__ import annotations

import csv
import logging

import pytest

from shop.catalog import Catalog
from shop.config import load_settings
from shop.feedback import FeedbackLog, export_feedback
from shop.picks import ProductPicker, Request
from shop.recommender import RecommenderService, fit, save
from shop.recommender.data import load_events
from shop.state import StateStore
from tests.unit.recommender_fixtures import FAST, training_data, write_shop


@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    """A small shop with a trained model in its artifact directory."""
    folder = tmp_path_factory.mktemp("shop")
    data = training_data()
    settings = load_settings(write_shop(folder, data))
    save(fit(data, FAST, progress=None, fingerprint="picks"), settings.recommender.artifact_dir)
    catalog = Catalog.load(settings.data.products, settings.data.interactions)
    return settings, catalog


def test_personal_picks_respect_every_filter(shop):
    settings, catalog = shop
    picker = ProductPicker(catalog, RecommenderService(settings.recommender.artifact_dir))
    picks = picker.recommend(Request(customer_id="C00001", category="headphones", max_price=260,
                                     exclude_ids=("P00013",)), k=3)
    assert picks.personalised and picks.items
    for pick in picks.items:
        product = pick.product
        assert product.category == "headphones" and product.price <= 260 and product.in_stock
        assert product.product_id != "P00013"
        assert pick.reason


def test_without_a_model_best_sellers_stand_in_and_the_log_says_why(shop, tmp_path, caplog):
    _, catalog = shop
    picker = ProductPicker(catalog, RecommenderService(tmp_path / "no-models-here"))
    with caplog.at_level(logging.WARNING):
        picks = picker.recommend(Request(category="phones", max_price=300), k=3)
    assert not picks.personalised
    assert picks.items and all(p.product.category == "phones" and p.product.price <= 300 for p in picks.items)
    assert all(p.reason.startswith("a best seller in phones") for p in picks.items)
    assert "recommender unavailable" in caplog.text and "no-models-here" in caplog.text


def test_more_like_this_stays_in_the_category_and_never_repeats_the_product(shop, tmp_path):
    settings, catalog = shop
    for service in (RecommenderService(settings.recommender.artifact_dir), RecommenderService(tmp_path)):
        picks = ProductPicker(catalog, service).similar("P00014", exclude_ids={"P00015"}, k=3)
        ids = [p.product.product_id for p in picks.items]
        assert ids and "P00014" not in ids and "P00015" not in ids
        assert all(p.product.category == "headphones" for p in picks.items)


def test_last_purchase_is_the_most_recent_one(shop):
    settings, catalog = shop
    events = load_events(settings.data.interactions)
    purchases = events[(events["event"] == "purchase") & (events["customer_id"] == "C00001")]
    latest = purchases.sort_values("timestamp")["product_id"].iloc[-1]
    picker = ProductPicker(catalog, RecommenderService(settings.recommender.artifact_dir))
    assert picker.last_purchase("C00001") == latest
    assert picker.last_purchase("nobody") is None and picker.last_purchase(None) is None


def test_feedback_rows_are_interactions_the_recommender_reads(tmp_path):
    log = FeedbackLog(StateStore(tmp_path / "state.db"))
    log.record("C00001", "P00003", "not_interested")
    log.record("guest:abc", "P00004", "details")
    exported = tmp_path / "var" / "feedback.csv"
    assert export_feedback(log.state, exported) == 2
    with open(exported, newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["event"] for r in rows] == ["not_interested", "details"]
    assert log.dismissed_by("C00001") == {"P00003"} and log.dismissed_by("guest:abc") == set()
    interactions = tmp_path / "interactions.csv"
    interactions.write_text("customer_id,product_id,event,timestamp\nC00001,P00001,view,2026-01-01T00:00:00Z\n")
    assert len(load_events(interactions, exported)) == 3


def test_an_unchanged_feedback_log_leaves_the_training_file_untouched(tmp_path):
    log = FeedbackLog(StateStore(tmp_path / "state.db"))
    exported = tmp_path / "feedback.csv"
    assert export_feedback(log.state, exported) == 0 and not exported.exists()
    log.record("C00001", "P00003", "details")
    export_feedback(log.state, exported)
    before = exported.stat().st_mtime_ns
    export_feedback(log.state, exported)
    assert exported.stat().st_mtime_ns == before


@pytest.mark.parametrize("shopper, product, event", [("", "P1", "details"), ("C1", "", "details"),
                                                      ("C1", "P1", "purchase")])
def test_feedback_refuses_rows_that_would_corrupt_training(tmp_path, shopper, product, event):
    log = FeedbackLog(StateStore(tmp_path / "state.db"))
    with pytest.raises(ValueError):
        log.record(shopper, product, event)
    assert log.state.feedback_rows() == []


def test_dismissals_are_shared_by_every_process_on_the_database(tmp_path):
    first, second = (FeedbackLog(StateStore(tmp_path / "state.db")) for _ in range(2))
    assert second.dismissed_by("C00001") == set()
    first.record("C00001", "P00003", "not_interested")
    assert second.dismissed_by("C00001") == {"P00003"}
    second.record("C00001", "P00009", "not_interested")
    assert first.dismissed_by("C00001") == {"P00003", "P00009"}
