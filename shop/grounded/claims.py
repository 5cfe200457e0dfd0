"""Claim-level support: every sentence of a generated answer must be backed by ONE sentence of the
grounding as a whole, not by figures and words scattered over several.

Checking figures one by one let "Standard shipping takes 1–2 business days and costs $14.99." through
for a question about same-day dispatch: every figure is in the passages, but they are express
shipping's. Here a claim (one sentence of the answer) is held against the units of the grounding:

- a policy unit is one sentence of a fact, in clauses (";" and ", and"/", but"); each clause of the
  claim must be backed by one clause of the same sentence: its figures with their units ("2 years"
  is not "2 days"), the shop's words it uses (what a figure belongs to: "standard" vs "express",
  "free" vs "$6.95" with their conditions), read with the sentence's subject ("Standard shipping"
  reaches its second clause, "on smaller orders it costs $4.99"), and the same polarity (a clause
  that says "can no longer be cancelled" never backs "can be cancelled");
- a product unit is one product's data sheet, in pieces (header, description sentences, one spec
  each); the claim's product-name words and model codes must be that product's (the 64GB sheet never
  backs "the 256GB"), and each figure with the words around it one piece of it ("8GB of RAM" is not
  "8GB of storage").

Words outside the shop's vocabulary (the question's own words, glue like "costs") are left to the
wording check of guard.py. Works for English and Chinese: Chinese is read in characters and
character bigrams, clauses split at "；" and "。".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from shop.grounded.guard import durations, money, numbers
from shop.grounded.passages import Passage

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
_WORD = re.compile(r"[a-z][a-z'’-]*")
# Model codes and variants: "S24", "8a", "128GB", "WH-CH720N", "M5".
_CODE = re.compile(r"\b(?=[a-z0-9-]*\d)(?=[a-z0-9-]*[a-z])[a-z0-9]+(?:-[a-z0-9]+)*\b", re.I)
# Sentence ends: ". " before a capital/non-digit (not "4.5"), "!" "?", and the Chinese marks.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=\S)|(?<=[。！？!?])")
_EN_CLAUSE = re.compile(r";\s*|,\s+(?:and|but|so|while)\s+|\s+but\s+")
_ZH_CLAUSE = re.compile(r"[;；]\s*")
# What a sentence's first clause is about ends at its first verb: "Standard shipping | is free…".
_VERBS = frozenset("""is are takes take costs cost can comes come adds add send sends accept accepts deliver
delivers ship ships go goes drops drop match matches has have will we'll get gets be""".split())
# Words a claim may use whatever its unit says: how answers are phrased, not what they state.
_GLUE_EN = frozenset("""yes sorry right now also just that this with which your it's does will would there here
they them their costs cost comes come have rated customers customer about only sure great
buyers available""".split()) | _VERBS
_GLUE_ZH = frozenset(["是的", "抱歉", "目前", "我们", "您的", "可以", "这款", "配备", "支持", "售价", "价格", "有货",
                      "顾客", "评分", "现货"])
_STOPWORDS = frozenset("""the and for you are has can its our any all not was per who how why but her his she
him get got one out off yes did may its it's let via""".split())
_NEGATION_EN = re.compile(r"\b(not|no|never|cannot|can't|don't|doesn't|won't|isn't|aren't|without|none|only|"
                          r"no longer)\b|n't\b", re.I)
# "无" negates, but not in "无线" (wireless), "无反" (mirrorless) or "无人机" (a drone).
_NEGATION_ZH = re.compile(r"不|无法|没有|只有|只能|仅|无(?![线反人])")


def is_chinese(text: str) -> bool:
    return bool(_HAN.search(text))


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text or "") if s and s.strip()]


def clauses(sentence: str) -> list[str]:
    splitter = _ZH_CLAUSE if is_chinese(sentence) else _EN_CLAUSE
    return [c.strip(" ,.;。") for c in splitter.split(sentence) if c.strip(" ,.;。")]


def _stem(word: str) -> str:
    return word[:5]


def words(text: str) -> set[str]:
    """Content words (English, cut to five letters so "resistant" meets "resistance") and Chinese
    character bigrams."""
    lowered = text.lower()
    found = {_stem(w) for w in _WORD.findall(lowered) if len(w) > 2 and w not in _STOPWORDS}
    for run in _HAN_RUN.findall(lowered):
        found |= {run[i:i + 2] for i in range(len(run) - 1)}
    return found


def _glue(word: str) -> bool:
    return word in _GLUE_ZH or any(_stem(g) == word for g in _GLUE_EN)


def negated(text: str) -> bool:
    return bool((_NEGATION_ZH if is_chinese(text) else _NEGATION_EN).search(text))


@dataclass(frozen=True)
class Figures:
    amounts: frozenset[str]
    values: frozenset[str]
    measures: frozenset[tuple[str, str]]

    @classmethod
    def of(cls, text: str) -> Figures:
        # "2 pm" and "2 点" are the same clock time; "5–7" is one figure with both ends.
        return cls(frozenset(money(text)), frozenset(numbers(text)), frozenset(durations(text)))

    def within(self, other: Figures) -> bool:
        return self.amounts <= other.amounts and self.values <= other.values and self.measures <= other.measures

    def __bool__(self) -> bool:
        return bool(self.amounts or self.values)


@dataclass(frozen=True)
class Unit:
    """One sentence of the grounding (a policy sentence, or a product's whole data sheet)."""

    passage_id: str
    pieces: tuple[str, ...]       # clauses of a policy sentence; header, sentences and specs of a sheet
    subject: str = ""             # words every piece is read with: a sentence's subject, a sheet's title
    title: str = ""               # a product's name ("" for policies)

    def supports(self, claim: str, vocabulary: set[str]) -> str | None:
        """None when the unit backs the whole claim; otherwise what it cannot back."""
        text = claim
        if self.title:
            # The product's own name says which sheet, not what it states ("Pixel 8a 128GB has 8GB of RAM").
            if not _names_this_product(claim, self):
                return "names another product"
            text = _without_name(claim, self.title, self.subject)
        subject_words = words(self.subject)
        parts = clauses(text)
        if not self.title and parts and subject_words:
            # What the claim is about must be what the sentence is about: "If the price of an item
            # adds 2 years of coverage" borrows the protection plan's words for another subject.
            about = {w for w in words(_subject(parts[0])) if w in vocabulary and not _glue(w)}
            if not about <= subject_words:
                return parts[0]
        if self.title:
            # A sheet states each spec apart: "has a 120Hz refresh rate and 8GB of RAM" is two claims.
            # A Chinese sheet lists its specs between commas, as its pieces do ("4,492" stays whole).
            parts = [p for part in parts
                     for p in re.split(_AND + (_ZH_COMMA if is_chinese(part) else ""), part) if p.strip(" ,.;。")]
        for part in parts:
            if not any(_piece_backs(part, piece, subject_words, vocabulary) for piece in self.pieces):
                return part
        return None


# A figure and what it measures: "8GB of RAM" -> ("8", "gb", "ram"); "2 年保修" -> ("2", "", "年保").
_FIGURE = r"(?<![\w.])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_UNIT = r"(gb|tb|mb|mp|hz|mah|mm|ft|lb|w|k|%|am|pm|x\d+|-inch|-core|-year|-day)?"
_ATTACHED_EN = re.compile(_FIGURE + r"\s?" + _UNIT + r"(?:\s+(?:of|a|an|the|in|by))*\s+([a-z][a-z-]{2,})")
_ATTACHED_ZH = re.compile(_FIGURE + r"\s?" + _UNIT + r"\s*([\u4e00-\u9fff]{2})")


def attachments(text: str) -> set[tuple[str, str, str]]:
    lowered = text.lower()
    found = {(n.replace(",", ""), u, _stem(w)) for n, u, w in _ATTACHED_EN.findall(lowered)}
    return found | {(n.replace(",", ""), u, w) for n, u, w in _ATTACHED_ZH.findall(lowered)}


_AND = r"\s+and\s+|\s*和\s*"
_ZH_COMMA = r"|(?<!\d),|,(?!\d)|\uff0c"


def _piece_backs(part: str, piece: str, subject_words: set[str], vocabulary: set[str]) -> bool:
    if not Figures.of(part).within(Figures.of(piece)):
        return False
    # Each figure with the shop's word it measures, as the piece pairs them ("8GB of storage" is not
    # backed by "128GB of storage and 8GB of RAM").
    attached = {a for a in attachments(part) if a[2] in vocabulary and not _glue(a[2])}
    if not attached <= attachments(piece):
        return False
    if negated(part) != negated(piece):
        return False
    shop_words = {w for w in words(part) if w in vocabulary and not _glue(w)}
    return shop_words <= words(piece) | subject_words


def _codes(text: str) -> set[str]:
    return {c.lower() for c in _CODE.findall(text)}


def _names_this_product(claim: str, unit: Unit) -> bool:
    """Every model code and variant the claim writes ("S24", "256GB", "WH-1000XM5") is one this
    product's sheet writes: the 64GB sheet never backs "the 256GB"."""
    own = _codes(unit.title) | _codes(unit.subject) | {c for piece in unit.pieces for c in _codes(piece)}
    return not _codes(claim) - own


# What a name taken out of a claim leaves: a mark, so that the words around it are not read as one
# ("4K" and "智能电视" of "55 英寸 4K Mini-LED 智能电视" are not "4K 智能电视").
_GAP = " · "


def _without_name(claim: str, title: str, subject: str) -> str:
    """The claim with the product's name taken out (the longest runs of the title's words it
    writes: "Pixel 8a 128GB" of "Google Pixel 8a 128GB"), so its figures are the specs' ("has 8GB of
    RAM") and the 128GB of its name never backs "8GB of storage"."""
    text = claim
    for name in (title, subject):
        if name:
            text = text.replace(name, _GAP)
        tokens = [t.strip("(),") for t in name.split() if t.strip("(),")]
        for length in range(len(tokens), 0, -1):
            for start in range(len(tokens) - length + 1):
                run = " ".join(tokens[start:start + length])
                if length == 1 and (len(run) < 3 or re.fullmatch(r"\d+(?:gb|tb)", run, re.I)):
                    continue  # a lone "128GB" may be a spec ("has 128GB of storage")
                # Not out of a hyphenated word: "Noise" of the name is not the "Noise" of "Noise-cancelling".
                text = re.sub(r"(?<![\w.-])" + re.escape(run) + r"(?![\w-])", _GAP, text, flags=re.I)
    return text


def policy_units(passage: Passage) -> list[Unit]:
    units = []
    for sentence in sentences(passage.text):
        parts = clauses(sentence)
        units.append(Unit(passage.passage_id, tuple(parts), _subject(parts[0]) if parts else ""))
    return units


def _subject(first_clause: str) -> str:
    if is_chinese(first_clause):
        return ""  # Chinese facts repeat their subject in each "；" clause
    head = []
    for word in first_clause.split():
        if word.lower().strip(",") in _VERBS:
            break
        head.append(word)
    return " ".join(head)


def product_unit(passage: Passage, subject: str = "") -> Unit:
    pieces = tuple(p for piece in passage.pieces() for p in ([piece] + clauses(piece)))
    return Unit(passage.passage_id, pieces, subject, passage.title)


def units_of(passages: Iterable[Passage]) -> list[Unit]:
    units: list[Unit] = []
    for passage in passages:
        if passage.kind == "product":
            units.append(product_unit(passage))
        else:
            units.extend(policy_units(passage))
    return units


def vocabulary_of(passages: Iterable[Passage]) -> set[str]:
    """The shop's own words: a claim that uses one must find it in the unit that backs it."""
    found: set[str] = set()
    for passage in passages:
        found |= words(passage.text)
    return found


def unsupported_claims(answer: str, units: Sequence[Unit], vocabulary: set[str]) -> list[str]:
    """The sentences of ``answer`` that no single unit backs whole (empty: every claim is backed)."""
    failed = []
    for claim in sentences(answer):
        if not any(unit.supports(claim, vocabulary) is None for unit in units):
            failed.append(claim)
    return failed
