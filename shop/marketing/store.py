"""Where marketing's state lives: the event log, the coupons and the bandit's arms.

SQLAlchemy Core on a database URL, so the same code runs on SQLite (the default, a file under
var/) and PostgreSQL. Every write is committed before the call returns, so nothing that was
answered to a shopper is lost when the action server stops.
"""

from __future__ import annotations

import json
import secrets
import threading
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

import numpy as np
from sqlalchemy import (
    Column,
    DateTime,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from shop.marketing.bandit import ArmState
from shop.state import create_tables, make_engine

EVENT_KINDS = ("decision", "shown", "accepted", "declined", "redeemed", "purchase")

metadata = MetaData()

events = Table(
    "marketing_events", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", String(36), nullable=False, unique=True),
    Column("kind", String(16), nullable=False),
    Column("at", DateTime, nullable=False),            # UTC
    Column("customer_id", String(32)),
    Column("sender_id", String(200)),
    Column("decision_id", String(36)),                 # the decision this event belongs to
    Column("experiment", String(64)),
    Column("variant", String(64)),                     # the experiment arm (control, bandit, ...)
    Column("offer_id", String(64)),                    # the bandit arm: an offer id or no_offer
    Column("point", String(32)),                       # where in the conversation
    Column("segment", String(32)),
    Column("context", Text),                           # JSON: the features the choice was made on
    Column("coupon_code", String(32)),
    Column("order_id", String(64)),
    Column("amount", Float),                           # order total for purchases and redemptions
    Column("discount", Float),                         # discount granted by a redemption
    # An order converts or redeems once, however often the checkout reports it.
    UniqueConstraint("kind", "order_id", name="uq_marketing_events_kind_order"),
    Index("ix_marketing_events_customer_kind_at", "customer_id", "kind", "at"),
    Index("ix_marketing_events_decision", "decision_id"),
)

coupons = Table(
    "marketing_coupons", metadata,
    Column("code", String(32), primary_key=True),
    Column("customer_id", String(32), nullable=False, index=True),
    Column("offer_id", String(64), nullable=False),
    Column("decision_id", String(36), nullable=False, unique=True),
    Column("issued_at", DateTime, nullable=False),
    Column("expires_at", DateTime, nullable=False),
    Column("redeemed_at", DateTime),
    Column("order_id", String(64)),
)

bandit_arms = Table(
    "marketing_bandit_arms", metadata,
    Column("arm", String(64), primary_key=True),
    Column("feature_schema", String(16), nullable=False),
    Column("a", Text, nullable=False),                 # JSON d x d
    Column("b", Text, nullable=False),                 # JSON d
    Column("pulls", Integer, nullable=False),
    Column("rewards", Float, nullable=False),
    Column("updated_at", DateTime, nullable=False),
)

# Coupon codes avoid letters and digits that are easy to confuse (0/O, 1/I/L).
_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def utcnow() -> datetime:
    """Naive UTC: what both SQLite and a PostgreSQL ``timestamp`` column keep unchanged."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def as_utc(moment: datetime | None) -> datetime:
    if moment is None:
        return utcnow()
    return moment.astimezone(timezone.utc).replace(tzinfo=None) if moment.tzinfo else moment


def new_coupon_code() -> str:
    body = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))
    return f"KES-{body[:4]}-{body[4:]}"


@dataclass(frozen=True)
class Coupon:
    code: str
    customer_id: str
    offer_id: str
    decision_id: str
    issued_at: datetime
    expires_at: datetime
    redeemed_at: datetime | None
    order_id: str | None


class MarketingStore:
    name = "marketing"  # how privacy erasure reports name this store

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine: Engine = make_engine(url)
        create_tables(metadata, self.engine)
        # Read-modify-write of an arm is serialised within this process; across processes the
        # row lock (PostgreSQL) or the database lock (SQLite) does it.
        self._arm_lock = threading.Lock()

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        with self.engine.begin() as connection:
            yield connection

    # Events -------------------------------------------------------------------
    def add_event(self, kind: str, connection: Connection | None = None, **fields: Any) -> str:
        if kind not in EVENT_KINDS:
            raise ValueError(f"unknown event kind {kind!r}")
        event_id = fields.pop("event_id", None) or str(uuid.uuid4())
        if isinstance(fields.get("context"), dict):
            fields["context"] = json.dumps(fields["context"], sort_keys=True)
        row = {"event_id": event_id, "kind": kind, "at": as_utc(fields.pop("at", None)), **fields}
        if connection is None:
            with self.transaction() as conn:
                conn.execute(insert(events).values(**row))
        else:
            connection.execute(insert(events).values(**row))
        return event_id

    def event(self, event_id: str) -> dict[str, Any] | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(events).where(events.c.event_id == event_id)).mappings().first()
        return dict(row) if row else None

    def events(self, kinds: Sequence[str] | None = None, customer_id: str | None = None,
               decision_id: str | None = None) -> list[dict[str, Any]]:
        query = select(events).order_by(events.c.id)
        if kinds:
            query = query.where(events.c.kind.in_(list(kinds)))
        if customer_id:
            query = query.where(events.c.customer_id == customer_id)
        if decision_id:
            query = query.where(events.c.decision_id == decision_id)
        with self.engine.connect() as conn:
            return [dict(row) for row in conn.execute(query).mappings()]

    def count_events(self, kind: str, customer_id: str, since: datetime) -> int:
        query = select(func.count()).select_from(events).where(
            events.c.kind == kind, events.c.customer_id == customer_id, events.c.at >= as_utc(since))
        with self.engine.connect() as conn:
            return int(conn.execute(query).scalar_one())

    def has_event(self, kind: str, decision_id: str) -> bool:
        query = select(events.c.id).where(events.c.kind == kind, events.c.decision_id == decision_id).limit(1)
        with self.engine.connect() as conn:
            return conn.execute(query).first() is not None

    def latest_decision(self, customer_id: str, since: datetime) -> dict[str, Any] | None:
        """The customer's most recent decision since ``since`` that no purchase was attributed to yet."""
        converted = select(events.c.decision_id).where(events.c.kind == "purchase",
                                                        events.c.decision_id.is_not(None))
        query = (select(events).where(events.c.kind == "decision", events.c.customer_id == customer_id,
                                      events.c.at >= as_utc(since), events.c.decision_id.not_in(converted))
                 .order_by(events.c.at.desc(), events.c.id.desc()).limit(1))
        with self.engine.connect() as conn:
            row = conn.execute(query).mappings().first()
        return dict(row) if row else None

    def has_purchased(self, customer_id: str) -> bool:
        query = select(events.c.id).where(events.c.kind == "purchase", events.c.customer_id == customer_id).limit(1)
        with self.engine.connect() as conn:
            return conn.execute(query).first() is not None

    def discount_spent(self) -> dict[str, float]:
        """Discount granted so far per offer (redeemed coupons), for the offers' budget caps."""
        query = (select(events.c.offer_id, func.coalesce(func.sum(events.c.discount), 0.0))
                 .where(events.c.kind == "redeemed").group_by(events.c.offer_id))
        with self.engine.connect() as conn:
            return {offer_id: float(total) for offer_id, total in conn.execute(query)}

    # Coupons ------------------------------------------------------------------
    def issue_coupon(self, customer_id: str, offer_id: str, decision_id: str, expires_at: datetime,
                     now: datetime | None = None) -> Coupon:
        """A new single-use code for this decision, or the one it already has (accepting twice is harmless)."""
        existing = self.coupon_for_decision(decision_id)
        if existing:
            return existing
        issued_at = as_utc(now)
        for _ in range(10):
            code = new_coupon_code()
            try:
                with self.transaction() as conn:
                    conn.execute(insert(coupons).values(
                        code=code, customer_id=customer_id, offer_id=offer_id, decision_id=decision_id,
                        issued_at=issued_at, expires_at=as_utc(expires_at)))
                    self.add_event("accepted", conn, at=issued_at, customer_id=customer_id,
                                   decision_id=decision_id, offer_id=offer_id, coupon_code=code)
                return self.coupon(code)  # type: ignore[return-value]
            except IntegrityError:
                existing = self.coupon_for_decision(decision_id)
                if existing:  # a concurrent accept of the same decision won
                    return existing
                # otherwise the code collided with another one: draw again
        raise RuntimeError("could not draw a unique coupon code")

    def coupon(self, code: str) -> Coupon | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(coupons).where(coupons.c.code == code)).mappings().first()
        return Coupon(**row) if row else None

    def coupon_for_decision(self, decision_id: str) -> Coupon | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(coupons).where(coupons.c.decision_id == decision_id)).mappings().first()
        return Coupon(**row) if row else None

    def coupons_of(self, customer_id: str) -> list[Coupon]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(coupons).where(coupons.c.customer_id == customer_id)).mappings()
            return [Coupon(**row) for row in rows]

    def mark_redeemed(self, code: str, order_id: str, now: datetime, connection: Connection) -> bool:
        """Marks the coupon used by this order; False if it was already used (the single-use guard).

        One conditional UPDATE, so two checkouts racing with the same code cannot both succeed.
        """
        result = connection.execute(
            update(coupons).where(coupons.c.code == code, coupons.c.redeemed_at.is_(None))
            .values(redeemed_at=as_utc(now), order_id=order_id))
        return result.rowcount == 1

    # Bandit -------------------------------------------------------------------
    def _load_arm(self, conn: Connection, arm: str, schema: str, dimension: int, ridge: float,
                  for_update: bool = False) -> ArmState:
        query = select(bandit_arms).where(bandit_arms.c.arm == arm)
        if for_update:
            query = query.with_for_update()
        row = conn.execute(query).mappings().first()
        if row is None or row["feature_schema"] != schema:
            return ArmState.fresh(dimension, ridge)
        return ArmState(np.array(json.loads(row["a"])), np.array(json.loads(row["b"])),
                        int(row["pulls"]), float(row["rewards"]))

    def load_arms(self, arms: Sequence[str], schema: str, dimension: int, ridge: float) -> list[ArmState]:
        with self.engine.connect() as conn:
            return [self._load_arm(conn, arm, schema, dimension, ridge) for arm in arms]

    def update_arm(self, arm: str, schema: str, x: np.ndarray, ridge: float, *, pull: bool = False,
                   reward: float = 0.0) -> None:
        with self._arm_lock, self.transaction() as conn:
            state = self._load_arm(conn, arm, schema, len(x), ridge, for_update=True)
            if pull:
                state.pull(x)
            if reward:
                state.reward(x, reward)
            values = {"feature_schema": schema, "a": json.dumps(state.a.tolist()), "b": json.dumps(state.b.tolist()),
                      "pulls": state.pulls, "rewards": state.rewards, "updated_at": utcnow()}
            changed = conn.execute(update(bandit_arms).where(bandit_arms.c.arm == arm).values(**values))
            if changed.rowcount == 0:
                conn.execute(insert(bandit_arms).values(arm=arm, **values))

    def arm_summary(self) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            query = select(bandit_arms.c.arm, bandit_arms.c.pulls, bandit_arms.c.rewards, bandit_arms.c.updated_at)
            return [dict(row) for row in conn.execute(query.order_by(bandit_arms.c.arm)).mappings()]

    # Privacy ------------------------------------------------------------------
    def erase_customer(self, customer_id: str) -> int:
        """Deletes every event and coupon of the customer; returns how many rows went.

        The bandit's arms hold only sums over many customers' features, nothing that
        identifies anyone, so they stay.
        """
        with self.transaction() as conn:
            removed = conn.execute(delete(events).where(events.c.customer_id == customer_id)).rowcount
            removed += conn.execute(delete(coupons).where(coupons.c.customer_id == customer_id)).rowcount
        return int(removed)

    def purge_before(self, moment: datetime) -> int:
        """Old events can be dropped once reported (not called automatically)."""
        with self.transaction() as conn:
            return int(conn.execute(delete(events).where(events.c.at < as_utc(moment))).rowcount)


def expiry(now: datetime, days: int, valid_until: datetime) -> datetime:
    return min(as_utc(now) + timedelta(days=days), as_utc(valid_until))
