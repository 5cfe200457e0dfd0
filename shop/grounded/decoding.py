"""Decoding constraints that keep a language model to the facts in its prompt, applied while it writes.

A small model knows the shape of an answer ("The X costs $…") long before it learns to copy from its
context, so it writes a plausible price or a garbled product name and the guard has to throw the
whole answer away. Here, while the answer is written:

- a figure can only be one the facts contain (written digit by digit if need be), and an amount after
  "$" only one of the facts' amounts;
- a product name, once begun, is finished exactly as the facts spell it;
- no run of tokens comes twice (a loop).

The guard still checks everything else. Plain Python on token strings, so it is testable without
torch; ``lm.py`` applies it to the logits.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

_RUN_RE = re.compile(r"\d[\d,.]*")
_PARTIAL_RE = re.compile(r"\d[\d,.]*$")
_MONEY_RE = re.compile(r"\$\s?(\d[\d,.]*)")


def figures(texts: Iterable[str]) -> frozenset[str]:
    """Every figure as the texts write it ("1,299.99", "48", "3"), without trailing punctuation."""
    return frozenset(match.group().rstrip(".,") for text in texts for match in _RUN_RE.finditer(text))


def amounts(texts: Iterable[str]) -> frozenset[str]:
    """The figures written after a dollar sign ("1,299.99" of "$1,299.99")."""
    return frozenset(run.rstrip(".,") for text in texts for run in _MONEY_RE.findall(text))


class TokenIndex:
    """What each token of a vocabulary writes, grouped for the constraint; built once per model."""

    def __init__(self, token_texts: Sequence[str]) -> None:
        self.texts = list(token_texts)
        self.digit_ids = [i for i, text in enumerate(self.texts) if any(ch.isdigit() for ch in text)]
        # Tokens that can carry on a figure without a digit of their own: "1" + "," + "299".
        self.joiner_ids = [i for i, text in enumerate(self.texts)
                           if text[:1] in ",." and not any(ch.isdigit() for ch in text)]
        self.dollar_ids = [i for i, text in enumerate(self.texts) if "$" in text]
        self.by_first: dict[str, list[int]] = {}
        for i, text in enumerate(self.texts):
            if text:
                self.by_first.setdefault(text[0], []).append(i)


class AnswerConstraint:
    """Which tokens may come next in an answer grounded on ``facts`` that may name ``names``."""

    def __init__(self, tokens: TokenIndex | Sequence[str], facts: Sequence[str], names: Iterable[str] = ()) -> None:
        self.allowed = figures(facts)
        self.money = amounts(facts)
        self.names = tuple(name for name in names if name)
        self._prefixes = _prefixes(self.allowed)
        self._money_prefixes = _prefixes(self.money)
        index = tokens if isinstance(tokens, TokenIndex) else TokenIndex(tokens)
        self._texts = index.texts
        self.digit_ids, self.joiner_ids = index.digit_ids, index.joiner_ids
        self._dollar_ids, self._by_first = index.dollar_ids, index.by_first

    # -- what may come next ------------------------------------------------------------------------

    def only(self, generated: str) -> list[int] | None:
        """The only tokens that may follow ``generated``, or None when the choice is free: inside a
        product name only its next characters, inside an unfinished figure only more of it."""
        rest = self._name_rest(generated)
        if rest:
            return [i for i in self._by_first.get(rest[0], ()) if rest.startswith(self._texts[i])
                    or self._texts[i].startswith(rest)] or None
        if self._must_continue(generated) or (self.money and _after_dollar(generated)):
            return self.digit_ids + self.joiner_ids
        return None

    def banned(self, generated: str) -> list[int]:
        """Tokens that would write a figure the facts do not contain."""
        match = _PARTIAL_RE.search(generated)
        partial = match.group() if match else ""
        # An amount begun before this token ("$1,2" + "99") or right after a dollar sign ("$" + "1").
        money = _after_dollar(generated[:match.start()] if match else generated)
        candidates = self.digit_ids + (self.joiner_ids if partial else [])
        banned = [i for i in candidates if not self._fits(partial + self._texts[i], money)]
        if not self.money:  # no amount to copy: no dollar sign either
            banned += self._dollar_ids
        return banned

    # -- helpers -----------------------------------------------------------------------------------

    def _name_rest(self, generated: str) -> str:
        """What is left to write of a name the answer has begun ("Apple iPhone 15" of its full name).

        A name counts as begun once its first word and one more character are written."""
        for name in self.names:
            first_word = len(name.split(" ", 1)[0])
            for start in range(max(0, len(generated) - len(name)), len(generated) - first_word):
                if (start == 0 or not generated[start - 1].isalnum()) and name.startswith(generated[start:]):
                    return name[len(generated) - start:]
        return ""

    def _must_continue(self, generated: str) -> bool:
        partial = _PARTIAL_RE.search(generated)
        if partial is None:
            return False
        money = _after_dollar(generated[:partial.start()])
        allowed, prefixes = (self.money, self._money_prefixes) if money else (self.allowed, self._prefixes)
        return not _complete(partial.group(), allowed, prefixes)

    def _fits(self, tail: str, money_first: bool) -> bool:
        for match in _RUN_RE.finditer(tail):
            run = match.group()
            money = money_first if match.start() == 0 else _after_dollar(tail[:match.start()])
            allowed, prefixes = (self.money, self._money_prefixes) if money else (self.allowed, self._prefixes)
            if match.end() == len(tail):
                # Still being written ("1,2" of "1,299.99"), or done and followed by a full stop.
                if run in prefixes or (run[-1] in ".," and run.rstrip(".,") in allowed):
                    continue
                return False
            if not _complete(run, allowed, prefixes):
                return False
        return True


def repeated_ngram_bans(generated_ids: Sequence[int], size: int) -> set[int]:
    """Tokens that would write an n-gram of ``size`` tokens a second time in the answer.

    Unlike transformers' ``no_repeat_ngram_size`` this looks at the answer only: copying a phrase
    from the facts is the point, saying it twice is a loop.
    """
    if size <= 0 or len(generated_ids) < size - 1:
        return set()
    ids = list(generated_ids)
    head = tuple(ids[len(ids) - size + 1:]) if size > 1 else ()
    return {ids[i + size - 1] for i in range(len(ids) - size + 1) if tuple(ids[i:i + size - 1]) == head}


def _complete(run: str, allowed: frozenset[str], prefixes: frozenset[str]) -> bool:
    """Whether a written figure is one of the facts'; "4." where the facts say "4.6" is not done."""
    return run.rstrip(".,") in allowed and not (run.endswith(".") and run in prefixes)


def _after_dollar(text: str) -> bool:
    return text.rstrip().endswith("$")


def _prefixes(figures_: Iterable[str]) -> frozenset[str]:
    return frozenset(figure[:end] for figure in figures_ for end in range(1, len(figure) + 1))
