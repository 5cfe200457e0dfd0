"""The shop owner's report from a simulated day of conversations, written in the event broker's table."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from sqlalchemy import insert

from shop import analytics
from shop.config import load_settings
from shop.messages import load_messages
from shop.privacy import _broker_metadata, broker_events
from shop.state import make_engine

DAY = date(2026, 12, 2)
MESSAGES = load_messages(load_settings().data.messages)
UNKNOWN = MESSAGES.text("en", "grounded.unknown")
ASK = MESSAGES.text("en", "csat.ask")
ASK_ZH = MESSAGES.text("zh", "csat.ask")


class Day:
    """Writes Rasa-shaped events (as rasa.core.brokers.sql stores them) for one simulated day."""

    def __init__(self, url: str) -> None:
        self.engine = make_engine(url)
        _broker_metadata.create_all(self.engine)
        self.clock = datetime(DAY.year, DAY.month, DAY.day, 9, tzinfo=UTC).timestamp()

    def conversation(self, sender: str, *turns: tuple) -> None:
        rows = [{"event": "action", "name": "action_session_start"}, {"event": "session_started"}]
        for turn in turns:
            self.clock += 30
            kind = turn[0]
            if kind == "user":
                _, text, intent, *entities = turn
                rows.append({"event": "user", "text": text, "timestamp": self.clock, "parse_data": {
                    "intent": {"name": intent, "confidence": 0.9},
                    "entities": [{"entity": e, "value": v} for e, v in entities]}})
            elif kind == "bot":
                rows.append({"event": "bot", "text": turn[1], "timestamp": self.clock})
            elif kind == "action":
                rows.append({"event": "action", "name": turn[1], "timestamp": self.clock})
            elif kind == "slot":
                rows.append({"event": "slot", "name": turn[1], "value": turn[2], "timestamp": self.clock})
        with self.engine.begin() as db:
            db.execute(insert(broker_events), [{"sender_id": sender, "data": json.dumps({**r, "sender_id": sender})}
                                              for r in rows])


def simulate(url: str) -> None:
    day = Day(url)
    goodbye_rated = lambda rating: [("user", "bye", "goodbye"), ("action", "action_goodbye"), ("bot", ASK),  # noqa: E731
                                    ("user", f'/rate_conversation{{"rating": "{rating}"}}', "rate_conversation",
                                     ("rating", rating)), ("action", "action_rate_conversation")]
    for i in range(4):  # shopping, contained, rated up
        day.conversation(f"shop-{i}", ("user", "recommend me a phone", "request_recommendation"),
                         ("action", "action_recommend_products"), ("bot", "Here are some phones"),
                         *goodbye_rated("up"))
    day.conversation("rated-down", ("user", "where is my order", "order_status"), ("bot", "Which order?"),
                     *goodbye_rated("down"))
    day.conversation("asked-not-rated", ("user", "hi", "greet"), ("bot", "Hello"),
                     ("user", "再见", "goodbye"), ("bot", ASK_ZH))
    for i in range(2):  # handoffs
        day.conversation(f"handoff-{i}", ("user", "I want a human", "human_handoff"),
                         ("action", "action_human_handoff"), ("bot", "Ticket KT-000001"))
    day.conversation("unknown", ("user", "do you do gift wrapping?", "shipping_info"),
                     ("action", "action_grounded_answer"), ("bot", UNKNOWN),
                     ("user", "asdfgh", "nlu_fallback"), ("bot", "Sorry, I didn't get that"))
    day.conversation("unknown-2", ("user", "Do you do  gift wrapping?", "out_of_scope"), ("bot", UNKNOWN))
    day.conversation("offers", ("user", "any deals?", "ask_promotions"), ("slot", "offer_decision", "d1"),
                     ("user", "yes", "accept_offer"), ("action", "action_accept_offer"),
                     ("slot", "offer_decision", None),
                     ("user", "too expensive", "price_objection"), ("slot", "offer_decision", "d2"),
                     ("user", "no", "deny"), ("action", "action_decline_offer"), ("slot", "offer_decision", None),
                     ("action", "action_accept_offer"))  # a stray accept with no open offer: not counted
    # A second session of a shopper an hour later is a conversation of its own; one with no shopper
    # message (a session start only) is none.
    day.conversation("shop-0", ("user", "hello again", "greet"), ("bot", "Hello"))
    day.conversation("silent")
    # Yesterday's conversation is outside a one-day report.
    day.clock -= 86400
    day.conversation("yesterday", ("user", "hi", "greet"))


def test_a_simulated_day(tmp_path):
    url = f"sqlite:///{tmp_path / 'events.db'}"
    simulate(url)
    report = analytics.build_report(url, MESSAGES, days=1, until=DAY)
    assert report.conversations == 12
    assert report.conversations_per_day == {DAY.isoformat(): 12}
    assert (report.handoffs, report.handoff_rate, report.containment) == (2, 0.1667, 0.8333)
    assert report.user_messages == 4 * 3 + 3 + 2 + 2 + 2 + 1 + 4 + 1
    assert report.fallbacks == 1 and report.fallback_rate == round(1 / report.user_messages, 4)
    assert report.top_intents[0] == ("goodbye", 6)
    assert report.unanswered == [("do you do gift wrapping?", 1), ("Do you do gift wrapping?", 1)]
    assert (report.offers_shown, report.offers_accepted, report.offer_acceptance) == (2, 1, 0.5)
    assert (report.csat_asked, report.csat_up, report.csat_down) == (6, 4, 1)
    assert report.csat == 0.8 and report.csat_response_rate == round(5 / 6, 4)
    week = analytics.build_report(url, MESSAGES, days=7, until=DAY)
    assert week.conversations == 13 and len(week.conversations_per_day) == 2


def test_the_html_report_has_the_figures_and_plots(tmp_path):
    url = f"sqlite:///{tmp_path / 'events.db'}"
    simulate(url)
    page = analytics.render_html(analytics.build_report(url, MESSAGES, days=1, until=DAY), "Kestrel Electronics")
    assert page.count('src="data:image/png;base64,') == 3
    assert "83%" in page and "do you do gift wrapping?" in page and "80% (4 👍, 1 👎" in page


def test_an_empty_or_missing_store_gives_an_empty_report(tmp_path):
    report = analytics.build_report(f"sqlite:///{tmp_path / 'none.db'}", MESSAGES, days=3, until=DAY)
    assert report.conversations == 0 and report.csat is None
    assert "Conversations" in analytics.render_html(report, "Shop")


def test_the_command_writes_the_report(tmp_path, monkeypatch, capsys):
    url = f"sqlite:///{tmp_path / 'events.db'}"
    simulate(url)
    monkeypatch.setenv("SHOP_EVENTS_URL", url)
    assert analytics.main(["--json", "--days", "36500"]) == 0
    assert json.loads(capsys.readouterr().out)["conversations"] == 13  # the simulated day and the one before
    out = tmp_path / "report.html"
    assert analytics.main(["--out", str(out)]) == 0 and out.read_text().startswith("<!doctype html>")
    assert analytics.main(["--days", "0"]) == 2
