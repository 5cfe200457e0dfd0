"""The product catalogue: loading, category/brand normalisation, filtered search and name look-up."""

from __future__ import annotations

import difflib
import json
import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from shop.zh_terms import BRAND_ALIASES_ZH, BRANDS_ZH, CATEGORY_TERMS_ZH

CATEGORIES: tuple[str, ...] = (
    "phones", "laptops", "tablets", "headphones", "smartwatches", "cameras", "tvs", "accessories",
)
BRANDS_BY_CATEGORY: dict[str, tuple[str, ...]] = {
    "phones": ("Apple", "Samsung", "Google", "OnePlus", "Motorola", "Xiaomi", "Sony"),
    "laptops": ("Apple", "Dell", "HP", "Lenovo", "Asus", "Acer", "Microsoft", "Razer"),
    "tablets": ("Apple", "Samsung", "Lenovo", "Amazon", "Microsoft"),
    "headphones": ("Sony", "Bose", "Apple", "Sennheiser", "JBL", "Beats", "Jabra", "Anker"),
    "smartwatches": ("Apple", "Samsung", "Garmin", "Fitbit", "Google", "Amazfit"),
    "cameras": ("Canon", "Nikon", "Sony", "Fujifilm", "GoPro", "Panasonic", "DJI"),
    "tvs": ("Samsung", "LG", "Sony", "TCL", "Hisense", "Vizio"),
    "accessories": ("Anker", "Belkin", "Logitech", "Samsung", "Apple", "Spigen", "SanDisk"),
}
BRANDS: tuple[str, ...] = tuple(dict.fromkeys(b for brands in BRANDS_BY_CATEGORY.values() for b in brands))

# Anything longer than this is not a category, brand or product mention; only its start is read.
_MAX_TEXT = 300

# Strong synonyms decide on their own; weak ones ("watch", "mobile") only when nothing strong is said,
# so that "I want to watch tv" is about TVs. Accessory words beat device words: "a case for my phone".
_STRONG_SYNONYMS: dict[str, tuple[str, ...]] = {
    "phones": ("phone", "phones", "smartphone", "smartphones", "smart phone", "smart phones", "mobile phone",
               "mobile phones", "cell phone", "cell phones", "cellphone", "cellphones", "iphone", "iphones",
               "android phone", "android phones", "handset"),
    "laptops": ("laptop", "laptops", "notebook", "notebooks", "macbook", "macbooks", "chromebook", "chromebooks",
                "ultrabook", "ultrabooks", "computer", "computers", "gaming laptop"),
    "tablets": ("tablet", "tablets", "ipad", "ipads", "android tablet", "fire tablet"),
    "headphones": ("headphone", "headphones", "earbud", "earbuds", "ear buds", "headset", "headsets", "earphone",
                   "earphones", "airpods", "in ear", "over ear", "earpods"),
    "smartwatches": ("smartwatch", "smartwatches", "smart watch", "smart watches", "fitness tracker",
                     "fitness trackers", "fitness band", "activity tracker", "apple watch", "galaxy watch",
                     "pixel watch", "wearable", "wearables"),
    "cameras": ("camera", "cameras", "dslr", "mirrorless", "action camera", "action cam", "gopro", "drone", "drones",
                "camcorder", "vlogging camera"),
    "tvs": ("tv", "tvs", "television", "televisions", "telly", "oled tv", "smart tv", "4k tv", "tv set", "qled tv"),
    "accessories": ("accessory", "accessories", "charger", "chargers", "cable", "cables", "phone case",
                    "phone cases", "power bank", "power banks", "powerbank", "mouse", "mice", "keyboard",
                    "keyboards", "memory card", "memory cards", "sd card", "microsd", "micro sd", "portable ssd",
                    "ssd", "usb hub", "screen protector", "adapter", "stylus", "apple pencil", "airtag", "webcam",
                    "flash drive", "usb stick", "charging cable", "wireless charger", "dock", "case for",
                    "cases for", "cover for", "case", "cases"),
}
_WEAK_SYNONYMS: dict[str, tuple[str, ...]] = {
    "phones": ("mobile", "mobiles", "cell"),
    "tablets": ("tab",),
    "headphones": ("buds",),
    "smartwatches": ("watch", "watches"),
    "accessories": ("hub",),
}
_BRAND_ALIASES = {
    "hewlett packard": "HP", "hewlett-packard": "HP", "one plus": "OnePlus", "go pro": "GoPro", "fuji": "Fujifilm",
    "fuji film": "Fujifilm", "san disk": "SanDisk", "beats by dre": "Beats", "beats by dr dre": "Beats",
    "lg electronics": "LG", "samsung electronics": "Samsung", "moto": "Motorola", "soundcore": "Anker",
}


def _norm(text: str) -> str:
    """Lower-case ASCII words separated by single spaces; "+" survives as the word "plus"."""
    text = unicodedata.normalize("NFKD", text[:_MAX_TEXT]).encode("ascii", "ignore").decode("ascii").lower()
    text = re.sub(r"(?<=[a-z0-9])\+", " plus ", text)  # "S24+", but not "GPS + Cellular"
    return " ".join(re.findall(r"[a-z0-9]+", text))


def _compact(text: str) -> str:
    return text.replace(" ", "")


def _transposed(a: str, b: str) -> bool:
    """True when ``a`` is ``b`` with two neighbouring letters swapped ("phnoe")."""
    if len(a) != len(b) or a == b:
        return False
    diff = [i for i in range(len(a)) if a[i] != b[i]]
    return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]


def _fuzzy(word: str, choices: Iterable[str], cutoff: float) -> str | None:
    """The closest choice to a (possibly misspelt) word, or None."""
    choices = [c for c in choices if abs(len(c) - len(word)) <= 3]
    for choice in choices:
        if _transposed(word, choice):
            return choice
    found = difflib.get_close_matches(word, choices, n=1, cutoff=cutoff)
    return found[0] if found else None


def _raw_text(value: Any) -> str | None:
    """The non-blank string in a slot value (Rasa gives a list when an entity appears twice), or None."""
    if isinstance(value, (list, tuple)):
        value = next((v for v in value if isinstance(v, str) and v.strip()), None)
    return value if isinstance(value, str) and value.strip() else None


def _as_text(value: Any) -> str | None:
    """The slot value normalised to plain lower-case words, or None if nothing readable is left."""
    raw = _raw_text(value)
    return (_norm(raw) or None) if raw is not None else None


def _phrases(text: str, table: dict[str, str]) -> list[tuple[int, int, str]]:
    """(position, -length, value) of every phrase of ``table`` found in the normalised text."""
    words = text.split()
    found = []
    for size in (3, 2, 1):
        for start in range(len(words) - size + 1):
            phrase = " ".join(words[start:start + size])
            if phrase in table:
                found.append((start, -size, table[phrase]))
    return sorted(found)


_STRONG = {phrase: cat for cat, phrases in _STRONG_SYNONYMS.items() for phrase in phrases}
_STRONG.update({cat: cat for cat in CATEGORIES})
_WEAK = {phrase: cat for cat, phrases in _WEAK_SYNONYMS.items() for phrase in phrases}
# Words long enough to be recognised when misspelt; short words would match too much by accident.
_FUZZY_CATEGORY_WORDS = {p: c for p, c in _STRONG.items() if len(_compact(p)) >= 5}
# Ordinary words one letter away from a category word; never read as typos.
_NOT_TYPOS = frozenset({"table", "tables", "house", "houses", "catch", "match", "notebooks"})
_IDIOMS_RE = re.compile(r"\b(?:just )?in case\b")


_CATEGORY_BY_ZH_TERM = {term: cat for cat, terms in CATEGORY_TERMS_ZH.items() for term in terms}
_BRAND_BY_ZH = {zh: brand for brand, zh in BRANDS_ZH.items() if zh != brand} | BRAND_ALIASES_ZH
_HAN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


def _chinese_category(raw: str) -> str | None:
    """The category a Chinese text names: accessory words first ("手机壳" is a case), then the
    longest word ("平板电脑" is a tablet, not a "电脑")."""
    text = raw[:_MAX_TEXT].lower()
    found = [(cat, term) for term, cat in _CATEGORY_BY_ZH_TERM.items() if term in text]
    if not found:
        return None
    if any(cat == "accessories" for cat, _ in found):
        return "accessories"
    return max(found, key=lambda pair: (len(pair[1]), -text.index(pair[1])))[0]


def _chinese_brand(raw: str) -> str | None:
    text = raw[:_MAX_TEXT]
    found = [(text.index(zh), -len(zh), brand) for zh, brand in _BRAND_BY_ZH.items() if zh in text]
    return min(found)[2] if found else None


def normalize_category(text: Any) -> str | None:
    """The canonical category meant by ``text`` ("smart phone" → phones, "hedphones" → headphones,
    "手机" → phones), or None."""
    raw = _raw_text(text)
    if raw is not None and _HAN_RE.search(raw):
        chinese = _chinese_category(raw)
        if chinese is not None:
            return chinese
    norm = _as_text(text)
    if norm is None:
        return None
    if norm in _STRONG:
        return _STRONG[norm]
    norm = _IDIOMS_RE.sub(" ", norm)
    strong = _phrases(norm, _STRONG)
    if strong:
        # "a case for my phone" is about accessories, not phones.
        if any(cat == "accessories" for _, _, cat in strong):
            return "accessories"
        return strong[0][2]
    weak = _phrases(norm, _WEAK)
    if weak:
        return weak[0][2]
    compact_choices = {_compact(p): c for p, c in _FUZZY_CATEGORY_WORDS.items()}
    whole = _compact(norm)
    if 5 <= len(whole) <= 30 and whole not in _NOT_TYPOS:
        match = _fuzzy(whole, compact_choices, 0.85)
        if match:
            return compact_choices[match]
    for word in norm.split():
        if len(word) >= 5 and word not in _NOT_TYPOS:
            match = _fuzzy(word, compact_choices, 0.85)
            if match:
                return compact_choices[match]
    return None


_BRAND_BY_KEY = {_compact(_norm(b)): b for b in BRANDS}
_BRAND_BY_KEY.update({_compact(_norm(alias)): b for alias, b in _BRAND_ALIASES.items()})
_FUZZY_BRAND_KEYS = [key for key in _BRAND_BY_KEY if len(key) >= 4]
_NOT_BRAND_TYPOS = frozenset({"razr", "razor", "apply", "sonic"})  # a phone line and ordinary words


def normalize_brand(text: Any) -> str | None:
    """The brand's display name ("samsng" → Samsung, "hewlett packard" → HP, "苹果" → Apple), or None."""
    raw = _raw_text(text)
    if raw is not None and _HAN_RE.search(raw):
        chinese = _chinese_brand(raw)
        if chinese is not None:
            return chinese
    norm = _as_text(text)
    if norm is None:
        return None
    whole = _compact(norm)
    if whole in _BRAND_BY_KEY:
        return _BRAND_BY_KEY[whole]
    words = norm.split()
    for size in (3, 2, 1):
        for start in range(len(words) - size + 1):
            key = "".join(words[start:start + size])
            if key in _BRAND_BY_KEY:
                return _BRAND_BY_KEY[key]
    if 4 <= len(whole) <= 20 and whole not in _NOT_BRAND_TYPOS:
        match = _fuzzy(whole, _FUZZY_BRAND_KEYS, 0.85)
        if match:
            return _BRAND_BY_KEY[match]
    for word in words:
        if len(word) >= 4 and word not in _NOT_BRAND_TYPOS:
            match = _fuzzy(word, _FUZZY_BRAND_KEYS, 0.85)
            if match:
                return _BRAND_BY_KEY[match]
    return None


@dataclass(frozen=True)
class Product:
    product_id: str
    name: str
    category: str
    brand: str
    price: float
    rating: float
    review_count: int
    stock: int
    attributes: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    description: str = ""
    release_date: str = ""
    popularity: int = 0
    name_zh: str = ""
    description_zh: str = ""

    @property
    def in_stock(self) -> bool:
        return self.stock > 0

    def display_name(self, language: str = "en") -> str:
        """The name to show a shopper: the Chinese one for Chinese conversations, when there is one."""
        return self.name_zh if language == "zh" and self.name_zh else self.name

    def display_description(self, language: str = "en") -> str:
        return self.description_zh if language == "zh" and self.description_zh else self.description


# --- product-name matching -------------------------------------------------------------------

_STOPWORDS = frozenset(
    "a an the about tell me more info information detail details on of for is are was does do did it its this that "
    "these those what whats which how much many price cost costs specs spec specifications review reviews rating "
    "have has you your i im my we can could would should like want need looking look get buy please any some in "
    "stock available availability with and or to from at by new one ones model version good best better vs versus "
    "compare between than there show see know give be got thanks thank hi hello hey".split()
)
# Words naming a variant ("pro", "max", "ultra"): they choose between products of one line,
# but never identify a product on their own.
_QUALIFIERS = frozenset(
    "pro plus max ultra mini air lite se fe edge neo gen generation edition combo standard "
    "5g 4k 8k uhd hd oled qled led creator active classic sport open go x s e bundle adventure fly "
    "mark ii iii".split()
)
# Numbers in words ("Two Lens Kit"), which, like digits, choose a variant but never name a product
# alone: "make it two" is a quantity.
_NUMBER_WORDS = frozenset("two three four five six seven eight nine ten".split())


def _is_number(word: str) -> bool:
    return word.isdigit() or word in _NUMBER_WORDS
# Words saying what kind of thing it is; they support a match but cannot make one.
_KIND_WORDS = frozenset(
    "wireless wired gaming smart inch display screen protector body lens kit phone phones smartphone smartphones "
    "mobile cell cellphone laptop laptops notebook notebooks computer tablet tablets headphone headphones earbud "
    "earbuds buds headset headsets earphones smartwatch smartwatches watch watches tracker fitness band wearable "
    "camera cameras drone drones camcorder tv tvs television accessory accessories charger chargers cable cables "
    "case cases mouse mice keyboard keyboards card memory ssd hub adapter stylus webcam drive stick dock power "
    "bank action mirrorless dslr gps cellular lte wifi wi fi bluetooth usb".split()
)
# "Battery life per charge" is not the Fitbit Charge.
_CHARGE_RE = re.compile(r"\b(?:per|one|a|full|single|each|every|between)\s+charge\b")
# Shoppers' abbreviations of words in product names ("256 gigs" -> "256 gb", which meets "256GB").
_ABBREVIATIONS = {"qc": "quietcomfort", "gig": "gb", "gigs": "gb", "gigabyte": "gb", "gigabytes": "gb",
                  "terabyte": "tb", "terabytes": "tb"}
_ORDINAL_RE = re.compile(r"^\d+(?:st|nd|rd|th)$")
_SPEC_RE = re.compile(r"^\d+(?:gb|tb|mm|in|inch|ft|w|mah|hz|mp|k)$")
# Prices in a question ("is it under $800?") are not model numbers.
_PRICE_RE = re.compile(
    r"\$\s*\d[\d,.]*k?\b|\b\d[\d,.]*\s*(?:dollars|bucks|usd)\b|"
    r"\b(?:under|below|over|above|around|about|less than|more than|up to|budget of|within)\s+\$?\d[\d,.]*k?\b",
)

# Evidence weights per kind of matched word.
_DISTINCTIVE, _VARIANT, _GENERIC = "distinctive", "variant", "generic"
_WEIGHTS = {_DISTINCTIVE: 1.0, _VARIANT: 0.6, _GENERIC: 0.4}


def _category_mentioned(norm: str) -> str | None:
    """A category named outright in normalised text (no typo guessing: this reads whole sentences)."""
    norm = _IDIOMS_RE.sub(" ", norm)
    strong = _phrases(norm, _STRONG)
    if any(cat == "accessories" for _, _, cat in strong):
        return "accessories"
    return strong[0][2] if strong else None


class _NameIndex:
    """Token index over product names for "which product is meant" look-ups."""

    def __init__(self, products: list[Product]) -> None:
        self.count = len(products)
        self.full_names = [f" {_norm(p.name)} " for p in products]
        self.brand_keys = {_compact(_norm(b)): b for b in BRANDS}
        colors = {w for p in products for w in _norm(str(p.attributes.get("color", ""))).split()}
        generic = set(_KIND_WORDS) | set(self.brand_keys) | colors

        def kind(word: str) -> str:
            # An ordinal ("2nd generation") is a variant: "delivered on the 2nd" names no Apple Watch.
            if word in _QUALIFIERS or _is_number(word) or _ORDINAL_RE.match(word):
                return _VARIANT
            if word in generic or _SPEC_RE.match(word) or len(word) < 2:
                return _GENERIC
            return _DISTINCTIVE

        postings: dict[str, list[int]] = {}
        self.kind: dict[str, str] = {}
        base_tokens: list[list[str]] = []
        full_tokens: list[list[str]] = []
        for index, product in enumerate(products):
            words = [w for w in _norm(product.name).split() if w not in _STOPWORDS]
            for word in words:
                self.kind[word] = kind(word)
            # Joined neighbours let "wh1000xm5" or "hero 13" meet "WH-1000XM5" or "HERO13".
            for a, b in zip(words, words[1:], strict=False):
                if a + b not in self.kind or self.kind[a + b] != _DISTINCTIVE:
                    either = _DISTINCTIVE in (self.kind[a], self.kind[b])
                    self.kind[a + b] = _DISTINCTIVE if either else _GENERIC
            for token in set(words) | {a + b for a, b in zip(words, words[1:], strict=False)}:
                postings.setdefault(token, []).append(index)
            # What identifies the product; a laptop's or accessory's "(Core Ultra 7, 16GB, 512GB)" or
            # "(20W, USB-C)" is configuration, not identity.
            line = product.name.split(" (")[0] if product.category in ("laptops", "accessories") else product.name
            line_words = [w for w in _norm(line).split() if w not in _STOPWORDS]
            base_tokens.append([w for w in dict.fromkeys(line_words) if self.kind[w] != _GENERIC])
            full_tokens.append([w for w in dict.fromkeys(words) if self.kind[w] != _GENERIC])
        self.postings = {t: np.array(ix) for t, ix in postings.items()}
        self.idf = {t: math.log(1.0 + self.count / len(ix)) for t, ix in postings.items()}
        self.distinctive = sorted(t for t, k in self.kind.items() if k == _DISTINCTIVE)
        singles = {w for name in self.full_names for w in name.split()}
        self.single_distinctive = [t for t in self.distinctive if t in singles]
        self.vocab_by_first: dict[str, list[str]] = {}
        for token in self.distinctive:
            self.vocab_by_first.setdefault(token[0], []).append(token)
        self.base_total = np.array([sum(self.idf[t] for t in tokens) for tokens in base_tokens])
        self.full_total = np.array([sum(self.idf[t] for t in tokens) for tokens in full_tokens])
        self.base_postings: dict[str, list[int]] = {}
        self.full_postings: dict[str, list[int]] = {}
        for index, (base, full) in enumerate(zip(base_tokens, full_tokens, strict=True)):
            for token in base:
                self.base_postings.setdefault(token, []).append(index)
            for token in full:
                self.full_postings.setdefault(token, []).append(index)
        # How many words of each name identify nothing (brand, kind, colour, spec).
        self.generic_count = np.array([len({w for w in _norm(p.name).split() if w not in _STOPWORDS
                                            and self.kind[w] == _GENERIC}) for p in products])
        self.brands = np.array([p.brand for p in products])
        self.categories = np.array([p.category for p in products])

    def matches(self, word: str, typos: bool = True) -> list[tuple[str, float]]:
        """Vocabulary tokens a query word can stand for, with a match quality in (0, 1]."""
        found: list[tuple[str, float]] = [(word, 1.0)] if word in self.postings else []
        has_digit = any(ch.isdigit() for ch in word)
        if len(word) >= 3 and has_digit and not word.isdigit():
            # "xm5" in "1000xm5": people drop the start of model codes.
            found += [(t, 0.8) for t in self.single_distinctive if t.endswith(word) and t != word]
        if not found and typos and len(word) >= 5 and not has_digit:
            guess = _fuzzy(word, self.vocab_by_first.get(word[0], []), 0.85)
            if guess:
                found = [(guess, 0.7)]
        return found

    def exact_name(self, text: str) -> int | None:
        """The product whose full name appears in the text (the longest, if several do)."""
        padded = f" {text} "
        best, best_len = None, 0
        for index, name in enumerate(self.full_names):
            if len(name) > best_len and name in padded:
                best, best_len = index, len(name)
        return best

    @staticmethod
    def _present(word: str, hits: dict[str, np.ndarray], pairs: list[tuple[str, str]]) -> np.ndarray:
        """Products that contain a query word, alone or joined to its neighbour ("hero 13" ~ "HERO13")."""
        present = hits[word].copy()
        for a, b in pairs:
            if word in (a, b):
                present |= hits[a + b]
        return present

    def unknown_model(self, text: str) -> str | None:
        """A product line we sell with a model number we do not ("iphone 18", "galaxy s26"), or None."""
        words = _norm(_PRICE_RE.sub(" ", text.lower())).split()
        for line, code, unit in zip(words, words[1:], words[2:] + [""], strict=False):
            if self.kind.get(line) != _DISTINCTIVE or not line.isalpha() or not any(ch.isdigit() for ch in code) \
                    or _SPEC_RE.match(code) or _SPEC_RE.match(code + unit):
                continue
            if line + code in self.postings:  # "hero 13" ~ "HERO13"
                continue
            if not set(self.postings[line].tolist()) & set(self.postings.get(code, np.array([], int)).tolist()):
                return f"{line} {code}"
        return None

    def find(self, text: str) -> int | None:
        exact = self.exact_name(_norm(text))
        if exact is not None:
            return exact
        norm = _norm(_CHARGE_RE.sub(" ", _PRICE_RE.sub(" ", text.lower())))
        words = [_ABBREVIATIONS.get(w, w) for w in dict.fromkeys(norm.split()) if w not in _STOPWORDS]
        if not words:
            return None
        count = self.count
        evidence, distinctive = np.zeros(count), np.zeros(count)
        matched_tokens: set[str] = set()
        hits: dict[str, np.ndarray] = {}
        typos = len(words) <= 12  # a mention is short; in a long message typo guesses cost more than they find
        pairs = [(a, b) for a, b in zip(words, words[1:], strict=False) if a + b in self.postings]
        for word in words + [a + b for a, b in pairs]:
            best = np.zeros(count)
            weight = 0.0
            for token, quality in self.matches(word, typos) if word in words else [(word, 1.0)]:
                matched_tokens.add(token)
                ix = self.postings[token]
                best[ix] = np.maximum(best[ix], quality * self.idf[token])
                weight = max(weight, _WEIGHTS[self.kind[token]])
                if self.kind[token] == _DISTINCTIVE:
                    distinctive[ix] = np.maximum(distinctive[ix], quality * self.idf[token])
            evidence += weight * best
            hits[word] = best > 0
        score = evidence
        # Model numbers the shopper gives must be there: "iphone 12" is not an iPhone 14, and a model
        # code we have never heard of ("s19") means a product we do not sell.
        # Another device the shopper mentions beside a known code ("the LG C4 ... on a PS5") is
        # context, not a product we lack.
        unknown_code = known_code = False
        for word in words:
            if any(ch.isdigit() for ch in word) and not _SPEC_RE.match(word):
                known = hits[word].any() or any(word in pair for pair in pairs)
                if known:
                    score = np.where(self._present(word, hits, pairs), score, -np.inf)
                    known_code |= not word.isdigit()
                elif not word.isdigit():
                    unknown_code = True
        if unknown_code and not known_code:
            return None
        named_brands = {self.brand_keys[w] for w in words if w in self.brand_keys}
        if named_brands:
            score = score - 2.0 * ~np.isin(self.brands, list(named_brands))
        category = _category_mentioned(" ".join(words))
        if category is not None:
            score = score - 1.5 * (self.categories != category)
        # Prefer the plainest variant: unmatched words of the name ("Ultra", "Max") cost a little.
        matched_base, matched_full = np.zeros(count), np.zeros(count)
        for token in matched_tokens:
            matched_base[self.base_postings.get(token, [])] += self.idf[token]
            matched_full[self.full_postings.get(token, [])] += self.idf[token]
        score = score - 0.3 * (self.base_total - matched_base) - 0.05 * (self.full_total - matched_full)
        # ... even words that identify nothing: "256GB Wi-Fi" is the iPad without "+ Cellular".
        unasked = self.generic_count.astype(float)
        for word in words:
            if self.kind.get(word) == _GENERIC:
                unasked[self.postings[word]] -= 1
        score = score - 0.01 * unasked
        # Rank order (products are sorted best first) breaks the remaining ties.
        score = score - 1e-6 * np.arange(count)
        # A plausible match names something distinctive ("s24", "quietcomfort") or most of a name
        # made only of variant words ("Apple Watch Ultra 2").
        # A number alone is not one: "make it 3" is a quantity, not the Apple Watch Ultra 3; with the
        # brand or a variant word of the name it is ("oneplus 13", "ultra 3").
        worded = np.zeros(count, dtype=bool)
        for token in matched_tokens:
            if not _is_number(token) and (self.kind[token] != _GENERIC or token in self.brand_keys):
                worded[self.postings[token]] = True
        covered = (matched_base > 0) & (matched_base >= 0.6 * self.base_total) & worded
        score[(distinctive < 1.5) & ~covered] = -np.inf
        # ... and the product must account for most of the distinctive words the shopper used:
        # "iphone 12" is not a OnePlus 12.
        asked = [w for w in words if self.kind.get(w) == _DISTINCTIVE]
        # A model code ("s90d", "xm5"), already required above, identifies the product by itself;
        # the rest of the question may then use words other names contain ("how many hdmi ports").
        if any(any(ch.isdigit() for ch in w) and any(ch.isalpha() for ch in w) for w in asked):
            asked = [w for w in asked if any(ch.isdigit() for ch in w)]
        if asked:
            total = sum(self.idf[w] for w in asked)
            found = sum(self.idf[w] * self._present(w, hits, pairs) for w in asked)
            score[found < 0.5 * total] = -np.inf
        best_index = int(np.argmax(score))
        return best_index if np.isfinite(score[best_index]) else None


@dataclass
class _Filters:
    category: int | None
    brand: int | None
    low: float | None
    high: float | None


def _to_price(value: Any) -> float | None:
    """A finite, non-negative price bound from whatever a slot holds, or None (no bound)."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(str(value).replace(",", "").replace("$", "").strip()) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        return None
    if math.isnan(number) or math.isinf(number):
        return None
    return max(number, 0.0)


class Catalog:
    """The shop's products, searchable by category, brand and price, ranked by rating then popularity."""

    def __init__(self, products_csv: str | Path, interactions_csv: str | Path | None = None,
                 products_zh_csv: str | Path | None = None) -> None:
        frame = pd.read_csv(products_csv, dtype={"product_id": str, "name": str, "category": str, "brand": str},
                            keep_default_na=False)
        popularity = self._popularity(interactions_csv)
        chinese = self._chinese(products_zh_csv)
        products = []
        for row in frame.itertuples(index=False):
            try:
                attributes = json.loads(row.attributes) if row.attributes else {}
            except (TypeError, ValueError):
                attributes = {}
            products.append(Product(
                product_id=row.product_id,
                name=row.name,
                category=row.category,
                brand=row.brand,
                price=float(row.price),
                rating=float(row.rating),
                review_count=int(row.review_count),
                stock=int(row.stock),
                attributes=attributes if isinstance(attributes, dict) else {},
                description=str(row.description),
                release_date=str(row.release_date),
                popularity=popularity.get(row.product_id, 0) if popularity is not None else int(row.review_count),
                name_zh=chinese.get(row.product_id, ("", ""))[0],
                description_zh=chinese.get(row.product_id, ("", ""))[1],
            ))
        # Best first: rating, then popularity; review count and id only break exact ties.
        products.sort(key=lambda p: (-p.rating, -p.popularity, -p.review_count, p.product_id))
        self._products = products
        self._by_id = {p.product_id: p for p in products}
        self._rank = {p.product_id: i for i, p in enumerate(products)}
        self._categories = sorted({p.category for p in products})
        self._brands = sorted({p.brand for p in products})
        self._category_codes = np.array([self._categories.index(p.category) for p in products], dtype=np.int16)
        self._brand_codes = np.array([self._brands.index(p.brand) for p in products], dtype=np.int16)
        self._prices = np.array([p.price for p in products], dtype=np.float64)
        self._in_stock = np.array([p.stock > 0 for p in products], dtype=bool)
        self._names = _NameIndex(products)

    @classmethod
    def load(cls, products_csv: str | Path, interactions_csv: str | Path | None = None,
             products_zh_csv: str | Path | None = None) -> Catalog:
        return cls(products_csv, interactions_csv, products_zh_csv)

    @staticmethod
    def _chinese(products_zh_csv: str | Path | None) -> dict[str, tuple[str, str]]:
        """Chinese (name, description) by product id; none when the companion file is not given."""
        if products_zh_csv is None or not Path(products_zh_csv).exists():
            return {}
        frame = pd.read_csv(products_zh_csv, dtype=str, keep_default_na=False)
        return {row.product_id: (row.name_zh, row.description_zh) for row in frame.itertuples(index=False)}

    @staticmethod
    def _popularity(interactions_csv: str | Path | None) -> dict[str, int] | None:
        """Carts plus purchases per product: what shoppers actually want, not just what they looked at."""
        if interactions_csv is None:
            return None
        events = pd.read_csv(interactions_csv, usecols=["product_id", "event"], dtype=str)
        wanted = events[events["event"].isin(("purchase", "add_to_cart"))]
        return {str(k): int(v) for k, v in wanted["product_id"].value_counts().items()}

    def __len__(self) -> int:
        return len(self._products)

    @property
    def products(self) -> tuple[Product, ...]:
        """All products, best ranked first."""
        return tuple(self._products)

    def get(self, product_id: Any) -> Product | None:
        if not isinstance(product_id, str):
            return None
        return self._by_id.get(product_id.strip().upper())

    def _filters(self, category: Any, brand: Any, min_price: Any, max_price: Any) -> _Filters | None:
        """Codes and bounds for a search; None when a filter can match nothing (an unknown brand, ...)."""
        category_code = brand_code = None
        if _raw_text(category) is not None:
            canonical = normalize_category(category)
            if canonical not in self._categories:
                return None
            category_code = self._categories.index(canonical)
        if _raw_text(brand) is not None:
            canonical = normalize_brand(brand)
            if canonical not in self._brands:
                return None
            brand_code = self._brands.index(canonical)
        low, high = _to_price(min_price), _to_price(max_price)
        if low is not None and high is not None and low > high:
            low, high = high, low
        return _Filters(category_code, brand_code, low, high)

    def search(
        self,
        category: str | None = None,
        brand: str | None = None,
        min_price: float | None = None,
        max_price: float | None = None,
        in_stock_only: bool = True,
        exclude_ids: Iterable[str] = (),
        limit: int = 5,
    ) -> list[Product]:
        """Products matching every given filter, best first (rating, then popularity).

        Category and brand may be raw shopper words ("smart phone", "samsng"); one that is given but
        not recognised matches nothing, while None or a blank string means "any". Price bounds are
        inclusive; unreadable bounds are ignored and swapped bounds put right.
        """
        filters = self._filters(category, brand, min_price, max_price)
        try:
            limit = max(0, int(limit))
        except (TypeError, ValueError):
            limit = 5
        if filters is None or limit == 0:
            return []
        mask = self._in_stock.copy() if in_stock_only else np.ones(len(self._products), dtype=bool)
        if filters.category is not None:
            mask &= self._category_codes == filters.category
        if filters.brand is not None:
            mask &= self._brand_codes == filters.brand
        if filters.low is not None:
            mask &= self._prices >= filters.low
        if filters.high is not None:
            mask &= self._prices <= filters.high
        if isinstance(exclude_ids, str):
            exclude_ids = (exclude_ids,)
        elif not isinstance(exclude_ids, Iterable):
            exclude_ids = ()
        for product_id in exclude_ids:
            position = self._rank.get(product_id.strip().upper()) if isinstance(product_id, str) else None
            if position is not None:
                mask[position] = False
        return [self._products[i] for i in np.flatnonzero(mask)[:limit]]

    def brands_for(self, category: Any) -> list[str]:
        """Brands sold in the category, the most popular first; [] for an unknown category."""
        canonical = normalize_category(category)
        if canonical not in self._categories:
            return []
        totals: dict[str, int] = {}
        for product in self._products:
            if product.category == canonical:
                totals[product.brand] = totals.get(product.brand, 0) + product.popularity
        return sorted(totals, key=lambda b: (-totals[b], b))

    def price_range(self, category: Any = None, in_stock_only: bool = True) -> tuple[float | None, float | None]:
        """Cheapest and dearest price in the category (the whole shop if None); (None, None) if none."""
        mask = self._in_stock.copy() if in_stock_only else np.ones(len(self._products), dtype=bool)
        if _raw_text(category) is not None:
            canonical = normalize_category(category)
            if canonical not in self._categories:
                return None, None
            mask &= self._category_codes == self._categories.index(canonical)
        if not mask.any():
            return None, None
        prices = self._prices[mask]
        return float(prices.min()), float(prices.max())

    def unknown_model(self, text: Any) -> str | None:
        """The model a shopper names that we do not sell, in a line we do ("iphone 18"), or None."""
        return self._names.unknown_model(text[:_MAX_TEXT]) if isinstance(text, str) else None

    def find_by_name(self, text: Any) -> Product | None:
        """The product a mention refers to ("galaxy s24", "the sony xm5 headphones"), or None.

        A full product name in the text wins outright. Otherwise words are matched to product names
        (exactly, as the end of a model code, or despite a typo); model numbers the shopper gives must
        match and at least one distinctive word (not only a brand, colour, kind or variant word) must.
        A named brand or category steers the choice; among equal matches the plainest variant, then
        the best ranked product, wins.
        """
        if not isinstance(text, str) or not text.strip():
            return None
        index = self._names.find(text[:_MAX_TEXT])
        return None if index is None else self._products[index]
