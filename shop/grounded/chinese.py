"""The Chinese side of the grounded answers: Chinese passages (aligned with the English ones, same
ids), how Chinese is tokenised for BM25, and how a Chinese data sheet is cut to what a question asks.

Chinese questions go through the same screen, retrieval, generation and guard as English ones
(shop.grounded.languages picks these functions by the shopper's language); only the text differs.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from shop.catalog import Catalog, Product
from shop.grounded.passages import Passage, header_answer
from shop.knowledge import KnowledgeBase
from shop.knowledge_zh import tokens

__all__ = ["HEADER_ASPECTS", "focus", "named_product", "passages", "product_passage", "tokens"]

# What a product question asks about, and what the answer must then say (the sheet's header).
HEADER_ASPECTS = (
    (re.compile(r"多少钱|价格|价钱|售价|贵|便宜|怎么卖"), re.compile(r"\$\d")),
    (re.compile(r"有货|现货|库存|缺货|卖完|有没有卖|能买"), re.compile(r"现货|缺货")),
    (re.compile(r"评分|评价|口碑|好评|几星|星级"), re.compile(r"评分")),
)
# Clause ends: the full-width marks, and an ASCII comma unless it groups a number's digits ("4,492").
_CLAUSE = re.compile(r"[\uff0c;\uff1b]|(?<!\d),|,(?!\d)")
_PUNCTUATION = ",\uff0c;\uff1b\u3002 "  # noqa: RUF001 - the full-width marks are the point


def product_passage(product: Product, price: Callable[[float], str]) -> Passage:
    """The Chinese data sheet: name, price (dollars with the yuan guide), rating, stock, description."""
    stock = f"现货 {product.stock} 件" if product.in_stock else "暂时缺货"
    name = product.display_name("zh")
    header = f"{name}:售价 {price(product.price)},{product.review_count:,} 位顾客评分 {product.rating:.1f}/5,{stock}。"
    description = product.display_description("zh")
    pieces = [p.strip(_PUNCTUATION) for p in _CLAUSE.split(description) if p.strip(_PUNCTUATION)]
    return Passage(f"product:{product.product_id}", "product", name, f"{header}{description}", product.product_id,
                   snippets=(header, *pieces), language="zh")


def passages(knowledge: KnowledgeBase, catalog: Catalog, price: Callable[[float], str]) -> list[Passage]:
    """Every fact and product in Chinese, in the order of shop.grounded.passages.build_passages."""
    if knowledge.chinese is None:
        raise ValueError("the knowledge base has no Chinese text (load it with knowledge_base_zh)")
    facts = [Passage(f"fact:{f.id}", "policy", f.topic, knowledge.chinese.fact_text(f.id), language="zh")
             for f in knowledge.facts]
    return facts + [product_passage(p, price) for p in catalog.products]


def named_product(catalog: Catalog, question: str) -> Product | None:
    """A product whose Chinese name (without its brand) the question contains, the longest first."""
    best: Product | None = None
    for product in catalog.products:
        model = product.display_name("zh").split(" ", 1)[-1]
        if len(model) >= 4 and model in question and (best is None or len(model) > len(best.name_zh)):
            best = product
    return best


def _bigrams(text: str) -> set[str]:
    return {t for t in tokens(text) if len(t) == 2 or t.isascii()}


def focus(passage: Passage, question: str, limit: int = 3) -> str:
    """The header for a price, stock or rating question; else the header and the description's
    clauses that share most with the question (the whole sheet when none does)."""
    pieces = passage.pieces()
    if len(pieces) <= 1 or any(asked.search(question) for asked, _ in HEADER_ASPECTS):
        return pieces[0] if len(pieces) > 1 else passage.text
    asked = _bigrams(question) - _bigrams(passage.title)
    scored = sorted(((-len(asked & _bigrams(p)), i, p) for i, p in enumerate(pieces[1:])))
    chosen = [item for item in scored[:limit] if item[0] < 0]
    if not chosen:
        return passage.text
    return pieces[0] + ",".join(p for _, _, p in sorted(chosen, key=lambda item: item[1])) + "。"


# "无" negates, but not in "无线" (wireless), "无反" (mirrorless) or "无人机" (a drone): as in claims.py.
_NEGATION = re.compile(r"不|无法|没有|只有|只能|仅|无(?![线反人])")
_FIGURE_RUN = re.compile(r"\d[\d,.]*\d|\d")


def answers(question: str, answer: str, passage: Passage) -> bool:
    """Whether a grounded Chinese answer also answers the question (shop.grounded.answerer._answers)."""
    if passage.kind != "product":
        said, fact = _bigrams(answer), _bigrams(passage.text)
        figures = set(re.findall(r"\$?\d[\d,.]*(?:[–-]\d+)?", passage.text))
        return all(f in answer for f in figures) and len(said & fact) >= 0.6 * max(1, len(said)) and \
            len(said & fact) >= 0.6 * len(fact) and \
            len(_NEGATION.findall(answer)) >= len(_NEGATION.findall(passage.text))
    header = header_answer(HEADER_ASPECTS, question, answer)
    if header is not None:
        return header
    # A spec question ("续航多久?") needs the clause of the sheet that shares most with it, as in
    # English (passages.answers_question); any true sentence about the product passed before.
    asked = _bigrams(question) - _bigrams(passage.title)
    scored = [(len(asked & _bigrams(p)), p) for p in passage.pieces()[1:]]
    overlap, key = max(scored, default=(0, ""), key=lambda item: item[0])
    if overlap == 0:
        return True
    if "".join(key.split()) in "".join(answer.split()):
        return True
    # Or its figure, unless the product's name has it too ("55 英寸" of a 55-inch TV proves nothing).
    figures = set(_FIGURE_RUN.findall(key)) - set(_FIGURE_RUN.findall(passage.title))
    return bool(figures & set(_FIGURE_RUN.findall(answer)))
