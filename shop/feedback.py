"""Shopper feedback on recommendations, kept as interactions for the recommender's next training."""

from __future__ import annotations

import csv
import threading
from datetime import UTC, datetime
from pathlib import Path

from shop.recommender.data import EVENT_COLUMNS

# "details": asked about a product we suggested (worth a view); "not_interested": never suggest it again.
FEEDBACK_EVENTS = frozenset({"details", "not_interested"})


class FeedbackLog:
    """Appends feedback rows to a CSV with the columns of interactions.csv.

    Appending keeps every row a shopper ever gave, even across crashes and restarts; the
    recommender reads the file whole when it trains (its fingerprint covers the file).
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        # Parsed "not interested" rows, re-read only when the file changes: this is asked on every
        # recommendation and the file only grows.
        self._dismissed: dict[str, set[str]] = {}
        self._read_version: tuple[int, int] | None = None

    def record(self, shopper: str, product_id: str, event: str, when: datetime | None = None) -> None:
        if event not in FEEDBACK_EVENTS:
            raise ValueError(f"unknown feedback event {event!r}; expected one of {sorted(FEEDBACK_EVENTS)}")
        if not shopper or not product_id:
            raise ValueError("feedback needs a shopper and a product")
        stamp = (when or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            new = not self.path.exists() or self.path.stat().st_size == 0
            with self.path.open("a", newline="", encoding="utf-8") as handle:
                writer = csv.writer(handle)
                if new:
                    writer.writerow(EVENT_COLUMNS)
                writer.writerow([shopper, product_id, event, stamp])

    def dismissed_by(self, shopper: str) -> set[str]:
        """Products this shopper said they are not interested in (before any retraining)."""
        if not shopper:
            return set()
        with self._lock:
            try:
                stat = self.path.stat()
            except OSError:
                return set()
            if (stat.st_mtime_ns, stat.st_size) != self._read_version:
                dismissed: dict[str, set[str]] = {}
                with self.path.open(newline="", encoding="utf-8") as handle:
                    for row in csv.DictReader(handle):
                        if row.get("event") == "not_interested":
                            dismissed.setdefault(row.get("customer_id") or "", set()).add(row.get("product_id") or "")
                self._dismissed, self._read_version = dismissed, (stat.st_mtime_ns, stat.st_size)
            return set(self._dismissed.get(shopper, ()))
