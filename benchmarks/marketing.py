"""Marketing benchmark: the bandit against uniform A/B allocation and always-the-biggest-discount.

1. Simulation with known truth (shop.marketing.simulator): ~50,000 customers, each strategy sees
   the same customers in the same order; cumulative regret against the best eligible offer and
   conversion uplift over showing no offer. Plots under reports/marketing/.
2. The production path: the real MarketingEngine on a temporary SQLite store over the shop's
   customers, with simulated answers and purchases over eight weeks; decision latency, the A/B
   experiment's figures from the event log, and the manager's HTML report built from that log.

Writes reports/marketing.md, reports/marketing.json, reports/marketing/*.png and
reports/marketing-manager.html. Run: scripts/benchmark-marketing [--customers N] [--seed S]
"""

from __future__ import annotations

import argparse
import dataclasses
import platform
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from benchmarks.reports import REPORTS, save_report  # noqa: E402
from shop.config import (
    load_marketing_settings,  # noqa: E402
    load_settings,  # noqa: E402
)
from shop.customers import CustomerDirectory  # noqa: E402
from shop.marketing import NO_OFFER, MarketingEngine, MarketingStore, OfferCatalogue, ShoppingHistory  # noqa: E402
from shop.marketing import simulator as sim  # noqa: E402
from shop.marketing.report import collect, write_report  # noqa: E402
from shop.state import StateStore  # noqa: E402

REPO = Path(__file__).resolve().parents[1]


def simulate(offers: OfferCatalogue, n: int, seed: int) -> tuple[list[sim.RunResult], list[sim.SimCustomer], dict]:
    bandit = load_marketing_settings().bandit
    customers = sim.simulated_customers(offers, n, seed)
    other = "lints" if bandit.algorithm == "linucb" else "linucb"
    strategies = [
        ("no offer (control)", sim.no_offer),
        ("uniform A/B allocation", sim.uniform),
        ("always the biggest discount", sim.biggest_discount(offers)),
        (f"bandit: {bandit.algorithm} (shop.yml, exploration {bandit.exploration})",
         sim.BanditStrategy(bandit.algorithm, bandit.exploration, bandit.ridge)),
        (f"bandit: {other} (exploration 0.2)", sim.BanditStrategy(other, 0.2, bandit.ridge)),
        ("oracle (knows the true rates)", sim.oracle),
    ]
    results, seconds = [], {}
    for name, strategy in strategies:
        started = time.perf_counter()
        results.append(sim.run(name, strategy, customers, seed + 1))
        seconds[name] = round(time.perf_counter() - started, 2)
    return results, customers, seconds


def plot_simulation(results: list[sim.RunResult], out: Path) -> dict[str, str]:
    out.mkdir(parents=True, exist_ok=True)
    paths = {}
    fig, ax = plt.subplots(figsize=(8, 4.5))
    for result in results:
        if not result.name.startswith("oracle"):
            ax.plot(result.cumulative_regret, label=result.name)
    ax.set_xlabel("simulated customers")
    ax.set_ylabel("cumulative regret (expected lost conversions)")
    ax.set_title("Cumulative regret against the best offer for each customer")
    ax.legend(fontsize=8)
    paths["regret"] = out / "regret.png"
    fig.savefig(paths["regret"], dpi=110, bbox_inches="tight")
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(8, 4.5))
    for result in results:
        if result.name.startswith("no offer"):
            continue
        steps = np.arange(1, len(result.chosen_rates) + 1)
        uplift = np.cumsum(result.chosen_rates) / np.cumsum(result.baseline_rates) - 1
        ax.plot(steps, uplift * 100, label=result.name)
    ax.set_xlabel("simulated customers")
    ax.set_ylabel("conversion uplift over no offer (%)")
    ax.set_title("Cumulative conversion uplift over showing no offer")
    ax.legend(fontsize=8)
    paths["uplift"] = out / "uplift.png"
    fig.savefig(paths["uplift"], dpi=110, bbox_inches="tight")
    plt.close(fig)
    return {key: str(path.relative_to(REPO)) for key, path in paths.items()}


def production_run(decisions: int, seed: int) -> dict:
    """The real engine and store on the shop's customers, eight simulated weeks of traffic."""
    settings = load_settings()
    marketing = load_marketing_settings()
    rng = np.random.default_rng(seed)
    with tempfile.TemporaryDirectory() as tmp:
        marketing = dataclasses.replace(marketing, database_url=f"sqlite:///{tmp}/marketing.db")
        customers = CustomerDirectory(settings.data.customers, StateStore(Path(tmp) / "state.db"))
        store = MarketingStore(marketing.database_url)
        engine = MarketingEngine(marketing, OfferCatalogue.load(marketing.offers), store, customers,
                                 ShoppingHistory.load(settings.data.interactions))
        ids = [f"C{i:05d}" for i in range(1, 2401)]
        points = list(sim.POINT_SHARES)
        start = datetime(2026, 12, 1, 9, 0)
        latencies, orders = [], 0
        for step in range(decisions):
            now = start + timedelta(minutes=int(step * 8 * 7 * 24 * 60 / decisions))
            customer_id = ids[int(rng.integers(len(ids)))]
            point = points[int(rng.choice(len(points), p=list(sim.POINT_SHARES.values())))]
            cart = float(rng.lognormal(5.3, 0.8)) if point == "leaving" else 0.0
            category = str(rng.choice(sim.CATEGORIES))
            began = time.perf_counter()
            decision = engine.decide(customer_id, point, sender_id=f"sim-{step}", categories=[category],
                                     cart_value=cart, now=now)
            latencies.append((time.perf_counter() - began) * 1000)
            if decision is None:
                continue
            segment = customers.get(customer_id).segment
            rate = sim.true_rate(segment, decision.arm if decision.arm in sim.TRUE_RATES[segment] else NO_OFFER,
                                 point)
            converts = rng.random() < rate
            total = round(float(rng.lognormal(5.5, 0.7)), 2)
            if decision.offer is not None:
                # Most who will buy take the code; some take it and never use it; the rest say no.
                if converts or rng.random() < 0.15:
                    coupon = engine.accept(decision.decision_id, customer_id, now=now)
                    if converts:
                        orders += 1
                        total = max(total, decision.offer.min_basket + 1)
                        engine.redeem(coupon.code, f"SIM-{orders:06d}", total, now=now + timedelta(hours=2))
                        continue
                else:
                    engine.decline(decision.decision_id, customer_id, now=now)
            if converts:
                orders += 1
                engine.record_purchase(customer_id, f"SIM-{orders:06d}", total, now=now + timedelta(hours=3))
        report_path = write_report(store, marketing, REPORTS / "marketing-manager.html")
        data = collect(store, marketing)
        store.close()
    experiment = data.experiment
    return {
        "decisions_asked": decisions,
        "decision_latency_ms": {"p50": round(float(np.percentile(latencies, 50)), 2),
                                "p95": round(float(np.percentile(latencies, 95)), 2)},
        "events": {kind: int((data.events.kind == kind).sum()) for kind in
                   ("decision", "shown", "accepted", "declined", "redeemed", "purchase")},
        "experiment": [dataclasses.asdict(arm) for arm in experiment.arms],
        "required_per_arm": experiment.required_per_arm,
        "manager_report": str(report_path.relative_to(REPO)),
    }


def write_markdown(summary: dict) -> str:
    lines = [
        "# Marketing benchmark",
        "",
        f"Generated {summary['generated']} on {summary['machine']}; total {summary['seconds']} s. "
        "Regenerate with `scripts/benchmark-marketing`.",
        "",
        f"## Simulation: {summary['customers']:,} customers with known conversion rates (seed {summary['seed']})",
        "",
        "Each strategy meets the same customers in the same order (segment, decision point, first purchase, "
        "cart, category → eligible offers). Regret = expected conversions lost against the best eligible offer "
        "for each customer; uplift = expected conversions over showing no offer to the same customers.",
        "",
        "| strategy | expected conversion | uplift vs no offer | cumulative regret | best offer chosen (last 5,000) "
        "| observed conversions | s |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in summary["simulation"]:
        lines.append(f"| {row['strategy']} | {row['expected_conversion']:.2%} | {row['uplift_vs_no_offer']:+.1%} | "
                     f"{row['cumulative_regret']:.0f} | {row['best_offer_share_last_5000']:.0%} | "
                     f"{row['observed_conversions']:,} | {row['seconds']} |")
    lines += ["", f"![cumulative regret]({Path(summary['plots']['regret']).relative_to('reports')})",
              f"![uplift]({Path(summary['plots']['uplift']).relative_to('reports')})", "",
              "True best offer per segment (all offers eligible): " + ", ".join(
                  f"{segment} → {arm}" for segment, arm in summary["best_by_segment"].items()), ""]
    run = summary["production"]
    lines += [
        f"## The production path: MarketingEngine on SQLite, {run['decisions_asked']:,} decision requests",
        "",
        "Decision latency (consent, cap, eligibility, bandit, two writes): "
        f"p50 {run['decision_latency_ms']['p50']} ms, p95 {run['decision_latency_ms']['p95']} ms.",
        "",
        "Events logged: " + ", ".join(f"{kind} {count:,}" for kind, count in run["events"].items()) + ".",
        "",
        f"A/B experiment from the event log (planned {run['required_per_arm']:,} customers per arm):",
        "",
        "| arm | customers | conversion [CI] | uplift vs control [CI] | p-value | verdict |",
        "|---|---|---|---|---|---|",
    ]
    for arm in run["experiment"]:
        uplift = "" if arm["uplift"] is None else (
            f"{arm['uplift'] * 100:+.2f} pp [{arm['uplift_ci_low'] * 100:+.2f}, {arm['uplift_ci_high'] * 100:+.2f}]")
        p_value = "" if arm["p_value"] is None else f"{arm['p_value']:.4f}"
        lines.append(f"| {arm['arm']} | {arm['customers']:,} | {arm['rate']:.2%} [{arm['ci_low']:.2%}, "
                     f"{arm['ci_high']:.2%}] | {uplift} | {p_value} | {arm['decision']} |")
    lines += ["", f"The manager's report built from this log: [{Path(run['manager_report']).name}]"
              f"({Path(run['manager_report']).relative_to('reports')}).", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=50_000)
    parser.add_argument("--decisions", type=int, default=3_000, help="decision requests on the real engine")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    offers = OfferCatalogue.load(load_marketing_settings().offers)
    results, customers, seconds = simulate(offers, args.customers, args.seed)
    plots = plot_simulation(results, REPORTS / "marketing")
    rows = [{
        "strategy": r.name, "expected_conversion": r.expected_conversion_rate,
        "uplift_vs_no_offer": r.uplift_vs_no_offer, "cumulative_regret": float(r.cumulative_regret[-1]),
        "best_offer_share_last_5000": sim.share_of_best_choices(r, customers, min(5000, len(customers))),
        "observed_conversions": int(r.conversions.sum()), "seconds": seconds[r.name],
    } for r in results]
    for row in rows:
        print(f"{row['strategy']:<55} conv {row['expected_conversion']:.2%}  uplift {row['uplift_vs_no_offer']:+.1%}  "
              f"regret {row['cumulative_regret']:7.0f}  best {row['best_offer_share_last_5000']:.0%}  "
              f"{row['seconds']} s", flush=True)
    production = production_run(args.decisions, args.seed)
    print(f"engine: decision p50 {production['decision_latency_ms']['p50']} ms, "
          f"p95 {production['decision_latency_ms']['p95']} ms; events {production['events']}")
    summary = {
        "generated": datetime.now().strftime("%Y-%m-%d %H:%M"),
        "machine": f"{platform.machine()}, Python {platform.python_version()}",
        "customers": args.customers, "seed": args.seed, "simulation": rows, "plots": plots,
        "best_by_segment": sim.best_arm_by_segment(), "production": production,
        "seconds": round(time.perf_counter() - started, 1),
    }
    save_report("marketing", summary, write_markdown(summary))
    print(f"wrote reports/marketing.md, reports/marketing.json, {', '.join(plots.values())}, "
          f"{production['manager_report']} in {summary['seconds']} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
