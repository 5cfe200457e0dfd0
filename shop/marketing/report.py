"""The marketing manager's report: one HTML page with charts and tables, from the event store.

Offers shown, accepted and redeemed, revenue and discount, uplift over the control group with
intervals and the stopping rule's verdict, per offer, per segment and per week.
"""

from __future__ import annotations

import base64
import html
import io
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display on servers
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from shop.marketing.experiments import ExperimentResult, analyse  # noqa: E402
from shop.marketing.settings import MarketingSettings  # noqa: E402
from shop.marketing.store import MarketingStore  # noqa: E402

FUNNEL = ("shown", "accepted", "redeemed")


@dataclass
class ReportData:
    events: pd.DataFrame
    experiment: ExperimentResult
    by_offer: pd.DataFrame
    by_segment: pd.DataFrame
    by_week: pd.DataFrame
    arms: pd.DataFrame


def _funnel(events: pd.DataFrame, key: str) -> pd.DataFrame:
    """Shown / accepted / redeemed counts, rates, revenue and discount grouped by ``key``."""
    if events.empty:
        return pd.DataFrame(columns=[key, *FUNNEL, "acceptance", "redemption", "revenue", "discount"])
    counts = events[events.kind.isin(FUNNEL)].pivot_table(index=key, columns="kind", values="event_id",
                                                          aggfunc="count", fill_value=0)
    for kind in FUNNEL:
        if kind not in counts:
            counts[kind] = 0
    redeemed = events[events.kind == "redeemed"].groupby(key)[["amount", "discount"]].sum()
    table = counts[list(FUNNEL)].join(redeemed, how="left").fillna(0.0).rename(columns={"amount": "revenue"})
    table["acceptance"] = (table.accepted / table.shown.where(table.shown > 0)).fillna(0.0)
    table["redemption"] = (table.redeemed / table.accepted.where(table.accepted > 0)).fillna(0.0)
    return table.reset_index()[[key, *FUNNEL, "acceptance", "redemption", "revenue", "discount"]]


def collect(store: MarketingStore, settings: MarketingSettings) -> ReportData:
    events = pd.DataFrame(store.events())
    if events.empty:
        events = pd.DataFrame(columns=["event_id", "kind", "at", "customer_id", "decision_id", "experiment",
                                       "variant", "offer_id", "segment", "amount", "discount"])
    events["at"] = pd.to_datetime(events["at"])
    decisions = events[(events.kind == "decision") & (events.experiment == settings.experiment.name)]
    # Funnel events after the decision carry only its id: give them the decision's segment and variant.
    lookup = decisions.set_index("event_id")[["segment", "variant"]]
    for column in ("segment", "variant"):
        events[column] = events[column].where(events[column].notna(), events.decision_id.map(lookup[column]))
    first = decisions.sort_values("at").drop_duplicates("customer_id")
    exposures = dict(zip(first.customer_id, first.variant, strict=True))
    purchases = events[(events.kind == "purchase") & events.decision_id.isin(decisions.event_id)]
    revenue = purchases.groupby("customer_id")["amount"].sum().to_dict()
    experiment = analyse(settings.experiment, exposures, purchases.customer_id.unique(), revenue)

    by_week = events.assign(week=events["at"].dt.to_period("W").dt.start_time)
    weekly = by_week[by_week.kind.isin((*FUNNEL, "purchase"))].pivot_table(
        index="week", columns="kind", values="event_id", aggfunc="count", fill_value=0)
    weekly["revenue"] = by_week[by_week.kind == "purchase"].groupby("week")["amount"].sum()
    weekly = weekly.fillna(0.0)
    return ReportData(events, experiment, _funnel(events, "offer_id"), _funnel(events, "segment"), weekly,
                      pd.DataFrame(store.arm_summary()))


def _png(fig: plt.Figure) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode()


def charts(data: ReportData) -> dict[str, str]:
    """Base64 PNGs: funnel per offer, conversion per arm with intervals, activity per week."""
    images = {}
    fig, ax = plt.subplots(figsize=(8, 3.6))
    if not data.by_offer.empty:
        data.by_offer.set_index("offer_id")[list(FUNNEL)].plot.bar(ax=ax)
    ax.set_title("Offers shown, accepted and redeemed")
    ax.set_xlabel("")
    images["funnel"] = _png(fig)

    fig, ax = plt.subplots(figsize=(6, 3.4))
    arms = data.experiment.arms
    rates = [a.rate * 100 for a in arms]
    errors = [[(a.rate - a.ci_low) * 100 for a in arms], [(a.ci_high - a.rate) * 100 for a in arms]]
    ax.bar([a.arm for a in arms], rates, yerr=errors, capsize=6, color="#4C72B0")
    ax.set_ylabel("customers who bought (%)")
    ax.set_title("Conversion per experiment arm (interval: Wilson)")
    images["arms"] = _png(fig)

    fig, ax = plt.subplots(figsize=(8, 3.4))
    if not data.by_week.empty:
        columns = [c for c in (*FUNNEL, "purchase") if c in data.by_week]
        data.by_week[columns].plot(ax=ax, marker="o")
    ax.set_title("Per week")
    ax.set_xlabel("")
    images["weekly"] = _png(fig)
    return images


def _table(frame: pd.DataFrame, percent: tuple[str, ...] = ("acceptance", "redemption"),
           money: tuple[str, ...] = ("revenue", "discount")) -> str:
    shown = frame.copy()
    for column in shown.columns:
        if column in percent:
            shown[column] = shown[column].map(lambda v: f"{v:.1%}")
        elif column in money:
            shown[column] = shown[column].map(lambda v: f"${v:,.2f}")
    return shown.to_html(index=False, border=0, classes="table", na_rep="")


def _experiment_table(result: ExperimentResult) -> str:
    rows = []
    for arm in result.arms:
        rows.append({
            "arm": arm.arm, "strategy": arm.strategy, "customers": arm.customers, "bought": arm.conversions,
            "conversion": f"{arm.rate:.2%} [{arm.ci_low:.2%}, {arm.ci_high:.2%}]",
            "uplift vs control": "" if arm.uplift is None else
            f"{arm.uplift * 100:+.2f} pp [{arm.uplift_ci_low * 100:+.2f}, {arm.uplift_ci_high * 100:+.2f}]",
            "relative": "" if arm.relative_uplift is None else f"{arm.relative_uplift:+.1%}",
            "p-value": "" if arm.p_value is None else f"{arm.p_value:.4f}",
            "revenue": f"${arm.revenue:,.2f}", "verdict": arm.decision,
        })
    return pd.DataFrame(rows).to_html(index=False, border=0, classes="table")


def render_html(data: ReportData, title: str = "Personal offers: what sells") -> str:
    images = charts(data)
    events = data.events
    totals = {kind: int((events.kind == kind).sum()) for kind in ("decision", *FUNNEL, "purchase")}
    redeemed = events[events.kind == "redeemed"]
    generated = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    span = (f"{events['at'].min():%Y-%m-%d} to {events['at'].max():%Y-%m-%d}" if not events.empty else "no events yet")
    img = '<img alt="{0}" src="data:image/png;base64,{1}">'
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem; color: #222; max-width: 70rem; }}
.kpis {{ display: flex; gap: 1rem; flex-wrap: wrap; }}
.kpi {{ background: #f3f5f8; padding: .8rem 1.2rem; border-radius: 8px; }}
.kpi b {{ display: block; font-size: 1.5rem; }}
table.table {{ border-collapse: collapse; margin: .5rem 0 1.5rem; }}
.table th, .table td {{ padding: .3rem .7rem; border-bottom: 1px solid #ddd; text-align: right; }}
.table th:first-child, .table td:first-child {{ text-align: left; }}
</style></head><body>
<h1>{html.escape(title)}</h1>
<p>Experiment <b>{html.escape(data.experiment.name)}</b>, events from {span}; generated {generated}.
A customer counts as converted when a purchase is attributed to one of their offer decisions.</p>
<div class="kpis">
<div class="kpi"><b>{totals['decision']:,}</b>decisions</div>
<div class="kpi"><b>{totals['shown']:,}</b>offers shown</div>
<div class="kpi"><b>{totals['accepted']:,}</b>accepted</div>
<div class="kpi"><b>{totals['redeemed']:,}</b>coupons redeemed</div>
<div class="kpi"><b>${redeemed['amount'].sum():,.0f}</b>revenue with coupons</div>
<div class="kpi"><b>${redeemed['discount'].sum():,.0f}</b>discount granted</div>
</div>
<h2>Uplift over the control group</h2>
{img.format("conversion per arm", images["arms"])}
{_experiment_table(data.experiment)}
<p>Planned sample: {data.experiment.required_per_arm:,} customers per arm (two-sided α =
{data.experiment.alpha}); interim looks use an O'Brien-Fleming boundary, so reading this report
early does not inflate false positives.</p>
<h2>Offers</h2>
{img.format("offer funnel", images["funnel"])}
{_table(data.by_offer)}
<h2>Segments</h2>
{_table(data.by_segment)}
<h2>Over time</h2>
{img.format("per week", images["weekly"])}
{_table(data.by_week.reset_index().assign(week=lambda f: f.week.dt.strftime("%Y-%m-%d")))}
<h2>The bandit's arms</h2>
{_table(data.arms) if not data.arms.empty else "<p>No bandit decisions yet.</p>"}
</body></html>
"""


def write_report(store: MarketingStore, settings: MarketingSettings, out: str | Path) -> Path:
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_html(collect(store, settings)), encoding="utf-8")
    return out
