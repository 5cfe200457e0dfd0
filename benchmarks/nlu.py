"""NLU benchmark: shoppers' wording nobody here wrote, out-of-scope questions, ambiguous requests.

Parses, on a Rasa server started with the model (`/model/parse`, so the latency is the server's):

- Bitext customer-support utterances mapped to our intents (../shared/data/bitext, 1,350; `a|b`:
  either is right) — accuracy per Bitext intent and per our intent;
- CLINC150 out-of-scope queries (../shared/data/clinc, 200) — recall: the reply is out_of_scope or
  nlu_fallback, never an in-scope action; the few a shop could answer ("a good laptop for gaming")
  are reported apart;
- the project's unseen sets (tests/nlu/unseen.yml, unseen_zh.yml) — accuracy, macro F1, per intent;
- tests/nlu/ambiguous.yml — readings that would take a side effect at once (must be 0).

The shared sets are for measurement only: nothing here trains on them. `--baseline MODEL` measures
a second model (e.g. the pipeline before the sentence features) beside it; `--train` also times an
NLU-only training of config.yml. Run with ``scripts/benchmark-nlu``; writes reports/nlu.md / .json.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import subprocess
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import requests
import yaml

from benchmarks.foundation import _check, _percentiles
from benchmarks.reports import REPORTS, save_report
from tests.servers import RASA_BIN, REPO, Stack, free_port, latest_model, stop_process, wait_for
from tests.test_rasa_project import rasa

SHARED = REPO.parent / "shared" / "data"
BITEXT = SHARED / "bitext" / "customer_support_dev.tsv"
CLINC = SHARED / "clinc" / "oos_dev.tsv"
UNSEEN = {"en": REPO / "tests/nlu/unseen.yml", "zh": REPO / "tests/nlu/unseen_zh.yml"}
AMBIGUOUS = REPO / "tests/nlu/ambiguous.yml"
# Intents whose action changes something at once (config.yml's SideEffectGuard list, plus the two
# whose flows confirm first and so are not counted as acting).
ACTING = {"marketing_opt_out", "marketing_opt_in", "complaint", "human_handoff", "not_interested", "accept_offer"}
NOT_IN_SCOPE = {"out_of_scope", "nlu_fallback"}
# CLINC out-of-scope queries that a consumer-electronics shop could answer: reported apart.
SHOP_WORDS = re.compile(r"\b(laptop|computer|phone|iphone|android|tablet|tv|television|camera|headphones?|"
                        r"speaker|monitor|printer|console|xbox|playstation|smartwatch|electronics?)\b", re.I)
# Targets of issue 17.
TARGETS = {"bitext": 0.92, "clinc": 0.80, "unseen": 0.95, "ambiguous_wrong": 0}

_ENTITY = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")


def nlu_examples(path: Path) -> list[tuple[str, str]]:
    """(text, intent) of a Rasa NLU file, entity markup removed."""
    examples = []
    for item in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []):
        for line in (item.get("examples") or "").splitlines():
            line = line.strip()
            if "intent" in item and line.startswith("- "):
                examples.append((_ENTITY.sub(r"\1", line[2:]).strip(), item["intent"]))
    return examples


def bitext() -> list[tuple[str, set[str], str]]:
    rows = []
    for line in BITEXT.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            accepted, source, text = line.split("\t")
            rows.append((text, set(accepted.split("|")), source))
    return rows


def clinc() -> list[str]:
    return [line.split("\t")[1] for line in CLINC.read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#")]


def ambiguous() -> list[dict[str, Any]]:
    return yaml.safe_load(AMBIGUOUS.read_text(encoding="utf-8"))["messages"]


class Parser:
    """A Rasa server with one model, parsing over HTTP and timing each parse."""

    def __init__(self, model: Path, work: Path) -> None:
        self.port, self.token = free_port(), "benchmark"
        log = work / f"rasa-{model.stem}.log"
        env = Stack(work).env()
        self.proc = subprocess.Popen(
            [str(RASA_BIN), "run", "--model", str(model), "--port", str(self.port), "--enable-api",
             "--auth-token", self.token, "--endpoints", "endpoints.yml", "--credentials", "credentials.yml"],
            cwd=REPO, env=env, stdout=open(log, "ab"), stderr=subprocess.STDOUT)
        wait_for(f"http://127.0.0.1:{self.port}/status?token={self.token}", self.proc, log, 600)
        self.timings: list[float] = []
        for _ in range(10):
            self.parse("hello", timed=False)  # warm-up

    def parse(self, text: str, timed: bool = True) -> dict[str, Any]:
        started = time.perf_counter()
        response = requests.post(f"http://127.0.0.1:{self.port}/model/parse", params={"token": self.token},
                                 json={"text": text}, timeout=60)
        if timed:
            self.timings.append((time.perf_counter() - started) * 1000)
        response.raise_for_status()
        return response.json()

    def stop(self) -> None:
        stop_process(self.proc)


def _intent(parse: dict[str, Any]) -> str:
    return (parse.get("intent") or {}).get("name") or "nlu_fallback"


def _reading(parse: dict[str, Any]) -> str:
    """What the model understood, before a fallback asked about it: the first non-fallback intent."""
    return next((r["name"] for r in parse.get("intent_ranking") or [] if r["name"] != "nlu_fallback"), "nlu_fallback")


def _f1_report(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """accuracy, macro F1 and per-intent precision/recall/F1 of (gold, predicted) pairs."""
    gold_count, predicted_count, hits = Counter(g for g, _ in pairs), Counter(p for _, p in pairs), Counter()
    for gold, predicted in pairs:
        if gold == predicted:
            hits[gold] += 1
    per_intent = {}
    for intent in sorted(gold_count):
        precision = hits[intent] / predicted_count[intent] if predicted_count[intent] else 0.0
        recall = hits[intent] / gold_count[intent]
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_intent[intent] = {"precision": precision, "recall": recall, "f1": f1, "support": gold_count[intent]}
    macro = sum(s["f1"] for s in per_intent.values()) / len(per_intent) if per_intent else 0.0
    misses = [(g, p) for g, p in pairs if g != p]
    return {"accuracy": sum(hits.values()) / len(pairs), "macro_f1": macro, "per_intent": per_intent,
            "n": len(pairs), "confusions": Counter(f"{g} → {p}" for g, p in misses).most_common(10)}


def measure(parser: Parser) -> dict[str, Any]:
    result: dict[str, Any] = {}
    rows = bitext()
    parses = [parser.parse(text) for text, _, _ in rows]
    by_source: dict[str, list[bool]] = defaultdict(list)
    by_ours: dict[str, list[bool]] = defaultdict(list)
    misses = []
    for (text, accepted, source), parse in zip(rows, parses, strict=True):
        right = _intent(parse) in accepted
        by_source[source].append(right)
        by_ours["|".join(sorted(accepted))].append(right)
        if not right:
            misses.append({"text": text, "accepted": sorted(accepted), "got": _intent(parse)})
    asked = [_intent(p) == "nlu_fallback" and _reading(p) in accepted
             for (_, accepted, _), p in zip(rows, parses, strict=True)]
    result["bitext"] = {
        "accuracy": sum(sum(v) for v in by_source.values()) / len(rows),
        "reading_accuracy": sum(_reading(p) in a for (_, a, _), p in zip(rows, parses, strict=True)) / len(rows),
        "asked_first_right_guess": sum(asked) / len(rows),
        "per_bitext_intent": {k: {"accuracy": sum(v) / len(v), "n": len(v)} for k, v in sorted(by_source.items())},
        "per_intent": {k: {"accuracy": sum(v) / len(v), "n": len(v)} for k, v in sorted(by_ours.items())},
        "confusions": Counter(f"{m['accepted'][0]} → {m['got']}" for m in misses).most_common(12),
        "n": len(rows),
    }
    texts = clinc()
    got = [_intent(parser.parse(text)) for text in texts]
    shop = [SHOP_WORDS.search(text) is not None for text in texts]
    rest = [g for g, s in zip(got, shop, strict=True) if not s]
    result["clinc"] = {
        "recall": sum(g in NOT_IN_SCOPE for g in rest) / len(rest),
        "recall_all": sum(g in NOT_IN_SCOPE for g in got) / len(got),
        "as_out_of_scope": sum(g == "out_of_scope" for g in rest) / len(rest),
        "as_fallback": sum(g == "nlu_fallback" for g in rest) / len(rest),
        "n": len(rest),
        "shop_answerable": {"n": sum(shop), "intents": Counter(g for g, s in zip(got, shop, strict=True) if s)},
        "wrongly_in_scope": Counter(g for g in rest if g not in NOT_IN_SCOPE).most_common(),
    }
    for lang, path in UNSEEN.items():
        parsed = [(intent, parser.parse(text)) for text, intent in nlu_examples(path)]
        pairs = [(intent, _reading(parse) if _intent(parse) == "nlu_fallback" and intent != "out_of_scope"
                  else _intent(parse)) for intent, parse in parsed]
        in_scope = [(g, p) for g, p in parsed if g != "out_of_scope"]
        report = _f1_report(pairs)
        report["in_scope_accuracy"] = sum(_reading(p) == g for g, p in in_scope) / len(in_scope)
        report["in_scope_acted"] = sum(_intent(p) == g for g, p in in_scope) / len(in_scope)
        report["asked_first_right_guess"] = sum(_intent(p) == "nlu_fallback" and _reading(p) == g
                                                for g, p in in_scope) / len(in_scope)
        result[f"unseen_{lang}"] = report
    cases = ambiguous()
    wrong = []
    readings = Counter()
    for case in cases:
        intent = _intent(parser.parse(case["text"]))
        readings["acted at once" if intent in ACTING else "asked first" if intent == "nlu_fallback" else "other"] += 1
        if intent in ACTING:
            wrong.append({"text": case["text"], "got": intent})
    result["ambiguous"] = {"n": len(cases), "wrong": len(wrong), "wrong_cases": wrong, "readings": dict(readings)}
    result["latency"] = _percentiles(parser.timings)
    parser.timings.clear()
    return result


def nlu_training_seconds(work: Path) -> float:
    started = time.perf_counter()
    _check(rasa("train", "nlu", "--config", "config.yml", "--nlu", "data/nlu", "--out", str(work / "trained"),
                "--fixed-model-name", "timed", timeout=3600), "rasa train nlu")
    return time.perf_counter() - started


def _mark(value: float, target: float) -> str:
    return f"**{value:.3f}** (target ≥ {target}: {'met' if value >= target else 'not met'})"


def _summary_rows(name: str, r: dict[str, Any]) -> list[str]:
    en, zh, latency = r["unseen_en"], r["unseen_zh"], r["latency"]
    answerable = r["clinc"]["shop_answerable"]["n"]
    b = r["bitext"]
    return [
        f"| Bitext: what the NLU understood (its reading, also when a fallback then asks) | {name} "
        f"| {_mark(b['reading_accuracy'], TARGETS['bitext'])} |",
        f"| Bitext: the final intent (a confirmation asked first counts as wrong) | {name} "
        f"| {b['accuracy']:.3f} ({b['asked_first_right_guess']:.3f} asked first, right guess) |",
        f"| CLINC out-of-scope recall (without the {answerable} shop-answerable) "
        f"| {name} | {_mark(r['clinc']['recall'], TARGETS['clinc'])} |",
        f"| unseen English: in-scope reading accuracy / macro F1 | {name} "
        f"| {_mark(en['in_scope_accuracy'], TARGETS['unseen'])} / {en['macro_f1']:.3f} |",
        f"| unseen English: final intent (asked first with the right guess) | {name} "
        f"| {en['in_scope_acted']:.3f} ({en['asked_first_right_guess']:.3f}) |",
        f"| unseen Chinese: in-scope reading accuracy / macro F1 | {name} "
        f"| {_mark(zh['in_scope_accuracy'], TARGETS['unseen'])} / {zh['macro_f1']:.3f} |",
        f"| unseen Chinese: final intent (asked first with the right guess) | {name} "
        f"| {zh['in_scope_acted']:.3f} ({zh['asked_first_right_guess']:.3f}) |",
        f"| ambiguous set: readings that act at once (of {r['ambiguous']['n']}) | {name} "
        f"| **{r['ambiguous']['wrong']}** |",
        f"| parse latency p50 / p95 on the server | {name} "
        f"| {latency['p50_ms']:.0f} / {latency['p95_ms']:.0f} ms |",
    ]


def write_report(results: dict[str, Any]) -> str:
    model = results["models"]["model"]
    lines = [
        "# NLU benchmark: shoppers' own words",
        "",
        f"Machine: {results['machine']}. Date: {results['date']}. Model: `{model['path']}`"
        + (f"; baseline: `{results['models']['baseline']['path']}`" if "baseline" in results["models"] else "") + ".",
        "Bitext and CLINC150 are measurement-only sets nobody here wrote (never trained on).",
        "",
        "| measure | model | figure |",
        "|---|---|---|",
    ]
    for name, r in results["models"].items():
        lines += _summary_rows(name, r)
    if "nlu_train_seconds" in results:
        lines.append(f"| NLU-only training (`rasa train nlu`) | model | {results['nlu_train_seconds']:.0f} s |")
    if "baseline" in results["models"]:
        a, b = model, results["models"]["baseline"]
        lines += ["", "**Won by:** Bitext {:+.3f}, CLINC out-of-scope recall {:+.3f}, unseen English {:+.3f}, "
                  "unseen Chinese {:+.3f} (model minus baseline).".format(
                      a["bitext"]["reading_accuracy"] - b["bitext"]["reading_accuracy"],
                      a["clinc"]["recall"] - b["clinc"]["recall"],
                      a["unseen_en"]["in_scope_accuracy"] - b["unseen_en"]["in_scope_accuracy"],
                      a["unseen_zh"]["in_scope_accuracy"] - b["unseen_zh"]["in_scope_accuracy"])]
    r = model
    lines += ["", "## Bitext accuracy per Bitext intent", "", "| Bitext intent | accuracy | n |", "|---|---|---|"]
    lines += [f"| {k} | {v['accuracy']:.3f} | {v['n']} |" for k, v in r["bitext"]["per_bitext_intent"].items()]
    lines += ["", "## Bitext accuracy per accepted intent", "", "| intent(s) | accuracy | n |", "|---|---|---|"]
    lines += [f"| {k} | {v['accuracy']:.3f} | {v['n']} |" for k, v in r["bitext"]["per_intent"].items()]
    lines += ["", "Most frequent confusions (accepted → predicted): "
              + ", ".join(f"{k} ({n})" for k, n in r["bitext"]["confusions"])]
    c = r["clinc"]
    lines += ["", "## CLINC150 out-of-scope", "",
              f"{c['n']} queries: {c['as_out_of_scope']:.3f} read as out_of_scope, {c['as_fallback']:.3f} as "
              f"nlu_fallback (the assistant asks or says it cannot help); recall on all 200: {c['recall_all']:.3f}. "
              "Read as in scope: " + (", ".join(f"{k} ({n})" for k, n in c["wrongly_in_scope"]) or "none") + ".",
              f"The {c['shop_answerable']['n']} a shop could answer went to: "
              + (", ".join(f"{k} ({n})" for k, n in c["shop_answerable"]["intents"].items()) or "—") + "."]
    for lang, title in (("en", "English"), ("zh", "Chinese")):
        u = r[f"unseen_{lang}"]
        lines += ["", f"## Unseen {title} ({u['n']} examples): accuracy {u['accuracy']:.3f}, "
                  f"in-scope {u['in_scope_accuracy']:.3f}, macro F1 {u['macro_f1']:.3f}", "",
                  "| intent | precision | recall | F1 | support |", "|---|---|---|---|---|"]
        lines += [f"| {k} | {s['precision']:.2f} | {s['recall']:.2f} | {s['f1']:.2f} | {s['support']} |"
                  for k, s in u["per_intent"].items()]
    a = r["ambiguous"]
    lines += ["", f"## Ambiguous messages ({a['n']}, tests/nlu/ambiguous.yml)", "",
              "Readings: " + ", ".join(f"{k} {n}" for k, n in sorted(a["readings"].items())) + ". Acting at once: "
              + (", ".join(f"\"{w['text']}\" → {w['got']}" for w in a["wrong_cases"]) or "none") + "."]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, help="the model to measure (default: the latest in models/)")
    parser.add_argument("--baseline", type=Path, help="a second model to measure beside it")
    parser.add_argument("--train", action="store_true", help="also time an NLU-only training of config.yml")
    args = parser.parse_args()
    if not BITEXT.exists() or not CLINC.exists():
        raise SystemExit(f"The measurement sets are missing: {BITEXT}, {CLINC} (../shared/, see its README).")
    results: dict[str, Any] = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "models": {},
    }
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for name, path in (("model", args.model or latest_model()), ("baseline", args.baseline)):
            if path is None:
                continue
            server = Parser(path.resolve(), work)
            try:
                results["models"][name] = {"path": str(path), **measure(server)}
            finally:
                server.stop()
            print(f"{name}: Bitext {results['models'][name]['bitext']['accuracy']:.3f}, "
                  f"CLINC {results['models'][name]['clinc']['recall']:.3f}", flush=True)
        if args.train:
            results["nlu_train_seconds"] = nlu_training_seconds(work)
    markdown = write_report(results)
    save_report("nlu", results, markdown)
    print(markdown)
    print(f"Written: {REPORTS / 'nlu.md'}")


if __name__ == "__main__":
    main()
