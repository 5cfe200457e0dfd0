"""The shop's knowledge as short passages a retriever can rank and a language model can quote."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from shop.catalog import Catalog, Product
from shop.grounded.guard import numbers
from shop.knowledge import KnowledgeBase

# How a spec reads in a sentence: key -> (template, unit-free formatter). Keys missing here are
# written "key: value", which is clumsy but never wrong.
_SPEC_TEMPLATES: dict[str, str] = {
    "storage_gb": "{v}GB of storage",
    "capacity_gb": "{v}GB capacity",
    "ram_gb": "{v}GB of RAM",
    "screen_in": "a {v}-inch screen",
    "refresh_rate_hz": "a {v}Hz refresh rate",
    "battery_mah": "a {v} mAh battery",
    "capacity_mah": "a {v} mAh capacity",
    "main_camera_mp": "a {v}MP main camera",
    "megapixels": "{v}MP stills",
    "battery_hours": "up to {v} hours of battery life",
    "battery_days": "up to {v} days of battery life",
    "weight_lb": "weighs {v} lb",
    "case_mm": "a {v}mm case",
    "wattage_w": "{v}W output",
    "length_ft": "{v} ft long",
    "hdmi_ports": "{v} HDMI ports",
    "os": "runs {v}",
    "cpu": "{v} processor",
    "gpu": "{v} graphics",
    "chip": "{v} chip",
    "resolution": "{v} resolution",
    "panel": "{v} panel",
    "sensor": "{v} sensor",
    "video": "{v} video",
    "display": "{v} display",
    "type": "type: {v}",
    "kit": "kit: {v}",
    "color": "color: {v}",
    "water_resistance": "{v} water resistance",
    "smart_platform": "{v} smart platform",
    "voice_assistant": "voice assistant: {v}",
    "compatible_with": "works with {v}",
    "compatible_os": "works with {v}",
    "connectivity": "connectivity: {v}",
    "hdr": "HDR: {v}",
    "ports": "ports: {v}",
}
# Yes/no specs, phrased both ways so "does it have X?" finds its answer either way.
FLAG_NAMES = {
    "5g": "5G",
    "noise_cancelling": "active noise cancelling",
    "wireless": "wireless",
    "microphone": "a microphone",
    "gps": "GPS",
    "heart_rate": "a heart-rate sensor",
    "image_stabilization": "image stabilization",
    "foldable": "a foldable design",
    "kid_proof_case": "a kid-proof case",
}
# Specs that are "none" or a name ("S Pen (included)"): not a yes/no, so the name is kept.
_NAMED_FEATURES = {"stylus_support": "stylus"}


@dataclass(frozen=True)
class Passage:
    """One retrievable unit: a policy fact or one product's data sheet."""

    passage_id: str
    kind: Literal["policy", "product"]
    title: str
    text: str
    product_id: str | None = None
    # The passage in pieces (a product: its header, description sentences and specs) so a prompt can
    # show the pieces that matter to a question instead of the whole sheet.
    snippets: tuple[str, ...] = ()
    language: str = "en"  # the same fact or product in another language has the same passage_id

    def pieces(self) -> tuple[str, ...]:
        return self.snippets or (self.text,)


def _value(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10_000:
        return f"{value:,}"
    return str(value)


def spec_phrases(attributes: dict[str, Any]) -> list[str]:
    """The product's specs as short phrases ("64GB of storage", "no GPS")."""
    phrases = []
    for key, value in attributes.items():
        if key in FLAG_NAMES:
            phrases.append(("has " if value else "no ") + FLAG_NAMES[key])
        elif key in _NAMED_FEATURES:
            absent = str(value).strip().lower() in ("none", "no", "false", "")
            phrases.append(f"no {_NAMED_FEATURES[key]}" if absent else f"{_NAMED_FEATURES[key]}: {_value(value)}")
        elif key in _SPEC_TEMPLATES:
            phrases.append(_SPEC_TEMPLATES[key].format(v=_value(value)))
        else:
            phrases.append(f"{key.replace('_', ' ')}: {_value(value)}")
    return phrases


def stock_phrase(product: Product) -> str:
    return f"{product.stock} in stock" if product.in_stock else "out of stock"


def product_passage(product: Product) -> Passage:
    """The data sheet: every figure the assistant may state about the product, in plain words."""
    header = (
        f"{product.name} ({product.brand}, {product.category}): ${product.price:,.2f}, "
        f"rated {product.rating:.1f}/5 by {product.review_count:,} customers, {stock_phrase(product)}."
    )
    specs = spec_phrases(product.attributes)
    text = f"{header} {product.description} Specs: {'; '.join(specs)}."
    sentences = [s.strip() for s in _SENTENCE_END.split(product.description) if s.strip()]
    return Passage(f"product:{product.product_id}", "product", product.name, text, product.product_id,
                   snippets=(header, *sentences, *specs))


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def policy_passages(knowledge: KnowledgeBase) -> list[Passage]:
    return [Passage(f"fact:{fact.id}", "policy", fact.topic, fact.answer) for fact in knowledge.facts]


def build_passages(knowledge: KnowledgeBase, catalog: Catalog) -> list[Passage]:
    return policy_passages(knowledge) + [product_passage(p) for p in catalog.products]


def retrieval_text(passage: Passage, knowledge: KnowledgeBase | None = None) -> str:
    """What the retriever indexes: the passage plus, for a fact, its example questions and keywords."""
    if passage.kind == "policy" and knowledge is not None and passage.passage_id.startswith("fact:"):
        fact_id = passage.passage_id.split(":", 1)[1]
        fact = next((f for f in knowledge.facts if f.id == fact_id), None)
        if fact is not None:
            return " ".join([passage.text, *fact.questions, *fact.keywords])
    return passage.text


# Words of a question -> words of the specs that answer it ("good for photography" -> the camera).
_ASPECTS: dict[tuple[str, ...], tuple[str, ...]] = {
    ("photo", "photos", "photography", "pictures", "picture", "selfie", "selfies", "camera", "cameras",
     "megapixel", "megapixels"):
        ("camera", "mp", "stills", "sensor", "stabilization"),
    ("gaming", "game", "games", "gamer"): ("graphics", "refresh", "processor", "gaming"),
    ("running", "run", "runs", "workout", "workouts", "fitness", "hiking", "jogging", "track"):
        ("gps", "heart-rate", "battery", "water"),
    ("travel", "flight", "flights", "plane", "commute", "commuting", "trip"):
        ("noise", "cancelling", "battery", "weighs"),
    ("battery", "last", "lasts", "charge", "mah"): ("battery", "mah", "hours", "days"),
    # A unit asks for the spec it measures: "how many hz does the panel do" is the refresh rate.
    ("hz", "refresh", "fps", "smooth"): ("refresh",),
    ("big", "size", "screen", "display", "inch", "inches"): ("screen", "inch", "display"),
    ("heavy", "weight", "weigh", "light", "portable"): ("weighs", "lb"),
    ("storage", "space", "store"): ("storage",),
    ("ram", "memory", "multitasking"): ("ram",),
    ("waterproof", "water", "swim", "swimming", "rain", "shower"): ("water",),
    ("movies", "movie", "films", "netflix", "picture"): ("resolution", "hdr", "panel"),
    ("music", "listening", "calls", "call"): ("noise", "wireless", "microphone", "battery"),
    ("work", "office", "school", "student", "students", "study"): ("processor", "ram", "battery", "weighs"),
    ("processor", "cpu", "chip", "chipset", "snappy"): ("processor", "chip"),
    ("compatible", "iphone", "android", "mac", "works"): ("works",),
    ("watts", "watt", "fast", "charging", "charger"): ("output", "charger"),
    ("pen", "pencil", "stylus", "draw", "drawing"): ("stylus",),
}
_FILLER = frozenset("the a an of is are it its this that does do can how what which about with for and or me my "
                    "you your tell have has any in on at to by be get good much many there".split())
_WORDS = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def _keys(text: str) -> set[str]:
    """Words cut to five letters, so "photography" meets "photo" and "weighs" meets "weight"."""
    return {word[:5] for word in _with_units(_WORDS.findall(text.lower())) if len(word) > 1}


_FIGURE_UNIT = re.compile(r"\d+(?:\.\d+)?([a-z]+)")


def _with_units(words: list[str] | set[str]) -> set[str]:
    """The words, and the unit of each figure among them: "120hz" also says "hz" ("how many hz?")."""
    out = set(words)
    for word in words:
        match = _FIGURE_UNIT.fullmatch(word)
        if match:
            out.add(match.group(1))
    return out


# What a question about a product's price, stock or rating must get: the figure from the sheet's header.
HEADER_ASPECTS = (
    # "How much RAM" asks a spec, not the price.
    (re.compile(r"\b(how much(?!\s+(?:ram|memory|storage|space|battery|data|power|does it weigh)\b)|price|prices|"
                r"cost|costs|expensive|cheap)\b", re.I), re.compile(r"\$\d")),
    (re.compile(r"\b(in stock|available|availability|sold out|buy (it|one) now)\b", re.I),
     re.compile(r"\b(in|out of) stock\b", re.I)),
    # The rating itself ("rated 4.7/5"), not "is rated" before something else.
    (re.compile(r"\b(rated|rating|ratings|reviews?|stars?)\b", re.I), re.compile(r"\brated \d(\.\d)?/5", re.I)),
)


def header_answer(aspects: tuple[tuple[re.Pattern[str], re.Pattern[str]], ...], question: str,
                  answer: str) -> bool | None:
    """For a question about the sheet's header (price, stock, rating; ``aspects`` per language):
    whether the answer states each figure asked. None when the question asks about none of them."""
    asked = [needed for question_re, needed in aspects if question_re.search(question)]
    if not asked:
        return None
    return all(needed.search(answer) for needed in asked)


def key_piece(passage: Passage, question: str) -> str | None:
    """The piece (not the header) that best matches what the question asks, if any matches at all."""
    pieces = passage.pieces()
    if len(pieces) <= 1:
        return None
    asked = _asked(question) - _title_keys(passage.title)
    typed = _typed(question) - _title_typed(passage.title)
    # Among equally good pieces the shortest is the most precise ("128GB of storage" over a sentence).
    best = max(pieces[1:], key=lambda piece: (_relevance(piece, asked, typed), -len(piece)))
    return best if asked & _keys(best) else None


def _title_keys(title: str) -> set[str]:
    """The name's words, hyphenated ones apart too: "65" of "65-inch" names the product, and asks
    for nothing of its sheet ("the lg b4 65 inch… how many hz" is not about "65 inches")."""
    return _keys(title) | _keys(title.replace("-", " "))


def _title_typed(title: str) -> set[str]:
    return _typed(title) | _typed(title.replace("-", " "))


def _typed(text: str) -> set[str]:
    """Whole words, plural or not (not cut to five letters: "graphics" must not meet "Graphite")."""
    return {word.removesuffix("s") if len(word) > 3 else word for word in _content_words(text) if len(word) > 1}


def _content_words(text: str) -> set[str]:
    return _with_units(_WORDS.findall(text.lower().replace("colour", "color"))) - _FILLER


def _relevance(piece: str, asked: set[str], typed: set[str]) -> int:
    """Words the shopper typed count twice: "gaming? what graphics card" wants the graphics before
    the refresh rate and processor that gaming also implies. A colour's name answers only a question
    that names it ("Graphite" is not about graphics)."""
    if piece.lower().startswith("color:"):
        return 2 * len(typed & _typed(piece))
    return len(asked & _keys(piece)) + len(typed & _typed(piece))


def _asked(question: str) -> set[str]:
    words = _content_words(question)
    for triggers, aspects in _ASPECTS.items():
        if words.intersection(triggers):
            words |= set(aspects)
    return _keys(" ".join(words))


def focus(passage: Passage, question: str, limit: int = 3) -> str:
    """The passage cut down to what ``question`` needs: a product's header (name, price, rating,
    stock) and its ``limit`` most relevant other pieces. Short prompts keep generation fast and
    leave the model less to get wrong."""
    pieces = passage.pieces()
    if len(pieces) <= 1:
        return passage.text
    # The product's own name ("iPhone 15 128GB") says which sheet, not which piece of it.
    asked = _asked(question) - _title_keys(passage.title)
    typed = _typed(question) - _title_typed(passage.title)
    scored = [(-_relevance(piece, asked, typed), position, piece) for position, piece in enumerate(pieces[1:])]
    chosen = sorted(sorted(scored)[:limit], key=lambda item: item[1])
    return " ".join([pieces[0], *(_sentence(piece) for _, _, piece in chosen)])


def _sentence(piece: str) -> str:
    piece = piece.strip()
    return piece if piece.endswith((".", "!", "?")) else piece[0].upper() + piece[1:] + "."


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

_NEGATION_RE = re.compile(r"\b(?:not|no|never|cannot|only|without|none)\b|n't\b", re.I)


def answers_question(question: str, answer: str, passage: Passage) -> bool:
    """Whether a grounded answer also answers the question: a price for "how much", the camera for
    "good for photography"; the guard only knows it is true."""
    if passage.kind != "product":
        # A policy answer restates its fact: most of what it says comes from that one passage, most
        # of the passage is in it, and it keeps every figure of it (a refund time without its "5–7"
        # answers nothing; "We accept Visa, American Express" leaves out PayPal).
        said = set(re.findall(r"[a-z]{4,}", answer.lower()))
        fact = set(re.findall(r"[a-z]{4,}", passage.text.lower()))
        figures = {f.lower() for f in _FIGURE_RE.findall(passage.text)}
        # It keeps the fact's negations too: "We accept Visa, … and Google Pay" without "; we don't
        # offer cash on delivery" is true, and no answer to "can I pay cash?".
        return len(answer.split()) >= 4 and all(f in answer.lower() for f in figures) and \
            len(said & fact) >= 0.6 * len(said) and len(said & fact) >= 0.7 * len(fact) and \
            len(_NEGATION_RE.findall(answer)) >= len(_NEGATION_RE.findall(passage.text))
    # The sheet says whether it is in stock; an answer must not say the opposite.
    out_of_stock = "out of stock" in passage.pieces()[0]
    if ("out of stock" in answer.lower()) != out_of_stock and "stock" in answer.lower():
        return False
    header = header_answer(HEADER_ASPECTS, question, answer)
    if header is not None:
        return header  # its price, stock or rating, which the answer states ("how well is it rated by buyers")
    key = key_piece(passage, question)
    if key is None:
        # Nothing in particular asked ("tell me more about the DJI Neo Drone"): the answer must at
        # least say which product, at what price, as the sheet's header does.
        return passage.title.lower() in answer.lower() and "$" in answer
    return _mentions(answer, key, passage.title)
