"""How a shopper shapes a recommendation: "show me more", "cheaper ones", "any brand", "what would I like?"."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Each pattern reads English and Chinese ("再给我看看别的", "有没有更便宜的", "品牌无所谓").
_MORE_RE = re.compile(r"\b(more|other|others|another|else|different|next|alternatives?)\b|"
                      r"更多|别的|其他|其它|再来|再给我|再看看|换一批|还有吗|还有没有", re.IGNORECASE)
_CHEAPER_RE = re.compile(
    r"\b(cheaper|less expensive|lower price[ds]?|more affordable|too expensive|too pricey|budget option)|"
    r"更便宜|便宜点|便宜一点|便宜些|便宜的|太贵|更实惠|价格低一点",
    re.IGNORECASE,
)
_ANY_BRAND_RE = re.compile(
    r"\b(any brand|all brands|no brand preference|don'?t care about (?:the )?brand|brand doesn'?t matter|"
    r"other brands)\b|什么牌子都|品牌无所谓|牌子无所谓|不限品牌|任何品牌|其他品牌|其它品牌|别的牌子|别的品牌",
    re.IGNORECASE,
)

# Asking for the assistant's own judgement rather than naming a category.
_PERSONAL_RE = re.compile(
    r"\b(what (?:would|will|might|do you think) i(?:'d)? (?:like|love|enjoy|want)|what should i (?:buy|get)|"
    r"surprise me|(?:pick|choose|recommend) (?:something )?for me|something for me|you think i'?d like|"
    r"based on (?:my|what i)|suits? me)\b|我会喜欢什么|适合我的|帮我挑|你觉得我|给我推荐点什么",
    re.IGNORECASE,
)
_LIKE_LAST_RE = re.compile(
    r"\b((?:like|similar to) (?:what|the (?:one|thing|stuff)s?) i (?:bought|ordered|got|purchased)|"
    r"(?:like|similar to) my (?:last|previous|recent) (?:order|purchase|one)|like last time)\b|"
    r"和上次一样|跟上次一样|类似上次|像上次|(?:和|跟|像)我(?:上次|之前|以前)买的",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Refinement:
    more: bool = False
    cheaper: bool = False
    any_brand: bool = False
    personal: bool = False  # "what would I like?": rank across the catalogue for this shopper
    like_last_purchase: bool = False  # "something like what I bought last time"


def parse_refinement(text: str | None) -> Refinement:
    """What the shopper wants changed about the last recommendations, if anything."""
    if not text or not isinstance(text, str):
        return Refinement()
    text = text[:1000]
    return Refinement(
        more=bool(_MORE_RE.search(text)),
        cheaper=bool(_CHEAPER_RE.search(text)),
        any_brand=bool(_ANY_BRAND_RE.search(text)),
        personal=bool(_PERSONAL_RE.search(text)),
        like_last_purchase=bool(_LIKE_LAST_RE.search(text)),
    )
