"""Follow-up requests on a list of recommendations: "show me more", "cheaper ones", "any brand"."""

from __future__ import annotations

import re
from dataclasses import dataclass

_MORE_RE = re.compile(r"\b(more|other|others|another|else|different|next|alternatives?)\b", re.IGNORECASE)
_CHEAPER_RE = re.compile(
    r"\b(cheaper|less expensive|lower price[ds]?|more affordable|too expensive|too pricey|budget option)",
    re.IGNORECASE,
)
_ANY_BRAND_RE = re.compile(
    r"\b(any brand|all brands|no brand preference|don'?t care about (?:the )?brand|brand doesn'?t matter|"
    r"other brands)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Refinement:
    more: bool = False
    cheaper: bool = False
    any_brand: bool = False


def parse_refinement(text: str | None) -> Refinement:
    """What the shopper wants changed about the last recommendations, if anything."""
    if not text or not isinstance(text, str):
        return Refinement()
    text = text[:1000]
    return Refinement(
        more=bool(_MORE_RE.search(text)),
        cheaper=bool(_CHEAPER_RE.search(text)),
        any_brand=bool(_ANY_BRAND_RE.search(text)),
    )
