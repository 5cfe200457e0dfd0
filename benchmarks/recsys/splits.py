"""Train/test splits over an interactions frame with columns ``user``, ``item`` (+ ``time``)."""

from __future__ import annotations

import numpy as np
import pandas as pd


def stratified_split(
    df: pd.DataFrame, ratio: float = 0.75, seed: int = 42, user_col: str = "user"
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per-user random split, as ``python_stratified_split`` in microsoft/recommenders.

    Every row gets a uniform random number (``np.random.seed(seed); np.random.rand(n)`` in row
    order); within each user the rows are ordered by it and the first ``ratio`` share (rank /
    count <= ratio) goes to train, the rest to test. Same data in the same order and the same
    seed give the same split as the Recommenders library.
    """
    random = np.random.RandomState(seed).rand(len(df))  # the stream np.random.seed(seed) gives
    data = df.assign(_random=random).sort_values([user_col, "_random"])
    groups = data.groupby(user_col, sort=False)
    rank = (groups.cumcount() + 1) / groups[user_col].transform("count")
    in_train = rank <= ratio
    train = data[in_train].drop(columns="_random")
    test = data[~in_train].drop(columns="_random")
    return train, test


def time_split(
    df: pd.DataFrame, test_fraction: float = 0.2, time_col: str = "time", user_col: str = "user"
) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """Global time split: the last ``test_fraction`` of the time span is the test period.

    Test rows of users who have nothing in train are dropped (a warm evaluation needs the user
    in training). Returns (train, test, info).
    """
    times = df[time_col] if pd.api.types.is_numeric_dtype(df[time_col]) else pd.to_datetime(df[time_col])
    start, end = times.min(), times.max()
    cutoff = start + (end - start) * (1 - test_fraction)
    in_train = times < cutoff
    train, test = df[in_train], df[~in_train]
    known = test[user_col].isin(set(train[user_col]))
    info = {
        "cutoff": str(cutoff),
        "test_rows_total": int(len(test)),
        "test_rows_of_new_users": int((~known).sum()),
    }
    return train, test[known], info


def item_holdout_split(
    df: pd.DataFrame, fraction: float = 0.2, seed: int = 42, item_col: str = "item"
) -> tuple[pd.DataFrame, pd.DataFrame, np.ndarray]:
    """Cold-start split (LightFM paper): ``fraction`` of the items and all their interactions
    are held out of training. Returns (train, test on held-out items, held-out item ids)."""
    items = np.array(sorted(df[item_col].unique()))
    rng = np.random.default_rng(seed)
    held = rng.choice(items, size=int(round(fraction * len(items))), replace=False)
    is_held = df[item_col].isin(set(held))
    return df[~is_held], df[is_held], np.sort(held)
