"""Checks a generated answer against the passages it was given before a shopper sees it.

An answer passes only if every figure (prices, numbers, durations), every name-like word, every
policy word (refunds, discounts, free, delivery…) and every negation it contains is backed by the
evidence, and if it reads like an answer rather than a loop. Anything else is not sent.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

_MONEY_RE = re.compile(
    r"(?:\$|usd\s*|us\$)\s*(\d[\d,]*(?:\.\d+)?)|(\d[\d,]*(?:\.\d+)?)\s*(?:dollars|usd|bucks)\b", re.I)
_NUMBER_RE = re.compile(r"\d[\d,]*(?:\.\d+)?")
_WORDED_NUMBERS = {
    "zero": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
    "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "fifteen": "15", "twenty": "20",
    "thirty": "30", "forty": "40", "fifty": "50", "sixty": "60", "ninety": "90", "hundred": "100",
    "half": "0.5", "once": "1", "twice": "2", "single": "1", "double": "2", "triple": "3",
}
_UNITS = {
    "day": "day", "days": "day", "business": "day", "week": "week", "weeks": "week", "month": "month",
    "months": "month", "year": "year", "years": "year", "hour": "hour", "hours": "hour", "minute": "minute",
    "minutes": "minute", "%": "percent", "percent": "percent", "am": "clock", "pm": "clock",
}
# A figure with what it counts: "19 in stock", "by 350 customers", "4.5/5". The "2" of "2TB" is a
# real figure of the sheet, but "2 in stock" is not.
_COUNT_RE = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(in stock|customers|reviews|/\s*5\b)", re.I)
_RATED_RE = re.compile(r"\brated\s+(\d(?:\.\d+)?)", re.I)  # "rated 4.6" says what 4.6 is
_DURATION_RE = re.compile(r"(\d[\d,]*(?:\.\d+)?)(?:\s*[–-]\s*\d+)?\s*-?\s*(%|[a-z]+)", re.I)
# Words that make a promise about money, delivery or policy; an answer may use them only if the
# evidence does, so the model cannot hand out refunds, discounts or delivery dates.
_POLICY_WORDS = frozenset("""
refund refunds refunded refundable reimburse reimbursed compensation compensate discount discounts discounted
coupon coupons voucher vouchers promo promotion code codes free freebie cashback credit credits sale
off guarantee guaranteed guarantees warranty warranties replace replacement exchange return returns returned
returnable cancel cancelled canceled cancellation deliver delivered delivery deliveries ship shipped shipping
express overnight tomorrow today tonight weekend same-day next-day price-match match matching instalments
installments interest-free waive waived exception exceptions lifetime unlimited
""".split())
_NEGATIONS = frozenset("not no never cannot can't don't doesn't won't isn't aren't only without none nothing".split())
_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_SENTENCE_START_RE = re.compile(r"(?:^|[.!?:]\s+)([A-Z][A-Za-z'’-]*)")
# Capitalised words that carry no claim ("Yes, the…", "Sorry"), allowed even if the evidence lacks them.
_HARMLESS_CAPITALS = frozenset("i yes no sorry the a an it its this that our we you your sure hi hello".split())
MAX_ANSWER_CHARS = 600


@dataclass(frozen=True)
class Verdict:
    ok: bool
    problems: tuple[str, ...] = field(default_factory=tuple)


def _normalize_number(text: str) -> str:
    value = text.replace(",", "")
    if "." in value:
        value = value.rstrip("0").rstrip(".")
    return value or "0"


def numbers(text: str) -> set[str]:
    found = {_normalize_number(n) for n in _NUMBER_RE.findall(text)}
    found |= {_WORDED_NUMBERS[w] for w in re.findall(r"[a-z]+", text.lower()) if w in _WORDED_NUMBERS}
    return found


def money(text: str) -> set[str]:
    return {_normalize_number(a or b) for a, b in _MONEY_RE.findall(text)}


def durations(text: str) -> set[tuple[str, str]]:
    return {(_normalize_number(n), _UNITS[u.lower()]) for n, u in _DURATION_RE.findall(text) if u.lower() in _UNITS}


def counts(text: str) -> set[tuple[str, str]]:
    return {(_normalize_number(n), " ".join(what.lower().split())) for n, what in _COUNT_RE.findall(text)}


def _bare_counts(answer: str, source: str) -> set[str]:
    """Figures that the evidence has only as counts ("1,215 customers", "19 in stock") but the answer
    states without saying what they count ("has Core i7, 1,215, 32GB of RAM")."""
    only_counts = {n for n, _ in counts(source)} - numbers(_COUNT_RE.sub(" ", source))
    stated = {n for n, _ in counts(answer)} | {_normalize_number(n) for n in _RATED_RE.findall(answer)}
    return (numbers(answer) & only_counts) - stated


def _words(text: str) -> set[str]:
    return {w.lower().replace("’", "'") for w in _WORD_RE.findall(text)}


def _name_words(text: str) -> set[str]:
    """Capitalised words that do not start a sentence: brand, product and place names."""
    starts = {m.group(1) for m in _SENTENCE_START_RE.finditer(text)}
    names = set()
    for match in re.finditer(r"\b[A-Z][A-Za-z0-9'’-]*", text):
        word = match.group(0)
        if word in starts and match.start() in {m.start(1) for m in _SENTENCE_START_RE.finditer(text)}:
            continue
        names.add(word.lower())
    return names - _HARMLESS_CAPITALS


def _complete(text: str) -> bool:
    """A finished sentence: closing punctuation, balanced brackets, not ending on a bare number
    ("…has 10." is a cut-off figure, not a claim)."""
    text = text.strip()
    # A Chinese sentence ends with its own full stop ("…现货 19 件。").
    return (text.endswith((".", "!", "?", "。", "！", "？")) and text.count("(") == text.count(")")
            and not re.search(r"\b(has|have|a|an|is|of|costs?|by|to|and|with|at)\s+\d[\d,.]*[.!?]$", text))


def _repetitive(text: str) -> bool:
    """A loop: a word twice in a row ("can can"), or a pair of content words said twice ("American
    Express"); "in stock (19 in stock)" is how a stock answer reads."""
    # Chinese runs count as words: "满 $49 免…;不满 $49 的…" says $49 twice, not "$49 $49".
    words = [w.rstrip(".,") for w in re.findall(r"[a-z0-9$][a-z0-9$.,/'’-]*|[\u4e00-\u9fff]+", text.lower())]
    pairs = list(zip(words, words[1:], strict=False))
    content = [pair for pair in pairs if min(len(pair[0]), len(pair[1])) >= 4]
    return any(a == b for a, b in pairs) or len(set(content)) < len(content)


def check(answer: str | None, evidence: Sequence[str], question: str = "") -> Verdict:
    """Whether ``answer`` may be sent, given the passages it must be grounded on."""
    if not answer or len(answer.strip()) < 8:
        return Verdict(False, ("empty or too short",))
    if len(answer) > MAX_ANSWER_CHARS:
        return Verdict(False, ("too long",))
    if _repetitive(answer):
        return Verdict(False, ("repetitive",))
    if not _complete(answer):
        return Verdict(False, ("unfinished sentence",))
    source = " ".join(evidence)
    problems: list[str] = []
    _missing(problems, "price", money(answer) - money(source))
    _missing(problems, "number", numbers(answer) - numbers(source))
    _missing(problems, "duration", {f"{n} {u}" for n, u in durations(answer) - durations(source)})
    _missing(problems, "count", {f"{n} {what}" for n, what in counts(answer) - counts(source)})
    _missing(problems, "bare count", _bare_counts(answer, source))
    source_words = _words(source)
    all_names = {w.lower() for w in re.findall(r"\b[A-Z][A-Za-z0-9'’-]*", source)} | source_words
    _missing(problems, "name", {w for w in _name_words(answer) if w not in all_names})
    answer_words = _words(answer)
    _missing(problems, "policy word", (answer_words & _POLICY_WORDS) - source_words)
    _missing(problems, "negation", _negations(answer_words) - _negations(source_words))
    # The remaining words may come from the evidence or from the question ("good for photography").
    content = {w for w in answer_words if len(w) > 3}
    unsupported = content - source_words - _words(question) - _stems(source_words)
    if content and len(unsupported) > max(2, 0.25 * len(content)):
        problems.append(f"unsupported wording: {', '.join(sorted(unsupported)[:5])}")
    return Verdict(not problems, tuple(problems))


def _negations(words: Iterable[str]) -> set[str]:
    # "can't" and "cannot" say the same; what matters is that the evidence negates too.
    return {"negation" for w in words if w in _NEGATIONS or w.endswith("n't")} | ({"only"} & set(words))


def _stems(words: set[str]) -> set[str]:
    """Inflections of the evidence's words count as supported ("returned" for "return")."""
    out = set()
    for word in words:
        for suffix in ("", "s", "es", "ed", "d", "ing", "ly"):
            out.add(word + suffix)
        if word.endswith("e"):
            out.add(word[:-1] + "ing")
    return out


def _missing(problems: list[str], kind: str, items: Iterable[str]) -> None:
    items = sorted(items)
    if items:
        problems.append(f"unsupported {kind}: {', '.join(items[:5])}")
