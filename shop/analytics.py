"""Conversation analytics for the shop owner: ``python -m shop.analytics [--days 30] [--out FILE] [--json]``.

Reads the analytics copy of every conversation, which the Rasa server writes through its SQL event
broker (rasa_ext/brokers.py; ``privacy.events_url`` / ``SHOP_EVENTS_URL``), and writes an HTML report
with plots (matplotlib), or the figures as JSON. The shop page serves the same report to the owner
(scripts/shop_page.py, ``/owner/report``, behind ``SHOP_OWNER_TOKEN``). Every figure is defined in
docs/analytics.md; the events are masked, so the report shows no personal data.
"""

from __future__ import annotations

import argparse
import base64
import hmac
import html
import io
import json
import os
import sys
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from shop.config import ConfigError, load_settings
from shop.messages import Messages, load_messages
from shop.privacy import broker_events
from shop.state import make_engine

HANDOFF_ACTION = "action_human_handoff"
ACCEPT_OFFER_ACTION = "action_accept_offer"
FALLBACK_INTENT = "nlu_fallback"
RATING_INTENT = "rate_conversation"
OFFER_SLOT = "offer_decision"
# The texts that mean "I don't know" (their question is something to add to the knowledge base).
UNKNOWN_KEYS = ("grounded.unknown",)
CSAT_ASK_KEY = "csat.ask"
TOP = 10


@dataclass
class Conversation:
    """One session of one conversation id (Rasa starts a new session after an hour of silence)."""

    sender_id: str
    events: list[dict[str, Any]] = field(default_factory=list)

    @property
    def user_events(self) -> list[dict[str, Any]]:
        return [e for e in self.events if e.get("event") == "user"]

    @property
    def started(self) -> datetime | None:
        stamps = [e["timestamp"] for e in self.user_events if isinstance(e.get("timestamp"), (int, float))]
        return datetime.fromtimestamp(min(stamps), UTC) if stamps else None

    def ran(self, action: str) -> bool:
        return any(e.get("event") == "action" and e.get("name") == action for e in self.events)


@dataclass
class Report:
    since: str
    until: str
    conversations: int = 0
    conversations_per_day: dict[str, int] = field(default_factory=dict)
    user_messages: int = 0
    handoffs: int = 0
    handoff_rate: float = 0.0
    containment: float = 0.0
    fallbacks: int = 0
    fallback_rate: float = 0.0
    top_intents: list[tuple[str, int]] = field(default_factory=list)
    unanswered: list[tuple[str, int]] = field(default_factory=list)
    offers_shown: int = 0
    offers_accepted: int = 0
    offer_acceptance: float = 0.0
    csat_asked: int = 0
    csat_up: int = 0
    csat_down: int = 0
    csat: float | None = None
    csat_response_rate: float = 0.0


def intent_of(event: Mapping[str, Any]) -> str | None:
    return ((event.get("parse_data") or {}).get("intent") or {}).get("name")


def entity_values(event: Mapping[str, Any], entity: str) -> list[Any]:
    return [e.get("value") for e in (event.get("parse_data") or {}).get("entities") or [] if e.get("entity") == entity]


def conversations_of(rows: Iterable[tuple[str, str]]) -> list[Conversation]:
    """Rows of (sender_id, event JSON) in the order written, split into sessions that have a shopper's message."""
    current: dict[str, Conversation] = {}
    done: list[Conversation] = []
    for sender_id, data in rows:
        try:
            event = json.loads(data)
        except (TypeError, ValueError):
            continue  # a row that is not JSON is not ours to count
        if not isinstance(event, dict):
            continue
        if event.get("event") == "session_started" and sender_id in current:
            done.append(current.pop(sender_id))
        current.setdefault(sender_id, Conversation(sender_id)).events.append(event)
    done.extend(current.values())
    return [c for c in done if c.user_events]


def _ratio(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def analyse(conversations: list[Conversation], messages: Messages, since: date, until: date) -> Report:
    """The figures of docs/analytics.md for the conversations that started in [since, until]."""
    unknown_texts = {messages.template(lang, key) for key in UNKNOWN_KEYS for lang in ("en", "zh")}
    ask_texts = {messages.template(lang, CSAT_ASK_KEY) for lang in ("en", "zh")}
    report = Report(since.isoformat(), until.isoformat())
    per_day: Counter[str] = Counter()
    intents: Counter[str] = Counter()
    unanswered: Counter[str] = Counter()
    for conversation in conversations:
        started = conversation.started
        if started is None or not since <= started.date() <= until:
            continue
        report.conversations += 1
        per_day[started.date().isoformat()] += 1
        report.handoffs += conversation.ran(HANDOFF_ACTION)
        last_question, offer_open, asked, rating = None, False, False, None
        for event in conversation.events:
            kind = event.get("event")
            if kind == "user":
                report.user_messages += 1
                intent = intent_of(event)
                if intent:
                    intents[intent] += 1
                report.fallbacks += intent == FALLBACK_INTENT
                if intent == RATING_INTENT:
                    values = [v for v in entity_values(event, "rating") if v in ("up", "down")]
                    rating = values[-1] if values else rating
                last_question = event.get("text")
            elif kind == "bot":
                text = event.get("text") or ""
                if text in unknown_texts and isinstance(last_question, str) and not last_question.startswith("/"):
                    unanswered[" ".join(last_question.split())[:200]] += 1
                    last_question = None
                asked = asked or text in ask_texts
            elif kind == "slot" and event.get("name") == OFFER_SLOT:
                if event.get("value"):
                    report.offers_shown += 1
                offer_open = bool(event.get("value"))
            elif kind == "action" and event.get("name") == ACCEPT_OFFER_ACTION and offer_open:
                report.offers_accepted += 1
                offer_open = False
        report.csat_asked += asked
        report.csat_up += rating == "up"
        report.csat_down += rating == "down"
    report.conversations_per_day = dict(sorted(per_day.items()))
    report.handoff_rate = _ratio(report.handoffs, report.conversations)
    report.containment = round(1 - report.handoff_rate, 4) if report.conversations else 0.0
    report.fallback_rate = _ratio(report.fallbacks, report.user_messages)
    report.top_intents = intents.most_common(TOP)
    report.unanswered = unanswered.most_common(TOP * 2)
    report.offer_acceptance = _ratio(report.offers_accepted, report.offers_shown)
    rated = report.csat_up + report.csat_down
    report.csat = _ratio(report.csat_up, rated) if rated else None
    report.csat_response_rate = _ratio(rated, report.csat_asked)
    return report


def read_rows(events_url: str) -> list[tuple[str, str]]:
    engine = make_engine(events_url)
    try:
        with engine.connect() as db:
            if not engine.dialect.has_table(db, broker_events.name):
                return []
            return [tuple(row) for row in db.execute(  # type: ignore[misc]
                select(broker_events.c.sender_id, broker_events.c.data).order_by(broker_events.c.id))]
    finally:
        engine.dispose()


def build_report(events_url: str, messages: Messages, days: int = 30, until: date | None = None) -> Report:
    until = until or datetime.now(UTC).date()
    return analyse(conversations_of(read_rows(events_url)), messages, until - timedelta(days=days - 1), until)


# --- HTML ------------------------------------------------------------------------------------------

def _png(figure: Any) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    import matplotlib.pyplot as plt  # lazy: matplotlib (~0.5 s) only when a report draws its charts

    plt.close(figure)
    return base64.b64encode(buffer.getvalue()).decode()


def plots(report: Report) -> dict[str, str]:
    """The report's charts as base64 PNGs (matplotlib without a display)."""
    import matplotlib  # lazy: only the report's charts need it, not the text report or the web page

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # after use("Agg"): no display backend is tried

    charts = {}
    days = list(report.conversations_per_day)
    figure, axis = plt.subplots(figsize=(7, 2.6))
    axis.bar(days, [report.conversations_per_day[d] for d in days], color="#2563eb")
    axis.set_title("Conversations per day")
    axis.tick_params(axis="x", rotation=45, labelsize=7)
    charts["per_day"] = _png(figure)
    figure, axis = plt.subplots(figsize=(7, 3))
    names = [name for name, _ in report.top_intents][::-1]
    axis.barh(names, [count for _, count in report.top_intents][::-1], color="#0f766e")
    axis.set_title("Top intents (messages)")
    charts["intents"] = _png(figure)
    figure, axis = plt.subplots(figsize=(7, 2.4))
    labels = ["containment", "handoff", "fallback", "offer acceptance", "CSAT"]
    values = [report.containment, report.handoff_rate, report.fallback_rate, report.offer_acceptance,
              report.csat or 0.0]
    axis.bar(labels, values, color=["#16a34a", "#dc2626", "#f59e0b", "#7c3aed", "#2563eb"])
    axis.set_ylim(0, 1)
    axis.set_title("Rates")
    charts["rates"] = _png(figure)
    return charts


def render_html(report: Report, shop_name: str) -> str:
    charts = plots(report)
    esc = html.escape

    def pct(value: float | None) -> str:
        return "–" if value is None else f"{value:.0%}"

    figures = [
        ("Conversations", str(report.conversations)), ("Shopper messages", str(report.user_messages)),
        ("Containment (ended without a human)", pct(report.containment)),
        ("Handoff rate", f"{pct(report.handoff_rate)} ({report.handoffs})"),
        ("Fallback rate (messages not understood)", f"{pct(report.fallback_rate)} ({report.fallbacks})"),
        ("Offers shown / accepted", f"{report.offers_shown} / {report.offers_accepted} "
                                    f"({pct(report.offer_acceptance)})"),
        ("CSAT (thumbs up of ratings)", f"{pct(report.csat)} ({report.csat_up} 👍, {report.csat_down} 👎; "
                                        f"{pct(report.csat_response_rate)} of {report.csat_asked} asked)"),
    ]
    rows = "".join(f"<tr><th>{esc(name)}</th><td>{esc(value)}</td></tr>" for name, value in figures)
    unanswered = "".join(f"<li>{esc(question)} <small>×{count}</small></li>" for question, count in report.unanswered) \
        or "<li>None in this period.</li>"
    images = "".join(f'<img alt="{esc(name)}" src="data:image/png;base64,{data}">' for name, data in charts.items())
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(shop_name)} assistant: conversations {esc(report.since)} to {esc(report.until)}</title>
<style>body{{font-family:system-ui,sans-serif;max-width:960px;margin:2rem auto;padding:0 1rem;color:#111}}
table{{border-collapse:collapse}}th,td{{text-align:left;padding:.3rem .8rem;border-bottom:1px solid #ddd}}
img{{max-width:100%;display:block;margin:1rem 0}}</style></head>
<body><h1>{esc(shop_name)} assistant</h1>
<p>Conversations that started from {esc(report.since)} to {esc(report.until)} (UTC). Definitions: docs/analytics.md.</p>
<table>{rows}</table>{images}
<h2>Questions answered "I don't know"</h2><p>What to add to the knowledge base (personal data masked):</p>
<ul>{unanswered}</ul></body></html>
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m shop.analytics", description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=30, help="how many days back, today included (default 30)")
    parser.add_argument("--out", type=Path, default=Path("reports/analytics.html"), help="the HTML file to write")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON instead")
    args = parser.parse_args(argv)
    if args.days < 1:
        print("error: --days must be at least 1", file=sys.stderr)
        return 2
    try:
        settings = load_settings()
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not settings.privacy.events_url:
        print("error: no analytics events configured (privacy.events_url in shop.yml, SHOP_EVENTS_URL)",
              file=sys.stderr)
        return 2
    report = build_report(settings.privacy.events_url, load_messages(settings.data.messages), args.days)
    if args.json:
        print(json.dumps(asdict(report), ensure_ascii=False, indent=2))
        return 0
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(render_html(report, settings.shop_name), encoding="utf-8")
    print(f"{report.conversations} conversations; report written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())


# --- the owner's page on the shop server (scripts/shop_page.py) -------------------------------------

OWNER_TOKEN_ENV = "SHOP_OWNER_TOKEN"


def owner_page(given_token: str, days: int = 30) -> tuple[int, str, bytes]:
    """(HTTP status, content type, body) of ``/owner/report``: the HTML report for the right token.

    Without ``SHOP_OWNER_TOKEN`` set the page does not exist (404): the report is never public.
    """

    token = os.environ.get(OWNER_TOKEN_ENV, "")
    if not token:
        return 404, "text/plain; charset=utf-8", b"Not found"
    if not hmac.compare_digest(given_token.encode(), token.encode()):
        return 403, "text/plain; charset=utf-8", b"Wrong or missing token"
    try:
        settings = load_settings()
    except ConfigError as exc:
        return 500, "text/plain; charset=utf-8", f"Configuration error: {exc}".encode()
    if not settings.privacy.events_url:
        return 503, "text/plain; charset=utf-8", b"No analytics events configured (SHOP_EVENTS_URL)"
    report = build_report(settings.privacy.events_url, load_messages(settings.data.messages), days)
    return 200, "text/html; charset=utf-8", render_html(report, settings.shop_name).encode()
