"""The committed shop data in data/shop/: schemas, invariants, documented fixtures, determinism, signal."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from scripts.generate_shop_data import generate
from shop.knowledge import KnowledgeBase, KnowledgeBaseError
from shop.marketing.offers import OfferCatalogue, OfferCatalogueError
from shop.messages import MessageCatalogError, Messages

DATA = Path(__file__).parents[2] / "data" / "shop"
GENERATED = ("products.csv", "customers.csv", "interactions.csv", "orders.csv", "order_items.csv")
CATEGORIES = {"phones", "laptops", "tablets", "headphones", "smartwatches", "cameras", "tvs", "accessories"}
PRICE_RANGES = {
    "phones": (149, 1599), "laptops": (329, 3499), "tablets": (99, 1899), "headphones": (19, 549),
    "smartwatches": (49, 899), "cameras": (129, 3999), "tvs": (179, 4999), "accessories": (9, 199),
}
BRANDS = {
    "phones": {"Apple", "Samsung", "Google", "OnePlus", "Motorola", "Xiaomi", "Sony"},
    "laptops": {"Apple", "Dell", "HP", "Lenovo", "Asus", "Acer", "Microsoft", "Razer"},
    "tablets": {"Apple", "Samsung", "Lenovo", "Amazon", "Microsoft"},
    "headphones": {"Sony", "Bose", "Apple", "Sennheiser", "JBL", "Beats", "Jabra", "Anker"},
    "smartwatches": {"Apple", "Samsung", "Garmin", "Fitbit", "Google", "Amazfit"},
    "cameras": {"Canon", "Nikon", "Sony", "Fujifilm", "GoPro", "Panasonic", "DJI"},
    "tvs": {"Samsung", "LG", "Sony", "TCL", "Hisense", "Vizio"},
    "accessories": {"Anker", "Belkin", "Logitech", "Samsung", "Apple", "Spigen", "SanDisk"},
}
SEGMENTS = {"bargain_hunter", "tech_enthusiast", "family", "professional", "student", "gamer"}
REGIONS = {"US-Northeast", "US-Southeast", "US-Midwest", "US-Southwest", "US-West", "CA-East", "CA-West"}
AGE_BANDS = {"18-24", "25-34", "35-44", "45-54", "55-64", "65+"}
# What each segment is built to favour (see the generator's latent preference model).
FAVOURITES = {
    "gamer": {"laptops", "tvs", "headphones"},
    "bargain_hunter": {"phones", "headphones", "accessories"},
    "tech_enthusiast": {"phones", "smartwatches"},
    "family": {"tvs", "tablets"},
    "professional": {"laptops"},
    "student": {"laptops", "headphones"},
}


def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(DATA / name, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def products() -> pd.DataFrame:
    frame = _read("products.csv")
    for column in ("price", "rating"):
        frame[column] = frame[column].astype(float)
    for column in ("review_count", "stock"):
        frame[column] = frame[column].astype(int)
    return frame


@pytest.fixture(scope="module")
def customers() -> pd.DataFrame:
    return _read("customers.csv")


@pytest.fixture(scope="module")
def interactions() -> pd.DataFrame:
    return _read("interactions.csv")


@pytest.fixture(scope="module")
def orders() -> pd.DataFrame:
    frame = _read("orders.csv")
    frame["total"] = frame["total"].astype(float)
    return frame


@pytest.fixture(scope="module")
def items() -> pd.DataFrame:
    frame = _read("order_items.csv")
    frame["quantity"] = frame["quantity"].astype(int)
    frame["unit_price"] = frame["unit_price"].astype(float)
    return frame


@pytest.fixture(scope="module")
def purchases(interactions, products, customers) -> pd.DataFrame:
    bought = interactions[interactions["event"] == "purchase"]
    return bought.merge(products[["product_id", "category", "price"]]).merge(customers[["customer_id", "segment"]])


# --- products --------------------------------------------------------------------------------


def test_products_cover_the_catalogue(products):
    assert len(products) >= 1000
    assert set(products["category"]) == CATEGORIES
    assert products["category"].value_counts().min() >= 80
    assert products["product_id"].is_unique and products["name"].is_unique
    assert products["product_id"].str.fullmatch(r"P\d{5}").all()


def test_products_have_realistic_prices_brands_and_ratings(products):
    for category, (low, high) in PRICE_RANGES.items():
        rows = products[products["category"] == category]
        assert rows["price"].between(low, high).all(), category
        assert set(rows["brand"]) == BRANDS[category], category
    assert products["rating"].between(1.0, 5.0).all()
    assert (products["review_count"] >= 0).all()
    assert products["price"].map(lambda p: round(p, 2) == p).all()


def test_about_eight_percent_are_out_of_stock(products):
    share = (products["stock"] == 0).mean()
    assert 0.04 <= share <= 0.12
    assert (products["stock"] >= 0).all()


def test_attributes_descriptions_and_release_dates(products):
    for row in products.itertuples():
        attributes = json.loads(row.attributes)
        assert isinstance(attributes, dict) and attributes, row.name
        sentences = [s for s in re.split(r"(?<=\.)\s+(?=[A-Z0-9])", row.description) if s]
        assert 1 <= len(sentences) <= 3, row.description
        assert "2022-01-01" <= row.release_date <= "2026-12-31"
    phone = json.loads(products[products["category"] == "phones"].iloc[0]["attributes"])
    assert {"storage_gb", "ram_gb", "screen_in", "battery_mah"} <= phone.keys()
    tv = json.loads(products[products["category"] == "tvs"].iloc[0]["attributes"])
    assert {"screen_in", "resolution", "refresh_rate_hz"} <= tv.keys()


def test_descriptions_invent_no_policies(products):
    text = " ".join(products["description"]).lower()
    for policy in ("warranty", "free shipping", "return", "refund", "guarantee", "price match"):
        assert policy not in text


# --- customers -------------------------------------------------------------------------------


def test_customers(customers):
    assert len(customers) >= 2000
    assert customers["customer_id"].is_unique and customers["customer_id"].str.fullmatch(r"C\d{5}").all()
    assert customers["email"].is_unique
    assert customers["email"].str.fullmatch(r"[a-z0-9._]+@example\.(com|org)").all()
    assert set(customers["segment"]) == SEGMENTS
    assert set(customers["region"]) == REGIONS
    assert set(customers["age_band"]) == AGE_BANDS
    assert set(customers["marketing_consent"]) == {"true", "false"}
    assert customers["signup_date"].str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()


def test_documented_test_customer(customers):
    jane = customers.set_index("customer_id").loc["C00001"]
    assert (jane["first_name"], jane["last_name"], jane["email"]) == ("Jane", "Doe", "jane.doe@example.com")


# --- interactions ----------------------------------------------------------------------------


def test_interactions_reference_existing_ids(interactions, products, customers):
    assert len(interactions) >= 50_000
    assert set(interactions["customer_id"]) <= set(customers["customer_id"])
    assert set(interactions["product_id"]) <= set(products["product_id"])
    assert set(interactions["event"]) == {"view", "add_to_cart", "purchase"}


def test_interaction_times_and_funnel(interactions, products):
    stamps = interactions["timestamp"]
    assert stamps.str.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z").all()
    assert stamps.min() >= "2025-01-01T00:00:00Z" and stamps.max() <= "2026-11-20T23:59:59Z"
    assert stamps.is_monotonic_increasing
    counts = interactions["event"].value_counts()
    assert 0.18 <= counts["add_to_cart"] / counts["view"] <= 0.32
    assert 0.25 <= counts["purchase"] / counts["add_to_cart"] <= 0.45
    released = interactions.merge(products[["product_id", "release_date"]])
    assert (released["timestamp"].str[:10] >= released["release_date"]).all()


# --- orders ----------------------------------------------------------------------------------


def test_orders_shape_and_statuses(orders, items, customers, products):
    assert len(orders) >= 3000
    assert orders["order_id"].is_unique and orders["order_id"].str.fullmatch(r"KE-\d{6}").all()
    assert set(orders["status"]) == {"processing", "shipped", "delivered", "cancelled"}
    assert set(orders["shipping_method"]) == {"standard", "express"}
    assert set(orders["customer_id"]) <= set(customers["customer_id"])
    assert set(items["product_id"]) <= set(products["product_id"])
    assert set(items["order_id"]) == set(orders["order_id"])
    assert (items["quantity"] >= 1).all()
    cancelled = (orders["status"] == "cancelled").mean()
    assert 0.02 <= cancelled <= 0.08


def test_tracking_carrier_and_delivery_dates_follow_the_status(orders, customers):
    shipped = orders["status"].isin(["shipped", "delivered"])
    assert (orders.loc[shipped, "tracking_number"] != "").all()
    assert (orders.loc[~shipped, "tracking_number"] == "").all()
    assert (orders.loc[~shipped, "carrier"] == "").all()
    assert orders["tracking_number"][shipped].is_unique
    delivered = orders["status"] == "delivered"
    assert (orders.loc[delivered, "delivered_date"] >= orders.loc[delivered, "order_date"].str[:10]).all()
    assert (orders.loc[~delivered, "delivered_date"] == "").all()
    regions = orders.merge(customers[["customer_id", "region"]])
    canadian = regions["region"].str.startswith("CA-") & regions["status"].isin(["shipped", "delivered"])
    assert (regions.loc[canadian, "carrier"] == "Canada Post").all()
    assert set(regions.loc[~canadian & (regions["carrier"] != ""), "carrier"]) <= {"UPS", "FedEx", "USPS"}
    assert (orders.loc[orders["status"] == "processing", "order_date"] >= "2026-11-16").all()


def test_totals_are_the_sum_of_the_items(orders, items):
    sums = (items["quantity"] * items["unit_price"]).groupby(items["order_id"]).sum().round(2)
    assert (orders.set_index("order_id")["total"].sub(sums).abs() < 0.005).all()


def test_orders_are_built_from_purchase_events(orders, items, interactions):
    bought = interactions[interactions["event"] == "purchase"]
    events = set(zip(bought["customer_id"], bought["product_id"], bought["timestamp"], strict=True))
    lines = items.merge(orders[["order_id", "customer_id", "order_date"]])
    lines_set = set(zip(lines["customer_id"], lines["product_id"], lines["order_date"], strict=True))
    assert lines_set == events


def test_documented_test_orders(orders, items, products):
    by_id = orders.set_index("order_id")
    names = products.set_index("product_id")["name"]
    expected = {
        "KE-100001": ("processing", "", "", "", {"Dell XPS 14 (Core Ultra 7, 16GB, 512GB)",
                                                 "Logitech MX Master 3S Wireless Mouse - Graphite"}),
        "KE-100002": ("shipped", "UPS", "1Z4K7E9R0312345678", "", {"Samsung Galaxy S25 256GB",
                                                                   "Spigen Ultra Hybrid Case for Galaxy S25"}),
        "KE-100003": ("delivered", "FedEx", "771234567890", "2026-08-20",
                      {"Sony WH-1000XM5 Wireless Headphones - Black"}),
        "KE-100004": ("cancelled", "", "", "", {"Apple Watch Series 11 42mm GPS"}),
    }
    for order_id, (status, carrier, tracking, delivered, item_names) in expected.items():
        order = by_id.loc[order_id]
        assert order["customer_id"] == "C00001"
        assert (order["status"], order["carrier"], order["tracking_number"], order["delivered_date"]) == (
            status, carrier, tracking, delivered)
        ordered = items[items["order_id"] == order_id]
        assert set(names[ordered["product_id"]]) == item_names
    assert set(orders.loc[orders["customer_id"] == "C00001", "order_id"]) == set(expected)
    latest = orders[orders["customer_id"] == "C00001"].sort_values("order_date").iloc[-1]
    assert latest["order_id"] == "KE-100001"


# --- determinism and signal ------------------------------------------------------------------


def test_generator_is_deterministic_and_matches_the_committed_files(tmp_path):
    counts = generate(tmp_path)
    assert counts["products"] >= 1000 and counts["interactions"] >= 50_000
    for name in GENERATED:
        assert (tmp_path / name).read_bytes() == (DATA / name).read_bytes(), name
    total = sum((DATA / name).stat().st_size for name in GENERATED)
    assert total < 8 * 1024 * 1024


def test_purchases_concentrate_on_each_segments_favourite_categories(purchases):
    lifts = {}
    for segment, favourites in FAVOURITES.items():
        mine = purchases["segment"] == segment
        share = purchases.loc[mine, "category"].isin(favourites).mean()
        others = purchases.loc[~mine, "category"].isin(favourites).mean()
        lifts[segment] = share / others
        assert share > 0.45 and lifts[segment] > 1.3, (segment, share, others)
    assert sum(lifts.values()) / len(lifts) > 2.0, lifts


def test_bargain_hunters_buy_cheap_and_gamers_buy_dear(purchases):
    median = purchases.groupby("segment")["price"].median()
    overall = purchases["price"].median()
    assert median["bargain_hunter"] < 0.5 * overall
    assert median["gamer"] > 2 * overall


@pytest.mark.parametrize(("load", "error"), [
    (KnowledgeBase.load, KnowledgeBaseError),
    (Messages.load, MessageCatalogError),
    (OfferCatalogue.load, OfferCatalogueError),
])
@pytest.mark.parametrize("content", ["- a list, not a mapping\n", "key: [never closed\n", None])
def test_a_broken_data_file_is_a_clear_error(tmp_path: Path, load, error, content: str | None) -> None:  # noqa: ANN001
    path = tmp_path / "data.yml"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(error, match=str(path)):
        load(path)
