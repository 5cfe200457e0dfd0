"""The grounded answer flow: screen, retrieve, generate, check, and fall back honestly.

    question ──screen──► refused (safe reply)
        └──retrieve──► nothing relevant ──► "I don't know" + a human
              └──generate──► guard ok ──► the generated answer
                    └── rejected / timed out / no model ──► the best passage, verbatim
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from shop.catalog import Catalog
from shop.config import GeneratorSettings
from shop.grounded.claims import units_of, unsupported_claims, vocabulary_of
from shop.grounded.guard import Verdict, check, numbers
from shop.grounded.languages import AnswerLanguage
from shop.grounded.languages import language as answer_language
from shop.grounded.lm import GeneratorUnavailable, LanguageModel
from shop.grounded.passages import Passage
from shop.grounded.prompt import build_prompt
from shop.grounded.retrieval import Hit, Retriever
from shop.grounded.safety import SAFE_REPLY, normalise, screen

log = logging.getLogger(__name__)

AnswerKind = Literal["generated", "passage", "unknown", "refused"]

UNKNOWN_REPLY = (
    "I'm sorry, I don't know that — it isn't something our policies or catalogue tell me. "
    "Would you like me to connect you with a human agent?"
)
_MODEL_CODE_RE = re.compile(r"\b[a-z]*\d+[a-z0-9]*\b", re.I)
_SPEC_WORD_RE = re.compile(r"^\d+(gb|tb|mm|in|inch|hz|mp|w|k|mah|ft|lb|s|g|rd|nd|st|th)$", re.I)


@dataclass(frozen=True)
class GroundedAnswer:
    text: str
    kind: AnswerKind
    hits: tuple[Hit, ...] = ()
    generated: str | None = None          # what the model said, even when it was not sent
    problems: tuple[str, ...] = field(default_factory=tuple)
    seconds: float = 0.0

    @property
    def offers_human(self) -> bool:
        return self.kind in ("unknown", "refused")


_FIXED_REPLIES = {"grounded.unknown": UNKNOWN_REPLY, "grounded.refused": SAFE_REPLY}


class GroundedAnswerer:
    def __init__(self, retriever: Retriever, model: LanguageModel | None, catalog: Catalog | None = None,
                 retrieve: int = GeneratorSettings.retrieve, prompt_passages: int = GeneratorSettings.prompt_passages,
                 min_cosine: float = GeneratorSettings.min_cosine,
                 replies: Callable[[str, str], str] | None = None,
                 min_multilingual_cosine: float | None = None) -> None:
        """``min_cosine``: how close in meaning the best passage must be for an answer, on the
        retriever's cosines (fused for English); ``min_multilingual_cosine``: the same for questions
        read by the multilingual encoder alone (Chinese), ``min_cosine`` if not given.
        ``replies(language, key)`` gives the fixed replies in the shopper's language (the message
        catalogue's "grounded.unknown" and "grounded.refused"); English built-ins without it."""
        self._replies = replies
        self.retriever = retriever
        self.model = model
        self.catalog = catalog
        self.retrieve = retrieve
        self.prompt_passages = prompt_passages
        self.min_cosine = min_cosine
        self.min_multilingual_cosine = min_cosine if min_multilingual_cosine is None else min_multilingual_cosine
        # The shop's own words, which a claim may use only where the sentence backing it does.
        self.vocabulary = vocabulary_of(p for code in retriever.languages for p in retriever.passages_in(code))

    def warm_up(self) -> None:
        """Loads the encoder and the model now rather than on the first question."""
        self.retriever.search("warm up", k=1)
        if self.model is not None:
            try:
                self.model.load()
            except GeneratorUnavailable as exc:
                log.warning("%s; answers will quote the best passage", exc)
                return
            # The first generation pays torch's start-up (over the time limit on 2 cores): not a shopper.
            self.model.generate(build_prompt("How much is express shipping?", ["Express shipping costs $14.99."]))

    def reply(self, language: str, key: str) -> str:
        if self._replies is not None:
            return self._replies(language, key)
        return _FIXED_REPLIES[key]

    def answer(self, question: str, history: Sequence[tuple[str, str]] = (),
               product_id: str | None = None, language: str = "en") -> GroundedAnswer:
        """Blocking (retrieval + generation): call it from a worker thread in async code. The answer
        is in ``language`` (the shopper's), from that language's passages; the steps are the same."""
        started = time.perf_counter()
        lang = answer_language(language)
        # Full-width letters and invisible characters say nothing to retrieval either.
        question = " ".join(normalise(question).split())[:1000]
        if not question:
            return GroundedAnswer(self.reply(lang.code, "grounded.unknown"), "unknown")
        verdict = screen(question)
        if verdict.refused:
            log.info("Refused a %s request: %r", verdict.kind, question[:200])
            return GroundedAnswer(self.reply(lang.code, "grounded.refused"), "refused", problems=(verdict.kind or "",),
                                  seconds=time.perf_counter() - started)
        hits = tuple(self.retriever.search(question, k=self.retrieve, product_id=product_id, language=lang.code))
        if not hits or not self._answerable(question, hits[0], lang.code):
            return GroundedAnswer(self.reply(lang.code, "grounded.unknown"), "unknown", hits,
                                  seconds=time.perf_counter() - started)
        shown = [lang.focus(hit.passage, question) for hit in hits[: self.prompt_passages]]
        evidence = shown + [hit.passage.text for hit in hits]
        generated, problems = None, ()
        if self.model is not None:
            # Figures only from what the prompt shows: the model can copy nothing else.
            names = [hit.passage.title for hit in hits[: self.prompt_passages] if hit.passage.kind == "product"]
            result = self.model.generate(build_prompt(question, shown, history), grounding=shown, names=names)
            generated = result.text
            if result.text is None:
                problems = ("timed out",) if result.timed_out else (result.error or "no answer",)
            for draft in result.drafts:
                # The likeliest draft that passes every check is sent; the first one's problems are kept.
                verdict_ = self._verdict(draft, evidence, question, hits, lang)
                if verdict_.ok:
                    return GroundedAnswer(draft, "generated", hits, draft, seconds=time.perf_counter() - started)
                problems = problems or verdict_.problems
            log.info("Not sending the generated answer (%s); answering with the passage", "; ".join(problems))
        return GroundedAnswer(shown[0], "passage", hits, generated, tuple(problems),
                              seconds=time.perf_counter() - started)

    def _verdict(self, text: str, evidence: list[str], question: str, hits: Sequence[Hit],
                 lang: AnswerLanguage) -> Verdict:
        verdict = check(text, evidence, question)
        if verdict.ok:
            # Each sentence backed by one sentence of the grounding as a whole, not by figures
            # gathered from several ("Standard shipping … $14.99" is express shipping's price).
            unbacked = unsupported_claims(text, units_of(hit.passage for hit in hits), self.vocabulary)
            if unbacked:
                verdict = Verdict(False, (f"claim not backed by one sentence: {unbacked[0]}",))
        if verdict.ok and not lang.answers(question, text, hits[0].passage):
            verdict = Verdict(False, ("does not answer what was asked",))
        return verdict

    def _answerable(self, question: str, best: Hit, language: str = "en") -> bool:
        if best.named:
            return True
        if best.passage.kind == "product" and self._names_unknown_model(question, best.passage):
            return False
        # "When is the iPhone 18 out?" is about a product we do not sell, not about dispatch times,
        # unless it also names a policy ("can I return my iPhone 18?").
        if best.passage.kind == "policy" and self.catalog is not None and \
                self.catalog.unknown_model(question) and not self.retriever.names_policy_topic(question, language):
            return False
        # Close in meaning and sharing at least one word: "do you have a store in Boston?" sits near
        # the delivery facts semantically but names nothing they talk about.
        # For a policy, the closest fact in meaning decides (calibrated that way: docs/grounded-answers.md),
        # whichever fact the words and hints ranked first.
        closeness = max(best.cosine, self.retriever.closest_fact_cosine(question, language)) \
            if best.passage.kind == "policy" else best.cosine
        needed = self.min_cosine if self.retriever.fuses(language) else self.min_multilingual_cosine
        return closeness >= needed and best.bm25 > 0

    @staticmethod
    def _names_unknown_model(question: str, passage: Passage) -> bool:
        """"iPhone 13" when we sell the 14: the question's model codes, and none of them is this product's."""
        codes = {c.lower() for c in _MODEL_CODE_RE.findall(question) if not _SPEC_WORD_RE.match(c)}
        known = {c.lower() for c in _MODEL_CODE_RE.findall(passage.title)} | numbers(passage.title)
        return bool(codes) and not codes & known
