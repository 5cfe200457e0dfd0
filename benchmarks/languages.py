"""Which NLU architecture serves English and Chinese best: measured, not guessed.

Trains NLU-only models (`rasa train nlu`) with config.yml's pipeline under different tokenizers and
tests each on the held-out sets tests/nlu/unseen.yml (English) and tests/nlu/unseen_zh.yml
(Chinese), which no model trains on:

- english-only: today's English pipeline (WhitespaceTokenizer) on the English data — the baseline;
- mixed: one model for both languages, rasa_ext.tokenizer.MixedChineseTokenizer;
- jieba: one model for both languages, Rasa's JiebaTokenizer;
- router: a Chinese-only model (JiebaTokenizer, language zh) behind a language router; its English
  side is the english-only model.

Run with ``scripts/benchmark-languages``; writes reports/languages.md and reports/languages.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

from benchmarks.foundation import _check, _intent_rows
from benchmarks.reports import REPORTS, save_report
from tests.servers import REPO
from tests.test_rasa_project import rasa

UNSEEN = {"en": "tests/nlu/unseen.yml", "zh": "tests/nlu/unseen_zh.yml"}
MIXED = {"name": "rasa_ext.tokenizer.MixedChineseTokenizer", "dictionary_path": "data/zh"}
JIEBA = {"name": "JiebaTokenizer", "dictionary_path": "data/zh"}
WHITESPACE = {"name": "WhitespaceTokenizer"}

# name: (tokenizer, config language, training data, held-out sets it answers)
VARIANTS: dict[str, tuple[dict[str, str], str, str, tuple[str, ...]]] = {
    "english-only": (WHITESPACE, "en", "en", ("en",)),
    "mixed": (MIXED, "en", "all", ("en", "zh")),
    "jieba": (JIEBA, "zh", "all", ("en", "zh")),
    "router-zh": (JIEBA, "zh", "zh", ("zh",)),
}


def _config(tokenizer: dict[str, str], language: str, path: Path) -> Path:
    """config.yml with its tokenizer (the first pipeline entry) and language replaced."""
    config = yaml.safe_load((REPO / "config.yml").read_text())
    config["language"] = language
    config["pipeline"][0] = dict(tokenizer)
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False))
    return path


def _training_data(which: str, work: Path) -> Path:
    nlu = REPO / "data" / "nlu"
    if which == "all":
        return nlu
    if which == "zh":
        return nlu / "zh"
    english = work / "nlu-en"
    english.mkdir(exist_ok=True)
    for path in nlu.glob("*.yml"):
        shutil.copy(path, english)
    return english


def measure(name: str, work: Path, model: Path | None = None) -> dict[str, Any]:
    tokenizer, language, data, answers = VARIANTS[name]
    result: dict[str, Any] = {"tokenizer": tokenizer["name"], "language": language, "data": data}
    if model is None:
        out = work / name
        config = _config(tokenizer, language, work / f"{name}.yml")
        started = time.perf_counter()
        _check(rasa("train", "nlu", "--config", str(config), "--nlu", str(_training_data(data, work)),
                    "--out", str(out), "--fixed-model-name", name, timeout=3600), f"rasa train nlu ({name})")
        result["train_seconds"] = time.perf_counter() - started
        model = out / f"{name}.tar.gz"
    for lang in answers:
        reports = work / f"{name}-{lang}"
        _check(rasa("test", "nlu", "--nlu", UNSEEN[lang], "--model", str(model), "--out", str(reports)),
               f"rasa test nlu ({name}, {lang})")
        result[lang] = json.loads((reports / "intent_report.json").read_text())
    return result


def _cell(result: dict[str, Any], lang: str) -> str:
    report = result.get(lang)
    return f"{report['macro avg']['f1-score']:.3f} / {report['accuracy']:.3f}" if report else "—"


def write_report(results: dict[str, Any]) -> str:
    variants = results["variants"]
    lines = [
        "# Languages benchmark: one multilingual model or a model per language",
        "",
        f"Machine: {results['machine']}. Date: {results['date']}. NLU-only models (`rasa train nlu`),",
        "config.yml's pipeline with the tokenizer replaced; held-out sets never trained on.",
        "\"(given model)\": an already trained model was tested (`--model`), e.g. a full `rasa train` model.",
        "",
        "| variant | tokenizer | trained on | English unseen: macro F1 / accuracy "
        "| Chinese unseen: macro F1 / accuracy | NLU training s |",
        "|---|---|---|---|---|---|",
    ]
    for name, r in variants.items():
        seconds = f"{r['train_seconds']:.0f}" if "train_seconds" in r else "(given model)"
        lines.append(f"| {name} | {r['tokenizer']} | {r['data']} | {_cell(r, 'en')} | {_cell(r, 'zh')} | {seconds} |")
    if "english-only" in variants and "router-zh" in variants:
        en, zh = variants["english-only"], variants["router-zh"]
        lines.append(f"| router (english-only + router-zh) | per language | en / zh | {_cell(en, 'en')} | "
                     f"{_cell(zh, 'zh')} | two models |")
    for name, r in variants.items():
        if "zh" in r:
            lines += ["", f"## Per-intent F1 on the Chinese held-out set: {name}", "", *_intent_rows(r["zh"])]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--variants", nargs="+", choices=list(VARIANTS), default=list(VARIANTS))
    parser.add_argument("--model", action="append", default=[], metavar="VARIANT=PATH",
                        help="test an already trained model for VARIANT instead of training one "
                             "(e.g. english-only=<a model of today's English pipeline>, mixed=models/kestrel-….tar.gz)")
    parser.add_argument("--merge", action="store_true",
                        help="keep the other variants of reports/languages.json (measure a few at a time)")
    args = parser.parse_args()
    given = {name: Path(path) for name, path in (item.split("=", 1) for item in args.model)}
    results: dict[str, Any] = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "variants": {},
    }
    previous = REPORTS / "languages.json"
    if args.merge and previous.exists():
        results["variants"] = json.loads(previous.read_text())["variants"]
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.variants:
            results["variants"][name] = measure(name, Path(tmp), given.get(name))
            print(f"{name}: en {_cell(results['variants'][name], 'en')}, zh {_cell(results['variants'][name], 'zh')}",
                  flush=True)
    results["variants"] = {name: results["variants"][name] for name in VARIANTS if name in results["variants"]}
    markdown = write_report(results)
    save_report("languages", results, markdown)
    print(markdown)


if __name__ == "__main__":
    main()
