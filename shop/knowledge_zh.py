"""Chinese answers to policy questions, from data/shop/knowledge_base_zh.yml.

The facts, topics and intents are those of the English knowledge base (same ids); only the text is
Chinese. Retrieval is BM25 over character unigrams and bigrams (the usual choice for Chinese search
without a word segmenter: "退货运费" shares "退货" and "运费" with the fact that answers it), with
a fact's keywords counting extra and the NLU's intent as a prior, as in English.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import yaml
from rank_bm25 import BM25Okapi

from shop.knowledge_records import Answer, Fact, SupportHours, Topic

MIN_SCORE = 2.5          # below this the best fact is a guess: the topic's overview answers instead
KEYWORD_BONUS = 2.0      # per keyword of the fact found verbatim in the question
NO_KEYWORD_SCORE = 16.0  # without any of its keywords a fact must match this well
SECOND_FACT_RATIO = 0.6  # a second fact must come this close to the best one (and add a keyword)
INTENT_BOOST, OFF_INTENT_FACTOR = 1.5, 0.75
MAX_QUESTION_CHARS = 300

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
_LATIN = re.compile(r"[a-z]+|\d+(?:\.\d+)?")
# Characters that carry no topic on their own; bigrams made only of them are dropped too.
_FILLER = frozenset("的了吗呢吧啊呀么我你您他她它们是在有没不什怎样可以能会要想请问"
                    "一个这那些哪就还都也和与或把被给让对")


def tokens(text: str) -> list[str]:
    """Han characters and character bigrams (skipping filler), plus Latin words and numbers."""
    text = text.lower()
    found: list[str] = []
    for run in _HAN.findall(text):
        found += [ch for ch in run if ch not in _FILLER]
        found += [a + b for a, b in zip(run, run[1:], strict=False) if not (a in _FILLER and b in _FILLER)]
    found += _LATIN.findall(text)
    return found


@dataclass(frozen=True)
class FactZh:
    id: str
    answer: str
    questions: tuple[str, ...]
    keywords: tuple[str, ...]


def _clean(text: Any) -> str:
    return "".join(str(text).split()) if _HAN.search(str(text)) else " ".join(str(text).split())


def _join_lines(text: Any) -> str:
    """YAML folds a long Chinese line with a space; Chinese needs none between characters, but a
    space next to a figure or Latin word ("$6.95 的") reads better, so only Han-Han joins lose it."""
    return re.sub(r"(?<=[\u4e00-\u9fff,。;:、)])\s+(?=[\u4e00-\u9fff(])", "", " ".join(str(text).split()))


class EnglishKnowledge(Protocol):
    """What the Chinese side reads of the English knowledge base (shop.knowledge.KnowledgeBase),
    whose facts, topics and intents it shares."""

    facts: Sequence[Fact]
    topics: Mapping[str, Topic]
    fallback: str

    def fact(self, fact_id: str) -> Fact: ...

    def topics_for_intent(self, intent: str | None) -> list[str]: ...


class ChineseKnowledge:
    """The Chinese side of a :class:`shop.knowledge.KnowledgeBase`."""

    def __init__(self, english: EnglishKnowledge, facts: dict[str, FactZh], overviews: dict[str, str],
                 terms: dict[str, tuple[str, ...]], fallback: str) -> None:
        missing = [f.id for f in english.facts if f.id not in facts] + \
            [name for name in english.topics if name not in overviews]
        if missing:
            raise ValueError(f"Chinese knowledge base lacks {', '.join(missing)}")
        self.english = english
        self.facts = facts
        self.overviews = overviews
        self.terms = terms
        self.fallback = fallback
        order = [fact.id for fact in english.facts]
        documents = [tokens(" ".join([facts[i].answer, *facts[i].questions, *facts[i].keywords])) for i in order]
        self._order = order
        self._bm25 = BM25Okapi(documents)
        self._intents = [english.fact(i).intents for i in order]

    @classmethod
    def load(cls, path: str | Path, english: EnglishKnowledge) -> ChineseKnowledge:
        raw: Any = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        facts = {
            str(fact_id): FactZh(str(fact_id), _join_lines(spec["answer"]),
                                 tuple(str(q) for q in spec.get("questions") or ()),
                                 tuple(str(k) for k in spec.get("keywords") or ()))
            for fact_id, spec in (raw.get("facts") or {}).items()
        }
        topics = raw.get("topics") or {}
        overviews = {str(name): _join_lines(spec["overview"]) for name, spec in topics.items()}
        terms = {str(name): tuple(str(t) for t in spec.get("terms") or ()) for name, spec in topics.items()}
        return cls(english, facts, overviews, terms, _join_lines(raw["fallback"]))

    def fact_text(self, fact_id: str) -> str:
        return self.facts[fact_id].answer

    def overview(self, topics: Iterable[str], score: float = 0.0) -> Answer:
        names = [name for name in dict.fromkeys(topics) if name in self.overviews]
        if not names:
            return Answer(self.fallback, (), None, score, kind="fallback")
        fact_ids = tuple(f.id for f in self.english.facts if f.topic in names)
        return Answer("".join(self.overviews[n] for n in names), fact_ids, names[0], score, kind="overview")

    def named_topics(self, question: str) -> list[str]:
        return [name for name, words in self.terms.items() if any(word in question for word in words)]

    def answer(self, question: str, intent: str | None = None) -> Answer:
        question = (question if isinstance(question, str) else "")[:MAX_QUESTION_CHARS]
        intent_topics = self.english.topics_for_intent(intent)
        named = self.named_topics(question)
        generic_topics = intent_topics if not named or set(named) <= set(intent_topics) else named
        query = list(dict.fromkeys(tokens(question)))
        # What the question says beyond naming a topic ("退货" alone asks for the overview).
        topic_chars = "".join(t for words in self.terms.values() for t in words)
        specific = [t for t in query if not all(ch in topic_chars for ch in t)]
        if not specific:
            return self.overview(generic_topics)
        scores = np.asarray(self._bm25.get_scores(query), dtype=float)
        keywords = np.array([sum(KEYWORD_BONUS for k in self.facts[i].keywords if k.lower() in question.lower())
                             for i in self._order])
        scores = scores + keywords
        if intent_topics:
            scores = scores * np.array([INTENT_BOOST if intent in intents else OFF_INTENT_FACTOR
                                        for intents in self._intents])
        ranked = np.argsort(-scores, kind="stable")
        best = int(ranked[0])
        if scores[best] < MIN_SCORE or keywords[best] == 0 and scores[best] < NO_KEYWORD_SCORE:
            if not generic_topics and keywords[best] > 0:  # a weak match with a keyword still names the topic
                generic_topics = [self.english.fact(self._order[best]).topic]
            return self.overview(generic_topics, float(scores[best]))
        chosen = [best]
        second = int(ranked[1]) if len(ranked) > 1 else None
        if second is not None and keywords[second] > 0 and scores[second] >= SECOND_FACT_RATIO * scores[best] \
                and self.facts[self._order[second]].answer != self.facts[self._order[best]].answer:
            chosen.append(second)
        ids = tuple(self._order[i] for i in chosen)
        return Answer("".join(self.facts[i].answer for i in ids), ids, self.english.fact(ids[0]).topic,
                      float(scores[best]))


_DAYS_ZH = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


def describe_hours_zh(hours: SupportHours) -> str:
    """E.g. "周一至周六,美东时间上午 8 点到晚上 8 点"."""
    days = sorted(hours.weekdays)
    if days == list(range(days[0], days[-1] + 1)) and len(days) > 2:
        day_text = f"{_DAYS_ZH[days[0]]}至{_DAYS_ZH[days[-1]]}"
    else:
        day_text = "、".join(_DAYS_ZH[d] for d in days)
    zone = "美东时间" if hours.timezone == "America/New_York" else (hours.timezone_label or hours.timezone)
    opens = _clock_zh(hours.opens.hour, hours.opens.minute)
    closes = _clock_zh(hours.closes.hour, hours.closes.minute)
    return f"{day_text},{zone}{opens}到{closes}"


def _clock_zh(hour: int, minute: int) -> str:
    period = "上午" if hour < 12 else "下午" if hour < 18 else "晚上"
    shown = hour if hour <= 12 else hour - 12
    return f"{period} {shown} 点" + (f" {minute} 分" if minute else "")


def numbers_in(text: str) -> set[str]:
    """The figures a text states, for checking a translation against its source."""
    return {n.replace(",", "") for n in re.findall(r"\d[\d,]*(?:\.\d+)?", text)}


def fact_pairs(knowledge: ChineseKnowledge) -> Sequence[tuple[str, str, str]]:
    """(id, English, Chinese) of every fact, topic overview and the fallback."""
    english = knowledge.english
    pairs = [(f.id, f.answer, knowledge.fact_text(f.id)) for f in english.facts]
    pairs += [(f"topic:{n}", t.overview, knowledge.overviews[n]) for n, t in english.topics.items()]
    pairs.append(("fallback", english.fallback, knowledge.fallback))
    return pairs
