"""Training examples for the shop's own small GPT-2: questions, retrieved-looking passages, answers.

Every answer is built only from the passage it is about, so the model learns to copy facts from
its context rather than to remember them; the guard still checks each generated answer.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import dataclass

from shop.catalog import Catalog, Product
from shop.grounded.passages import FLAG_NAMES, Passage, focus, product_passage, spec_phrases, stock_phrase
from shop.knowledge import KnowledgeBase


@dataclass(frozen=True)
class Example:
    question: str
    passages: tuple[str, ...]
    answer: str
    history: tuple[tuple[str, str], ...] = ()


# Spec questions: attribute -> question templates ({p} is how the shopper names the product).
_SPEC_QUESTIONS: dict[str, tuple[str, ...]] = {
    "storage_gb": ("How much storage does the {p} have?", "what storage does {p} come with", "{p} storage?"),
    "ram_gb": ("How much RAM does the {p} have?", "{p} ram"),
    "screen_in": ("How big is the screen on the {p}?", "what's the screen size of {p}"),
    "refresh_rate_hz": ("What's the refresh rate of the {p}?",),
    "battery_mah": ("How big is the battery in the {p}?", "{p} battery capacity"),
    "battery_hours": ("What's the battery life of the {p}?", "how long does the {p} battery last"),
    "battery_days": ("How many days does the {p} battery last?", "{p} battery life"),
    "main_camera_mp": ("How good is the camera on the {p}?", "how many megapixels does the {p} camera have"),
    "megapixels": ("How many megapixels does the {p} have?",),
    "cpu": ("What processor is in the {p}?", "which cpu does {p} have"),
    "gpu": ("What graphics card does the {p} have?",),
    "chip": ("Which chip does the {p} use?",),
    "os": ("What operating system does the {p} run?",),
    "weight_lb": ("How heavy is the {p}?",),
    "hdmi_ports": ("How many HDMI ports does the {p} have?",),
    "resolution": ("What resolution is the {p}?",),
    "water_resistance": ("Is the {p} waterproof?",),
    "video": ("What video can the {p} record?",),
    "compatible_with": ("What does the {p} work with?",),
    "case_mm": ("What size is the {p} case?",),
    "wattage_w": ("How many watts is the {p}?",),
}
_FLAG_QUESTIONS = ("Does the {p} have {f}?", "does {p} support {f}", "{p} {f}?")
_USE_CASES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # use -> (question templates, attributes that answer it, in order of preference)
    "photography": (("Is the {p} good for photography?", "is {p} good for taking photos"),
                    ("main_camera_mp", "megapixels", "sensor", "image_stabilization")),
    "gaming": (("Is the {p} good for gaming?", "can I game on the {p}"), ("gpu", "refresh_rate_hz", "cpu")),
    "running": (("Is the {p} good for running?", "can I track my runs with {p}"),
                ("gps", "heart_rate", "battery_days")),
    "travel": (("Is the {p} good for flights?", "is {p} good for travel"),
               ("noise_cancelling", "battery_hours", "weight_lb")),
}
_PRICE_QUESTIONS = ("How much is the {p}?", "what does {p} cost", "price of {p}?", "{p} price")
_STOCK_QUESTIONS = ("Is the {p} in stock?", "do you have {p} available", "can I buy the {p} now?")
_RATING_QUESTIONS = ("How is the {p} rated?", "what do customers think of {p}", "{p} reviews?")
_ABOUT_QUESTIONS = ("Tell me about the {p}.", "what is the {p} like?", "can you describe {p}")
_NUMBER_RE = re.compile(r"\d[\d,.]*\d|\d")
_PARENS_RE = re.compile(r"\s*\([^)]*\)|\s+-\s+[A-Za-z ]+$|\s+\d+(?:GB|TB)\b")


def shopper_names(product: Product) -> list[str]:
    """Ways a shopper names the product: in full, without the brand, without variant details."""
    names = [product.name]
    without_brand = product.name[len(product.brand):].strip() if product.name.startswith(product.brand) else ""
    if len(without_brand) > 3:
        names.append(without_brand)
    short = _PARENS_RE.sub("", without_brand or product.name).strip()
    if len(short) > 3 and short not in names:
        names.append(short)
    return names


def _spec_sentence(product: Product, key: str) -> str:
    phrase = spec_phrases({key: product.attributes[key]})[0]
    if key in FLAG_NAMES:
        return f"{'Yes' if product.attributes[key] else 'No'}, the {product.name} {phrase}."
    return f"The {product.name} {_predicate(phrase)}."


def _predicate(phrase: str) -> str:
    """A spec phrase as what the product does: "weighs 3 lb", "has 8GB of RAM", "has no GPS"."""
    return phrase if phrase.startswith(("runs ", "weighs ", "works ", "has ")) else f"has {phrase}"


def product_examples(product: Product, rng: random.Random) -> Iterator[tuple[str, str]]:
    """(question, answer) pairs about one product, a few per kind so the set stays small."""
    name = rng.choice(shopper_names(product))
    yield rng.choice(_PRICE_QUESTIONS).format(p=name), f"The {product.name} costs ${product.price:,.2f}."
    if product.in_stock:
        stock = f"Yes, the {product.name} is in stock ({stock_phrase(product)})."
    else:
        stock = f"Sorry, the {product.name} is out of stock right now."
    yield rng.choice(_STOCK_QUESTIONS).format(p=name), stock
    yield (rng.choice(_RATING_QUESTIONS).format(p=name),
           f"The {product.name} is rated {product.rating:.1f}/5 by {product.review_count:,} customers.")
    yield rng.choice(_ABOUT_QUESTIONS).format(p=name), f"{product.description} It costs ${product.price:,.2f}."
    keys = [k for k in product.attributes if k in _SPEC_QUESTIONS]
    for key in rng.sample(keys, min(2, len(keys))):
        yield rng.choice(_SPEC_QUESTIONS[key]).format(p=name), _spec_sentence(product, key)
    flags = [k for k in product.attributes if k in FLAG_NAMES]
    if flags:
        key = rng.choice(flags)
        question = rng.choice(_FLAG_QUESTIONS).format(p=name, f=FLAG_NAMES[key].removeprefix("a "))
        yield question, _spec_sentence(product, key)
    for templates, keys in _USE_CASES.values():
        found = [k for k in keys if k in product.attributes]
        if found:
            facts = [_predicate(spec_phrases({k: product.attributes[k]})[0]) for k in found[:2]]
            yield rng.choice(templates).format(p=name), f"The {product.name} {' and '.join(facts)}."


def build_corpus(knowledge: KnowledgeBase, catalog: Catalog, policy: list[Passage], seed: int = 42,
                 policy_repeats: int = 6, passages: int = 1) -> list[Example]:
    """Examples whose prompts show ``passages`` passages: the right one (usually first) and distractors."""
    rng = random.Random(seed)

    def context(gold: str, distractors: list[str]) -> tuple[str, ...]:
        chosen = [d for d in distractors if d != gold][: passages - 1]
        position = 0 if rng.random() < 0.7 else rng.randrange(len(chosen) + 1)
        chosen.insert(position, gold)
        return tuple(chosen)

    examples: list[Example] = []
    fact_text = {p.passage_id: p.text for p in policy}
    others = list(fact_text.values())
    for fact in knowledge.facts:
        text = fact_text[f"fact:{fact.id}"]
        questions = list(fact.questions) or [fact.topic]
        for _ in range(policy_repeats):
            for question in questions:
                examples.append(Example(_noisy(question, rng), context(text, rng.sample(others, 3)), text))

    by_category: dict[str, list[Product]] = {}
    for product in catalog.products:
        by_category.setdefault(product.category, []).append(product)
    for product in catalog.products:
        sheet = product_passage(product)
        for question, answer in product_examples(product, rng):
            shown = focus(sheet, question)
            if not set(_NUMBER_RE.findall(answer)) <= set(_NUMBER_RE.findall(shown)):
                continue  # the focused sheet lacks the figure: teaching the model to invent it would be worse
            neighbours = [focus(product_passage(p), question)
                          for p in rng.sample(by_category[product.category], passages - 1)]
            history: tuple[tuple[str, str], ...] = ()
            if rng.random() < 0.2:
                history = (("Shopper", rng.choice(("hi", "I'm looking for a gift", "show me some options"))),)
            examples.append(Example(question, context(shown, neighbours), answer, history))
    rng.shuffle(examples)
    return examples


def _noisy(question: str, rng: random.Random) -> str:
    """Shoppers rarely type like the FAQ: lower case, no question mark, sometimes both."""
    roll = rng.random()
    if roll < 0.3:
        return question.lower().rstrip("?")
    if roll < 0.45:
        return question.rstrip("?")
    return question
