"""Top-k ranking metrics for implicit feedback, plus catalogue coverage and per-user AUC.

The definitions follow microsoft/recommenders (``recommenders.evaluation.python_evaluation``):

- every metric is averaged over the users that have both recommendations and test items;
- precision@k = hits in the top k / k (also when fewer than k items were recommended);
- recall@k = hits in the top k / number of the user's test items;
- nDCG@k with binary relevance: DCG = sum over hits of 1 / log(1 + rank); the ideal DCG puts
  min(#test items, k) hits at ranks 1..; the log base cancels out;
- MAP@k (``map_at_k``): per user, sum over hits of (hits so far / rank), divided by
  min(#test items, k). ``map_full`` is the older ``map`` (divided by #test items), which the
  earlier Recommenders benchmark tables reported as "MAP".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np


def _user_rows(recommended: Sequence[Sequence], relevant: Sequence[Iterable], k: int):
    for recs, rel in zip(recommended, relevant, strict=True):
        rel = set(rel)
        if not rel:
            continue  # a user without test items is not a test user
        hits = np.array([item in rel for item in list(recs)[:k]], dtype=bool)
        yield hits, len(rel)


def precision_at_k(recommended: Sequence[Sequence], relevant: Sequence[Iterable], k: int = 10) -> float:
    values = [hits.sum() / k for hits, _ in _user_rows(recommended, relevant, k)]
    return float(np.mean(values)) if values else 0.0


def recall_at_k(recommended: Sequence[Sequence], relevant: Sequence[Iterable], k: int = 10) -> float:
    values = [hits.sum() / n for hits, n in _user_rows(recommended, relevant, k)]
    return float(np.mean(values)) if values else 0.0


def _discounts(n: int) -> np.ndarray:
    return 1.0 / np.log(np.arange(2, n + 2))  # rank r -> 1 / ln(1 + r)


def ndcg_at_k(recommended: Sequence[Sequence], relevant: Sequence[Iterable], k: int = 10) -> float:
    values = []
    for hits, n in _user_rows(recommended, relevant, k):
        dcg = float((hits * _discounts(len(hits))).sum())
        idcg = float(_discounts(min(n, k)).sum())
        values.append(dcg / idcg)
    return float(np.mean(values)) if values else 0.0


def _average_precision(hits: np.ndarray) -> float:
    ranks = np.flatnonzero(hits) + 1
    return float((np.arange(1, len(ranks) + 1) / ranks).sum())


def map_at_k(recommended: Sequence[Sequence], relevant: Sequence[Iterable], k: int = 10) -> float:
    values = [_average_precision(hits) / min(n, k) for hits, n in _user_rows(recommended, relevant, k)]
    return float(np.mean(values)) if values else 0.0


def map_full(recommended: Sequence[Sequence], relevant: Sequence[Iterable], k: int = 10) -> float:
    values = [_average_precision(hits) / n for hits, n in _user_rows(recommended, relevant, k)]
    return float(np.mean(values)) if values else 0.0


def precision_curve(recommended: Sequence[Sequence], relevant: Sequence[Iterable], k: int = 10) -> list[float]:
    """Precision@1..k in one pass."""
    rows = [hits for hits, _ in _user_rows(recommended, relevant, k)]
    if not rows:
        return [0.0] * k
    padded = np.zeros((len(rows), k))
    for i, hits in enumerate(rows):
        padded[i, : len(hits)] = hits
    cumulative = padded.cumsum(axis=1).mean(axis=0)
    return [float(cumulative[j] / (j + 1)) for j in range(k)]


def coverage(recommended: Sequence[Sequence], catalogue_size: int, k: int = 10) -> float:
    """Distinct recommended items (top k of every user) / catalogue size."""
    distinct = {item for recs in recommended for item in list(recs)[:k]}
    return len(distinct) / catalogue_size if catalogue_size else 0.0


def ranking_metrics(recommended: Sequence[Sequence], relevant: Sequence[Iterable], k: int = 10) -> dict[str, float]:
    return {
        f"map@{k}": map_at_k(recommended, relevant, k),
        f"ndcg@{k}": ndcg_at_k(recommended, relevant, k),
        f"precision@{k}": precision_at_k(recommended, relevant, k),
        f"recall@{k}": recall_at_k(recommended, relevant, k),
        "map_full": map_full(recommended, relevant, k),
        "precision_curve": precision_curve(recommended, relevant, k),
        "users": sum(1 for _ in _user_rows(recommended, relevant, k)),
    }


def auc(positive_scores: np.ndarray, negative_scores: np.ndarray) -> float:
    """P(score of a random positive > score of a random negative), ties count one half."""
    pos = np.asarray(positive_scores, dtype=float)
    neg = np.sort(np.asarray(negative_scores, dtype=float))
    if len(pos) == 0 or len(neg) == 0:
        return float("nan")
    below = np.searchsorted(neg, pos, side="left")
    not_above = np.searchsorted(neg, pos, side="right")
    return float((below + 0.5 * (not_above - below)).sum() / (len(pos) * len(neg)))


def mean_user_auc(scores: np.ndarray, positives: Sequence[Iterable[int]]) -> float:
    """Mean over users of the AUC of their positives against all other columns of ``scores``.

    ``scores`` is (users, candidate items); ``positives[u]`` are column indices. Users without
    positives, or with only positives, are skipped.
    """
    values = []
    for row, pos in zip(scores, positives, strict=True):
        mask = np.zeros(len(row), dtype=bool)
        mask[list(pos)] = True
        if mask.any() and not mask.all():
            values.append(auc(row[mask], row[~mask]))
    return float(np.mean(values)) if values else float("nan")
