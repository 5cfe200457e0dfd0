"""Runtime state that must survive restarts: tickets, cancellations, consent changes.

The committed CSVs are the shop's seed data and are never rewritten; what
happens in conversations is recorded here and laid over them.
"""

from __future__ import annotations

import secrets
import sqlite3
import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS order_status_changes (
    order_id TEXT PRIMARY KEY,
    status TEXT NOT NULL,
    changed_at TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS tickets (
    ticket_id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    customer_id TEXT,
    sender_id TEXT,
    summary TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS customer_settings (
    customer_id TEXT PRIMARY KEY,
    marketing_consent INTEGER,
    erasure_requested_at TEXT
);
"""


@dataclass(frozen=True)
class Ticket:
    ticket_id: str
    kind: str
    customer_id: str | None
    sender_id: str | None
    summary: str
    created_at: str


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class StateStore:
    """A small SQLite database; one connection guarded by a lock (writes are rare and tiny)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA busy_timeout=5000")
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # Orders -----------------------------------------------------------------
    def order_status_overrides(self) -> dict[str, str]:
        with self._lock:
            rows = self._db.execute("SELECT order_id, status FROM order_status_changes").fetchall()
        return dict(rows)

    def order_status_override(self, order_id: str) -> str | None:
        with self._lock:
            row = self._db.execute(
                "SELECT status FROM order_status_changes WHERE order_id = ?", (order_id,)
            ).fetchone()
        return row[0] if row else None

    def set_order_status(self, order_id: str, status: str, reason: str = "") -> None:
        with self._lock:
            self._db.execute(
                "INSERT INTO order_status_changes (order_id, status, changed_at, reason) "
                "VALUES (?, ?, ?, ?) ON CONFLICT(order_id) DO UPDATE SET "
                "status = excluded.status, changed_at = excluded.changed_at, reason = excluded.reason",
                (order_id, status, _now(), reason),
            )

    # Tickets ----------------------------------------------------------------
    def create_ticket(
        self, kind: str, summary: str, customer_id: str | None = None, sender_id: str | None = None
    ) -> Ticket:
        summary = summary[:2000]
        with self._lock:
            while True:
                ticket_id = f"KT-{secrets.token_hex(3).upper()}"
                try:
                    ticket = Ticket(ticket_id, kind, customer_id, sender_id, summary, _now())
                    self._db.execute(
                        "INSERT INTO tickets VALUES (?, ?, ?, ?, ?, ?)",
                        (ticket.ticket_id, kind, customer_id, sender_id, summary, ticket.created_at),
                    )
                    return ticket
                except sqlite3.IntegrityError:  # id collision: draw again
                    continue

    def ticket(self, ticket_id: str) -> Ticket | None:
        with self._lock:
            row = self._db.execute("SELECT * FROM tickets WHERE ticket_id = ?", (ticket_id,)).fetchone()
        return Ticket(*row) if row else None

    # Customers --------------------------------------------------------------
    def marketing_consent(self, customer_id: str) -> bool | None:
        with self._lock:
            row = self._db.execute(
                "SELECT marketing_consent FROM customer_settings WHERE customer_id = ?", (customer_id,)
            ).fetchone()
        return None if row is None or row[0] is None else bool(row[0])

    def set_marketing_consent(self, customer_id: str, consent: bool) -> None:
        with self._lock:
            self._db.execute(
                "INSERT INTO customer_settings (customer_id, marketing_consent) VALUES (?, ?) "
                "ON CONFLICT(customer_id) DO UPDATE SET marketing_consent = excluded.marketing_consent",
                (customer_id, int(consent)),
            )

    def request_erasure(self, customer_id: str) -> None:
        with self._lock:
            self._db.execute(
                "INSERT INTO customer_settings (customer_id, erasure_requested_at) VALUES (?, ?) "
                "ON CONFLICT(customer_id) DO UPDATE SET erasure_requested_at = excluded.erasure_requested_at",
                (customer_id, _now()),
            )

    def erasure_requested_at(self, customer_id: str) -> str | None:
        with self._lock:
            row = self._db.execute(
                "SELECT erasure_requested_at FROM customer_settings WHERE customer_id = ?", (customer_id,)
            ).fetchone()
        return row[0] if row else None
