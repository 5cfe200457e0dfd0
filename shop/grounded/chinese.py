"""Grounded answers for Chinese questions: screen, retrieve, answer with a Chinese passage verbatim.

The embedded GPT-2 learnt English only, and no multilingual encoder is available offline, so a
Chinese question takes the extractive path of the English flow (which also quotes the best passage
when the model's answer fails the guard): the passages are the Chinese policy facts and every
product's Chinese data sheet, retrieved with BM25 over character unigrams and bigrams
(shop.knowledge_zh.tokens), steered by the knowledge base's own matcher and by a product the
question names. Nothing retrieved well enough gives an honest "I'm not sure" and a human.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable

import numpy as np
from rank_bm25 import BM25Okapi

from shop.catalog import Catalog, Product
from shop.grounded.answerer import GroundedAnswer
from shop.grounded.passages import Passage
from shop.grounded.retrieval import Hit
from shop.grounded.safety import screen
from shop.knowledge import KnowledgeBase
from shop.knowledge_zh import tokens

# What a product question asks about, and the part of the data sheet that answers it.
_PRICE_Q = re.compile(r"多少钱|价格|价钱|售价|贵|便宜|怎么卖")
_STOCK_Q = re.compile(r"有货|现货|库存|缺货|卖完|有没有卖|能买")
_RATING_Q = re.compile(r"评分|评价|口碑|好评|几星|星级")
# A product passage found by BM25 alone (no name in the question) must score this well.
MIN_PRODUCT_SCORE = 18.0


def product_passage_zh(product: Product, price: Callable[[float], str]) -> Passage:
    """The Chinese data sheet: name, price (dollars with the yuan guide), rating, stock, description."""
    stock = f"现货 {product.stock} 件" if product.in_stock else "暂时缺货"
    header = (f"{product.display_name('zh')}:售价 {price(product.price)},"
              f"{product.review_count:,} 位顾客评分 {product.rating:.1f}/5,{stock}。")
    description = product.display_description("zh")
    return Passage(f"product:{product.product_id}", "product", product.display_name("zh"),
                   f"{header}{description}", product.product_id, (header, description))


class ChineseAnswerer:
    def __init__(self, knowledge: KnowledgeBase, catalog: Catalog, price: Callable[[float], str],
                 unknown_reply: str, refused_reply: str) -> None:
        if knowledge.chinese is None:
            raise ValueError("the knowledge base has no Chinese text")
        self.knowledge = knowledge
        self.chinese = knowledge.chinese
        self.catalog = catalog
        self.unknown_reply = unknown_reply
        self.refused_reply = refused_reply
        facts = [Passage(f"fact:{f.id}", "policy", f.id, self.chinese.fact_text(f.id)) for f in knowledge.facts]
        products = [product_passage_zh(p, price) for p in catalog.products]
        self.passages = facts + products
        self._index = {p.passage_id: i for i, p in enumerate(self.passages)}
        self._bm25 = BM25Okapi([tokens(p.text + p.title) for p in self.passages])

    def warm_up(self) -> None:
        """Nothing to load: the index is built with the answerer."""

    def answer(self, question: str, product_id: str | None = None) -> GroundedAnswer:
        started = time.perf_counter()
        question = " ".join((question or "").split())[:1000]
        if not question:
            return GroundedAnswer(self.unknown_reply, "unknown")
        if screen(question).refused:
            return GroundedAnswer(self.refused_reply, "refused", seconds=time.perf_counter() - started)
        query = list(dict.fromkeys(tokens(question)))
        scores = np.asarray(self._bm25.get_scores(query), dtype=float) if query else np.zeros(len(self.passages))
        named = self.catalog.find_by_name(question) or self._named_in_chinese(question)
        product = named or self.catalog.get(product_id)
        policy = self.chinese.answer(question)
        if policy.kind == "fact" and not (named and not _is_policy_question(question)):
            hits = tuple(self._hit(f"fact:{fid}", scores) for fid in policy.fact_ids)
            return GroundedAnswer(policy.text, "passage", hits, seconds=time.perf_counter() - started)
        if product is not None:
            hit = self._hit(f"product:{product.product_id}", scores, named=named is not None)
            return GroundedAnswer(_focus(hit.passage, question), "passage", (hit,),
                                  seconds=time.perf_counter() - started)
        if policy.kind == "overview":
            return GroundedAnswer(policy.text, "passage", seconds=time.perf_counter() - started)
        best = int(np.argmax(scores)) if len(scores) else 0
        if len(scores) and self.passages[best].kind == "product" and scores[best] >= MIN_PRODUCT_SCORE:
            hit = self._hit(self.passages[best].passage_id, scores)
            return GroundedAnswer(_focus(hit.passage, question), "passage", (hit,),
                                  seconds=time.perf_counter() - started)
        return GroundedAnswer(self.unknown_reply, "unknown", seconds=time.perf_counter() - started)

    def _hit(self, passage_id: str, scores: np.ndarray, named: bool = False) -> Hit:
        index = self._index[passage_id]
        return Hit(self.passages[index], float(scores[index]), 0.0, float(scores[index]), named)

    def _named_in_chinese(self, question: str) -> Product | None:
        """A product whose Chinese name (without its brand) the question contains, the longest first."""
        best: Product | None = None
        for product in self.catalog.products:
            model = product.display_name("zh").split(" ", 1)[-1]
            if len(model) >= 4 and model in question and (best is None or len(model) > len(best.name_zh)):
                best = product
        return best


def _is_policy_question(question: str) -> bool:
    return bool(re.search(r"退|换|保修|质保|运费|配送|发货|付款|分期|取消", question))


def _focus(passage: Passage, question: str) -> str:
    """The data sheet's header answers price, stock and rating questions; anything else gets the
    whole sheet."""
    header = passage.pieces()[0]
    if _PRICE_Q.search(question) or _STOCK_Q.search(question) or _RATING_Q.search(question):
        return header
    return passage.text
