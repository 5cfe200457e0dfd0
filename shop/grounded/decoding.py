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


# -- copying ---------------------------------------------------------------------------------------
# A small model learns the shape of an answer long before it learns to copy from its context: its
# drafts join true words of the facts in the wrong order ("We original packaging.", "Standard
# shipping takes 1."), and the guard refuses most of them. Copy decoding lets it write only what the
# answers it was trained on (shop.grounded.corpus) are made of: phrases copied from the facts in
# front of it, each begun where a sentence, clause or spec of the facts begins (or after "rated")
# and ended where one ends, a product's name whole, and the templates' own words between them in
# the templates' order ("The " + name + " costs " + "$799.99" + "."). The model still chooses which
# phrases, in which order, and where to stop; the guard still checks the result.
OPENINGS = ("The ", "Yes, the ", "No, the ", "Sorry, the ", "有货,", "抱歉,")  # only first, only before a name
# LINKS go between a name or phrase and a phrase; CLOSINGS end one.
LINKS = (" costs ", " is in stock (", " has ", " and ", " and has ", " It costs ", " ", ":")
RATED = (" is rated ",)  # only before the rating itself ("4.6/5 by 350 customers")
CLOSINGS = (".", ")", "。", " is out of stock right now.", "暂时缺货。")
# What may follow what: a piece of each kind, by the kind of the piece before it.
_FOLLOWS = {
    "start": ("open", "name", "phrase"),
    "open": ("name",),
    "name": ("link", "rated", "close", "phrase"),   # a Chinese name runs straight on: "…128GB售价 $799.99"
    "phrase": ("link", "close"),
    "rating": ("link", "close"),
    "link": ("phrase", "name"),
    "rated": ("rating",),
    "close": ("close", "link"),
}
# Where a copied phrase may begin besides the start of a fact: after a sentence's or clause's
# punctuation and a space, after Chinese punctuation; a rating after "rated " (of a sheet's header).
_SPAN_START = re.compile(r"(?<=[.;:,!?(]\s)|(?<=[(])|(?<=[,;:。!?、()\uff0c\uff1b\uff1a])")
_RATING_START = re.compile(r"(?<=\brated\s)")


_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_PHRASE_END = re.compile(r"[.,;:!?()\u3002\uff0c\uff1b\uff1a\u3001\uff08\uff09]")


def _byte_decoder() -> dict[str, int]:
    """GPT-2's byte-level BPE writes each byte as a printable character; this undoes it."""
    printable = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + \
        list(range(ord("®"), ord("ÿ") + 1))
    chars = printable[:]
    extra = 0
    for byte in range(256):
        if byte not in printable:
            printable.append(byte)
            chars.append(256 + extra)
            extra += 1
    return {chr(c): b for b, c in zip(printable, chars, strict=True)}


def token_bytes(tokens: Sequence[str], decoded: Sequence[str]) -> list[bytes]:
    """Each token's bytes: exact for a byte-level BPE (``tokens`` are its raw token strings), else
    the token's decoded text in UTF-8 (a sentencepiece model: nearly always whole characters)."""
    table = _byte_decoder()
    out = []
    for raw, text in zip(tokens, decoded, strict=True):
        if raw and all(ch in table for ch in raw):
            out.append(bytes(table[ch] for ch in raw))
        else:
            out.append(text.encode("utf-8", "replace"))
    return out


# Copying any run of this many bytes a second time is a loop (three-letter words and their spaces);
# a short one ("and ", " the ") may well come twice.
REPEAT_BYTES = 12


class CopyConstraint:
    """Which byte strings may extend an answer made of copied phrases, names and template words.

    A nondeterministic automaton over the answer's bytes: each state is inside a copied phrase (a
    text and a position in it), inside a template word, or between pieces (with the kind of the
    piece before). Kept per answer prefix, so each generation step only advances it by the new
    token and tries the candidates from there."""

    def __init__(self, facts: Sequence[str], names: Iterable[str] = ()) -> None:
        names = [n for n in dict.fromkeys(names) if n]
        texts = [t for t in dict.fromkeys(facts) if t]
        self._texts = [t.encode("utf-8") for t in texts] + [n.encode("utf-8") for n in names]
        self._is_name = [False] * len(texts) + [True] * len(names)
        # The templates' words of the facts' language only: no "。" after an English answer.
        chinese = any(_HAN.search(t) for t in texts)
        self._glue = [(kind, g.encode("utf-8")) for kind, words in (("open", OPENINGS if names else ()),
                      ("link", LINKS), ("rated", RATED), ("close", CLOSINGS)) for g in words
                      if (_HAN.search(g) or "。" in g) and chinese or re.search("[A-Za-z]", g) and not chinese
                      or not (_HAN.search(g) or "。" in g or re.search("[A-Za-z]", g))]
        self._ends: list[bytearray] = []           # ends[f][i]: a phrase may stop after i bytes of text f
        self._starts: dict[tuple[str, int], list[tuple[int, int]]] = {}   # (kind, first byte) -> (text, at)
        for f, text in enumerate([*texts, *names]):
            offsets, ends = _byte_offsets(text), bytearray(len(self._texts[f]) + 1)
            if not self._is_name[f]:
                # A phrase ends where its clause does: "An order can be cancelled" of "… cancelled
                # only while it's still processing" says the opposite of its fact.
                for i in range(1, len(text)):
                    if _PHRASE_END.match(text[i]) and not _inside_word(text, i):
                        ends[offsets[i]] = 1
            ends[len(self._texts[f])] = 1
            self._ends.append(ends)
            points = [("name", 0)] if self._is_name[f] else \
                [("phrase", 0), *(("phrase", m.start()) for m in _SPAN_START.finditer(text)),
                 *(("rating", m.start()) for m in _RATING_START.finditer(text))]
            for kind, match in points:
                if match < len(text) and not text[match].isspace():
                    position = offsets[match]
                    self._starts.setdefault((kind, _lower(self._texts[f][position])), []).append((f, position))
        self._initial = frozenset({("b", "start")})
        self._cache: dict[bytes, frozenset] = {b"": self._initial}

    def state(self, written: bytes) -> frozenset:
        """The automaton's states after ``written`` (empty: the answer cannot go on like this).
        Each answer prefix's states are kept (a beam search extends several), so a step only reads
        the newest token's bytes."""
        cut = next((n for n in range(len(written), -1, -1) if written[:n] in self._cache), 0)
        states = self._cache.get(written[:cut], self._initial)
        for byte in written[cut:]:
            states = self._step(states, byte)
            if not states:
                break
        if len(self._cache) > 4096:
            self._cache = {b"": self._initial}
        self._cache[written] = states
        return states

    def allows(self, states: frozenset, piece: bytes) -> bool:
        for byte in piece:
            states = self._step(states, byte)
            if not states:
                return False
        return True

    def fresh(self, written: bytes, piece: bytes) -> bool:
        """Whether ``written + piece`` copies nothing a second time ("…Apple Pay and Google Pay and
        Apple Pay and Google Pay"): its last REPEAT_BYTES bytes are not earlier in it, unless the facts
        say them twice themselves."""
        text = written + piece
        tail = text[-REPEAT_BYTES:]
        if len(text) <= REPEAT_BYTES or tail not in text[:-1]:
            return True
        return any(fact.count(tail) > 1 for fact in self._texts)

    def can_end(self, states: frozenset, written: bytes) -> bool:
        """After a whole piece, at a sentence's end: "…costs $799.99." or "…现货 19 件。"."""
        return any(s[0] == "b" and s[1] != "start" for s in states) and \
            written.rstrip().endswith((b".", b"!", b"?", "。".encode(), b")"))

    def _step(self, states: frozenset, byte: int) -> frozenset:
        moved = set()
        for state in states:
            if state[0] == "b":
                follows = _FOLLOWS[state[1]]
                moved.update(("g", g, 1) for g, (kind, glue) in enumerate(self._glue)
                             if kind in follows and glue[0] == byte)
                for kind in ("name", "phrase", "rating"):
                    if kind in follows:
                        moved.update(("s", f, at + 1, kind) for f, at in self._starts.get((kind, _lower(byte)), ()))
            elif state[0] == "g":
                _, g, i = state
                glue = self._glue[g][1]
                if i < len(glue) and glue[i] == byte:
                    moved.add(("g", g, i + 1))
            else:
                _, f, i, kind = state
                if i < len(self._texts[f]) and self._texts[f][i] == byte:
                    moved.add(("s", f, i + 1, kind))
        return self._closure(moved)

    def _closure(self, states: set) -> frozenset:
        out = set(states)
        for state in states:
            if state[0] == "g" and state[2] == len(self._glue[state[1]][1]):
                out.add(("b", self._glue[state[1]][0]))
            elif state[0] == "s" and self._ends[state[1]][state[2]]:
                out.add(("b", state[3]))
        return frozenset(out)


def _inside_word(text: str, i: int) -> bool:
    """Whether a copied phrase would stop inside a word or a figure before ``text[i]``: between two
    letters or digits (a run of Chinese characters too), or within "1,299.99", "5–7", "4.5/5"."""
    before, here = text[i - 1], text[i]
    if (before.isalnum() or before in "$¥") and here.isalnum():
        return True  # "$" and its amount are one figure
    after = text[i + 1] if i + 1 < len(text) else ""
    if here in ".,/–-" and before.isdigit() and after.isdigit():
        return True
    return before in ".,/–-" and here.isdigit() and i >= 2 and text[i - 2].isdigit()


def _lower(byte: int) -> int:
    return byte + 32 if 65 <= byte <= 90 else byte


def _byte_offsets(text: str) -> list[int]:
    """Where each character of ``text`` starts in its UTF-8 bytes."""
    offsets, at = [], 0
    for ch in text:
        offsets.append(at)
        at += len(ch.encode("utf-8"))
    return offsets
