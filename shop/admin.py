"""Privacy administration: ``python -m shop.admin erase C00001 | expire | audit [CUSTOMER]``.

- ``erase CUSTOMER``: erases the customer's conversations, profile use, settings, tickets and
  feedback (every store in ``shop.privacy.customer_stores``) after a confirmation (type the id
  again, or ``--yes`` for scripts), and writes an audit line;
- ``expire [--days N]``: deletes conversations idle for longer than ``privacy.retention_days``
  (shop.yml, ``SHOP_RETENTION_DAYS``); run it daily (cron, a Kubernetes CronJob: see deploy/);
- ``audit [CUSTOMER]``: prints the audit lines;
- ``tickets [--all] [--close KT-…]``: lists the open tickets (handoffs, complaints) with how the help
  desk was told, or closes one (shop/handoff.py).

Uses the same settings as the action server (shop.yml, SHOP_STATE_URL, SHOP_TRACKER_URL).
"""

from __future__ import annotations

import argparse
import getpass
import sys

from shop.config import ConfigError, load_settings
from shop.handoff import HelpDesk
from shop.pii import mask_text
from shop.privacy import Privacy
from shop.state import StateStore, StateStoreUnavailable


def _actor() -> str:
    try:
        return f"admin:{getpass.getuser()}"
    except (KeyError, OSError):
        return "admin"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m shop.admin", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    erase = commands.add_parser("erase", help="erase a customer's data in every store")
    erase.add_argument("customer_id")
    erase.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    expire = commands.add_parser("expire", help="delete conversations older than the retention period")
    expire.add_argument("--days", type=float, help="override privacy.retention_days")
    audit = commands.add_parser("audit", help="print the audit log")
    audit.add_argument("customer_id", nargs="?")
    listing = commands.add_parser("tickets", help="list open tickets, or close one")
    listing.add_argument("--all", action="store_true", help="closed tickets too")
    listing.add_argument("--close", metavar="TICKET_ID", help="mark this ticket closed")
    args = parser.parse_args(argv)

    try:
        settings = load_settings()
        state = StateStore(settings.state_url)
    except (ConfigError, StateStoreUnavailable) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.command == "tickets":
        return _tickets(HelpDesk(state, settings), args.all, args.close)
    privacy = Privacy.from_settings(settings, state)
    if args.command == "erase":
        customer_id = args.customer_id.strip().upper()
        if not args.yes:
            found = len(privacy.conversations.senders_of(customer_id)) if privacy.conversations else 0
            answer = input(f"Erase all data of {customer_id} ({found} conversations) in every store? "
                           f"This cannot be undone. Type the customer id to confirm: ")
            if answer.strip().upper() != customer_id:
                print("Not confirmed; nothing was erased.")
                return 1
        report = privacy.erase_customer(customer_id, actor=_actor())
        print(f"Erased {customer_id}: {report.conversations} conversations; rows removed: "
              + ", ".join(f"{name} {count}" for name, count in report.removed.items()))
    elif args.command == "expire":
        days = args.days if args.days is not None else settings.privacy.retention_days
        if days <= 0:
            print("error: --days must be positive", file=sys.stderr)
            return 2
        print(f"Deleted {privacy.expire(days, actor=_actor())} conversations idle for more than {days:g} days.")
    else:
        for line in state.audit_lines(args.customer_id):
            print(f"{line['at']}  {line['action']:<7} {line['subject']:<24} {line['actor']:<20} {line['detail']}")
    return 0


def _tickets(desk: HelpDesk, include_closed: bool, close: str | None) -> int:
    if close:
        ticket_id = close.strip().upper()
        if not desk.close(ticket_id):
            print(f"error: no ticket {ticket_id}", file=sys.stderr)
            return 1
        print(f"Closed {ticket_id}.")
        return 0
    views = desk.tickets(include_closed)
    if not views:
        print("No open tickets." if not include_closed else "No tickets.")
    for view in views:
        ticket = view.ticket
        who = ticket.customer_id or "guest"
        sent = view.delivery or "not sent"
        print(f"{ticket.ticket_id}  {ticket.created_at}  {view.status:<6}  {ticket.kind:<9}  {who:<8}  "
              f"{view.channel or '-':<9}  {sent}")
        print(f"    {mask_text(ticket.summary)[:200]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
