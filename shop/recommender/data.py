"""Loads the shop's CSVs and turns events into one decayed interest weight per (customer, product)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from shop.config import EventWeights

EVENT_COLUMNS = ["customer_id", "product_id", "event", "timestamp"]
NEGATIVE_EVENTS = frozenset({"not_interested"})
_SECONDS_PER_DAY = 86_400.0


@dataclass(frozen=True)
class Interactions:
    """Aggregated training signal: positive weights, and the pairs a shopper turned down."""

    weights: pd.DataFrame  # customer_id, product_id, weight (> 0)
    dismissed: pd.DataFrame  # customer_id, product_id
    purchases: pd.DataFrame  # customer_id, product_id, timestamp (epoch seconds of the latest purchase)
    reference_time: float  # epoch seconds the decay is measured from


def load_products(path: str | Path) -> pd.DataFrame:
    frame = pd.read_csv(path, dtype={"product_id": str, "name": str, "category": str, "brand": str},
                        keep_default_na=False)
    frame["price"] = pd.to_numeric(frame["price"], errors="coerce").fillna(0.0)
    frame["rating"] = pd.to_numeric(frame["rating"], errors="coerce").fillna(0.0)
    frame["stock"] = pd.to_numeric(frame["stock"], errors="coerce").fillna(0).astype(int)
    frame["attributes"] = [parse_attributes(text) for text in frame["attributes"]]
    return frame.reset_index(drop=True)


def parse_attributes(text: object) -> dict:
    try:
        value = json.loads(text) if isinstance(text, str) and text else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def load_customers(path: str | Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def load_events(interactions: str | Path, feedback: str | Path | None = None) -> pd.DataFrame:
    """Shop events plus, when the file exists, feedback from conversations (same columns).

    Timestamps become epoch seconds; rows with an unreadable timestamp are dropped rather than
    failing the whole training run over one bad line of feedback.
    """
    frames = [pd.read_csv(interactions, dtype=str, usecols=EVENT_COLUMNS, keep_default_na=False)]
    if feedback is not None and Path(feedback).is_file() and Path(feedback).stat().st_size > 0:
        frames.append(pd.read_csv(feedback, dtype=str, usecols=EVENT_COLUMNS, keep_default_na=False))
    events = pd.concat(frames, ignore_index=True)
    return normalize_events(events)


def normalize_events(events: pd.DataFrame) -> pd.DataFrame:
    events = events[EVENT_COLUMNS].copy()
    events["event"] = events["event"].astype(str).str.strip().str.lower()
    stamps = pd.to_datetime(events["timestamp"], utc=True, errors="coerce")
    keep = stamps.notna().to_numpy()
    events = events[keep].copy()
    # Via a timedelta, not astype(int): pandas may store these in s, ms, us or ns.
    events["timestamp"] = ((stamps[keep] - pd.Timestamp(0, tz="UTC")) / pd.Timedelta(seconds=1)).to_numpy(np.float64)
    return events.reset_index(drop=True)


def aggregate(events: pd.DataFrame, weights: EventWeights, half_life_days: float,
              reference_time: float | None = None) -> Interactions:
    """Sums ``event weight * 0.5 ** (age / half-life)`` per pair; a "not interested" drops the pair.

    Age is measured from the newest event in the data, not from today, so retraining on the same
    files gives the same weights whenever it runs.
    """
    reference = float(events["timestamp"].max()) if reference_time is None and len(events) else float(
        reference_time or 0.0)
    table = {"view": weights.view, "add_to_cart": weights.add_to_cart, "purchase": weights.purchase,
             "details": weights.details}
    negative = events["event"].isin(NEGATIVE_EVENTS)
    dismissed = events.loc[negative, ["customer_id", "product_id"]].drop_duplicates().reset_index(drop=True)
    positive = events[~negative & events["event"].isin(table)]
    age_days = np.maximum(reference - positive["timestamp"].to_numpy(), 0.0) / _SECONDS_PER_DAY
    decayed = positive["event"].map(table).to_numpy(dtype=np.float64) * np.power(0.5, age_days / half_life_days)
    summed = (positive.assign(weight=decayed).groupby(["customer_id", "product_id"], as_index=False)["weight"].sum())
    if len(dismissed):
        keys = pd.MultiIndex.from_frame(summed[["customer_id", "product_id"]])
        summed = summed[~keys.isin(pd.MultiIndex.from_frame(dismissed))]
    summed = summed[summed["weight"] > 0].reset_index(drop=True)
    bought = positive[positive["event"] == "purchase"]
    purchases = bought.groupby(["customer_id", "product_id"], as_index=False)["timestamp"].max()
    return Interactions(weights=summed, dismissed=dismissed, purchases=purchases.reset_index(drop=True),
                        reference_time=reference)
