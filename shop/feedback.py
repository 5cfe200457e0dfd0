"""Shopper feedback on recommendations, kept as interactions for the recommender's next training.

Rows live in the state database, so every action-server process (on any host) records into and
reads from the same log; ``export_feedback`` writes them to the CSV the recommender trains from
(columns of interactions.csv), which is what its fingerprint covers.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from shop.recommender.data import EVENT_COLUMNS
from shop.state import StateStore

# "details": asked about a product we suggested (worth a view); "add_to_cart": put it in the chat's
# cart (the recommender weighs it like a shop cart, event_weights.add_to_cart); "not_interested":
# never suggest it again.
FEEDBACK_EVENTS = frozenset({"details", "add_to_cart", "not_interested"})


class FeedbackLog:
    """Records and reads feedback rows in the shared state database."""

    def __init__(self, state: StateStore) -> None:
        self.state = state

    def record(self, shopper: str, product_id: str, event: str, when: datetime | None = None) -> None:
        if event not in FEEDBACK_EVENTS:
            raise ValueError(f"unknown feedback event {event!r}; expected one of {sorted(FEEDBACK_EVENTS)}")
        if not shopper or not product_id:
            raise ValueError("feedback needs a shopper and a product")
        stamp = (when or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
        self.state.add_feedback(shopper, product_id, event, stamp)

    def dismissed_by(self, shopper: str) -> set[str]:
        """Products this shopper said they are not interested in (before any retraining)."""
        if not shopper:
            return set()
        return self.state.products_with_feedback(shopper, "not_interested")


def export_feedback(state: StateStore, path: str | Path) -> int:
    """Writes every feedback row to the training CSV (atomically); returns the row count.

    The file is rewritten only when its content would change, so an unchanged log leaves the
    recommender's fingerprint, and so its artifact, as they are.
    """
    path = Path(path)
    rows = state.feedback_rows()
    if not rows and not path.exists():
        return 0
    lines = [",".join(EVENT_COLUMNS)] + [",".join(_csv_field(v) for v in row) for row in rows]
    content = ("\r\n".join(lines) + "\r\n").encode("utf-8")
    if path.is_file() and path.read_bytes() == content:
        return len(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    partial.write_bytes(content)
    partial.replace(path)
    return len(rows)


def _csv_field(value: str) -> str:
    if any(ch in value for ch in ',"\r\n'):
        return '"' + value.replace('"', '""') + '"'
    return value

