"""Small synthetic shop for the recommender tests: two kinds of shopper with clear tastes."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from shop.config import RecommenderSettings
from shop.recommender.training import TrainingData

FAST = RecommenderSettings(no_components=8, epochs=10, learning_rate=0.05, num_threads=1, random_seed=7)
REFERENCE = datetime(2026, 6, 30, 12, tzinfo=UTC)


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def products() -> pd.DataFrame:
    rows = []
    spec = {"phones": ("Samsung", "Google", "Apple"), "headphones": ("Sony", "Bose", "JBL"),
            "accessories": ("Anker", "Belkin"), "tvs": ("LG", "TCL")}
    number = 0
    for category, brands in spec.items():
        for brand in brands:
            for tier in range(4):
                number += 1
                attributes = {"os": "Android"} if category == "phones" and brand != "Apple" else {}
                if category == "headphones":
                    attributes = {"type": "over-ear", "wireless": True, "noise_cancelling": tier >= 2}
                rows.append({
                    "product_id": f"P{number:05d}", "name": f"{brand} {category} {tier}", "category": category,
                    "brand": brand, "price": 50.0 + 100.0 * tier, "rating": 3.5 + 0.3 * tier,
                    "review_count": 10, "stock": 0 if tier == 3 and brand in ("Google", "JBL") else 5,
                    "attributes": attributes, "description": "", "release_date": "2025-03-01",
                })
    return pd.DataFrame(rows)


def customers(count: int = 60) -> pd.DataFrame:
    rows = [{"customer_id": f"C{i:05d}", "segment": "audiophile" if i % 2 else "mobile",
             "region": "US-West", "age_band": "25-34"} for i in range(1, count + 1)]
    return pd.DataFrame(rows)


def events(catalogue: pd.DataFrame, people: pd.DataFrame, seed: int = 3) -> pd.DataFrame:
    """Audiophiles shop Sony headphones mostly; mobile shoppers shop Samsung phones mostly."""
    rng = np.random.default_rng(seed)
    rows = []
    for person in people.itertuples(index=False):
        likes = ("headphones", "Sony") if person.segment == "audiophile" else ("phones", "Samsung")
        liked = catalogue[(catalogue.category == likes[0]) & (catalogue.brand == likes[1])].product_id.tolist()
        same_category = catalogue[catalogue.category == likes[0]].product_id.tolist()
        anything = catalogue.product_id.tolist()
        for _ in range(8):
            pool = liked if rng.random() < 0.6 else (same_category if rng.random() < 0.7 else anything)
            product = pool[int(rng.integers(len(pool)))]
            when = REFERENCE.timestamp() - float(rng.integers(0, 300)) * 86400
            rows.append((person.customer_id, product, "view", when))
            if product in liked and rng.random() < 0.5:
                rows.append((person.customer_id, product, "add_to_cart", when + 60))
                if rng.random() < 0.5:
                    rows.append((person.customer_id, product, "purchase", when + 120))
    frame = pd.DataFrame(rows, columns=["customer_id", "product_id", "event", "timestamp"])
    return frame.sort_values("timestamp", kind="stable").reset_index(drop=True)


def training_data() -> TrainingData:
    catalogue, people = products(), customers()
    return TrainingData(products=catalogue, customers=people, events=events(catalogue, people))


def write_shop(folder: Path, data: TrainingData, settings: RecommenderSettings = FAST) -> Path:
    """CSV files and a shop.yml in ``folder``; returns the shop.yml path."""
    data_dir = folder / "data"
    data_dir.mkdir(parents=True, exist_ok=True)
    catalogue = data.products.assign(attributes=[json.dumps(a) for a in data.products["attributes"]])
    catalogue.to_csv(data_dir / "products.csv", index=False)
    data.customers.to_csv(data_dir / "customers.csv", index=False)
    stamped = data.events.assign(timestamp=[stamp(datetime.fromtimestamp(t, UTC)) for t in data.events["timestamp"]])
    stamped.to_csv(data_dir / "interactions.csv", index=False)
    for name in ("orders.csv", "order_items.csv", "knowledge_base.yml"):
        (data_dir / name).write_text("")
    config = folder / "shop.yml"
    config.write_text(f"""
shop: {{name: Test, support_email: t@example.com}}
data: {{products: data/products.csv, customers: data/customers.csv, interactions: data/interactions.csv,
        orders: data/orders.csv, order_items: data/order_items.csv, knowledge_base: data/knowledge_base.yml}}
state: {{database: var/state.db}}
recommender:
  artifact_dir: artifacts
  feedback: var/feedback.csv
  keep_artifacts: 2
  model: {{no_components: {settings.no_components}, epochs: {settings.epochs}, num_threads: 1,
           random_seed: {settings.random_seed}}}
""")
    return config


