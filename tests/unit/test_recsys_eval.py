"""The recommender benchmark's evaluation code: metrics on hand-computed examples, the splits and
the generic CSV loader (benchmarks/recsys; the benchmark itself is scripts/benchmark-recommenders)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from benchmarks.recsys import datasets, metrics, models, splits

# Two users, k = 3.
# u1 recommended [a, b, c], relevant {a, c, d}: hits at ranks 1 and 3.
# u2 recommended [x, y, z], relevant {z}: hit at rank 3.
RECS = [["a", "b", "c"], ["x", "y", "z"]]
TRUTH = [{"a", "c", "d"}, {"z"}]


def test_precision_and_recall_by_hand():
    assert metrics.precision_at_k(RECS, TRUTH, k=3) == pytest.approx((2 / 3 + 1 / 3) / 2)
    assert metrics.recall_at_k(RECS, TRUTH, k=3) == pytest.approx((2 / 3 + 1 / 1) / 2)


def test_precision_divides_by_k_even_with_short_lists():
    assert metrics.precision_at_k([["a"]], [{"a"}], k=10) == pytest.approx(0.1)


def test_ndcg_by_hand():
    d = [1 / math.log(1 + r) for r in (1, 2, 3)]
    u1 = (d[0] + d[2]) / (d[0] + d[1] + d[2])  # 3 relevant items: ideal fills ranks 1-3
    u2 = d[2] / d[0]  # 1 relevant item: ideal is a hit at rank 1
    assert metrics.ndcg_at_k(RECS, TRUTH, k=3) == pytest.approx((u1 + u2) / 2)


def test_map_at_k_by_hand():
    u1 = (1 / 1 + 2 / 3) / min(3, 3)
    u2 = (1 / 3) / min(1, 3)
    assert metrics.map_at_k(RECS, TRUTH, k=3) == pytest.approx((u1 + u2) / 2)
    # map_at_k divides by min(#relevant, k): with k=2 u1 has one hit at rank 1 -> 1/2, u2 none.
    assert metrics.map_at_k(RECS, TRUTH, k=2) == pytest.approx((1 / 2 + 0) / 2)
    # the older "map" divides by all relevant items
    assert metrics.map_full([["a", "b"]], [{"a", "c", "d"}], k=2) == pytest.approx(1 / 3)


def test_users_without_test_items_are_not_counted():
    assert metrics.precision_at_k([["a"], ["b"]], [{"a"}, set()], k=1) == pytest.approx(1.0)


def test_perfect_ranking_scores_one():
    recs, truth = [["a", "b"]], [{"a", "b"}]
    for metric in (metrics.precision_at_k, metrics.recall_at_k, metrics.ndcg_at_k, metrics.map_at_k):
        assert metric(recs, truth, k=2) == pytest.approx(1.0)


def test_precision_curve_and_coverage():
    expected = [(1 + 0) / 2, (1 / 2 + 0) / 2, (2 / 3 + 1 / 3) / 2]
    assert metrics.precision_curve(RECS, TRUTH, k=3) == pytest.approx(expected)
    assert metrics.coverage(RECS, catalogue_size=12, k=2) == pytest.approx(4 / 12)


def test_auc():
    assert metrics.auc([3.0, 2.0], [1.0, 0.0]) == 1.0
    assert metrics.auc([0.0], [1.0]) == 0.0
    assert metrics.auc([1.0], [1.0, 0.0]) == pytest.approx(0.75)  # a tie counts one half
    scores = np.array([[0.9, 0.1, 0.5], [0.2, 0.8, 0.4]])
    assert metrics.mean_user_auc(scores, [[0], [2]]) == pytest.approx((1.0 + 0.5) / 2)


def test_top_k_excludes_training_items():
    import scipy.sparse as sp

    scores = np.array([[0.9, 0.8, 0.1, 0.5]])
    exclude = sp.csr_matrix(np.array([[1, 0, 0, 0]]))
    assert models.top_k(scores, exclude, k=2).tolist() == [[1, 3]]


def _interactions(users: int = 6, per_user: int = 8) -> pd.DataFrame:
    rows = [(f"u{u}", f"i{(u * 3 + j) % 20}", float(j)) for u in range(users) for j in range(per_user + u)]
    return pd.DataFrame(rows, columns=["user", "item", "time"]).assign(weight=1.0)


def test_stratified_split_is_per_user_disjoint_and_deterministic():
    df = _interactions()
    train, test = splits.stratified_split(df, ratio=0.75, seed=42)
    assert len(train) + len(test) == len(df)
    assert set(train.index).isdisjoint(test.index)
    for user, group in df.groupby("user"):
        n_train = (train["user"] == user).sum()
        assert n_train == math.floor(0.75 * len(group) + 1e-9)  # rank / count <= 0.75
    again_train, again_test = splits.stratified_split(df, ratio=0.75, seed=42)
    assert again_train.index.tolist() == train.index.tolist()
    assert again_test.index.tolist() == test.index.tolist()
    other_train, _ = splits.stratified_split(df, ratio=0.75, seed=7)
    assert sorted(other_train.index) != sorted(train.index)


def test_stratified_split_matches_the_recommenders_algorithm():
    df = _interactions()
    np.random.seed(42)  # the reference: python_stratified_split's own steps
    ref = df.assign(random=np.random.rand(len(df))).sort_values(["user", "random"])
    groups = ref.groupby("user")
    rank = (groups.cumcount() + 1) / groups["user"].transform("count")
    train, _ = splits.stratified_split(df, ratio=0.75, seed=42)
    assert sorted(train.index) == sorted(ref[rank <= 0.75].index)


def test_time_split_cuts_the_time_span_and_drops_new_users():
    df = pd.DataFrame({
        "user": ["a", "a", "b", "a", "c", "b"],
        "item": ["x", "y", "x", "z", "x", "y"],
        "time": pd.to_datetime(["2024-01-01", "2024-01-05", "2024-01-08", "2024-01-09", "2024-01-10",
                                "2024-01-11"]),
        "weight": 1.0,
    })
    train, test, info = splits.time_split(df, test_fraction=0.2)  # cutoff = Jan 9
    assert train["time"].max() < pd.Timestamp("2024-01-09") <= test["time"].min()
    assert list(test["user"]) == ["a", "b"]  # c has nothing in training
    assert info["test_rows_of_new_users"] == 1


def test_item_holdout_split_removes_items_from_training():
    df = _interactions()
    train, test, held = splits.item_holdout_split(df, fraction=0.2, seed=1)
    assert len(held) == round(0.2 * df["item"].nunique())
    assert set(train["item"]).isdisjoint(held)
    assert set(test["item"]) <= set(held)
    assert len(train) + len(test) == len(df)


def test_csv_loader_maps_columns(tmp_path):
    (tmp_path / "events.csv").write_text(
        "cust,sku,kind,ts,extra\n"
        "C1,P1,view,2024-01-01T10:00:00Z,0\n"
        "C1,P2,purchase,2024-01-02T10:00:00Z,0\n"
        "C2,P1,cart,2024-01-03T10:00:00Z,0\n"
    )
    (tmp_path / "products.csv").write_text("id,category,brand\nP1,phones,Acme\nP2,tvs,\n")
    (tmp_path / "people.csv").write_text("cust,segment\nC1,student\nC2,family\n")
    data = datasets.load_csv(
        tmp_path / "events.csv", user_col="cust", item_col="sku", weight_col="kind", time_col="ts",
        weight_map={"view": 1, "cart": 2, "purchase": 3},
        item_features=tmp_path / "products.csv", item_key="id", item_feature_cols=["category", "brand"],
        user_features=tmp_path / "people.csv", user_feature_cols=["segment"],
    )
    df = data.interactions
    assert list(df.columns) == ["user", "item", "weight", "time"]
    assert df["user"].tolist() == ["C1", "C1", "C2"]
    assert df["item"].tolist() == ["P1", "P2", "P1"]
    assert df["weight"].tolist() == [1.0, 3.0, 2.0]
    assert df["time"].is_monotonic_increasing
    assert data.split == "time"
    assert data.item_features == {"P1": ["category=phones", "brand=Acme"], "P2": ["category=tvs"]}
    assert data.user_features == {"C1": ["segment=student"], "C2": ["segment=family"]}


def test_csv_loader_without_time_or_weight_uses_a_stratified_split(tmp_path):
    (tmp_path / "i.csv").write_text("u,i\n1,10\n1,11\n")
    data = datasets.load_csv(tmp_path / "i.csv", user_col="u", item_col="i")
    assert data.split == "stratified"
    assert data.interactions["weight"].tolist() == [1.0, 1.0]
    assert data.interactions["user"].tolist() == ["1", "1"]


def test_csv_loader_rejects_unknown_columns(tmp_path):
    (tmp_path / "i.csv").write_text("u,i\n1,10\n")
    with pytest.raises(SystemExit, match="no column"):
        datasets.load_csv(tmp_path / "i.csv", user_col="user", item_col="i")


def test_text_features_keep_words_shared_by_two_items():
    tokens = datasets.text_features({"1": "RED Metal Sign", "2": "blue metal heart", "3": "Red heart of glass"})
    assert tokens == {"1": ["word=metal", "word=red"], "2": ["word=heart", "word=metal"],
                      "3": ["word=heart", "word=red"]}


def test_shared_data_dir_is_configurable(monkeypatch, tmp_path):
    monkeypatch.setenv("SHARED_DATA_DIR", str(tmp_path))
    assert datasets.shared_data_dir() == tmp_path
    assert datasets.load_ml100k() is None  # absent: skipped, not an error
