"""The shop's policies and FAQ (data/shop/knowledge_base.yml) and a small retriever over them.

Answers are always copied verbatim from the knowledge base, never composed, so the assistant cannot
state a policy the shop does not have. Retrieval is BM25 (rank-bm25) over each fact's answer, example
questions and keywords, with the NLU intent as a prior. Questions that only name a topic ("tell me
about shipping") or that match nothing specific get the topic overview instead of a single fact.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import time
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from rank_bm25 import BM25Okapi

from shop.knowledge_records import DAY_NAMES, Answer, Fact, KnowledgeBaseError, SupportHours, Topic
from shop.knowledge_zh import ChineseKnowledge, describe_hours_zh
from shop.yaml_file import load_mapping

# The records are shop/knowledge_records.py's, shared with the Chinese side; callers import them from here.
__all__ = ["Answer", "Fact", "KnowledgeBase", "KnowledgeBaseError", "SupportHours", "Topic"]

KNOWN_INTENTS = frozenset({
    "return_item", "shipping_info", "payment_methods", "warranty", "promotions",
    "cancel_order", "human_handoff", "order_status",
})

# Retrieval tuning. Scores are BM25 over ~20 short documents, so the ratios matter more than
# absolute values.
INTENT_BOOST = 1.5          # facts tagged with the predicted intent...
OFF_INTENT_FACTOR = 0.75    # ...and the others, when the intent is one the knowledge base serves
MIN_FACT_SCORE = 3.0        # below this even the best fact is a guess: give the overview instead
STRONG_FACT_SCORE = 8.0     # from here a fact wins on topic words alone ("who covers the return postage")
SECOND_FACT_RATIO = 0.35    # a second fact must score this fraction of the best one
OFF_INTENT_SECOND_RATIO = 0.6  # ...or this fraction when it lies outside the predicted intent
MAX_QUESTION_CHARS = 1000   # longer messages are cut; nobody asks a policy question that long
MAX_QUERY_TOKENS = 48

_STOPWORDS = frozenset("""
a an the is are was were be been being am do does did doing done i im ive id me my mine myself you
youre your yours u ur we our ours it its itself this that these those to of for on in at by with
from into onto and or but if so than then as can could would should will shall may might must
please pls plz hi hello hey there here what whats which who whom whose how hows when where why
have has had having get got gets getting any some just also too very really still yet already
thanks thank ok okay yes no not dont doesnt didnt cant wont isnt arent one thing things something
like want wanted need needed let lets go going take takes taking make makes out up
after within over than until since ago via per now right
""".split())
# Deliberately not stopwords: "us" (the country) and "much" (marks cost questions).

# Words that only say "I have a question about the topic"; together with each topic's `terms`
# they make a question generic.
_GENERIC_WORDS = (
    "policy policies info information tell about know detail details question questions option options "
    "rule rules work works explain help more general overview available availability possible "
    "item items product products order orders thing stuff buy bought buying"
).split()

# Whole words (or stems) mapped straight to the stem their relatives get from the rules.
_IRREGULAR = {
    "delivery": "deliver", "deliveries": "deliver", "shipment": "ship", "shipments": "ship",
    "installment": "instal", "installments": "instal", "cancellation": "cancel",
    "cancelation": "cancel", "refundable": "refund", "returnable": "return", "usa": "us",
    "canadian": "canada",
}

_TOKEN_RE = re.compile(r"[a-z]+(?:-[a-z]+)+|\d+(?:\.\d+)?|[a-z]+|[^\sa-z0-9]")
_DASHES = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2212": "-", "\u2019": "'", "\u2018": "'"})


class KnowledgeBase:
    """Policies and FAQ with retrieval. Build it with :meth:`load`."""

    def __init__(
        self,
        facts: Sequence[Fact],
        topics: dict[str, Topic],
        support_hours: SupportHours,
        fallback: str,
    ) -> None:
        self.facts: list[Fact] = list(facts)
        self.topics: dict[str, Topic] = dict(topics)
        self.support_hours = support_hours
        self.fallback = fallback
        self.chinese: ChineseKnowledge | None = None  # set by load() when a Chinese text is given
        self._validate()
        self._by_id = {fact.id: fact for fact in self.facts}

        texts = [_fact_text(fact) for fact in self.facts]
        documents = [_tokens(text) for text in texts]
        self._doc_terms = [frozenset(doc) for doc in documents]
        self._bm25 = BM25Okapi(documents)
        # The phrases that name each topic (tokens incl. bigrams, so "send back" must be adjacent);
        # their words, with the filler words, are what make a question generic.
        self._topic_phrases: dict[str, list[tuple[str, ...]]] = {
            name: [tuple(_tokens(term)) for term in topic.terms] for name, topic in self.topics.items()
        }
        self._generic = frozenset(_stem(word) for word in _GENERIC_WORDS) | frozenset(
            token for phrases in self._topic_phrases.values() for phrase in phrases for token in phrase
        )
        self._vocabulary = frozenset().union(*self._doc_terms) | self._generic
        surface = " ".join([*texts, *_GENERIC_WORDS, *(t for topic in self.topics.values() for t in topic.terms)])
        self._speller = _Speller(_surface_words(surface), self._vocabulary)
        # Only intents the knowledge base serves carry a prior; "greet" or a fallback says nothing.
        self._intent_weights = {
            intent: np.array([INTENT_BOOST if intent in fact.intents else OFF_INTENT_FACTOR for fact in self.facts])
            for intent in KNOWN_INTENTS
            if any(intent in fact.intents for fact in self.facts)
        }

    # -- loading -----------------------------------------------------------------------------------

    @classmethod
    def load(cls, path: str | Path, chinese_path: str | Path | None = None) -> KnowledgeBase:
        """The knowledge base in ``path``; with ``chinese_path`` it also answers in Chinese."""
        knowledge = cls._load_english(path)
        if chinese_path is not None:
            try:
                knowledge.chinese = ChineseKnowledge.load(chinese_path, knowledge)
            except (OSError, yaml.YAMLError, KeyError, TypeError, ValueError, AttributeError) as exc:
                raise KnowledgeBaseError(f"cannot read Chinese knowledge base {chinese_path}: {exc!r}") from exc
        return knowledge

    @classmethod
    def _load_english(cls, path: str | Path) -> KnowledgeBase:
        raw = load_mapping(path, "knowledge base", KnowledgeBaseError)
        try:
            topics = {
                name: Topic(
                    name=name,
                    overview=_clean(spec["overview"]),
                    intents=tuple(spec.get("intents") or ()),
                    terms=tuple(spec.get("terms") or ()),
                )
                for name, spec in raw["topics"].items()
            }
            facts = [
                Fact(
                    id=str(spec["id"]),
                    topic=str(spec["topic"]),
                    intents=tuple(spec.get("intents") or ()),
                    answer=_clean(spec["answer"]),
                    questions=tuple(str(q) for q in spec.get("questions") or ()),
                    keywords=tuple(str(k) for k in spec.get("keywords") or ()),
                )
                for spec in raw["facts"]
            ]
            hours = raw["support_hours"]
            support_hours = SupportHours(
                timezone=str(hours["timezone"]),
                weekdays=_parse_days(hours["days"]),
                opens=time.fromisoformat(str(hours["open"])),
                closes=time.fromisoformat(str(hours["close"])),
                timezone_label=str(hours.get("timezone_label") or ""),
            )
            fallback = _clean(raw["fallback"])
        except (KeyError, TypeError, AttributeError, ValueError) as exc:
            if isinstance(exc, KnowledgeBaseError):
                raise
            raise KnowledgeBaseError(f"knowledge base {path} is incomplete: {exc!r}") from exc
        return cls(facts, topics, support_hours, fallback)

    def _validate(self) -> None:
        ids = [fact.id for fact in self.facts]
        if not ids or len(ids) != len(set(ids)):
            raise KnowledgeBaseError("facts must be non-empty with unique ids")
        for fact in self.facts:
            if fact.topic not in self.topics:
                raise KnowledgeBaseError(f"fact {fact.id} has unknown topic {fact.topic!r}")
            unknown = set(fact.intents) - KNOWN_INTENTS
            if unknown:
                raise KnowledgeBaseError(f"fact {fact.id} has unknown intents {sorted(unknown)}")
        for topic in self.topics.values():
            unknown = set(topic.intents) - KNOWN_INTENTS
            if unknown:
                raise KnowledgeBaseError(f"topic {topic.name} has unknown intents {sorted(unknown)}")

    # -- look-ups ----------------------------------------------------------------------------------

    def fact(self, fact_id: str) -> Fact:
        return self._by_id[fact_id]

    def fact_text(self, fact_id: str, language: str = "en") -> str:
        """What a fact says, in ``language`` when the knowledge base has it."""
        if language == "zh" and self.chinese is not None:
            return self.chinese.fact_text(fact_id)
        return self._by_id[fact_id].answer

    def answer_in(self, language: str, question: str, intent: str | None = None) -> Answer:
        """:meth:`answer` for a shopper speaking ``language`` (Chinese questions get Chinese answers)."""
        if language == "zh" and self.chinese is not None:
            return self.chinese.answer(question, intent)
        return self.answer(question, intent)

    def describe_hours(self, language: str = "en") -> str:
        if language == "zh":
            return describe_hours_zh(self.support_hours)
        return self.support_hours.describe()

    def topics_for_intent(self, intent: str | None) -> list[str]:
        return [name for name, topic in self.topics.items() if intent and intent in topic.intents]

    def overview(self, topics: Iterable[str], score: float = 0.0) -> Answer:
        """The overview of one or more topics, or the fallback text when ``topics`` is empty."""
        names = [name for name in dict.fromkeys(topics) if name in self.topics]
        if not names:
            return Answer(self.fallback, (), None, score, kind="fallback")
        text = " ".join(self.topics[name].overview for name in names)
        fact_ids = tuple(fact.id for fact in self.facts if fact.topic in names)
        return Answer(text, fact_ids, names[0], score, kind="overview")

    # -- answering ---------------------------------------------------------------------------------

    def answer(self, question: str, intent: str | None = None) -> Answer:
        """The best answer to ``question``; ``intent`` is the NLU's guess and only a prior."""
        tokens = self._query_tokens(question if isinstance(question, str) else "")
        intent_topics = self.topics_for_intent(intent)
        named = self._named_topics(tokens)
        # Text beats a possibly wrong intent, but a topic the intent already covers keeps the
        # intent's fuller picture (e.g. "returns" + return_item also gets the refund timing).
        generic_topics = intent_topics if not named or set(named) <= set(intent_topics) else named

        # Bare numbers ("3 months") collide with unrelated figures ("3–5 business days").
        specific = {
            token for token in tokens
            if token not in self._generic and token in self._vocabulary and not token.replace(".", "").isdigit()
        }
        if not specific:
            # Only the intent points at a topic, and the question is made of words no policy uses
            # ("do you sell refrigerators?" read as return_item): not a policy question after all.
            foreign = [t for t in tokens if t not in self._vocabulary and t.isalpha() and len(t) > 3]
            overview = self.overview(generic_topics)
            return replace(overview, guessed=True) if foreign and not named and overview.topic else overview

        scores = self._bm25.get_scores(tokens)
        # The intent is a prior: it reorders, and a weak off-intent match falls back to the
        # intent's overview ("do you deliver on weekends" is not about agents' hours).
        if intent in self._intent_weights:
            scores = scores * self._intent_weights[intent]
        ranked = np.argsort(-scores, kind="stable")
        best = int(ranked[0])
        best_score = float(scores[best])
        # The winner must owe its place to a specific word, not merely to "shipping" or "return",
        # unless it matches the topic words so well that no other fact comes close.
        clear = best_score >= STRONG_FACT_SCORE or (
            best_score >= MIN_FACT_SCORE and bool(self._doc_terms[best] & specific)
        )
        if not clear:
            if not generic_topics and best_score > 0 and self._doc_terms[best] & specific:
                # No intent and no topic named: the weak match still tells which topic it is about.
                generic_topics = [self.facts[best].topic]
            return self.overview(generic_topics, best_score)

        chosen = [best]
        if len(ranked) > 1:
            # A second fact only if it answers a part of the question the first one does not
            # ("how long do refunds take and is return shipping free").
            second = int(ranked[1])
            second_score = float(scores[second])
            # Off-intent, it must come close to the best one: "flash sale today?" is not about dispatch.
            adds_something = bool((self._doc_terms[second] & specific) - self._doc_terms[best])
            on_intent = intent not in self._intent_weights or intent in self.facts[second].intents
            ratio = SECOND_FACT_RATIO if on_intent else OFF_INTENT_SECOND_RATIO
            if adds_something and second_score >= max(MIN_FACT_SCORE, ratio * best_score):
                chosen.append(second)
        facts = [self.facts[i] for i in chosen]
        return Answer(
            text=" ".join(fact.answer for fact in facts),
            fact_ids=tuple(fact.id for fact in facts),
            topic=facts[0].topic,
            score=best_score,
        )

    def _query_tokens(self, question: str) -> list[str]:
        # Duplicates would count twice in BM25; the cap keeps pasted essays cheap.
        tokens = _tokens(question[:MAX_QUESTION_CHARS], self._speller.stem)
        return list(dict.fromkeys(tokens))[:MAX_QUERY_TOKENS]

    def named_topics(self, question: str) -> list[str]:
        """The topics whose own terms the question uses ("return", "shipping", "warranty")."""
        return self._named_topics(self._query_tokens(question))

    def _named_topics(self, tokens: Sequence[str]) -> list[str]:
        present = set(tokens)
        return [
            name
            for name, phrases in self._topic_phrases.items()
            if any(phrase and set(phrase) <= present for phrase in phrases)
        ]


# -- text normalisation ----------------------------------------------------------------------------


def _clean(text: Any) -> str:
    return " ".join(str(text).split())


def _fact_text(fact: Fact) -> str:
    return " ".join((fact.answer, *fact.questions, *fact.keywords))


def _tokens(text: str, stem: Callable[[str], str] | None = None) -> list[str]:
    """Stemmed, stopword-free words plus bigrams of adjacent words ("return_ship").

    Bigrams are what tell "return shipping" (the return label) from "shipping and returns" (two
    topics). Hyphenated words also count joined ("in-ear" -> "inear"). ``stem`` replaces the plain
    stemmer, e.g. with one that also fixes typos.
    """
    stem = stem or _stem
    words: list[str | None] = []  # None breaks adjacency: stopwords, filler words, punctuation
    extra: list[str] = []
    for match in _TOKEN_RE.finditer(_normalise(text)):
        piece = match.group()
        if piece.startswith("non-"):
            # "non-express shipping" asks about every kind but express: its words point away.
            words.append(None)
            continue
        if "-" in piece and len(piece) > 1:
            extra.append(_stem(piece.replace("-", "")))
            parts = piece.split("-")
        else:
            parts = [piece]
        for part in parts:
            if not part[0].isalnum() or part in _STOPWORDS:
                words.append(None)
            else:
                words.append(stem(part))
    unigrams = [word for word in words if word]
    bigrams = [
        f"{a}_{b}"
        for a, b in zip(words, words[1:], strict=False)
        if a and b and a not in _FILLER_STEMS and b not in _FILLER_STEMS
    ]
    return unigrams + extra + bigrams


def _normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).translate(_DASHES).lower().replace("'", "")


def _surface_words(text: str) -> set[str]:
    return {word for word in re.findall(r"[a-z]+", _normalise(text)) if word not in _STOPWORDS}


@lru_cache(maxsize=4096)
def _stem(word: str) -> str:
    """A deliberately tiny stemmer: plurals, -ed/-ing and a final e, applied alike to both sides."""
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith(("sses", "ches", "shes", "xes")):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if word.endswith("ment") and len(word) >= 8:
        word = word[:-4]  # reimbursement -> reimburs(ed), instalment -> instal
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            if word[-1] == word[-2] and word[-1] not in "s":
                word = word[:-1]  # shipping -> ship, cancelled -> cancel
            break
    if len(word) > 4 and word.endswith("e"):
        word = word[:-1]  # price/priced/pricing all become "pric"
    return _IRREGULAR.get(word, word)


_FILLER_STEMS = frozenset(_stem(word) for word in _GENERIC_WORDS)


class _Speller:
    """Stems words, first fixing typos against the words the knowledge base itself uses.

    Only unknown words of five letters or more are touched, by one edit (two from nine letters);
    five-letter words only for a dropped letter or a swap ("refnd", "retrun"), because a changed
    letter there is too often another real word ("codes" is not a typo of "comes").
    Candidates come from a symmetric-delete index, so a look-up costs microseconds.
    """

    def __init__(self, surface_words: Iterable[str], stems: frozenset[str]) -> None:
        self._surface = frozenset(surface_words)
        self._stems = stems
        self._index: dict[str, set[str]] = {}
        for word in self._surface:
            if len(word) >= 4:
                for variant in _deletes(word):
                    self._index.setdefault(variant, set()).add(word)
        self._cache: dict[str, str] = {}

    def stem(self, word: str) -> str:
        stem = _stem(word)
        if stem in self._stems or len(word) < 5 or not word.isalpha():
            return stem
        if word not in self._cache:
            if len(self._cache) > 10_000:  # typos are unbounded; memory is not
                self._cache.clear()
            fixed = self._fix(word)
            self._cache[word] = _stem(fixed) if fixed else stem
        return self._cache[word]

    def _fix(self, word: str) -> str | None:
        limit = 1 if len(word) < 9 else 2
        candidates: set[str] = set()
        for variant in _deletes(word):
            candidates |= self._index.get(variant, set())
        if len(word) == 5:
            candidates = {c for c in candidates if len(c) == 6 or sorted(c) == sorted(word)}
        scored = sorted(
            (distance, candidate)
            for candidate in candidates
            if (distance := _edit_distance(word, candidate)) <= limit
        )
        return scored[0][1] if scored else None


def _deletes(word: str) -> set[str]:
    return {word} | {word[:i] + word[i + 1:] for i in range(len(word))}


def _edit_distance(a: str, b: str) -> int:
    """Optimal-string-alignment distance (Levenshtein plus adjacent transpositions)."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, char_b in enumerate(b, 1):
            cost = char_a != char_b
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


# -- support-hours helpers -------------------------------------------------------------------------


def _parse_days(spec: Any) -> frozenset[int]:
    """Accepts a list (["Mon", "Tue"]) or a range ("Mon-Sat"); names may be short or full."""

    def index(name: str) -> int:
        key = name.strip().lower()[:3]
        for number, day in enumerate(DAY_NAMES):
            if key and day.lower().startswith(key):
                return number
        raise KnowledgeBaseError(f"unknown weekday {name!r} in support_hours")

    if isinstance(spec, str):
        first, _, last = spec.translate(_DASHES).partition("-")
        start, end = index(first), index(last or first)
        return frozenset((start + offset) % 7 for offset in range((end - start) % 7 + 1))
    return frozenset(index(str(day)) for day in spec)
