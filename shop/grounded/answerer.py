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
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from shop.catalog import Catalog
from shop.grounded.guard import check, numbers
from shop.grounded.lm import GeneratorUnavailable, LanguageModel
from shop.grounded.passages import HEADER_ASPECTS, Passage, focus, key_piece
from shop.grounded.prompt import build_prompt
from shop.grounded.retrieval import Hit, Retriever
from shop.grounded.safety import SAFE_REPLY, screen

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


class GroundedAnswerer:
    def __init__(self, retriever: Retriever, model: LanguageModel | None, catalog: Catalog | None = None,
                 retrieve: int = 3, prompt_passages: int = 1, min_cosine: float = 0.45) -> None:
        self.retriever = retriever
        self.model = model
        self.catalog = catalog
        self.retrieve = retrieve
        self.prompt_passages = prompt_passages
        self.min_cosine = min_cosine

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

    def answer(self, question: str, history: Sequence[tuple[str, str]] = (),
               product_id: str | None = None) -> GroundedAnswer:
        """Blocking (retrieval + generation): call it from a worker thread in async code."""
        started = time.perf_counter()
        question = " ".join((question or "").split())[:1000]
        if not question:
            return GroundedAnswer(UNKNOWN_REPLY, "unknown")
        verdict = screen(question)
        if verdict.refused:
            log.info("Refused a %s request: %r", verdict.kind, question[:200])
            return GroundedAnswer(SAFE_REPLY, "refused", problems=(verdict.kind or "",),
                                  seconds=time.perf_counter() - started)
        hits = tuple(self.retriever.search(question, k=self.retrieve, product_id=product_id))
        if not hits or not self._answerable(question, hits[0]):
            return GroundedAnswer(UNKNOWN_REPLY, "unknown", hits, seconds=time.perf_counter() - started)
        shown = [focus(hit.passage, question) for hit in hits[: self.prompt_passages]]
        evidence = shown + [hit.passage.text for hit in hits]
        generated, problems = None, ()
        if self.model is not None:
            # Figures only from what the prompt shows: the model can copy nothing else.
            names = [hit.passage.title for hit in hits[: self.prompt_passages] if hit.passage.kind == "product"]
            result = self.model.generate(build_prompt(question, shown, history), grounding=shown, names=names)
            generated = result.text
            if result.text is None:
                problems = ("timed out",) if result.timed_out else (result.error or "no answer",)
            else:
                verdict_ = check(result.text, evidence, question)
                if verdict_.ok and not _answers(question, result.text, hits[0].passage):
                    verdict_ = type(verdict_)(False, ("does not answer what was asked",))
                if verdict_.ok:
                    return GroundedAnswer(result.text, "generated", hits, result.text,
                                          seconds=time.perf_counter() - started)
                problems = verdict_.problems
            log.info("Not sending the generated answer (%s); answering with the passage", "; ".join(problems))
        return GroundedAnswer(shown[0], "passage", hits, generated, tuple(problems),
                              seconds=time.perf_counter() - started)

    def _answerable(self, question: str, best: Hit) -> bool:
        if best.named:
            return True
        if best.passage.kind == "product" and self._names_unknown_model(question, best.passage):
            return False
        # "When is the iPhone 18 out?" is about a product we do not sell, not about dispatch times,
        # unless it also names a policy ("can I return my iPhone 18?").
        if best.passage.kind == "policy" and self.catalog is not None and \
                self.catalog.unknown_model(question) and not self.retriever.names_policy_topic(question):
            return False
        # Close in meaning and sharing at least one word: "do you have a store in Boston?" sits near
        # the delivery facts semantically but names nothing they talk about.
        return best.cosine >= self.min_cosine and best.bm25 > 0

    @staticmethod
    def _names_unknown_model(question: str, passage: Passage) -> bool:
        """"iPhone 13" when we sell the 14: the question's model codes, and none of them is this product's."""
        codes = {c.lower() for c in _MODEL_CODE_RE.findall(question) if not _SPEC_WORD_RE.match(c)}
        known = {c.lower() for c in _MODEL_CODE_RE.findall(passage.title)} | numbers(passage.title)
        return bool(codes) and not codes & known


def _mentions(answer: str, piece: str, title: str) -> bool:
    """Whether the answer carries the piece's figure or words ("48MP main camera" for photography);
    figures of the product's name ("128" in "iPhone 15 128GB") prove nothing."""
    figures = numbers(piece) - numbers(title)
    if figures:
        return bool(figures & numbers(answer))
    words = {w for w in re.findall(r"[a-z]{4,}", piece.lower())}
    return bool(words & set(re.findall(r"[a-z]{4,}", answer.lower())))


# A figure with its unit as a fact states it: "5–7 business", "8 am", "$6.95".
_FIGURE_RE = re.compile(r"\$?\d[\d,.]*(?:[–-]\d+)?(?:\s*(?:%|[A-Za-z]+))?")

def _answers(question: str, answer: str, passage: Passage) -> bool:
    """Whether a grounded answer also answers the question: a price for "how much", the camera for
    "good for photography"; the guard only knows it is true."""
    if passage.kind != "product":
        # A policy answer restates its fact: most of what it says comes from that one passage, most
        # of the passage is in it, and it keeps every figure of it (a refund time without its "5–7"
        # answers nothing; "We accept Visa, American Express" leaves out PayPal).
        said = set(re.findall(r"[a-z]{4,}", answer.lower()))
        fact = set(re.findall(r"[a-z]{4,}", passage.text.lower()))
        figures = {f.lower() for f in _FIGURE_RE.findall(passage.text)}
        return len(answer.split()) >= 4 and all(f in answer.lower() for f in figures) and \
            len(said & fact) >= 0.6 * len(said) and len(said & fact) >= 0.7 * len(fact)
    # The sheet says whether it is in stock; an answer must not say the opposite.
    out_of_stock = "out of stock" in passage.pieces()[0]
    if ("out of stock" in answer.lower()) != out_of_stock and "stock" in answer.lower():
        return False
    header_asked = False
    for asked, needed in HEADER_ASPECTS:
        if asked.search(question):
            if not needed.search(answer):
                return False
            header_asked = True
    if header_asked:
        return True  # its price, stock or rating, which the answer states ("how well is it rated by buyers")
    key = key_piece(passage, question)
    if key is None:
        # Nothing in particular asked ("tell me more about the DJI Neo Drone"): the answer must at
        # least say which product, at what price, as the sheet's header does.
        return passage.title.lower() in answer.lower() and "$" in answer
    return _mentions(answer, key, passage.title)
