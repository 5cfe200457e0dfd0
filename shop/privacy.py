"""Erasure of a customer's data across every store, and conversation retention.

Stores that hold personal data register in ``customer_stores`` (one list, used by the chat's
data-deletion action and by ``python -m shop.admin``): each has a ``name`` and
``erase_customer(customer_id) -> int`` (rows removed). Conversations are special: Rasa's tracker
store knows conversations by sender id, so the customer's conversations are found by the
``customer_id`` slot that linked them to the account.

Every erasure and expiry writes an audit line (state database ``audit_log`` and this module's
log) that names the customer id, who asked and how many rows went — never the data itself.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Protocol

from sqlalchemy import Column, Float, Integer, MetaData, String, Table, Text, delete, func, select

from shop.config import Settings, load_marketing_settings
from shop.marketing.store import MarketingStore
from shop.state import StateStore, make_engine, scrub

logger = logging.getLogger(__name__)

# Rasa's SQL tracker store table (rasa.core.tracker_store.SQLTrackerStore.SQLEvent).
_tracker_metadata = MetaData()
events = Table(
    "events", _tracker_metadata,
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255), nullable=False),
    Column("type_name", String(255), nullable=False),
    Column("timestamp", Float),
    Column("intent_name", String(255)),
    Column("action_name", String(255)),
    Column("data", Text),
)

# Rasa's SQL event broker table (rasa.core.brokers.sql.SQLEventBroker.SQLBrokerEvent), in a database
# of its own: the analytics copy of every conversation (rasa_ext/brokers.py).
_broker_metadata = MetaData()
broker_events = Table(
    "events", _broker_metadata,
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255)),
    Column("data", Text),
)


class Erasable(Protocol):
    """A store with personal data about customers."""

    name: str

    def erase_customer(self, customer_id: str) -> int: ...


class ConversationStore:
    """Rasa's conversations (its SQL tracker store), reached through the same database URL, and
    their analytics copy (the event broker's database) when ``events_url`` is given."""

    name = "conversations"

    def __init__(self, url: str, events_url: str = "") -> None:
        self.engine = make_engine(url)
        self.events_engine = make_engine(events_url) if events_url else None
        if self.events_engine is not None:
            # The Rasa server creates it on start; an erasure may come first (admin on a new install).
            _broker_metadata.create_all(self.events_engine)

    def close(self) -> None:
        self.engine.dispose()
        if self.events_engine is not None:
            self.events_engine.dispose()

    def senders_of(self, customer_id: str) -> list[str]:
        """Conversations linked to the customer (a ``customer_id`` slot event with their id)."""
        pattern = f'%"value": {json.dumps(customer_id)}%'
        query = select(events.c.sender_id, events.c.data).where(
            events.c.type_name == "slot", events.c.data.like('%"name": "customer_id"%'), events.c.data.like(pattern))
        with self.engine.connect() as db:
            rows = db.execute(query).all()
        found = set()
        for sender_id, data in rows:
            event = json.loads(data)
            if event.get("name") == "customer_id" and event.get("value") == customer_id:
                found.add(sender_id)
        return sorted(found)

    def erase_senders(self, sender_ids: Sequence[str]) -> int:
        if not sender_ids:
            return 0
        with self.engine.begin() as db:
            removed = db.execute(delete(events).where(events.c.sender_id.in_(list(sender_ids)))).rowcount
        if self.events_engine is not None:
            with self.events_engine.begin() as db:
                removed += db.execute(delete(broker_events)
                                      .where(broker_events.c.sender_id.in_(list(sender_ids)))).rowcount
        return removed

    def idle_since(self, cutoff: datetime) -> list[str]:
        """Conversations whose newest event is older than the cutoff."""
        query = (select(events.c.sender_id).group_by(events.c.sender_id)
                 .having(func.max(events.c.timestamp) < cutoff.timestamp()))
        with self.engine.connect() as db:
            return list(db.scalars(query))


@dataclass(frozen=True)
class ErasureReport:
    customer_id: str
    removed: dict[str, int] = field(default_factory=dict)
    conversations: int = 0

    @property
    def total(self) -> int:
        return sum(self.removed.values())


class _StateRows:
    """The state database's rows about a customer, as an Erasable."""

    name = "state"

    def __init__(self, state: StateStore) -> None:
        self.state = state

    def erase_customer(self, customer_id: str) -> int:
        return self.state.erase_customer(customer_id)


def customer_stores(state: StateStore, marketing: Erasable | None = None) -> list[Erasable]:
    """Every store with customer data besides conversations; add new stores here. The marketing
    store (offers, coupons, events) comes from the ``marketing:`` settings unless one is given."""
    if marketing is None:
        marketing = MarketingStore(load_marketing_settings().database_url)
    return [_StateRows(state), marketing]


class Privacy:
    """Carries out erasure requests and conversation retention."""

    def __init__(self, state: StateStore, conversations: ConversationStore | None,
                 stores: Sequence[Erasable] | None = None) -> None:
        self.state = state
        self.conversations = conversations
        self.stores = list(stores) if stores is not None else customer_stores(state)

    @classmethod
    def from_settings(cls, settings: Settings, state: StateStore, marketing: Erasable | None = None) -> Privacy:
        url = settings.privacy.tracker_url
        return cls(state, ConversationStore(url, settings.privacy.events_url) if url else None,
                   customer_stores(state, marketing))

    def erase_customer(self, customer_id: str, actor: str, keep_sender: str | None = None) -> ErasureReport:
        """Erases everything about the customer; ``keep_sender`` is a conversation still running
        (the Rasa server erases that one itself when it stores the turn, see rasa_ext/stores.py)."""
        removed: dict[str, int] = {}
        senders = self.conversations.senders_of(customer_id) if self.conversations else []
        if self.conversations:
            removed["conversations"] = self.conversations.erase_senders([s for s in senders if s != keep_sender])
        removed["conversation_state"] = self.state.erase_senders(senders + ([keep_sender] if keep_sender else []))
        for store in self.stores:
            removed[store.name] = removed.get(store.name, 0) + store.erase_customer(customer_id)
        self.state.mark_erased(customer_id)
        self._scrub()
        report = ErasureReport(customer_id, removed, len(set(senders) | ({keep_sender} if keep_sender else set())))
        self._audit("erase", customer_id, actor, report.removed)
        return report

    def erase_conversation(self, sender_id: str, actor: str) -> int:
        """An anonymous shopper's request: their conversation's state rows (Rasa erases the events)."""
        removed = self.state.erase_senders([sender_id])
        self._scrub()
        self._audit("erase", "anonymous conversation", actor, {"conversation_state": removed})
        return removed

    def expire(self, retention_days: float, actor: str, now: datetime | None = None) -> int:
        """Deletes conversations idle for longer than the retention period; returns how many."""
        if not self.conversations:
            return 0
        cutoff = (now or datetime.now(UTC)) - timedelta(days=retention_days)
        senders = self.conversations.idle_since(cutoff)
        removed = self.conversations.erase_senders(senders)
        self._scrub()
        self._audit("expire", f"idle before {cutoff.isoformat(timespec='seconds')}", actor,
                    {"conversations": len(senders), "events": removed})
        return len(senders)

    def _scrub(self) -> None:
        """Nothing of the erased rows left readable in any SQLite file (free pages, write-ahead log)."""
        engines = [self.state.engine, *(getattr(store, "engine", None) for store in self.stores)]
        if self.conversations:
            engines.append(self.conversations.engine)
        for engine in {id(e): e for e in engines if e is not None}.values():
            scrub(engine)

    def _audit(self, action: str, subject: str, actor: str, counts: dict[str, int]) -> None:
        detail = json.dumps(counts, sort_keys=True)
        self.state.audit(action, subject, actor, detail)
        logger.info(f"AUDIT {action} subject={subject} actor={actor} removed={detail}")
