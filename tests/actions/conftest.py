"""The action tests' harness: every custom action run in-process, without a Rasa or action server.

A test starts from a recorded tracker (tests/actions/trackers/*.json, written by Rasa itself:
record_trackers.py) or from nothing, adds the turns it needs, runs an action with a real
``CollectingDispatcher`` on a real ``rasa_sdk.Tracker.from_dict`` tracker, and reads the texts,
buttons and events it returned::

    reply = Chat("jane_en").user("where is KE-100002?", "order_status", {"order_id": "KE-100002"}) \
        .run("action_order_status")
    assert "1Z4K7E9R0312345678" in reply.text

The actions use the real shop services (actions/services.py) on the repo's data, with every store
that writes (state, marketing, feedback, mail) in a temporary directory for the test session, as
tests/servers.py's ``Stack.env()`` does for the servers. The events an action returns are applied
to the chat, so the next ``user(...)``/``run(...)`` sees them as Rasa would show them.
"""

from __future__ import annotations

import asyncio
import copy
import email
import email.policy
import json
import os
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import ActionExecutor, CollectingDispatcher
from sqlalchemy import create_engine

REPO = Path(__file__).resolve().parents[2]
TRACKERS = Path(__file__).resolve().parent / "trackers"
# Rasa sends its domain with every call; the form validation actions read their forms' slots from it.
DOMAIN: dict[str, Any] = yaml.safe_load((REPO / "domain.yml").read_text(encoding="utf-8"))
# Slots that Rasa fills from an entity of the message itself (domain.yml: from_entity, no condition).
ENTITY_SLOTS = {mapping["entity"]: name for name, slot in DOMAIN["slots"].items()
                for mapping in slot.get("mappings") or []
                if mapping.get("type") == "from_entity" and not mapping.get("conditions")}
# The day the shop's order reasoning counts from (return windows, late dispatch), fixed as for the
# conversation suite (tests/servers.py), so the figures hold whatever the clock says.
TODAY = "2026-12-03"
# The passages' embeddings (a minute to compute once on 2 cores) are kept between runs here; no
# generator is ever trained into it, so grounded answers take the retrieval-only path (the best
# passage, as the action server does without a trained model): quick and deterministic.
GROUNDED_CACHE = REPO / "var" / "test-cache" / "grounded-retrieval"
# Environment overrides of shop.yml that would point a test at the developer's own stores or models.
CLEARED_ENV = ("SHOP_CONFIG", "SHOP_STATE_URL", "SHOP_SMTP_HOST", "SHOP_GENERATOR_MODEL", "SHOP_OFFERS",
               "SHOP_YUAN_PER_DOLLAR", "SHOP_EMAIL_TICKETS", "SHOP_RETENTION_DAYS", "SANIC_WORKER_NAME")


# --- the shop's services on a temporary state ----------------------------------------------------


# Package scope: the environment is the action tests' own and is restored when they are done, so
# the tests after them in one pytest run (unit, e2e) see the developer's settings again.
@pytest.fixture(scope="package")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("actions")


@pytest.fixture(scope="package", autouse=True)
def shop(workdir: Path) -> Iterator[Any]:
    """The action server's services (actions.services), built once for these tests over the repo's
    data, writing to ``workdir``."""
    recommender = REPO / "models" / "recommender"
    if not any(recommender.glob("recommender-*.npz")):
        pytest.exit(f"No recommender model in {recommender}: run `.venv-actions/bin/python -m "
                    "shop.recommender.train` (seconds) first.", returncode=4)
    GROUNDED_CACHE.mkdir(parents=True, exist_ok=True)
    for cached in (REPO / "models" / "generator").glob("embeddings-*.npy"):
        if not (GROUNDED_CACHE / cached.name).exists():  # training computed them already: reuse
            shutil.copy2(cached, GROUNDED_CACHE / cached.name)
    # Rasa's tracker store, which the data-deletion action erases other conversations from.
    tracker_db = workdir / "tracker.db"
    from shop.privacy import _tracker_metadata

    _tracker_metadata.create_all(create_engine(f"sqlite:///{tracker_db}"))
    env = {
        "SHOP_STATE_DB": str(workdir / "shop_state.db"),
        "SHOP_FEEDBACK": str(workdir / "feedback.csv"),
        "SHOP_MARKETING_DB": str(workdir / "marketing.db"),
        "SHOP_TRACKER_URL": str(tracker_db),
        "SHOP_EVENTS_URL": str(workdir / "events.db"),
        "SHOP_MAIL_SINK": str(workdir / "mail.log"),
        "SHOP_RECOMMENDER_DIR": str(recommender),
        "SHOP_GENERATOR_DIR": str(GROUNDED_CACHE),
        "SHOP_TODAY": TODAY,
    }
    saved = {name: os.environ.get(name) for name in (*env, *CLEARED_ENV)}
    for name in CLEARED_ENV:
        os.environ.pop(name, None)
    os.environ.update(env)
    from actions.services import _build, services

    _build.cache_clear()
    built = services()
    assert built.answerer.model is None, "grounded answers must take the retrieval-only path here"
    try:
        yield built
    finally:
        built.help_desk.close_pool()  # ticket emails still being written to the sink
        _build.cache_clear()
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def mails(workdir: Path) -> list[EmailMessage]:
    """The mails the actions sent so far (the sink file that stands in for SMTP, shop/mailer.py)."""
    sink = workdir / "mail.log"
    if not sink.exists():
        return []
    parts = [part for part in sink.read_text(encoding="utf-8").split("\n" + "=" * 72 + "\n") if part.strip()]
    return [email.message_from_string(part, policy=email.policy.default) for part in parts]  # type: ignore[misc]


# --- actions by name ------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def executor() -> ActionExecutor:
    """The action server's own registry of the ``actions`` package (``rasa_sdk --actions actions``):
    every action found the way the server finds it, one instance each."""
    found = ActionExecutor()
    found.register_package("actions")
    return found


def registered_actions() -> list[str]:
    return sorted(executor().actions)


# --- conversations --------------------------------------------------------------------------------


def recorded(name: str) -> dict[str, Any]:
    return json.loads((TRACKERS / f"{name}.json").read_text(encoding="utf-8"))


def blank_state(language: str) -> dict[str, Any]:
    return {"sender_id": "", "slots": {name: None for name in DOMAIN["slots"]} | {"language": language},
            "latest_message": {}, "events": [], "paused": False, "followup_action": None, "active_loop": {},
            "latest_action_name": "action_listen", "latest_input_channel": None}


@dataclass
class Reply:
    """What one action did: the messages it sent and the events it returned."""

    messages: list[dict[str, Any]]
    events: list[dict[str, Any]]

    @property
    def texts(self) -> list[str]:
        return [m["text"] for m in self.messages if m.get("text")]

    @property
    def text(self) -> str:
        return "\n".join(self.texts)

    @property
    def buttons(self) -> list[dict[str, Any]]:
        return [button for m in self.messages for button in m.get("buttons") or []]

    @property
    def payloads(self) -> list[str]:
        return [b["payload"] for b in self.buttons]

    @property
    def responses(self) -> list[str]:
        return [m["response"] for m in self.messages if m.get("response")]

    @property
    def custom(self) -> list[dict[str, Any]]:
        return [m["custom"] for m in self.messages if m.get("custom")]

    @property
    def slots(self) -> dict[str, Any]:
        """The slots the events set (the last value of each)."""
        return {e["name"]: e["value"] for e in self.events if e.get("event") == "slot"}

    @property
    def kinds(self) -> list[str]:
        return [e["event"] for e in self.events]


class Chat:
    """One conversation as the action server receives it: a recorded tracker (or an empty one),
    the turns a test adds, and what each action run returned applied to it."""

    def __init__(self, fixture: str | None = None, *, language: str | None = None, channel: str = "rest",
                 sender: str | None = None, **slots: Any) -> None:
        self.state = recorded(fixture) if fixture else blank_state(language or "en")
        # One conversation per test: per-conversation limits, codes and rows never mix between tests.
        self.state["sender_id"] = sender or f"{fixture or 'chat'}-{uuid.uuid4().hex[:10]}"
        self.language = language or self.state["slots"].get("language") or "en"
        self.channel = channel
        if slots:
            self.set(**slots)

    @property
    def sender(self) -> str:
        return self.state["sender_id"]

    def slot(self, name: str) -> Any:
        return self.state["slots"].get(name)

    def _append(self, event: dict[str, Any]) -> None:
        self.state["events"].append(event)

    def set(self, **slots: Any) -> Chat:
        """Slot events, as a rule, a form or an earlier action set them."""
        for name, value in slots.items():
            self._append({"event": "slot", "name": name, "value": value})
            self.state["slots"][name] = value
        return self

    def user(self, text: str, intent: str = "inform", entities: dict[str, Any] | list[tuple[str, Any]] | None = None,
             *, slots: dict[str, Any] | None = None, language: str | None = None, confidence: float = 0.95,
             ranking: list[tuple[str, float]] | None = None, metadata: dict[str, Any] | None = None,
             channel: str | None = None) -> Chat:
        """A message as the NLU parsed it; the slots its entities fill (domain.yml) and ``slots``
        (a from_intent mapping, a form's extraction) follow it, as Rasa appends them."""
        language = language or self.language
        self.language = language
        pairs = list(entities.items()) if isinstance(entities, dict) else list(entities or [])
        found = [{"entity": name, "value": value} for name, value in pairs]
        found.append({"entity": "language", "value": language})
        ranked = ranking or [(intent, confidence)]
        parse = {"intent": {"name": intent, "confidence": ranked[0][1]}, "entities": found, "text": text,
                 "intent_ranking": [{"name": name, "confidence": score} for name, score in ranked],
                 "metadata": metadata or {}, "message_id": uuid.uuid4().hex}
        self._append({"event": "action", "name": "action_listen"})
        self._append({"event": "user", "text": text, "parse_data": parse, "input_channel": channel or self.channel,
                      "metadata": metadata or {}, "message_id": parse["message_id"]})
        self.state["latest_message"] = parse
        self.state["latest_input_channel"] = channel or self.channel
        self.state["latest_action_name"] = "action_listen"
        filled = {ENTITY_SLOTS[name]: value for name, value in pairs if name in ENTITY_SLOTS}
        return self.set(**({"language": language} | filled | (slots or {})))

    def loop(self, form: str | None, requested_slot: str | None = None) -> Chat:
        """A form becomes active (asking ``requested_slot``) or, with None, ends."""
        self._append({"event": "active_loop", "name": form})
        self.state["active_loop"] = {"name": form} if form else {}
        return self.set(requested_slot=requested_slot)

    def tracker(self) -> Tracker:
        return Tracker.from_dict(copy.deepcopy(self.state))

    def run(self, action: str) -> Reply:
        """Runs the action as the action server would, and applies what it returned to the chat."""
        dispatcher = CollectingDispatcher()
        events = asyncio.run(executor().actions[action](dispatcher, self.tracker(), DOMAIN))
        reply = Reply(copy.deepcopy(dispatcher.messages), [dict(e) for e in events])
        self._append({"event": "action", "name": action})
        for message in reply.messages:
            self._append({"event": "bot", "text": message.get("text"),
                          "data": {"buttons": message.get("buttons") or None, "custom": message.get("custom")},
                          "metadata": {"utter_action": message["response"]} if message.get("response") else {}})
        for event in reply.events:
            if event["event"] == "slot":
                self.set(**{event["name"]: event["value"]})
            elif event["event"] == "active_loop":
                self._append(event)
                self.state["active_loop"] = {"name": event["name"]} if event.get("name") else {}
            else:
                self._append(event)
        self.state["latest_action_name"] = action
        return reply
