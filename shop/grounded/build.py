"""Builds the grounded answerer from settings: passages, embeddings, retriever and language model."""

from __future__ import annotations

import logging
from functools import partial
from pathlib import Path

from shop.catalog import Catalog
from shop.config import GeneratorSettings
from shop.grounded.answerer import GroundedAnswerer
from shop.grounded.encoder import SentenceEncoder, cached_embeddings
from shop.grounded.lm import LanguageModel
from shop.grounded.passages import Passage, build_passages, retrieval_text
from shop.grounded.retrieval import Retriever
from shop.grounded.train import latest_model
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


def embedding_texts(passages: list[Passage], knowledge: KnowledgeBase) -> tuple[list[str], list[int]]:
    """What gets embedded, and for which passage: every passage's text, plus each policy fact's
    example questions on their own (a paraphrase is closest to one question, not to all of them)."""
    texts = [p.text for p in passages]
    owners = list(range(len(passages)))
    questions = {f"fact:{fact.id}": fact.questions for fact in knowledge.facts}
    for index, passage in enumerate(passages):
        for question in questions.get(passage.passage_id, ()):
            texts.append(question)
            owners.append(index)
    return texts, owners


def policy_hint(knowledge: KnowledgeBase, question: str) -> list[str]:
    """The facts the knowledge base's own matcher picks, when it is sure of a single fact."""
    answer = knowledge.answer(question)
    return [f"fact:{fact_id}" for fact_id in answer.fact_ids] if answer.kind == "fact" else []


def build_answerer(settings: GeneratorSettings, knowledge: KnowledgeBase, catalog: Catalog,
                   use_model: bool = True) -> GroundedAnswerer:
    passages = build_passages(knowledge, catalog)
    texts, owners = embedding_texts(passages, knowledge)
    encoder = SentenceEncoder(settings.encoder)
    vectors = cached_embeddings(encoder, texts, settings.artifact_dir)
    retriever = Retriever(passages, [retrieval_text(p, knowledge) for p in passages], vectors, owners, encoder,
                          catalog, policy_hint=partial(policy_hint, knowledge),
                          policy_topic=lambda question: bool(knowledge.named_topics(question)))
    reference = model_reference(settings) if use_model else None
    model = None
    if reference is not None:
        model = LanguageModel(reference, max_new_tokens=settings.max_new_tokens, do_sample=settings.do_sample,
                              temperature=settings.temperature, top_p=settings.top_p,
                              timeout_seconds=settings.timeout_seconds, workers=settings.workers,
                              threads=settings.threads, no_repeat_ngram=settings.no_repeat_ngram)
    return GroundedAnswerer(retriever, model, catalog, retrieve=settings.retrieve,
                            prompt_passages=settings.prompt_passages, min_cosine=settings.min_cosine)
