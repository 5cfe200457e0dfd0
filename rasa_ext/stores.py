"""The tracker store and lock store the Rasa server is configured with (endpoints.yml).

- ``PrivateSQLTrackerStore``: Rasa's SQL tracker store (SQLite or PostgreSQL) that
  * masks personal data (shop.pii) in every event it writes, so stored conversations hold no
    emails, phone or card numbers or addresses — the actions still see the current message as
    the shopper typed it, because a turn runs on the in-memory tracker and is stored at its end;
  * erases the conversation when the data-deletion action has run in it (see ``_erased_from``);
  * fails at start with a clear error when the database cannot be reached within
    ``connect_timeout`` seconds, where Rasa's own store would retry forever;
  * masks personal data in the Rasa server's log records too (it is loaded before any turn);
  * fails closed: Rasa wraps every tracker store in ``FailSafeTrackerStore``, which on a failed
    save goes on in memory (turns lost when the server restarts, an erasure never stored) and on a
    failed read starts the conversation afresh; with this module loaded, the turn fails instead
    and the channel tells the shopper (rasa_ext/channels.py).
- ``CheckedRedisLockStore``: Rasa's Redis lock store that checks Redis at start and stops with
  a clear error when it is down, instead of failing on the first message.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any

import sqlalchemy as sa
from rasa.core.lock_store import LOCK_LIFETIME, LockStore, RedisLockStore
from rasa.core.tracker_store import FailSafeTrackerStore, SQLTrackerStore, validate_port
from rasa.shared.core.events import ActionExecuted, Event, SlotSet
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from shop.pii import TurnMasker, install_log_masking

logger = logging.getLogger(__name__)

# The action that carries out a data-deletion request, and the slot event it returns when it did.
ERASE_ACTION = "action_confirm_data_deletion"
ERASE_DONE_SLOT = "erasure_requested"


class StoreUnavailable(RuntimeError):
    """A store the Rasa server needs (database, Redis) cannot be reached."""


def _fail_closed(_store: FailSafeTrackerStore, error: Exception) -> None:
    logger.error("The tracker store failed (%s); this turn fails rather than going on without it.",
                 type(error).__name__)
    raise StoreUnavailable("the conversation store cannot be read or written") from error


# Called inside FailSafeTrackerStore's ``except`` blocks: raising there skips its in-memory fallback.
FailSafeTrackerStore.on_tracker_store_error = _fail_closed  # type: ignore[method-assign]
FailSafeTrackerStore.on_tracker_store_retrieve_error = _fail_closed  # type: ignore[method-assign]


def _erased_from(events: list[Event]) -> int | None:
    """Index of the last completed erasure among the events (the action, then its slot event)."""
    found = None
    for index, event in enumerate(events):
        if isinstance(event, ActionExecuted) and event.action_name == ERASE_ACTION:
            following = events[index + 1:index + 6]
            if any(isinstance(e, SlotSet) and e.key == ERASE_DONE_SLOT and e.value is False for e in following):
                found = index
    return found


class PrivateSQLTrackerStore(SQLTrackerStore):
    """SQL tracker store with PII masking, erasure on request and a bounded connection check."""

    def __init__(
        self,
        domain: Any = None,
        dialect: str = "sqlite",
        host: str | None = None,
        port: int | None = None,
        db: str = "rasa.db",
        username: str | None = None,
        password: str | None = None,
        event_broker: Any = None,
        login_db: str | None = None,
        query: dict | None = None,
        connect_timeout: float = 20.0,
        **kwargs: Any,
    ) -> None:
        install_log_masking()
        url = self.get_db_url(dialect, host, validate_port(port), db, username, password, login_db, query)
        _wait_for_database(url, float(connect_timeout))
        super().__init__(domain=domain, dialect=dialect, host=host, port=port, db=db, username=username,
                         password=password, event_broker=event_broker, login_db=login_db, query=query, **kwargs)

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Stores the turn's new events, masked; after an erasure, only what followed it."""
        await self.stream_events(tracker)
        with self.session_scope() as session:
            new_events = list(self._additional_events(session, tracker))
            erased_at = _erased_from(new_events)
            sqlite = session.bind is not None and session.bind.dialect.name == "sqlite"
            if erased_at is not None:
                if sqlite:  # the deleted rows' bytes are overwritten, not left in free pages
                    session.execute(sa.text("PRAGMA secure_delete=ON"))
                session.query(self.SQLEvent).filter(self.SQLEvent.sender_id == tracker.sender_id).delete()
                # The analytics copy of the conversation goes too (rasa_ext/brokers.py).
                erase_copy = getattr(self.event_broker, "erase", None)
                if callable(erase_copy):
                    erase_copy(tracker.sender_id)
                new_events = new_events[erased_at:]
                logger.info("Conversation erased on the shopper's request (data-deletion action).")
            masker = TurnMasker()
            for event in new_events:
                data = masker.mask(event.as_dict())
                session.add(self.SQLEvent(
                    sender_id=tracker.sender_id,
                    type_name=event.type_name,
                    timestamp=data.get("timestamp"),
                    intent_name=(data.get("parse_data") or {}).get("intent", {}).get("name"),
                    action_name=data.get("name"),
                    data=json.dumps(data),
                ))
            session.commit()
            if erased_at is not None and sqlite:
                # The write-ahead log (the action server opens this file in WAL mode) still holds the
                # pages as they were: copy it into the database and truncate it.
                session.execute(sa.text("PRAGMA wal_checkpoint(TRUNCATE)"))


def _wait_for_database(url: Any, timeout: float) -> None:
    engine = sa.create_engine(url, **({"connect_args": {"connect_timeout": 3}}
                                      if str(url).startswith("postgres") else {}))
    if engine.dialect.name == "sqlite":
        _check_sqlite_writable(engine, url)
        return
    deadline = time.monotonic() + timeout
    try:
        while True:
            try:
                with engine.connect():
                    return
            except sa.exc.OperationalError as error:
                if time.monotonic() >= deadline:
                    shown = sa.engine.make_url(url).__repr__()  # repr hides the password
                    raise StoreUnavailable(
                        f"The tracker store database {shown} is unreachable after {timeout:.0f} s: "
                        f"{str(error.orig).strip()}. Start the database or fix the tracker_store "
                        f"settings in endpoints.yml (RASA_TRACKER_URL)."
                    ) from None
                logger.warning(f"Waiting for the tracker store database: {str(error.orig).strip()}")
                time.sleep(1)
    finally:
        engine.dispose()


def _check_sqlite_writable(engine: Any, url: Any) -> None:
    """A SQLite file opens or it does not: no waiting. It must also take writes, or Rasa's fail-safe
    store would keep the conversations in memory only and forget them (read-only file or folder)."""
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
            connection.exec_driver_sql("ROLLBACK")
    except sa.exc.OperationalError as error:
        raise StoreUnavailable(
            f"The tracker store's SQLite file {sa.engine.make_url(url).database} cannot be opened for "
            f"writing: {str(error.orig).strip()}. Fix RASA_TRACKER_DB (its folder must exist and be "
            f"writable)."
        ) from None
    finally:
        engine.dispose()


class CheckedRedisLockStore(RedisLockStore):
    """Redis lock store that refuses to start without a reachable Redis."""

    def __init__(self, endpoint_config: EndpointConfig) -> None:
        kwargs = dict(endpoint_config.kwargs)
        connect_timeout = float(kwargs.pop("connect_timeout", 10))
        super().__init__(host=endpoint_config.url or "localhost", **kwargs)
        deadline = time.monotonic() + connect_timeout
        while True:
            try:
                self.red.ping()
                return
            except Exception as error:  # noqa: BLE001 - redis raises several kinds here
                if time.monotonic() >= deadline:
                    raise StoreUnavailable(
                        f"The Redis lock store at {endpoint_config.url}:{kwargs.get('port', 6379)} is "
                        f"unreachable after {connect_timeout:.0f} s: {error}. Start Redis or fix the "
                        f"lock_store settings in endpoints.yml (REDIS_HOST, REDIS_PORT)."
                    ) from None
                time.sleep(1)

    # Rasa's lock store reads a conversation's ticket lock, changes it and writes it back. Two Rasa
    # servers doing so at once can both draw the first ticket and process the same conversation
    # together, and one of the two turns is then lost from the tracker store (seen in the scale-out
    # test). A Redis mutex per conversation makes each read-change-write atomic.
    def _mutex(self, conversation_id: str) -> Any:
        return self.red.lock(f"{self.key_prefix}{conversation_id}:mutex", timeout=10, blocking_timeout=10)

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        with self._mutex(conversation_id):
            return super().issue_ticket(conversation_id, lock_lifetime)

    def update_lock(self, conversation_id: str) -> None:
        with self._mutex(conversation_id):
            super().update_lock(conversation_id)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        with self._mutex(conversation_id):
            super().finish_serving(conversation_id, ticket_number)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        with self._mutex(conversation_id):
            LockStore.finish_serving(self, conversation_id, ticket_number)  # the mutex is held already
            if not self.is_someone_waiting(conversation_id):
                self.delete_lock(conversation_id)
