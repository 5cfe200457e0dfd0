"""Builds the grounded answerer from settings: passages in every language, one multilingual
embedding index, the retriever and the language model."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from shop.catalog import Catalog
from shop.config import GeneratorSettings
from shop.grounded.answerer import GroundedAnswerer
from shop.grounded.artifacts import latest_model
from shop.grounded.encoder import SentenceEncoder, cached_embeddings
from shop.grounded.languages import available, language, passages_in
from shop.grounded.lm import LanguageModel
from shop.grounded.passages import Passage, retrieval_text
from shop.grounded.retrieval import Retriever
from shop.knowledge import KnowledgeBase

log = logging.getLogger(__name__)


def model_reference(settings: GeneratorSettings) -> str | Path | None:
    """The model to load: the newest embedded one, or what settings name; None when there is none."""
    if settings.model != "embedded":
        return settings.model
    found = latest_model(settings.artifact_dir)
    if found is None:
        log.warning("No trained generator in %s (run `python -m shop.grounded.train`); "
                    "answers will quote the best passage instead", settings.artifact_dir)
    return found


def fact_questions(knowledge: KnowledgeBase, code: str) -> dict[str, tuple[str, ...]]:
    """Each fact's example questions in one language, by passage id."""
    if code == "zh":
        chinese = knowledge.chinese
        return {f"fact:{f.id}": chinese.facts[f.id].questions for f in knowledge.facts} if chinese else {}
    return {f"fact:{fact.id}": fact.questions for fact in knowledge.facts}


def index_text(passage: Passage, knowledge: KnowledgeBase) -> str:
    """What BM25 indexes: the passage plus, for a fact, its example questions and keywords."""
    if passage.language == "zh":
        fact = knowledge.chinese.facts.get(passage.passage_id.removeprefix("fact:")) \
            if knowledge.chinese is not None and passage.kind == "policy" else None
        return " ".join([passage.text, *fact.questions, *fact.keywords]) if fact else passage.text + passage.title
    return retrieval_text(passage, knowledge)


def embedding_texts(sides: dict[str, list[Passage]], knowledge: KnowledgeBase) -> tuple[list[str], list[int]]:
    """What gets embedded, and for which passage (its index, the same in every language): every
    passage's text in every language, plus each policy fact's example questions on their own (a
    paraphrase is closest to one question, not to all of them)."""
    texts: list[str] = []
    owners: list[int] = []
    for code, passages in sides.items():
        questions = fact_questions(knowledge, code)
        for index, passage in enumerate(passages):
            for text in (passage.text, *questions.get(passage.passage_id, ())):
                texts.append(text)
                owners.append(index)
    return texts, owners


def english_embedding_texts(english: list[Passage], knowledge: KnowledgeBase) -> tuple[list[str], list[int]]:
    """What the English encoder embeds: the English side of embedding_texts."""
    return embedding_texts({"en": english}, knowledge)


def policy_hint(knowledge: KnowledgeBase, question: str, code: str = "en") -> list[str]:
    """The facts the knowledge base's own matcher picks, when it is sure of a single fact."""
    answer = knowledge.answer_in(code, question)
    return [f"fact:{fact_id}" for fact_id in answer.fact_ids] if answer.kind == "fact" else []


def policy_topic(knowledge: KnowledgeBase, question: str, code: str = "en") -> bool:
    chinese = knowledge.chinese if code == "zh" else None
    return bool(chinese.named_topics(question) if chinese is not None else knowledge.named_topics(question))


def passage_sides(knowledge: KnowledgeBase, catalog: Catalog,
                  price: Callable[[float], str] | None = None) -> dict[str, list[Passage]]:
    return {code: passages_in(code, knowledge, catalog, price) for code in available(knowledge, catalog)}


def build_answerer(settings: GeneratorSettings, knowledge: KnowledgeBase, catalog: Catalog,
                   use_model: bool = True, replies: Callable[[str, str], str] | None = None,
                   price: Callable[[float], str] | None = None) -> GroundedAnswerer:
    """``replies(language, key)``: the fixed texts ("grounded.unknown", "grounded.refused") from the
    message catalogue; ``price``: how a Chinese sheet writes a price (dollars with the yuan guide)."""
    sides = passage_sides(knowledge, catalog, price)
    texts, owners = embedding_texts(sides, knowledge)
    encoder = SentenceEncoder(settings.encoder)
    vectors = cached_embeddings(encoder, texts, settings.artifact_dir)
    english = sides["en"]
    translations = {code: (passages, [index_text(p, knowledge) for p in passages], language(code).tokens)
                    for code, passages in sides.items() if code != "en"}
    named_in = {code: _named(catalog, code) for code in translations}
    english_index = None
    if settings.english_encoder:
        english_encoder = SentenceEncoder(settings.english_encoder)
        english_texts, english_owners = english_embedding_texts(english, knowledge)
        english_index = (cached_embeddings(english_encoder, english_texts, settings.artifact_dir), english_owners,
                         english_encoder)
    retriever = Retriever(english, [index_text(p, knowledge) for p in english], vectors, owners, encoder,
                          catalog, policy_hint=lambda q, code: policy_hint(knowledge, q, code),
                          policy_topic=lambda q, code: policy_topic(knowledge, q, code),
                          translations=translations, named_in=named_in, english=english_index)
    reference = model_reference(settings) if use_model else None
    model = None
    if reference is not None:
        model = LanguageModel(reference, max_new_tokens=settings.max_new_tokens, do_sample=settings.do_sample,
                              temperature=settings.temperature, top_p=settings.top_p,
                              timeout_seconds=settings.timeout_seconds, workers=settings.workers,
                              threads=settings.threads, no_repeat_ngram=settings.no_repeat_ngram,
                              copy=settings.copy_decoding, drafts=settings.drafts)
    return GroundedAnswerer(retriever, model, catalog, retrieve=settings.retrieve,
                            prompt_passages=settings.prompt_passages, min_cosine=settings.min_cosine,
                            min_multilingual_cosine=settings.min_multilingual_cosine,
                            replies=replies)


def _named(catalog: Catalog, code: str) -> Callable[[str], str | None]:
    def named(question: str) -> str | None:
        product = language(code).named_product(catalog, question)
        return product.product_id if product is not None else None
    return named
