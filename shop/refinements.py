"""How a shopper shapes a recommendation: "show me more", "cheaper ones", "any brand", "what would I like?"."""

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

# Asking for the assistant's own judgement rather than naming a category.
_PERSONAL_RE = re.compile(
    r"\b(what (?:would|will|might|do you think) i(?:'d)? (?:like|love|enjoy|want)|what should i (?:buy|get)|"
    r"surprise me|(?:pick|choose|recommend) (?:something )?for me|something for me|you think i'?d like|"
    r"based on (?:my|what i)|suits? me)\b",
    re.IGNORECASE,
)
_LIKE_LAST_RE = re.compile(
    r"\b((?:like|similar to) (?:what|the (?:one|thing|stuff)s?) i (?:bought|ordered|got|purchased)|"
    r"(?:like|similar to) my (?:last|previous|recent) (?:order|purchase|one)|like last time)\b",
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
