"""The grounded-answer benchmark's scoring (benchmarks/answers.py): a made-up figure and a true figure
quoted for the wrong question are told apart, on a tiny shop with a real BM25 retriever."""

from __future__ import annotations

import pytest

from benchmarks.answers import (
    QUESTIONS,
    _contains,
    claims_without_backing,
    evaluate,
    load_questions,
    unsupported_claims,
)
from shop.catalog import Catalog
from shop.config import load_settings
from shop.currency import Currency
from shop.grounded.answerer import GroundedAnswerer
from shop.grounded.build import passage_sides
from shop.grounded.claims import vocabulary_of
from shop.grounded.passages import Passage
from shop.grounded.retrieval import Retriever
from shop.knowledge import KnowledgeBase

PASSAGES = [
    Passage("fact:returns", "policy", "returns", "You can return items within 30 days of delivery."),
    Passage("fact:express", "policy", "express", "Express shipping takes 1–2 business days and costs $14.99."),
    # More facts, so that BM25's word weights are positive (a word in half of two passages weighs nothing).
    Passage("fact:hours", "policy", "hours", "Our agents are available Monday to Saturday, 8 am–8 pm ET."),
    Passage("fact:warranty", "policy", "warranty", "Every product comes with a 1-year limited warranty."),
    Passage("fact:payment", "policy", "payment", "We accept Visa, Mastercard and PayPal."),
]
TINY_QUESTIONS = [
    {"id": "right", "kind": "policy", "question": "how many days to return items?",
     "gold": ["fact:returns"], "expect": ["30 days"]},
    # Retrieval can only find the express fact: a true figure, but not the one asked about.
    {"id": "wrong", "kind": "policy", "question": "is express shipping refundable if it arrives late?",
     "gold": ["fact:refunds"], "expect": ["5–7 business days"]},
    {"id": "none", "kind": "unanswerable", "question": "do you sell gift cards?", "gold": [], "expect": []},
]


def test_unsupported_claims_are_figures_the_backing_lacks() -> None:
    backing = PASSAGES[1].text
    assert unsupported_claims("It costs $14.99 and takes 1–2 days.", backing) == set()
    assert {"$9.99", "3"} <= unsupported_claims("It costs $9.99 and takes 3 days.", backing)


def test_wrong_facts_are_counted_apart_from_made_up_ones() -> None:
    retriever = Retriever(PASSAGES, [p.text for p in PASSAGES])
    answerer = GroundedAnswerer(retriever, model=None, min_cosine=0.0)
    texts = {p.passage_id: p for p in PASSAGES} | {
        "fact:refunds": Passage("fact:refunds", "policy", "refunds", "Refunds take 5–7 business days.")}
    result = evaluate(answerer, TINY_QUESTIONS, texts)
    rows = {row["id"]: row for row in result["rows"]}
    assert rows["right"]["correct"] and not rows["right"]["wrong_fact"]
    assert rows["wrong"]["answer_kind"] == "passage" and not rows["wrong"]["correct"]
    assert rows["wrong"]["wrong_fact"] and not rows["wrong"]["unsupported"]  # true, but for another question
    assert rows["none"]["answer_kind"] == "unknown"
    summary = result["summary"]
    assert summary["unsupported-claim rate"] == 0.0
    assert summary["wrong-fact rate (answerable)"] == 0.5
    assert summary["accuracy"] == 0.5 and summary["I don't know on unanswerable"] == 1.0



def test_a_figure_with_the_wrong_subject_counts_as_a_wrong_fact() -> None:
    """The known failure: express shipping's true figures stated for standard shipping. Every figure
    is in the passages, yet the claim is false: the claim check counts it, the figure check alone
    did not."""
    standard = Passage("fact:standard", "policy", "standard", "Standard shipping takes 3–5 business days.")
    passages = [*PASSAGES, standard]
    claim = "Standard shipping takes 1–2 business days and costs $14.99."
    assert unsupported_claims(claim, " ".join(p.text for p in passages)) == set()
    vocabulary = vocabulary_of(passages)
    assert claims_without_backing(claim, passages, vocabulary) == [claim]
    assert claims_without_backing(PASSAGES[1].text, passages, vocabulary) == []


@pytest.mark.parametrize("name", ["questions", "holdout", "unseen", "bilingual"])
def test_question_sets_agree_with_the_shop_data(name: str) -> None:
    """Every gold passage exists and states each expected string (in the question's language), so a
    changed price or fact in data/shop shows up here rather than as a silent drop in accuracy."""
    settings = load_settings()
    knowledge = KnowledgeBase.load(settings.data.knowledge_base, settings.data.knowledge_base_zh)
    catalog = Catalog.load(settings.data.products, None, settings.data.products_zh)
    currency = Currency(settings.yuan_per_dollar)
    passages = {f"{code}:{p.passage_id}": p.text for code, side in passage_sides(
        knowledge, catalog, lambda d: currency.price(d, "zh")).items() for p in side}
    entries = load_questions(QUESTIONS.parent / f"{name}.yml")
    assert len({e["id"] for e in entries}) == len(entries)
    for entry in entries:
        assert entry["kind"] in ("policy", "product", "unanswerable", "injection"), entry["id"]
        if entry["kind"] in ("unanswerable", "injection"):
            assert not entry["gold"] and not entry["expect"], entry["id"]
            continue
        assert entry["gold"] and entry["expect"], entry["id"]
        language = entry.get("language", "en")
        for gold in entry["gold"]:
            text = passages.get(f"{language}:{gold}")
            assert text is not None, (entry["id"], gold)
            missing = [e for e in entry["expect"] if not _contains(text, e, language)]
            assert not missing, (entry["id"], gold, missing)
