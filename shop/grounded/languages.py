"""Everything about the grounded answers that depends on the shopper's language, in one place.

The pipeline (screen, retrieve, generate, guard) is the same for every language; a language brings
its passages (aligned with the English ones: same ids, same order), its BM25 tokenizer, how a data
sheet is cut to a question, how to tell that an answer answers it, and its fixed replies.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from re import Pattern

from shop.catalog import Catalog, Product
from shop.grounded import chinese, passages
from shop.grounded.passages import Passage
from shop.knowledge import KnowledgeBase

_WORD_RE = re.compile(r"[a-z0-9]+(?:[.-][a-z0-9]+)*")
_STOPWORDS = frozenset("""
a an the is are was were be been am do does did i me my you your we our it its this that these those
to of for on in at by with from and or but if so can could would should will may might must please
what which who how when where why have has had any some just about tell know there here me us
""".split())


def english_tokens(text: str) -> list[str]:
    words = _WORD_RE.findall(text.lower())
    # A light plural strip: "returns" finds "return", "days" finds "day"; model codes keep their s.
    return [w[:-1] if len(w) > 4 and w.endswith("s") and w[-2] != "s" and w.isalpha() else w
            for w in words if w not in _STOPWORDS]


@dataclass(frozen=True)
class AnswerLanguage:
    code: str
    tokens: Callable[[str], list[str]]
    focus: Callable[[Passage, str], str]
    header_aspects: tuple[tuple[Pattern[str], Pattern[str]], ...]
    # A product the question names in this language's own way (English names are matched for all).
    named_product: Callable[[Catalog, str], Product | None]
    # Whether a grounded answer also answers what was asked (the price for "how much"...).
    answers: Callable[[str, str, Passage], bool]

    def asks_listing(self, question: str) -> bool:
        """Whether the question asks a product's price, stock or rating (its sheet's header)."""
        return any(asked.search(question) for asked, _ in self.header_aspects)


def _no_name(catalog: Catalog, question: str) -> Product | None:
    return None


ENGLISH = AnswerLanguage("en", english_tokens, passages.focus, passages.HEADER_ASPECTS, _no_name,
                         passages.answers_question)
CHINESE = AnswerLanguage("zh", chinese.tokens, chinese.focus, chinese.HEADER_ASPECTS, chinese.named_product,
                         chinese.answers)
LANGUAGES: dict[str, AnswerLanguage] = {"en": ENGLISH, "zh": CHINESE}


def language(code: str | None) -> AnswerLanguage:
    """The shopper's language; anything unknown is answered in English."""
    return LANGUAGES.get(str(code or "en")[:2].lower(), ENGLISH)


def passages_in(code: str, knowledge: KnowledgeBase, catalog: Catalog,
                price: Callable[[float], str] | None = None) -> list[Passage]:
    """Every fact and product in the language ``code``, aligned with build_passages (English)."""
    if code == "zh":
        return chinese.passages(knowledge, catalog, price or (lambda dollars: f"${dollars:,.2f}"))
    return passages.build_passages(knowledge, catalog)


def available(knowledge: KnowledgeBase, catalog: Catalog) -> tuple[str, ...]:
    """The languages the shop's data has text for (Chinese needs both Chinese files)."""
    has_zh = knowledge.chinese is not None and any(p.name_zh for p in catalog.products)
    return ("en", "zh") if has_zh else ("en",)


_HAN = re.compile(r"[\u4e00-\u9fff]")


def written_in(text: str) -> str:
    """A fallback guess when the caller does not say: Chinese if it has Han characters."""
    return "zh" if _HAN.search(text or "") else "en"
