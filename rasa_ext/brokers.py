"""The event broker that feeds conversation analytics (endpoints.yml ``event_broker``).

``PrivateSQLEventBroker`` is Rasa's SQL event broker (every event of every conversation as one row
of the ``events`` table: id, sender_id, data as JSON) with:

- personal data masked (shop.pii) before a row is written, as the tracker store does;
- ``erase(sender_id)`` for a data-deletion request (rasa_ext/stores.py calls it; the action server's
  erasure and retention reach the same table through shop/privacy.py);
- ``url:`` as a whole SQLAlchemy URL (PostgreSQL scaled out) beside Rasa's dialect/host/db keys.

It must be a database of its own: Rasa's SQL tracker store also names its table ``events``, with other
columns. SQLite by default (``RASA_EVENTS_DB``), a second PostgreSQL database scaled out
(``RASA_EVENTS_URL``). shop/analytics.py reads it.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm
from rasa.core.brokers.sql import SQLEventBroker
from rasa.core.tracker_store import SQLTrackerStore

from shop.pii import TurnMasker, install_log_masking

logger = logging.getLogger(__name__)

# Conversations whose latest user message is remembered for masking the slots that follow it; a
# turn's events are published together, so only the conversations active right now need one.
MASKERS_KEPT = 1000


class PrivateSQLEventBroker(SQLEventBroker):
    def __init__(self, url: str | None = None, dialect: str = "sqlite", host: str | None = None,
                 port: int | None = None, db: str = "events.db", username: str | None = None,
                 password: str | None = None, **_: Any) -> None:
        install_log_masking()
        self._maskers: OrderedDict[str, TurnMasker] = OrderedDict()
        if not (url and "://" in url):
            url = SQLTrackerStore.get_db_url(dialect, host or url, port, db, username, password)
        self.engine = sa.create_engine(url, pool_pre_ping=True)
        if self.engine.dialect.name == "sqlite":
            # An erased conversation's rows are overwritten, not left readable in free pages.
            sa.event.listen(self.engine, "connect",
                            lambda connection, _record: connection.execute("PRAGMA secure_delete=ON"))
        try:
            self.Base.metadata.create_all(self.engine)
        except sa.exc.DBAPIError:
            # Two servers starting at once on one database: both saw no table, the other created it
            # first ("relation events already exists"). Checking again finds it.
            self.Base.metadata.create_all(self.engine)
        self.sessionmaker = sqlalchemy.orm.sessionmaker(bind=self.engine)

    def _masker(self, sender_id: str) -> TurnMasker:
        """Each conversation's masker (it remembers the latest user message); the least recently
        active are dropped beyond MASKERS_KEPT."""
        masker = self._maskers.pop(sender_id, None) or TurnMasker()
        self._maskers[sender_id] = masker
        while len(self._maskers) > MASKERS_KEPT:
            self._maskers.popitem(last=False)
        return masker

    @classmethod
    async def from_endpoint_config(cls, broker_config: Any, event_loop: Any = None) -> PrivateSQLEventBroker:
        return cls(url=broker_config.url, **broker_config.kwargs)

    def publish(self, event: dict[str, Any]) -> None:
        masked = self._masker(str(event.get("sender_id"))).mask(event)
        # The conversation id is a key, not text a shopper typed (a Telegram chat id looks like a phone number).
        masked["sender_id"] = event.get("sender_id")
        try:
            super().publish(masked)
        except sa.exc.SQLAlchemyError as error:
            # Analytics must never cost a shopper their reply: the turn goes on, the gap is logged.
            logger.error("The analytics event store refused an event (%s); it is missing from the report",
                         type(error).__name__)

    def erase(self, sender_id: str) -> int:
        """Deletes every event of one conversation; returns how many."""
        with self.session_scope() as session:
            removed = session.query(self.SQLBrokerEvent).filter(self.SQLBrokerEvent.sender_id == sender_id).delete()
            session.commit()
            if self.engine.dialect.name == "sqlite":
                # The write-ahead log (the action server opens this file in WAL mode, shop/state.py)
                # still holds the pages as they were: copy it into the database and truncate it.
                session.execute(sa.text("PRAGMA wal_checkpoint(TRUNCATE)"))
        return int(removed or 0)
