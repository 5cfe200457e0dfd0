"""Recognises order numbers (KE-123456) however shoppers type them."""

from __future__ import annotations

import re

ORDER_ID_EXAMPLE = "KE-104233"
_CANONICAL_RE = re.compile(r"(?<![A-Za-z0-9])(?:ke[\s\-#]*)?#?(\d{6})(?!\d)", re.IGNORECASE)
_PREFIXED_RE = re.compile(r"(?<![A-Za-z0-9])ke[\s\-#]*(\d{6})(?!\d)", re.IGNORECASE)
# Something the shopper probably meant as an order number, but in the wrong shape.
_ATTEMPT_RE = re.compile(r"(?<![A-Za-z0-9])(?:ke[\s\-#]*\w+|#\s*\w+|\d{3,})", re.IGNORECASE)


def parse_order_id(text: str | None, *, require_prefix: bool = False) -> str | None:
    """Returns the canonical ``KE-dddddd`` id found in the text, or ``None``.

    Without ``require_prefix`` a bare six-digit number counts too ("it's 104233"),
    which is right when the assistant has just asked for an order number.
    """
    if not text or not isinstance(text, str):
        return None
    text = text[:2000]
    match = (_PREFIXED_RE if require_prefix else _CANONICAL_RE).search(text)
    if not match:
        return None
    return f"KE-{match.group(1)}"


def looks_like_order_attempt(text: str | None) -> bool:
    """True when the text holds something order-number-like that is not a valid id."""
    if not text or not isinstance(text, str):
        return False
    return parse_order_id(text) is None and bool(_ATTEMPT_RE.search(text[:2000]))
