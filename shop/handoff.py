"""Handing a conversation to a person: the ticket, the help desk's copy of it, and what comes next.

A handoff (or a complaint) always leaves a ticket in the state database (``StateStore.create_ticket``)
and a progress row here: open or closed, and how the help desk was told. Two ways to reach a person:

- **email** (any help desk that takes mail, or a shared inbox): the ticket with the conversation's
  masked transcript goes to ``shop.support_email`` through shop.mailer (SMTP, or the sink file when
  no host is set). Sending happens on a worker thread, so a slow SMTP server never holds up the
  shopper's reply; a failure is recorded on the ticket (``python -m shop.admin tickets`` shows it).
- **a live channel** (``support.live_channels``, e.g. a Chatwoot inbox): the agent answers in the
  conversation itself; the channel's connector posts the transcript for the agent and the assistant
  steps aside until the agent resolves the conversation (connectors/chatwoot.py).

The shopper is told which of these happens (``next_step_key``), in their language by the caller.
"""

from __future__ import annotations

import logging
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from sqlalchemy import Column, MetaData, String, Table, Text, insert, select, update

from shop import metrics
from shop.config import Settings
from shop.mailer import MailError, MailSettings, send
from shop.state import StateStore, Ticket, create_tables, now_iso, tickets

logger = logging.getLogger(__name__)

OPEN, CLOSED = "open", "closed"

_metadata = MetaData()
# Beside ``tickets`` rather than new columns in it: the tickets table of an existing database stays
# as it is (create_all adds tables, never columns). A ticket without a row here is open and was never
# sent anywhere (tickets written before this module existed). Erasure deletes the ticket itself
# (shop.privacy); what is left here holds no personal data and no longer shows in any listing.
ticket_progress = Table(
    "ticket_progress", _metadata,
    Column("ticket_id", String(16), primary_key=True),
    Column("status", String(16), nullable=False),
    Column("channel", String(40), nullable=False, default=""),
    Column("delivery", Text, nullable=False, default=""),  # "email", "mail sink", "live channel", "failed: …"
    Column("updated_at", String(40), nullable=False),
)


@dataclass(frozen=True)
class TicketView:
    """A ticket with its progress, for listings."""

    ticket: Ticket
    status: str
    channel: str
    delivery: str


@dataclass(frozen=True)
class Handoff:
    ticket: Ticket
    live: bool           # an agent takes over in this very conversation
    emailed: bool        # a ticket email is on its way to the help desk
    next_step_key: str   # the message-catalogue key that tells the shopper what happens next


def ticket_email(ticket: Ticket, transcript: str, shop_name: str, channel: str, language: str) -> tuple[str, str]:
    """Subject and body of the help desk's copy of a ticket (the transcript is already masked)."""
    subject = f"[{shop_name}] {ticket.kind} {ticket.ticket_id}"
    who = f"customer {ticket.customer_id}" if ticket.customer_id else "a guest (not signed in)"
    body = "\n".join([
        f"Ticket {ticket.ticket_id} ({ticket.kind}) opened {ticket.created_at} by {who}.",
        f"Channel: {channel or 'unknown'}; language: {language}; conversation id: {ticket.sender_id or '-'}",
        "Personal data (emails, phone numbers, card numbers, addresses) is masked below.",
        "",
        "Conversation so far:",
        transcript or "(no messages)",
        "",
        "-- ",
        f"Sent by the {shop_name} assistant. Close the ticket with: python -m shop.admin tickets --close "
        f"{ticket.ticket_id}",
    ])
    return subject, body


class HelpDesk:
    """Opens tickets, tells the help desk, lists and closes tickets."""

    def __init__(self, state: StateStore, settings: Settings, workers: int = 2) -> None:
        self.state = state
        self.settings = settings
        self._mail: MailSettings = settings.mail
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="ticket-mail")
        self._last_mail: Future[str] | None = None
        create_tables(_metadata, state.engine)

    def is_live(self, channel: str | None) -> bool:
        return bool(channel) and channel in self.settings.support.live_channels

    def open(self, kind: str, summary: str, transcript: str, *, customer_id: str | None, sender_id: str | None,
             channel: str | None, language: str) -> Handoff:
        """A new ticket; on an email help desk its email is queued (``wait_for_mail`` waits for it)."""
        ticket = self.state.create_ticket(kind, summary, customer_id=customer_id, sender_id=sender_id)
        live = self.is_live(channel)
        emailed = self.settings.support.email_tickets and bool(self.settings.support_email)
        self._record(ticket.ticket_id, channel or "", "live channel" if live else ("queued" if emailed else ""))
        if emailed:
            self._last_mail = self._pool.submit(self.notify, ticket, transcript, channel or "", language)
        if live:
            key = "support.next_live"
        elif emailed and customer_id:
            key = "support.next_email"
        else:
            key = "support.next_guest"
        return Handoff(ticket, live, emailed, key)

    def notify(self, ticket: Ticket, transcript: str, channel: str, language: str) -> str:
        """Sends the ticket email now; returns and records how it went (never raises for mail errors)."""
        subject, body = ticket_email(ticket, transcript, self.settings.shop_name, channel, language)
        try:
            send(self._mail, self.settings.support_email, subject, body)
            delivery = "email" if self._mail.sends else "mail sink"
        except MailError as exc:
            logger.error("Ticket %s could not be emailed to the help desk: %s", ticket.ticket_id, exc)
            delivery = f"failed: {exc}"[:500]
        metrics.TICKET_EMAILS.labels(delivery.split(":")[0]).inc()
        self._record(ticket.ticket_id, channel, delivery, keep_delivery_prefix="live channel")
        return delivery

    def wait_for_mail(self, timeout: float = 30) -> str | None:
        """Waits for the latest queued ticket email (tests, and the admin command)."""
        return self._last_mail.result(timeout) if self._last_mail else None

    def _record(self, ticket_id: str, channel: str, delivery: str, keep_delivery_prefix: str = "") -> None:
        """Sets the ticket's delivery (after ``keep_delivery_prefix`` when the current one starts with it)."""
        with self.state.engine.begin() as db:
            current = db.execute(select(ticket_progress.c.delivery)
                                 .where(ticket_progress.c.ticket_id == ticket_id)).scalar()
            if current is None:
                db.execute(insert(ticket_progress).values(ticket_id=ticket_id, status=OPEN, channel=channel,
                                                          delivery=delivery, updated_at=now_iso()))
                return
            if keep_delivery_prefix and current.startswith(keep_delivery_prefix):
                delivery = f"{keep_delivery_prefix}, {delivery}"
            db.execute(update(ticket_progress).where(ticket_progress.c.ticket_id == ticket_id)
                       .values(delivery=delivery, updated_at=now_iso()))

    def tickets(self, include_closed: bool = False) -> list[TicketView]:
        """Tickets, oldest first; open ones only unless ``include_closed``."""
        query = (select(tickets, ticket_progress.c.status, ticket_progress.c.channel, ticket_progress.c.delivery)
                 .select_from(tickets.outerjoin(ticket_progress,
                                                tickets.c.ticket_id == ticket_progress.c.ticket_id))
                 .order_by(tickets.c.created_at, tickets.c.ticket_id))
        views = []
        with self.state.engine.connect() as db:
            for row in db.execute(query):
                values = row._mapping
                status = values["status"] or OPEN
                if status != OPEN and not include_closed:
                    continue
                ticket = Ticket(*(values[name] for name in ("ticket_id", "kind", "customer_id", "sender_id",
                                                            "summary", "created_at")))
                views.append(TicketView(ticket, status, values["channel"] or "", values["delivery"] or ""))
        return views

    def close(self, ticket_id: str) -> bool:
        """Marks a ticket closed; False when there is no such ticket."""
        if self.state.ticket(ticket_id) is None:
            return False
        with self.state.engine.begin() as db:
            changed = db.execute(update(ticket_progress).where(ticket_progress.c.ticket_id == ticket_id)
                                 .values(status=CLOSED, updated_at=now_iso()))
            if changed.rowcount == 0:  # a ticket from before this module: no progress row yet
                db.execute(insert(ticket_progress).values(ticket_id=ticket_id, status=CLOSED, channel="",
                                                          delivery="", updated_at=now_iso()))
        return True

    def close_pool(self) -> None:
        self._pool.shutdown(wait=True)
