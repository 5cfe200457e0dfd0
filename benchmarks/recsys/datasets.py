"""Data set loaders. Each returns a :class:`RecData` (or ``None`` with a message when the files are
absent): an interactions frame with columns ``user``, ``item``, ``weight`` (and ``time`` when the
data has one), and optional side features as ``{id: [feature tokens]}``.

Public data sets are read in place from the shared data folder beside the repo (never copied):
``$SHARED_DATA_DIR``, default ``<repo>/../shared/data``.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[2]


def shared_data_dir() -> Path:
    return Path(os.environ.get("SHARED_DATA_DIR") or REPO.parent / "shared" / "data")


@dataclass
class RecData:
    name: str
    interactions: pd.DataFrame  # user, item, weight[, time]
    item_features: dict[str, list[str]] | None = None
    user_features: dict[str, list[str]] | None = None
    split: str = "stratified"  # or "time"
    notes: list[str] = field(default_factory=list)


def _skip(what: str, path: Path) -> None:
    print(f"[skip] {what}: {path} not found (set SHARED_DATA_DIR to the folder holding it)", flush=True)


# --- MovieLens 100k ---------------------------------------------------------------------------

ML_AGE_BANDS = [(0, 17, "<18"), (18, 24, "18-24"), (25, 34, "25-34"), (35, 44, "35-44"), (45, 49, "45-49"),
                (50, 55, "50-55"), (56, 200, "56+")]  # the MovieLens 1M bands


def _age_band(age: int) -> str:
    return next(label for low, high, label in ML_AGE_BANDS if low <= age <= high)


def load_ml100k(root: Path | None = None) -> RecData | None:
    folder = (root or shared_data_dir()) / "ml-100k"
    if not (folder / "u.data").exists():
        _skip("MovieLens 100k", folder / "u.data")
        return None
    ratings = pd.read_csv(folder / "u.data", sep="\t", names=["user", "item", "rating", "time"])
    interactions = pd.DataFrame({
        "user": ratings["user"].astype(str),
        "item": ratings["item"].astype(str),
        "weight": 1.0,  # implicit feedback: every rating is one interaction
        "time": ratings["time"],
    })
    item_features = user_features = None
    if (folder / "u.item").exists():
        genres = [line.split("|")[0] for line in (folder / "u.genre").read_text(encoding="latin-1").splitlines()
                  if line.strip()] if (folder / "u.genre").exists() else [f"g{i}" for i in range(19)]
        movies = pd.read_csv(folder / "u.item", sep="|", header=None, encoding="latin-1")
        flags = movies.iloc[:, -len(genres):].to_numpy()
        item_features = {str(mid): [f"genre={genres[j]}" for j in np.flatnonzero(row)]
                         for mid, row in zip(movies[0], flags, strict=True)}
    if (folder / "u.user").exists():
        users = pd.read_csv(folder / "u.user", sep="|", names=["user", "age", "gender", "occupation", "zip"])
        user_features = {str(r.user): [f"age={_age_band(r.age)}", f"gender={r.gender}", f"occupation={r.occupation}"]
                         for r in users.itertuples()}
    return RecData("ml100k", interactions, item_features, user_features, split="stratified")


# --- Online Retail (UCI sample) ---------------------------------------------------------------

TOKEN = re.compile(r"[a-z]{3,}")


def text_features(descriptions: dict[str, str], min_items: int = 2) -> dict[str, list[str]]:
    """Bag of words: lowercased words of >= 3 letters that occur in at least ``min_items`` items."""
    tokens = {item: sorted(set(TOKEN.findall(str(text).lower()))) for item, text in descriptions.items()}
    document_frequency = Counter(t for words in tokens.values() for t in words)
    return {item: [f"word={t}" for t in words if document_frequency[t] >= min_items]
            for item, words in tokens.items()}


def load_retail(root: Path | None = None) -> RecData | None:
    path = (root or shared_data_dir()) / "online-retail" / "online_retail_sample.csv"
    if not path.exists():
        _skip("Online Retail", path)
        return None
    raw = pd.read_csv(path, dtype={"InvoiceNo": str, "StockCode": str})
    rows = len(raw)
    df = raw.dropna(subset=["CustomerID"])
    no_customer = rows - len(df)
    cancelled = df["InvoiceNo"].str.startswith("C")
    non_positive = ~cancelled & (df["Quantity"] <= 0)
    df = df[~cancelled & (df["Quantity"] > 0)]
    # Postage, bank charges, manual adjustments etc. are not products (product codes start with a digit).
    products = df["StockCode"].str.match(r"^\d")
    non_products = int((~products).sum())
    df = df[products]
    descriptions = (df.dropna(subset=["Description"]).groupby("StockCode")["Description"]
                    .agg(lambda s: s.value_counts().index[0]).to_dict())
    interactions = pd.DataFrame({
        "user": df["CustomerID"].astype(int).astype(str),
        "item": df["StockCode"],
        "weight": 1.0,
        "time": pd.to_datetime(df["InvoiceDate"]),
    })
    notes = [f"{rows:,} rows; dropped {no_customer:,} without CustomerID, {int(cancelled.sum()):,} cancellations, "
             f"{int(non_positive.sum()):,} other non-positive quantities, {non_products:,} non-product codes "
             "(postage, fees, manual); every purchase line is one interaction"]
    return RecData("retail", interactions.reset_index(drop=True), text_features(descriptions), None,
                   split="time", notes=notes)


# --- Generic CSV ------------------------------------------------------------------------------

def _feature_tokens(frame: pd.DataFrame, key: str, columns: list[str], bins: int = 5) -> dict[str, list[str]]:
    """``column=value`` tokens; numeric columns with many distinct values become quantile bins."""
    missing = [c for c in [key, *columns] if c not in frame.columns]
    if missing:
        raise SystemExit(f"feature file has no column(s) {missing}; it has {list(frame.columns)}")
    tokens: dict[str, list[str]] = {str(k): [] for k in frame[key]}
    for col in columns:
        values = frame[col]
        if pd.api.types.is_numeric_dtype(values) and values.nunique() > 2 * bins:
            labels = pd.qcut(values, q=bins, labels=False, duplicates="drop")
            values = labels.map(lambda q: f"q{int(q) + 1}" if pd.notna(q) else None)
        for k, v in zip(frame[key], values, strict=True):
            if pd.notna(v) and str(v) != "":
                tokens[str(k)].append(f"{col}={v}")
    return tokens


def parse_weight_map(text: str | None) -> dict[str, float] | None:
    if not text:
        return None
    pairs = (part.split("=", 1) for part in text.split(",") if part.strip())
    return {k.strip(): float(v) for k, v in pairs}


def load_csv(
    interactions: str | Path,
    user_col: str,
    item_col: str,
    weight_col: str | None = None,
    time_col: str | None = None,
    weight_map: dict[str, float] | None = None,
    item_features: str | Path | None = None,
    item_key: str | None = None,
    item_feature_cols: list[str] | None = None,
    user_features: str | Path | None = None,
    user_key: str | None = None,
    user_feature_cols: list[str] | None = None,
    name: str | None = None,
) -> RecData:
    """Any interactions CSV: map its columns to user/item[/weight][/time]; optional feature CSVs
    (key column + feature columns). A time column means a time split, else a stratified split."""
    raw = pd.read_csv(interactions, dtype={user_col: str, item_col: str})
    missing = [c for c in [user_col, item_col, weight_col, time_col] if c and c not in raw.columns]
    if missing:
        raise SystemExit(f"{interactions} has no column(s) {missing}; it has {list(raw.columns)}")
    df = pd.DataFrame({"user": raw[user_col].astype(str), "item": raw[item_col].astype(str)})
    if weight_col:
        w = raw[weight_col]
        if weight_map:
            unknown = sorted(set(w.astype(str)) - set(weight_map))
            if unknown:
                raise SystemExit(f"--weight-map has no weight for {unknown}")
            w = w.astype(str).map(weight_map)
        elif not pd.api.types.is_numeric_dtype(w):
            raise SystemExit(f"--weight-col {weight_col} is not numeric; give --weight-map value=weight,...")
        df["weight"] = w.astype(float)
        df = df[df["weight"] > 0]
    else:
        df["weight"] = 1.0
    if time_col:
        t = raw.loc[df.index, time_col]
        df["time"] = t if pd.api.types.is_numeric_dtype(t) else pd.to_datetime(t, utc=True)
    item_tokens = user_tokens = None
    if item_features:
        frame = pd.read_csv(item_features, dtype={item_key or item_col: str})
        item_tokens = _feature_tokens(frame, item_key or item_col, item_feature_cols or [])
    if user_features:
        frame = pd.read_csv(user_features, dtype={user_key or user_col: str})
        user_tokens = _feature_tokens(frame, user_key or user_col, user_feature_cols or [])
    return RecData(name or Path(interactions).stem, df.reset_index(drop=True), item_tokens, user_tokens,
                   split="time" if time_col else "stratified")


SHOP_EVENT_WEIGHTS = {"view": 1.0, "add_to_cart": 2.0, "purchase": 3.0}


def load_shop(repo: Path = REPO) -> RecData | None:
    folder = repo / "data" / "shop"
    if not (folder / "interactions.csv").exists():
        _skip("shop data", folder / "interactions.csv")
        return None
    data = load_csv(folder / "interactions.csv", "customer_id", "product_id", weight_col="event",
                    time_col="timestamp", weight_map=SHOP_EVENT_WEIGHTS,
                    item_features=folder / "products.csv", item_key="product_id",
                    item_feature_cols=["category", "brand", "price"],
                    user_features=folder / "customers.csv", user_key="customer_id",
                    user_feature_cols=["segment", "region", "age_band"], name="shop")
    data.notes.append("views, add-to-cart and purchases are all interactions (weights "
                      + ", ".join(f"{k} {v:g}" for k, v in SHOP_EVENT_WEIGHTS.items()) + ")")
    return data
