"""Seed spread of the LightFM rows on MovieLens 100k: the benchmark's split (seed 42) is kept and only
the model's seed changes, so the test figures come with their run-to-run noise (one split, several
model initialisations and sampling orders). Uses ``HYPER["ml100k"]`` as it is; choose settings with
``scripts/tune-lightfm``, never with this. Run with
``nice -n 19 .venv-actions/bin/python -m benchmarks.lightfm_seeds [--seeds 42,1,2,3]``; writes
reports/recommenders/seeds-ml100k.md.
"""

from __future__ import annotations

import argparse
import statistics
from pathlib import Path

from benchmarks import recommenders
from benchmarks.recsys import datasets, models

ANCHORS = {anchor["model"]: anchor for anchor in recommenders.ML100K_ANCHORS}


def candidates(seed: int) -> list[models.Model]:
    chosen = recommenders.model_set("ml100k", False, seed, 0)
    return [m for m in chosen if isinstance(m, models.LightFMModel)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", default="42,1,2,3", help="model seeds (the split keeps seed 42)")
    parser.add_argument("--out", type=Path, default=recommenders.REPO / "reports" / "recommenders" / "seeds-ml100k.md")
    args = parser.parse_args(argv)
    seeds = [int(s) for s in args.seeds.split(",") if s.strip()]

    data = datasets.load_ml100k()
    if data is None:
        raise SystemExit(f"MovieLens 100k not found under {datasets.shared_data_dir()}")
    train, test, _ = recommenders.split(data, 42, 0.2)
    per_model: dict[str, list[dict]] = {}
    for seed in seeds:
        print(f"-- model seed {seed}", flush=True)
        rows, _ = recommenders.evaluate(data, train, test, candidates(seed), False)
        for row in rows:
            per_model.setdefault(row["model"], []).append({"seed": seed, **row})

    bivae, bpr = ANCHORS["BiVAE"], ANCHORS["Cornac BPR"]
    lines = [
        "# LightFM seed spread on MovieLens 100k (test split)", "",
        f"The benchmark's split (stratified 75/25, seed 42) with the settings of `HYPER[\"ml100k\"]`; only the "
        f"model seed changes ({', '.join(map(str, seeds))}). {models.THREADS} threads. Published anchors: "
        f"Cornac BPR nDCG@10 {bpr['ndcg@10']} / P@10 {bpr['precision@10']}, BiVAE nDCG@10 {bivae['ndcg@10']} / "
        f"P@10 {bivae['precision@10']}. Written by `python -m benchmarks.lightfm_seeds`.", "",
        "| Model | seed | nDCG@10 | P@10 | MAP@10 | R@10 | Train s |", "|---|---:|---:|---:|---:|---:|---:|",
    ]
    summary = []
    for name, runs in per_model.items():
        for r in runs:
            lines.append(f"| {name} | {r['seed']} | {r['ndcg@10']:.4f} | {r['precision@10']:.4f} | {r['map@10']:.4f} "
                         f"| {r['recall@10']:.4f} | {r['train_seconds']:.1f} |")
        stats = {}
        for key in ["ndcg@10", "precision@10"]:
            values = [r[key] for r in runs]
            stats[key] = (statistics.mean(values), statistics.stdev(values) if len(values) > 1 else 0.0,
                          min(values), max(values))
        summary.append((name, stats))
    lines += ["", "| Model | nDCG@10 mean ± sd (min-max) | P@10 mean ± sd (min-max) | beats BiVAE on both in |",
              "|---|---|---|---|"]
    for name, stats in summary:
        runs = per_model[name]
        wins = sum(1 for r in runs if r["ndcg@10"] > bivae["ndcg@10"] and r["precision@10"] > bivae["precision@10"])
        cells = [f"{m:.4f} ± {sd:.4f} ({lo:.4f}-{hi:.4f})" for m, sd, lo, hi in stats.values()]
        lines.append(f"| {name} | {cells[0]} | {cells[1]} | {wins} of {len(runs)} seeds |")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines[-2 - len(summary):]))
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
