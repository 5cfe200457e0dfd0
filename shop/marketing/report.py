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

from shop.config import MarketingSettings  # noqa: E402
from shop.marketing.experiments import ExperimentResult, analyse  # noqa: E402
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
    uplift_by_segment: pd.DataFrame
    uplift_over_time: pd.DataFrame


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


def _uplift_rows(result: ExperimentResult, **labels: object) -> list[dict]:
    control = next((arm for arm in result.arms if arm.decision == "control"), None)
    return [{**labels, "arm": arm.arm, "customers": arm.customers, "conversion": arm.rate,
             "control": control.rate if control else None, "uplift": arm.uplift, "ci_low": arm.uplift_ci_low,
             "ci_high": arm.uplift_ci_high, "p_value": arm.p_value}
            for arm in result.arms if arm.uplift is not None]


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
    converted = purchases.customer_id.unique()
    experiment = analyse(settings.experiment, exposures, converted, revenue)
    segment_of = dict(zip(first.customer_id, first.segment, strict=True))
    by_segment = [row for segment in sorted({s for s in segment_of.values() if isinstance(s, str)})
                  for row in _uplift_rows(analyse(settings.experiment, {
                      c: arm for c, arm in exposures.items() if segment_of.get(c) == segment}, converted, revenue),
                      segment=segment)]
    # Over time: the experiment as it stood at the end of each week (customers exposed and converted by then).
    over_time = []
    if not first.empty:
        for week_end in pd.date_range(first["at"].min().normalize() + pd.Timedelta(days=7),
                                      events["at"].max().normalize() + pd.Timedelta(days=7), freq="7D"):
            seen = {c: arm for c, arm, at in zip(first.customer_id, first.variant, first["at"], strict=True)
                    if at < week_end}
            bought = purchases[purchases["at"] < week_end].customer_id.unique()
            over_time += _uplift_rows(analyse(settings.experiment, seen, bought), week=week_end.date())

    by_week = events.assign(week=events["at"].dt.to_period("W").dt.start_time)
    weekly = by_week[by_week.kind.isin((*FUNNEL, "purchase"))].pivot_table(
        index="week", columns="kind", values="event_id", aggfunc="count", fill_value=0)
    weekly["revenue"] = by_week[by_week.kind == "purchase"].groupby("week")["amount"].sum()
    weekly = weekly.fillna(0.0)
    return ReportData(events, experiment, _funnel(events, "offer_id"), _funnel(events, "segment"), weekly,
                      pd.DataFrame(store.arm_summary()), pd.DataFrame(by_segment), pd.DataFrame(over_time))


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
    fig.autofmt_xdate()
    images["weekly"] = _png(fig)

    fig, ax = plt.subplots(figsize=(8, 3.4))
    frame = data.uplift_over_time
    for arm, rows in (frame.groupby("arm") if not frame.empty else []):
        ax.plot(rows.week, rows.uplift * 100, marker="o", label=f"{arm} vs control")
        ax.fill_between(rows.week, rows.ci_low * 100, rows.ci_high * 100, alpha=0.2)
    ax.axhline(0, color="grey", linewidth=0.8)
    ax.set_ylabel("uplift (percentage points)")
    ax.set_title("Uplift over control as the experiment ran (band: Newcombe interval)")
    if not frame.empty:
        ax.legend(fontsize=8)
    fig.autofmt_xdate()
    images["uplift"] = _png(fig)
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


def _uplift_table(frame: pd.DataFrame) -> str:
    if frame.empty:
        return "<p>Not enough data yet.</p>"
    shown = frame.copy()
    for column in ("conversion", "control"):
        shown[column] = shown[column].map(lambda v: f"{v:.2%}")
    shown["uplift"] = [f"{u * 100:+.2f} pp [{lo * 100:+.2f}, {hi * 100:+.2f}]"
                       for u, lo, hi in zip(frame.uplift, frame.ci_low, frame.ci_high, strict=True)]
    shown["p_value"] = frame.p_value.map(lambda v: f"{v:.4f}")
    return shown.drop(columns=["ci_low", "ci_high"]).to_html(index=False, border=0, classes="table")


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
<h3>Uplift over control per segment</h3>
{_uplift_table(data.uplift_by_segment)}
<h2>Over time</h2>
{img.format("uplift over time", images["uplift"])}
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
