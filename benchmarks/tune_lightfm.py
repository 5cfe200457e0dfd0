"""LightFM hyperparameter search for MovieLens 100k on an inner validation split (never the test data).

The benchmark's split (per-user stratified 75/25, seed 42) gives the training data; that is split
again the same way (75/25, seed 7) into inner-train and validation. Every configuration is trained
on inner-train and scored on validation with the benchmark's own fold, top-k and metric code;
several epoch counts are read off one run (``LightFMModel.fit_stages``). Interactions stay
implicit: every rating is one binary interaction, rating values are never weights.

The search is staged and seeded: stage 1 draws random configurations from the grid below, stage 2
varies the best stage-1 configuration one setting at a time. Run with ``scripts/tune-lightfm``
(under ``nice``); writes reports/recommenders/tuning-ml100k.md and prints the best settings, which
go into ``HYPER["ml100k"]`` in benchmarks/recommenders.py by hand.
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path
from typing import Any

from benchmarks.recommenders import HYPER, REPO, K
from benchmarks.recsys import datasets, metrics, models, splits

OUTER_SEED, INNER_SEED = 42, 7
CHECKPOINTS = [10, 20, 30, 45, 60, 80, 100]
PAST_PEAK = 0.005  # stop a run once validation nDCG@10 is this far below its best so far

GRID: dict[str, list[Any]] = {
    "features": ["none", "hybrid"],
    "no_components": [64, 128, 200],
    "loss": ["warp", "warp-kos"],
    "learning_schedule": ["adagrad", "adadelta"],
    "learning_rate": [0.01, 0.025, 0.05],
    "max_sampled": [10, 30, 50],
    "alpha": [0.0, 1e-6, 1e-5],  # item_alpha = user_alpha
    "feature_weight": [0.5, 1.0],  # hybrid only
    "k": [3, 5, 10],  # warp-kos only
}
# Stage 2 also tries these: most stage-1 runs peak early and then over-fit, so stronger
# regularisation and a rate between the grid's are worth a look around the best configuration.
REFINE_EXTRA: dict[str, list[Any]] = {"alpha": [3e-5, 1e-4], "learning_rate": [0.015]}


def inner_split(data: datasets.RecData) -> tuple[models.Fold, Any, list[set]]:
    train, _test = splits.stratified_split(data.interactions, 0.75, OUTER_SEED)  # the test part is never used
    inner_train, validation = splits.stratified_split(train, 0.75, INNER_SEED)
    fold = models.make_fold(inner_train, user_tokens=data.user_features, item_tokens=data.item_features)
    rows, truth = models.truth_lists(fold, validation)
    return fold, rows, truth


def normalise(config: dict[str, Any]) -> dict[str, Any]:
    """Drop settings a configuration does not use, so duplicates are recognised."""
    out = dict(config)
    if out["features"] == "none":
        out.pop("feature_weight", None)
    if out["loss"] != "warp-kos":
        out.pop("k", None)
    if out["learning_schedule"] == "adadelta":
        out.pop("learning_rate", None)  # adadelta adapts its own step size (rho, epsilon)
    return out


def build(config: dict[str, Any], seed: int, epochs: int = 0) -> models.LightFMModel:
    params = {key: value for key, value in config.items() if key not in {"features", "alpha"}}
    return models.LightFMModel("LightFM", config["features"], seed=seed, epochs=epochs or max(CHECKPOINTS),
                               item_alpha=config["alpha"], user_alpha=config["alpha"], **params)


def evaluate(config: dict[str, Any], fold: models.Fold, rows, truth, seed: int) -> list[dict[str, Any]]:
    model = build(config, seed)
    out = []
    for epochs, seconds in model.fit_stages(fold, CHECKPOINTS):
        scores = metrics.ranking_metrics(models.recommend(model, fold, rows, K), truth, K)
        out.append({"config": config, "epochs": epochs, "ndcg": scores["ndcg@10"],
                    "precision": scores["precision@10"], "seconds": seconds})
        if out[-1]["ndcg"] < max(r["ndcg"] for r in out) - PAST_PEAK:
            break  # over-fitting: more epochs will not come back (saves most of the search time)
    return out


def describe(config: dict[str, Any]) -> str:
    return ", ".join(f"{key} {value}" for key, value in config.items())


def stage_one(count: int, rng: random.Random) -> list[dict[str, Any]]:
    current = HYPER["ml100k"]["lightfm_cf"]
    baseline = {"features": "none", "no_components": current["no_components"], "loss": "warp",
                "learning_schedule": "adagrad", "learning_rate": current["learning_rate"], "max_sampled": 10,
                "alpha": current["item_alpha"]}
    configs = [normalise(baseline), normalise({**baseline, "features": "hybrid", "feature_weight": 1.0})]
    while len(configs) < count:
        config = normalise({key: rng.choice(values) for key, values in GRID.items()})
        if config not in configs:
            configs.append(config)
    return configs


def stage_two(best: dict[str, Any], seen: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One setting at a time around ``best`` (the feature mode stays), leaving out configurations
    already run."""
    full = {"feature_weight": 1.0, "k": 5, "learning_rate": 0.025, **best}
    out = []
    for key, values in GRID.items():
        if key == "features":
            continue
        for value in values + REFINE_EXTRA.get(key, []):
            config = normalise({**full, key: value})
            if config not in seen and config not in out:
                out.append(config)
    return out


def stage_three(best: dict[str, Any], improvements: list[dict[str, Any]]) -> dict[str, Any] | None:
    """``best`` with every single change that beat it in stage 2 at once (the best value per
    setting), or None when fewer than two settings improved."""
    changes: dict[str, Any] = {}
    for config in improvements:  # best first
        for key, value in config.items():
            if best.get(key) != value and key not in changes:
                changes[key] = value
    return normalise({**best, **changes}) if len(changes) > 1 else None


def write_log(path: Path, results: list[dict[str, Any]], header: list[str]) -> None:
    lines = header + ["", "| # | stage | settings | epochs | val nDCG@10 | val P@10 | fit s |",
                      "|---|---|---|---|---|---|---|"]
    for r in results:
        lines.append(f"| {r['n']} | {r['stage']} | {describe(r['config'])} | {r['epochs']} | {r['ndcg']:.4f} | "
                     f"{r['precision']:.4f} | {r['seconds']:.1f} |")
    best = sorted(results, key=lambda r: -r["ndcg"])
    if best:
        lines += ["", "## Best by validation nDCG@10", ""]
        for features in ["none", "hybrid"]:
            top = [r for r in best if r["config"]["features"] == features][:3]
            for r in top:
                lines.append(f"- features {features}: {describe(r['config'])}, epochs {r['epochs']}: "
                             f"nDCG@10 {r['ndcg']:.4f}, P@10 {r['precision']:.4f}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--random", type=int, default=16, help="stage 1: number of random configurations")
    parser.add_argument("--refine", type=int, default=20,
                        help="stage 2: at most this many one-change variants per feature mode")
    parser.add_argument("--seed", type=int, default=0, help="seed of the search and of the models")
    parser.add_argument("--out", type=Path, default=REPO / "reports" / "recommenders" / "tuning-ml100k.md")
    args = parser.parse_args(argv)

    data = datasets.load_ml100k()
    if data is None:
        raise SystemExit(f"MovieLens 100k not found under {datasets.shared_data_dir()}")
    fold, rows, truth = inner_split(data)
    header = [
        "# LightFM tuning on MovieLens 100k (inner validation split)", "",
        f"Training data of the benchmark's split (stratified 75/25, seed {OUTER_SEED}) split again 75/25 "
        f"(seed {INNER_SEED}): inner-train {fold.train.nnz:,} pairs, validation {len(rows):,} users. The test data "
        "is never read. Implicit feedback (ratings are binary interactions). Metrics: the benchmark's top-10 "
        f"nDCG@10 and P@10 over unseen items. Epoch counts {CHECKPOINTS} are read off one run per configuration "
        f"(stopped once nDCG@10 is {PAST_PEAK} below its best); "
        f"model seed {args.seed}, {models.THREADS} threads (LightFM's Hogwild updates are not bit-reproducible). "
        "alpha = item_alpha = user_alpha. Written by `scripts/tune-lightfm`.",
        "", "Stage 1: seeded random configurations (the first two are the previous settings, CF and hybrid); "
        "stage 2: for each feature mode, its best configuration so far with one setting changed at a time "
        f"(extra values {REFINE_EXTRA}); stage 3: that configuration with all the stage-2 changes that beat it.",
    ]
    print(header[2], flush=True)
    rng = random.Random(args.seed)
    results: list[dict[str, Any]] = []
    n = 0

    def run(config: dict[str, Any], stage: int) -> None:
        nonlocal n
        n += 1
        started = time.perf_counter()
        rows_out = evaluate(config, fold, rows, truth, args.seed)
        for r in rows_out:
            results.append({**r, "n": n, "stage": stage})
        top = max(rows_out, key=lambda r: r["ndcg"])
        print(f"[{n}] {describe(config)}: best at {top['epochs']} epochs nDCG@10 {top['ndcg']:.4f} "
              f"P@10 {top['precision']:.4f} ({time.perf_counter() - started:.0f} s)", flush=True)
        write_log(args.out, results, header)

    def best_of(features: str, stage: int | None = None) -> dict[str, Any]:
        pool = [r for r in results if r["config"]["features"] == features and stage in (None, r["stage"])]
        return max(pool, key=lambda r: r["ndcg"])

    for config in stage_one(args.random, rng):
        run(config, 1)
    for features in ["hybrid", "none"]:  # stage 2 and 3 for each LightFM row of the benchmark
        start = best_of(features)
        seen = [r["config"] for r in results]
        for config in stage_two(start["config"], seen)[: args.refine]:
            run(config, 2)
        better = sorted((r for r in results if r["stage"] == 2 and r["config"]["features"] == features
                         and r["ndcg"] > start["ndcg"]), key=lambda r: -r["ndcg"])
        combined = stage_three(start["config"], [r["config"] for r in better])
        if combined and combined not in [r["config"] for r in results]:
            run(combined, 3)
    for features in ["none", "hybrid"]:
        top = max((r for r in results if r["config"]["features"] == features), key=lambda r: r["ndcg"])
        print(f"best ({features}): {describe(top['config'])}, epochs {top['epochs']}: nDCG@10 {top['ndcg']:.4f}, "
              f"P@10 {top['precision']:.4f}")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
