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
from shop.grounded.chinese import focus as chinese_focus
from shop.grounded.decoding import CopyConstraint
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
            if not set(_NUMBER_RE.findall(answer)) <= set(_NUMBER_RE.findall(shown)) or \
                    not copyable(answer, shown, product.name):
                continue  # the focused sheet lacks the figure: teaching the model to invent it would be worse
            neighbours = [focus(product_passage(p), question)
                          for p in rng.sample(by_category[product.category], passages - 1)]
            history: tuple[tuple[str, str], ...] = ()
            if rng.random() < 0.2:
                history = (("Shopper", rng.choice(("hi", "I'm looking for a gift", "show me some options"))),)
            examples.append(Example(question, context(shown, neighbours), answer, history))
    rng.shuffle(examples)
    return examples


def copyable(answer: str, shown: str, name: str = "") -> bool:
    """Whether copy decoding (shop.grounded.decoding.CopyConstraint) can write ``answer`` from the
    prompt's facts: an answer it cannot write teaches the model to say what its prompt does not."""
    constraint = CopyConstraint([shown], [name] if name else [])
    written = answer.encode("utf-8")
    states = constraint.state(written)
    return bool(states) and constraint.can_end(states, written)


def _noisy(question: str, rng: random.Random) -> str:
    """Shoppers rarely type like the FAQ: lower case, no question mark, sometimes both."""
    roll = rng.random()
    if roll < 0.3:
        return question.lower().rstrip("?")
    if roll < 0.45:
        return question.rstrip("?")
    return question


# -- Chinese -----------------------------------------------------------------------------------------
# Chinese examples in the same prompt layout, so the one GPT-2 answers in the shopper's language:
# the Chinese facts with their Chinese example questions, and questions about each product's Chinese
# data sheet answered from it (shop.grounded.chinese).
_ZH_PRICE = ("{p}多少钱?", "{p}的价格是多少?", "{p}卖多少钱")
_ZH_STOCK = ("{p}有货吗?", "{p}还有库存吗", "现在能买{p}吗?")
_ZH_RATING = ("{p}评分怎么样?", "{p}的评价如何")
# A word of a sheet's description clause -> how a shopper asks about it.
_ZH_SPEC_QUESTIONS = {
    "存储": "{p}存储多大?", "内存": "{p}内存多大?", "电池": "{p}电池多大?", "续航": "{p}续航多久?",
    "像素": "{p}多少像素?", "刷新率": "{p}刷新率多少?", "防水": "{p}防水吗?", "英寸": "{p}屏幕多大?",
    "处理器": "{p}是什么处理器?", "芯片": "{p}用什么芯片?", "HDMI": "{p}有几个 HDMI 接口?",
    "降噪": "{p}有降噪吗?", "公斤": "{p}有多重?", "视频": "{p}能录什么视频?", "显卡": "{p}是什么显卡?",
    "GPS": "{p}有 GPS 吗?", "心率": "{p}能测心率吗?", "兼容": "{p}兼容什么?", "输出": "{p}功率多大?",
}
_ZH_PRICE_RE = re.compile(r"售价 (.+?),(?=[\d,]+ 位顾客评分)")
ZH_POLICY_REPEATS = 12  # three Chinese questions a fact (against ten English): more passes over them


def chinese_product_examples(sheet: Passage, product: Product, rng: random.Random) -> Iterator[tuple[str, str]]:
    """(question, answer) pairs about one product's Chinese sheet; answers copy the sheet's words."""
    name = sheet.title
    short = name.split(" ", 1)[-1]
    asked = rng.choice([name, short])
    header = sheet.pieces()[0]
    # The price ends where the rating's count begins: "$1,299.00(约 ¥9,353)" has commas of its own
    # (cut at the first comma it was "$1", and the model learnt to answer "售价 $1").
    price = _ZH_PRICE_RE.search(header).group(1)
    yield rng.choice(_ZH_PRICE).format(p=asked), f"{name}售价 {price}。"
    stock = f"有货,{name}现货 {product.stock} 件。" if product.in_stock else f"抱歉,{name}暂时缺货。"
    yield rng.choice(_ZH_STOCK).format(p=asked), stock
    yield rng.choice(_ZH_RATING).format(p=asked), \
        f"{name}:{product.review_count:,} 位顾客评分 {product.rating:.1f}/5。"
    pieces = list(sheet.pieces()[1:])
    rng.shuffle(pieces)
    used = 0
    for piece in pieces:
        word = next((w for w in _ZH_SPEC_QUESTIONS if w in piece), None)
        if word is None:
            continue
        yield _ZH_SPEC_QUESTIONS[word].format(p=asked), f"{name}:{piece}。"
        used += 1
        if used == 2:
            break


def build_chinese_corpus(knowledge: KnowledgeBase, catalog: Catalog, facts: list[Passage],
                         sheets: list[Passage], seed: int = 42) -> list[Example]:
    """``facts``/``sheets``: the Chinese passages (shop.grounded.chinese.passages), one prompt passage each."""
    rng = random.Random(seed + 1)
    examples: list[Example] = []
    chinese = knowledge.chinese
    if chinese is None:
        return examples
    for passage in facts:
        fact = chinese.facts[passage.passage_id.removeprefix("fact:")]
        for _ in range(ZH_POLICY_REPEATS):
            for question in fact.questions or (passage.text,):
                examples.append(Example(question.rstrip("?") if rng.random() < 0.3 else question,
                                        (passage.text,), passage.text))
    by_id = {p.product_id: p for p in catalog.products}
    for sheet in sheets:
        product = by_id[sheet.product_id]
        for question, answer in chinese_product_examples(sheet, product, rng):
            shown = chinese_focus(sheet, question)
            if not set(_NUMBER_RE.findall(answer)) <= set(_NUMBER_RE.findall(shown)) or \
                    not copyable(answer, shown, sheet.title):
                continue
            examples.append(Example(question, (shown,), answer))
    rng.shuffle(examples)
    return examples
