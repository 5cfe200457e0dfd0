"""Foundation benchmark: NLU quality on held-out data (English and Chinese), training time, REST latency.

Run with ``scripts/benchmark``; writes reports/foundation.md and reports/foundation.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.reports import save_report
from tests.servers import Chat, Stack, latest_model
from tests.test_rasa_project import rasa

# (label, message, the action the turn must reach) for latency.
TURNS = {
    "simple turn (rule → response)": "hello",
    "action turn (policy answer from local data)": "how much is express shipping?",
    "action turn (catalogue search via form)": "recommend me a phone under $500",
}


def _check(result: Any, what: str) -> None:
    if result.returncode != 0:
        raise SystemExit(f"{what} failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")


def nlu_held_out(work: Path) -> dict[str, Any]:
    """Rasa's own stratified split of data/nlu (80/20, seed 42), trained and tested."""
    _check(rasa("data", "split", "nlu", "-u", "data/nlu", "--training-fraction", "0.8",
                "--random-seed", "42", "--out", str(work / "split")), "rasa data split")
    started = time.perf_counter()
    _check(rasa("train", "nlu", "--nlu", str(work / "split" / "training_data.yml"), "--out", str(work / "m"),
                "--fixed-model-name", "heldout"), "rasa train nlu")
    train_seconds = time.perf_counter() - started
    _check(rasa("test", "nlu", "--nlu", str(work / "split" / "test_data.yml"), "--model",
                str(work / "m" / "heldout.tar.gz"), "--out", str(work / "r")), "rasa test nlu")
    report = json.loads((work / "r" / "intent_report.json").read_text())
    return {"train_seconds": train_seconds, "report": report}


def nlu_unseen(work: Path, path: str = "tests/nlu/unseen.yml") -> dict[str, Any]:
    out = work / Path(path).stem
    _check(rasa("test", "nlu", "--nlu", path, "--model", str(latest_model()), "--out", str(out)),
           f"rasa test nlu ({path})")
    return {"report": json.loads((out / "intent_report.json").read_text())}


def full_training_seconds(work: Path) -> float:
    started = time.perf_counter()
    _check(rasa("train", "--out", str(work / "full"), "--force"), "rasa train")
    return time.perf_counter() - started


def _percentiles(timings: list[float]) -> dict[str, float]:
    timings = sorted(timings)
    return {
        "p50_ms": statistics.median(timings),
        "p95_ms": timings[int(0.95 * (len(timings) - 1))],
        "mean_ms": statistics.fmean(timings),
        "n": len(timings),
    }


def latency(work: Path, repeats: int, turns_per_conversation: int = 10) -> dict[str, dict[str, float]]:
    """Round trips inside ongoing conversations; each conversation's first turn (which
    also starts the session) is timed separately."""
    stack = Stack(work)
    results = {}
    try:
        stack.start_actions()
        stack.start_rasa()
        for _ in range(10):  # warm caches and TensorFlow graphs
            Chat(stack, sender="warm-up").say("hello")
        first_turns: list[float] = []
        for label, message in TURNS.items():
            timings: list[float] = []
            while len(timings) < repeats:
                chat = Chat(stack)
                for turn in range(turns_per_conversation):
                    started = time.perf_counter()
                    replies = chat.say(message)
                    elapsed = (time.perf_counter() - started) * 1000
                    assert replies, f"no reply to {message!r}"
                    (first_turns if turn == 0 else timings).append(elapsed)
            results[label] = _percentiles(timings[:repeats])
        results["first turn of a conversation (any of the above)"] = _percentiles(first_turns)
    finally:
        stack.stop_all()
    return results


def _intent_rows(report: dict[str, Any]) -> list[str]:
    rows = ["| intent | precision | recall | F1 | support |", "|---|---|---|---|---|"]
    for intent, s in sorted(report.items()):
        if isinstance(s, dict) and "support" in s and not intent.endswith(" avg"):
            scores = f"{s['precision']:.2f} | {s['recall']:.2f} | {s['f1-score']:.2f}"
            rows.append(f"| {intent} | {scores} | {s['support']} |")
    return rows


def write_report(results: dict[str, Any]) -> str:
    held, unseen = results["nlu_held_out"]["report"], results["nlu_unseen"]["report"]
    unseen_zh = results["nlu_unseen_zh"]["report"]
    lines = [
        "# Foundation benchmark",
        "",
        f"Machine: {results['machine']}. Date: {results['date']}.",
        "",
        "## NLU",
        "",
        "| data | intent accuracy | macro F1 |",
        "|---|---|---|",
        f"| held-out 20% split of data/nlu (seed 42) | {held['accuracy']:.3f} | {held['macro avg']['f1-score']:.3f} |",
        f"| tests/nlu/unseen.yml (new phrasings) | {unseen['accuracy']:.3f} | {unseen['macro avg']['f1-score']:.3f} |",
        f"| tests/nlu/unseen_zh.yml (new Chinese phrasings) | {unseen_zh['accuracy']:.3f} "
        f"| {unseen_zh['macro avg']['f1-score']:.3f} |",
        "",
        "## Training time",
        "",
        f"- NLU model on the 80% split: {results['nlu_held_out']['train_seconds']:.0f} s",
    ]
    if results.get("full_training_seconds"):
        lines.append(f"- Full model (`rasa train --force`, NLU + dialogue): {results['full_training_seconds']:.0f} s")
    lines += ["", "## REST round trip (POST /webhooks/rest/webhook → reply)", "",
              "| turn | p50 ms | p95 ms | mean ms | n |", "|---|---|---|---|---|"]
    for label, t in results["latency"].items():
        lines.append(f"| {label} | {t['p50_ms']:.1f} | {t['p95_ms']:.1f} | {t['mean_ms']:.1f} | {t['n']} |")
    lines += ["", "## Per-intent F1, held-out split", "", *_intent_rows(held),
              "", "## Per-intent F1, unseen phrasings", "", *_intent_rows(unseen),
              "", "## Per-intent F1, unseen Chinese phrasings", "", *_intent_rows(unseen_zh), ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=100, help="timed turns per kind of turn")
    parser.add_argument("--skip-full-training", action="store_true", help="do not time a full rasa train")
    args = parser.parse_args()
    results: dict[str, Any] = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
    }
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        results["latency"] = latency(work, args.repeats)
        results["nlu_unseen"] = nlu_unseen(work)
        results["nlu_unseen_zh"] = nlu_unseen(work, "tests/nlu/unseen_zh.yml")
        results["nlu_held_out"] = nlu_held_out(work)
        if not args.skip_full_training:
            results["full_training_seconds"] = full_training_seconds(work)
    markdown = write_report(results)
    save_report("foundation", results, markdown)
    print(markdown)


if __name__ == "__main__":
    main()
