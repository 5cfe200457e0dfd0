"""Command line for the shop's back office: redeem coupons, record orders, report, erase.

    python -m shop.marketing redeem KES-ABCD-EFGH --order KE-123456 --amount 349.00 [--customer C00001]
    python -m shop.marketing purchase --customer C00001 --order KE-123456 --amount 349.00
    python -m shop.marketing stats                      # the A/B experiment, as text
    python -m shop.marketing report --out reports/marketing-manager.html
    python -m shop.marketing erase C00001               # privacy erasure of one customer's events

The checkout would call ``MarketingEngine.redeem`` / ``record_purchase`` directly; these commands
are the same calls for a shop without one. Settings come from shop.yml (``marketing:``).
"""

from __future__ import annotations

import argparse
import sys

from shop.config import load_settings
from shop.customers import CustomerDirectory
from shop.marketing import MarketingEngine, OfferError, build_engine, load_marketing_settings
from shop.marketing.report import collect, write_report
from shop.marketing.store import MarketingStore
from shop.state import StateStore


def _engine() -> MarketingEngine:
    settings = load_settings()
    return build_engine(settings, CustomerDirectory(settings.data.customers, StateStore(settings.state_db)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m shop.marketing", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    redeem = commands.add_parser("redeem", help="use a coupon code on an order")
    redeem.add_argument("code")
    redeem.add_argument("--order", required=True)
    redeem.add_argument("--amount", required=True, type=float, help="order total in dollars")
    redeem.add_argument("--customer", help="refuse the code if it belongs to someone else")
    purchase = commands.add_parser("purchase", help="record an order without a coupon (a conversion)")
    purchase.add_argument("--customer", required=True)
    purchase.add_argument("--order", required=True)
    purchase.add_argument("--amount", required=True, type=float)
    commands.add_parser("stats", help="print the experiment's figures")
    report = commands.add_parser("report", help="write the manager's HTML report")
    report.add_argument("--out", default="reports/marketing-manager.html")
    erase = commands.add_parser("erase", help="delete one customer's marketing events and coupons")
    erase.add_argument("customer")
    args = parser.parse_args(argv)

    if args.command == "redeem":
        try:
            done = _engine().redeem(args.code, args.order, args.amount, customer_id=args.customer)
        except OfferError as exc:
            print(f"refused: {exc}", file=sys.stderr)
            return 1
        print(f"redeemed {done.code} ({done.offer_id}) on {done.order_id}: ${done.discount:,.2f} off")
        return 0
    if args.command == "purchase":
        decision = _engine().record_purchase(args.customer, args.order, args.amount)
        print(f"recorded {args.order}" + (f", attributed to decision {decision}" if decision else ", not attributed"))
        return 0
    marketing = load_marketing_settings()
    store = MarketingStore(marketing.database_url)
    if args.command == "erase":
        print(f"erased {store.erase_customer(args.customer)} rows of {args.customer}")
        return 0
    if args.command == "report":
        print(f"wrote {write_report(store, marketing, args.out)}")
        return 0
    result = collect(store, marketing).experiment
    print(f"experiment {result.name}: {result.required_per_arm:,} customers per arm planned")
    for arm in result.arms:
        line = f"  {arm.arm:<12} n={arm.customers:<7} conv={arm.rate:.2%} [{arm.ci_low:.2%}, {arm.ci_high:.2%}]"
        if arm.uplift is not None:
            line += f"  uplift {arm.uplift * 100:+.2f} pp, p={arm.p_value:.4f}  {arm.decision}"
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
