"""Runtime state that must survive restarts: tickets, cancellations, consent changes, feedback.

The committed CSVs are the shop's seed data and are never rewritten; what happens in
conversations is recorded here and laid over them.

The store lives behind a database URL (SQLAlchemy Core): an SQLite file by default, PostgreSQL
(``postgresql+psycopg://…``) when several action-server processes share it. Every write is one
short transaction, so processes can share the database without further coordination.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import (
    Column,
    Engine,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    delete,
    event,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError, OperationalError

from shop.pii import mask_text

metadata = MetaData()

order_status_changes = Table(
    "order_status_changes", metadata,
    Column("order_id", String(32), primary_key=True),
    Column("status", String(32), nullable=False),
    Column("changed_at", String(40), nullable=False),
    Column("reason", Text, nullable=False, default=""),
)
tickets = Table(
    "tickets", metadata,
    Column("ticket_id", String(16), primary_key=True),
    Column("kind", String(40), nullable=False),
    Column("customer_id", String(32)),
    Column("sender_id", Text),
    Column("summary", Text, nullable=False),
    Column("created_at", String(40), nullable=False),
)
customer_settings = Table(
    "customer_settings", metadata,
    Column("customer_id", String(32), primary_key=True),
    Column("marketing_consent", Integer),
    Column("erasure_requested_at", String(40)),
)
# Shoppers' reactions to recommendations (columns of interactions.csv); shared by every
# action-server process and read by the recommender's training.
feedback = Table(
    "feedback", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("customer_id", Text, nullable=False),
    Column("product_id", String(32), nullable=False),
    Column("event", String(32), nullable=False),
    Column("timestamp", String(40), nullable=False),
    Index("feedback_customer", "customer_id", "event"),
)
# Who erased what and when: the record a privacy request must leave (no personal data in it
# beyond the customer id the request was about).
audit_log = Table(
    "audit_log", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", String(40), nullable=False),
    Column("action", String(40), nullable=False),
    Column("subject", String(64), nullable=False),
    Column("actor", String(64), nullable=False),
    Column("detail", Text, nullable=False),
)


# Pending one-time codes (shop/verification.py), one per conversation: only a salted scrypt hash of the
# code is kept, with the account it would link (None when the email has no account: the shopper is
# told the same either way, and no code can match).
verification_codes = Table(
    "verification_codes", metadata,
    Column("sender_id", String(300), primary_key=True),
    Column("customer_id", String(32)),
    Column("code_hash", String(128), nullable=False),
    Column("expires_at", Float, nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
)
# One row per counted event (a look-up, a code request, a failed verification) under a key such as
# "lookup:conv:<sender>": a sliding window shared by every action-server process (shop/rate_limits.py).
rate_events = Table(
    "rate_events", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String(200), nullable=False),
    Column("at", Float, nullable=False),
    Index("rate_events_key", "key", "at"),
)


# Customers whose data was erased: the shop's seed profile (customers.csv, never rewritten) is no
# longer used for them. Only the id and the time; nothing else about them is kept.
erased_customers = Table(
    "erased_customers", metadata,
    Column("customer_id", String(32), primary_key=True),
    Column("erased_at", String(40), nullable=False),
)


class StateStoreUnavailable(RuntimeError):
    """The state database cannot be reached or opened."""


@dataclass(frozen=True)
class Ticket:
    ticket_id: str
    kind: str
    customer_id: str | None
    sender_id: str | None
    summary: str
    created_at: str


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def database_url(url_or_path: str | Path) -> str:
    """A SQLAlchemy URL; a plain path (or ``:memory:``) means an SQLite file."""
    text = str(url_or_path)
    if text.startswith("sqlite:///") and text != "sqlite:///:memory:":
        # An SQLite URL to a file in a folder not made yet (var/ in a fresh clone).
        Path(text.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    if "://" in text:
        return text
    if text == ":memory:":
        return "sqlite://"
    path = Path(text)
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


def make_engine(url_or_path: str | Path) -> Engine:
    """An engine with the settings this project's stores share (also for other stores on the same URL)."""
    url = database_url(url_or_path)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 5})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(connection, _record) -> None:  # type: ignore[no-untyped-def]
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA busy_timeout=5000")
            # Deleted rows are overwritten, not left readable in free pages (erasure, shop/privacy.py).
            connection.execute("PRAGMA secure_delete=ON")

        return engine
    # pool_pre_ping: a PostgreSQL restart must not leave dead connections in the pool.
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5,
                         connect_args={"connect_timeout": 5})


def check_writable(engine: Engine) -> None:
    """Fails (OperationalError) unless the database takes writes: a read-only SQLite file would
    otherwise open fine and fail only when a shopper's cancellation or erasure is written."""
    if engine.dialect.name != "sqlite":
        return  # PostgreSQL reports a read-only server or missing rights on the first write, loudly
    with engine.connect() as connection:
        connection.exec_driver_sql("BEGIN IMMEDIATE")  # takes the write lock: SQLITE_READONLY if it cannot
        connection.exec_driver_sql("ROLLBACK")


def scrub(engine: Engine) -> None:
    """After deleting personal data: SQLite's write-ahead log still holds the pages as they were, so
    it is copied into the (securely deleted) database and truncated. PostgreSQL deletes rows for good
    once vacuumed; nothing to do here."""
    if engine.dialect.name != "sqlite":
        return
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


# Any constant shared by every process of this project: the key of the lock below.
_SCHEMA_LOCK_KEY = 0x4B455354  # "KEST"


def create_tables(tables: MetaData, engine: Engine) -> None:
    """Create the missing tables of ``tables``. PostgreSQL's CREATE TABLE IF NOT EXISTS is not safe
    when two processes run it at once (the loser fails on pg_type's unique index), so processes
    starting together (several action servers) take turns under a transaction-scoped advisory lock."""
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _SCHEMA_LOCK_KEY})
        tables.create_all(connection)


def _safe_url(url: str) -> str:
    """The URL without its password, for error messages."""

    return make_url(url).render_as_string(hide_password=True)


class StateStore:
    """Tickets, order cancellations, consent, erasure requests, feedback and the audit log."""

    def __init__(self, url_or_path: str | Path) -> None:
        try:
            self.url = database_url(url_or_path)
        except OSError as exc:  # its folder cannot be made (a file in the way, no permission)
            raise StateStoreUnavailable(f"cannot create the folder of the state database {url_or_path}: {exc}") from exc
        self.engine = make_engine(self.url)
        try:
            create_tables(metadata, self.engine)
            check_writable(self.engine)
        except OperationalError as exc:
            self.engine.dispose()
            raise StateStoreUnavailable(
                f"cannot open the state database {_safe_url(self.url)} for writing: {exc.orig}"
            ) from exc

    def close(self) -> None:
        self.engine.dispose()

    def ping(self) -> None:
        """Raises StateStoreUnavailable unless the database answers a trivial query."""
        try:
            with self.engine.connect() as db:
                db.execute(text("SELECT 1"))
        except OperationalError as exc:
            raise StateStoreUnavailable(f"state database {_safe_url(self.url)}: {exc.orig}") from exc

    # Orders -----------------------------------------------------------------
    def order_status_overrides(self) -> dict[str, str]:
        with self.engine.connect() as db:
            rows = db.execute(select(order_status_changes.c.order_id, order_status_changes.c.status))
            return {order_id: status for order_id, status in rows}

    def order_status_override(self, order_id: str) -> str | None:
        with self.engine.connect() as db:
            return db.scalar(select(order_status_changes.c.status)
                             .where(order_status_changes.c.order_id == order_id))

    def set_order_status(self, order_id: str, status: str, reason: str = "") -> None:
        values = {"status": status, "changed_at": now_iso(), "reason": reason}
        with self.engine.begin() as db:
            changed = db.execute(update(order_status_changes)
                                 .where(order_status_changes.c.order_id == order_id).values(**values))
            if changed.rowcount == 0:
                db.execute(insert(order_status_changes).values(order_id=order_id, **values))

    # Tickets ----------------------------------------------------------------
    def create_ticket(
        self, kind: str, summary: str, customer_id: str | None = None, sender_id: str | None = None
    ) -> Ticket:
        # PostgreSQL text cannot hold NUL; SQLite keeps it. Keep the stored text the same everywhere.
        # Masked like every store write: a complaint quotes card numbers and phone numbers as typed.
        summary = mask_text(summary[:2000].replace("\x00", "\ufffd"))
        while True:
            ticket = Ticket(f"KT-{secrets.token_hex(3).upper()}", kind, customer_id, sender_id, summary, now_iso())
            try:
                with self.engine.begin() as db:
                    db.execute(insert(tickets).values(**vars(ticket)))
                return ticket
            except IntegrityError:  # id collision: draw again
                continue

    def ticket(self, ticket_id: str) -> Ticket | None:
        with self.engine.connect() as db:
            row = db.execute(select(tickets).where(tickets.c.ticket_id == ticket_id)).first()
        return Ticket(*row) if row else None

    # Customers --------------------------------------------------------------
    def _upsert_settings(self, customer_id: str, **values: object) -> None:
        with self.engine.begin() as db:
            changed = db.execute(update(customer_settings)
                                 .where(customer_settings.c.customer_id == customer_id).values(**values))
            if changed.rowcount == 0:
                try:
                    with db.begin_nested():
                        db.execute(insert(customer_settings).values(customer_id=customer_id, **values))
                except IntegrityError:  # another process inserted it meanwhile
                    db.execute(update(customer_settings)
                               .where(customer_settings.c.customer_id == customer_id).values(**values))

    def marketing_consent(self, customer_id: str) -> bool | None:
        with self.engine.connect() as db:
            value = db.scalar(select(customer_settings.c.marketing_consent)
                              .where(customer_settings.c.customer_id == customer_id))
        return None if value is None else bool(value)

    def set_marketing_consent(self, customer_id: str, consent: bool) -> None:
        self._upsert_settings(customer_id, marketing_consent=int(consent))

    def request_erasure(self, customer_id: str) -> None:
        self._upsert_settings(customer_id, erasure_requested_at=now_iso())

    def erasure_requested_at(self, customer_id: str) -> str | None:
        with self.engine.connect() as db:
            return db.scalar(select(customer_settings.c.erasure_requested_at)
                             .where(customer_settings.c.customer_id == customer_id))

    # Feedback ---------------------------------------------------------------
    def add_feedback(self, customer_id: str, product_id: str, event_name: str, timestamp: str) -> None:
        with self.engine.begin() as db:
            db.execute(insert(feedback).values(customer_id=customer_id, product_id=product_id,
                                               event=event_name, timestamp=timestamp))

    def feedback_rows(self) -> list[tuple[str, str, str, str]]:
        """Every feedback row, oldest first: (customer_id, product_id, event, timestamp)."""
        with self.engine.connect() as db:
            rows = db.execute(select(feedback.c.customer_id, feedback.c.product_id, feedback.c.event,
                                     feedback.c.timestamp).order_by(feedback.c.id))
            return [tuple(row) for row in rows]  # type: ignore[misc]

    def products_with_feedback(self, customer_id: str, event_name: str) -> set[str]:
        with self.engine.connect() as db:
            rows = db.scalars(select(feedback.c.product_id).where(
                feedback.c.customer_id == customer_id, feedback.c.event == event_name))
            return set(rows)

    # Privacy ----------------------------------------------------------------
    def erase_customer(self, customer_id: str) -> int:
        """Deletes every row about the customer (settings, tickets, feedback, a pending code); returns how many."""
        with self.engine.begin() as db:
            removed = 0
            for table in (customer_settings, tickets, feedback, verification_codes):
                removed += db.execute(delete(table).where(table.c.customer_id == customer_id)).rowcount
        return removed

    def erase_senders(self, sender_ids: list[str]) -> int:
        """Deletes rows that only a conversation id links to a person (tickets of anonymous chats)."""
        if not sender_ids:
            return 0
        with self.engine.begin() as db:
            removed = db.execute(delete(tickets).where(tickets.c.sender_id.in_(sender_ids))).rowcount
            # An anonymous shopper's feedback is kept under "guest:<sender id>" (actions.recommendations).
            shoppers = [*sender_ids, *(f"guest:{sender}" for sender in sender_ids)]
            removed += db.execute(delete(feedback).where(feedback.c.customer_id.in_(shoppers))).rowcount
        return removed

    def mark_erased(self, customer_id: str) -> None:
        with self.engine.begin() as db:
            db.execute(delete(erased_customers).where(erased_customers.c.customer_id == customer_id))
            db.execute(insert(erased_customers).values(customer_id=customer_id, erased_at=now_iso()))

    def is_erased(self, customer_id: str) -> bool:
        with self.engine.connect() as db:
            return db.scalar(select(erased_customers.c.customer_id)
                             .where(erased_customers.c.customer_id == customer_id)) is not None

    # One-time codes and rate limits -------------------------------------------
    def put_code(self, sender_id: str, customer_id: str | None, code_hash: str, expires_at: float) -> None:
        """The conversation's pending code (a new one replaces the old, with fresh attempts)."""
        with self.engine.begin() as db:
            db.execute(delete(verification_codes).where(verification_codes.c.sender_id == sender_id))
            db.execute(insert(verification_codes).values(sender_id=sender_id, customer_id=customer_id,
                                                         code_hash=code_hash, expires_at=expires_at, attempts=0))

    def pending_code(self, sender_id: str) -> tuple[str | None, str, float, int] | None:
        """(customer_id, code_hash, expires_at, attempts) of the conversation's pending code."""
        with self.engine.connect() as db:
            row = db.execute(select(verification_codes.c.customer_id, verification_codes.c.code_hash,
                                    verification_codes.c.expires_at, verification_codes.c.attempts)
                             .where(verification_codes.c.sender_id == sender_id)).first()
        return tuple(row) if row else None  # type: ignore[return-value]

    def count_code_attempt(self, sender_id: str) -> None:
        with self.engine.begin() as db:
            db.execute(update(verification_codes).where(verification_codes.c.sender_id == sender_id)
                       .values(attempts=verification_codes.c.attempts + 1))

    def drop_code(self, sender_id: str) -> None:
        with self.engine.begin() as db:
            db.execute(delete(verification_codes).where(verification_codes.c.sender_id == sender_id))

    def hit(self, key: str, limit: int, window_seconds: float, now: float) -> bool:
        """Counts one event under ``key`` unless ``limit`` events were counted within the window;
        True when it was counted (under the limit). Old events of the key are pruned on the way."""
        with self.engine.begin() as db:
            db.execute(delete(rate_events).where(rate_events.c.key == key,
                                                 rate_events.c.at <= now - window_seconds))
            count = db.scalar(select(func.count()).select_from(rate_events).where(rate_events.c.key == key))
            if count >= limit:
                return False
            db.execute(insert(rate_events).values(key=key, at=now))
            return True

    def count_hits(self, key: str, window_seconds: float, now: float) -> int:
        with self.engine.connect() as db:
            return db.scalar(select(func.count()).select_from(rate_events).where(
                rate_events.c.key == key, rate_events.c.at > now - window_seconds)) or 0

    def audit(self, action: str, subject: str, actor: str, detail: str) -> None:
        with self.engine.begin() as db:
            db.execute(insert(audit_log).values(at=now_iso(), action=action, subject=subject,
                                                actor=actor, detail=detail))

    def audit_lines(self, subject: str | None = None) -> list[dict[str, str]]:
        query = select(audit_log).order_by(audit_log.c.id)
        if subject is not None:
            query = query.where(audit_log.c.subject == subject)
        with self.engine.connect() as db:
            return [dict(row._mapping) for row in db.execute(query)]
