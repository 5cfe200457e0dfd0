"""Model runners behind one interface: ``fit(fold)`` then ``scores(user_rows)`` -> (users, items).

The peer libraries (``implicit``; optionally ``cornac``) are imported only when their runner is
used, so the rest of the benchmark works without them.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import scipy.sparse as sp

THREADS = 2


class MissingLibrary(RuntimeError):
    pass


def require(module: str, package: str):
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as error:
        raise MissingLibrary(
            f"{package} is not installed in this environment ({error}); add it to requirements/actions.in "
            f"and the lock (or skip the model) to run it"
        ) from error


# --- the data as matrices -------------------------------------------------------------------

@dataclass
class Fold:
    """Training interactions over fixed user and item indexes, plus side features."""

    users: list[str]
    items: list[str]
    train: sp.csr_matrix  # users x items, the (max) interaction weight
    user_tokens: dict[str, list[str]] | None = None
    item_tokens: dict[str, list[str]] | None = None
    user_index: dict[str, int] = field(init=False)
    item_index: dict[str, int] = field(init=False)

    def __post_init__(self) -> None:
        self.user_index = {u: i for i, u in enumerate(self.users)}
        self.item_index = {t: i for i, t in enumerate(self.items)}

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.users), len(self.items)


def make_fold(train: pd.DataFrame, users=None, items=None, user_tokens=None, item_tokens=None) -> Fold:
    """``users``/``items`` default to those in ``train`` (sorted); pass a larger ``items`` to keep
    items without training interactions in the index (the cold-start run)."""
    users = list(users) if users is not None else sorted(train["user"].unique())
    items = list(items) if items is not None else sorted(train["item"].unique())
    pairs = train.groupby(["user", "item"], sort=False)["weight"].max().reset_index()
    fold = Fold(users, items, sp.csr_matrix((0, 0)), user_tokens, item_tokens)
    rows = pairs["user"].map(fold.user_index).to_numpy()
    cols = pairs["item"].map(fold.item_index).to_numpy()
    fold.train = sp.csr_matrix((pairs["weight"].to_numpy(np.float32), (rows, cols)), shape=fold.shape)
    return fold


def truth_lists(fold: Fold, test: pd.DataFrame, exclude_train: bool = True) -> tuple[np.ndarray, list[set[int]]]:
    """Test users (rows in the fold) and their test items (columns; items outside the fold's index
    stay in the truth as unmatchable ids so recall counts them). Items the user already had in
    training are removed when ``exclude_train`` (they are never recommended)."""
    known_users = test[test["user"].isin(fold.user_index)]
    rows, truths = [], []
    for user, group in known_users.groupby("user", sort=True):
        row = fold.user_index[user]
        seen = set(fold.train.indices[fold.train.indptr[row]:fold.train.indptr[row + 1]]) if exclude_train else set()
        relevant = {fold.item_index.get(item, f"unknown:{item}") for item in group["item"].unique()} - seen
        if relevant:
            rows.append(row)
            truths.append(relevant)
    return np.array(rows, dtype=np.int64), truths


def feature_matrix(ids: list[str], tokens: dict[str, list[str]] | None, identity: bool = True,
                   feature_weight: float = 1.0) -> sp.csr_matrix | None:
    """LightFM feature matrix: one identity column per id (weight 1) when ``identity``, then one
    column per token; an id's tokens share ``feature_weight`` equally."""
    if tokens is None:
        return None if identity else sp.identity(len(ids), format="csr", dtype=np.float32)
    vocabulary = sorted({t for i in ids for t in tokens.get(i, [])})
    column = {t: j for j, t in enumerate(vocabulary)}
    offset = len(ids) if identity else 0
    rows, cols, vals = [], [], []
    for r, i in enumerate(ids):
        if identity:
            rows.append(r), cols.append(r), vals.append(1.0)
        own = tokens.get(i, [])
        for t in own:
            rows.append(r), cols.append(offset + column[t]), vals.append(feature_weight / len(own))
    return sp.csr_matrix((np.array(vals, dtype=np.float32), (rows, cols)), shape=(len(ids), offset + len(vocabulary)))


# --- models ---------------------------------------------------------------------------------

class Model:
    name = "model"
    params: dict = {}

    def fit(self, fold: Fold) -> float:
        started = time.perf_counter()
        self._fit(fold)
        return time.perf_counter() - started

    def _fit(self, fold: Fold) -> None:
        raise NotImplementedError

    def scores(self, rows: np.ndarray) -> np.ndarray:
        raise NotImplementedError


class Popularity(Model):
    name = "Popularity"

    def _fit(self, fold: Fold) -> None:
        self.counts = np.asarray((fold.train > 0).sum(axis=0)).ravel().astype(np.float32)

    def scores(self, rows: np.ndarray) -> np.ndarray:
        return np.broadcast_to(self.counts, (len(rows), len(self.counts))).copy()


class LightFMModel(Model):
    """LightFM; ``features``: 'none' (pure CF), 'hybrid' (identity + side features) or 'only'
    (side features without item identity columns, the LightFM paper's cold-start setting)."""

    def __init__(self, name: str, features: str = "none", epochs: int = 40, no_components: int = 64,
                 learning_rate: float = 0.05, loss: str = "warp", item_alpha: float = 0.0, user_alpha: float = 0.0,
                 max_sampled: int = 10, learning_schedule: str = "adagrad", k: int = 5, n: int = 10,
                 feature_weight: float = 1.0, use_weights: bool = False, seed: int = 42):
        self.name = name
        self.features = features
        self.epochs = epochs
        self.feature_weight = feature_weight
        self.use_weights = use_weights
        self.seed = seed
        self.params = dict(no_components=no_components, learning_rate=learning_rate, loss=loss,
                           learning_schedule=learning_schedule, item_alpha=item_alpha, user_alpha=user_alpha,
                           max_sampled=max_sampled)
        if loss == "warp-kos":  # k and n mean something only to WARP-kOS
            self.params.update(k=k, n=n)

    def describe(self) -> dict:
        return {**self.params, "epochs": self.epochs, "features": self.features, "feature_weight": self.feature_weight,
                "use_weights": self.use_weights}

    def _fit(self, fold: Fold) -> None:
        for _ in self.fit_stages(fold, [self.epochs]):
            pass

    def fit_stages(self, fold: Fold, checkpoints: list[int]) -> Iterator[tuple[int, float]]:
        """Train up to each epoch count in ``checkpoints`` (ascending) in turn, yielding (epochs,
        fit seconds so far) with the model ready to score. The same seed gives the same model at
        each checkpoint as a fresh ``fit`` with that many epochs (LightFM's ``fit`` is
        ``fit_partial`` on a fresh state), so one run evaluates several epoch counts."""
        from lightfm import LightFM

        started = time.perf_counter()
        self.user_features = self.item_features = None
        if self.features != "none":
            self.user_features = feature_matrix(fold.users, fold.user_tokens, True, self.feature_weight)
            self.item_features = feature_matrix(fold.items, fold.item_tokens, self.features == "hybrid",
                                                self.feature_weight)
        interactions = fold.train.tocoo()
        binary = sp.coo_matrix((np.ones_like(interactions.data), (interactions.row, interactions.col)),
                               shape=interactions.shape)
        self.model = LightFM(random_state=np.random.RandomState(self.seed), **self.params)
        done = 0
        for target in checkpoints:
            self.model.fit_partial(binary, user_features=self.user_features, item_features=self.item_features,
                                   sample_weight=interactions if self.use_weights else None,
                                   epochs=target - done, num_threads=THREADS)
            done = target
            self.representations()
            yield done, time.perf_counter() - started

    def representations(self) -> None:
        user_bias, self.user_vectors = self.model.get_user_representations(self.user_features)
        self.item_bias, self.item_vectors = self.model.get_item_representations(self.item_features)

    def scores(self, rows: np.ndarray) -> np.ndarray:
        return self.user_vectors[rows] @ self.item_vectors.T + self.item_bias


class ImplicitModel(Model):
    """``implicit`` ALS (confidence = 1 + alpha * weight) or BPR (bias column included)."""

    def __init__(self, name: str, kind: str = "bpr", seed: int = 42, **params):
        self.name = name
        self.kind = kind
        self.seed = seed
        self.params = params

    def describe(self) -> dict:
        return {"kind": self.kind, **self.params}

    def _fit(self, fold: Fold) -> None:
        require("implicit", "implicit")
        if self.kind == "als":
            from implicit.cpu.als import AlternatingLeastSquares as Algorithm
        else:
            from implicit.cpu.bpr import BayesianPersonalizedRanking as Algorithm
        self.model = Algorithm(random_state=self.seed, num_threads=THREADS, **self.params)
        self.model.fit(fold.train.astype(np.float32).tocsr(), show_progress=False)

    def scores(self, rows: np.ndarray) -> np.ndarray:
        return self.model.user_factors[rows] @ self.model.item_factors.T


class CornacBPR(Model):
    """Cornac BPR with the Recommenders benchmark's settings (to check the protocol)."""

    def __init__(self, name: str = "Cornac BPR", seed: int = 42, **params):
        self.name = name
        self.seed = seed
        self.params = params

    def describe(self) -> dict:
        return dict(self.params)

    def _fit(self, fold: Fold) -> None:
        require("cornac", "cornac")
        from cornac.data import Dataset
        from cornac.models import BPR

        coo = fold.train.tocoo()
        triples = [(fold.users[r], fold.items[c], 1.0) for r, c in zip(coo.row, coo.col, strict=True)]
        data = Dataset.from_uir(triples, seed=self.seed)
        self.model = BPR(seed=self.seed, verbose=False, **self.params)
        self.model.fit(data)
        user_pos = np.array([data.uid_map.get(u, -1) for u in fold.users])
        item_pos = np.array([data.iid_map.get(i, -1) for i in fold.items])
        dim = self.model.u_factors.shape[1]
        self.user_vectors = np.where((user_pos >= 0)[:, None], self.model.u_factors[user_pos], 0.0)
        self.item_vectors = np.where((item_pos >= 0)[:, None], self.model.i_factors[item_pos], np.zeros(dim))
        self.item_bias = np.where(item_pos >= 0, self.model.i_biases[item_pos], -np.inf)

    def scores(self, rows: np.ndarray) -> np.ndarray:
        return self.user_vectors[rows] @ self.item_vectors.T + self.item_bias


# --- recommending and timing ----------------------------------------------------------------

def top_k(scores: np.ndarray, exclude: sp.csr_matrix | None, k: int = 10) -> np.ndarray:
    """Row-wise top k columns, best first; ``exclude`` (same shape) marks columns to leave out."""
    scores = np.array(scores, dtype=np.float32, copy=True)
    if exclude is not None:
        coo = exclude.tocoo()
        scores[coo.row, coo.col] = -np.inf
    k = min(k, scores.shape[1])
    part = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    order = np.argsort(-np.take_along_axis(scores, part, axis=1), axis=1, kind="stable")
    return np.take_along_axis(part, order, axis=1)


def recommend(model: Model, fold: Fold, rows: np.ndarray, k: int = 10, batch: int = 2048) -> np.ndarray:
    out = []
    for start in range(0, len(rows), batch):
        chunk = rows[start:start + batch]
        out.append(top_k(model.scores(chunk), fold.train[chunk], k))
    return np.vstack(out) if out else np.zeros((0, k), dtype=np.int64)


def topk_latency(n_items: int = 10_000, dim: int = 64, queries: int = 1000, k: int = 10, seed: int = 0) -> dict:
    """One user's top k over a catalogue from precomputed representations: item matrix @ user
    vector + item bias, argpartition, then sort the k."""
    rng = np.random.default_rng(seed)
    items = rng.standard_normal((n_items, dim), dtype=np.float32)
    bias = rng.standard_normal(n_items, dtype=np.float32)
    users = rng.standard_normal((queries, dim), dtype=np.float32)
    timings = []
    for user in users[:50]:  # warm-up
        np.argpartition(-(items @ user + bias), k)
    for user in users:
        started = time.perf_counter()
        s = items @ user + bias
        best = np.argpartition(-s, k)[:k]
        best = best[np.argsort(-s[best])]
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return {"n_items": n_items, "dim": dim, "queries": queries, "p50_ms": float(np.percentile(timings, 50)),
            "p95_ms": float(np.percentile(timings, 95)), "mean_ms": float(np.mean(timings))}


class KestrelRecommender(Model):
    """The assistant's own recommender (shop.recommender) with the settings in shop.yml, so the
    benchmark measures what is deployed: event weights, time decay and features included."""

    name = "Kestrel recommender (shop.yml settings)"

    def __init__(self, train: pd.DataFrame, events: dict[float, str]):
        self.train = train
        self.events = events

    def describe(self) -> dict:
        from shop.config import load_settings

        return {**load_settings().recommender.hyperparameters(), "source": "shop.yml"}

    def _fit(self, fold: Fold) -> None:
        from shop.config import load_settings
        from shop.recommender import fit
        from shop.recommender.data import load_customers, load_products, normalize_events
        from shop.recommender.training import TrainingData

        settings = load_settings()
        raw = pd.DataFrame({"customer_id": self.train["user"], "product_id": self.train["item"],
                            "event": self.train["weight"].map(self.events),
                            "timestamp": pd.to_datetime(self.train["time"], utc=True).astype(str)})
        data = TrainingData(products=load_products(settings.data.products),
                            customers=load_customers(settings.data.customers), events=normalize_events(raw))
        model = fit(data, settings.recommender, progress=None)
        user_at = np.array([model._user_index.get(u, -1) for u in fold.users])
        item_at = np.array([model._item_index[i] for i in fold.items])
        dim = model.user_embeddings.shape[1]
        self.user_vectors = np.vstack([model.user_embeddings, np.zeros((1, dim), np.float32)])[user_at]
        self.item_vectors = model.item_embeddings[item_at]
        self.item_bias = model.item_biases[item_at]

    def scores(self, rows: np.ndarray) -> np.ndarray:
        return self.user_vectors[rows] @ self.item_vectors.T + self.item_bias
