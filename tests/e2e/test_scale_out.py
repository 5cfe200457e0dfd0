"""Two Rasa servers and two action servers sharing real PostgreSQL and Redis (endpoints.scale-out.yml).

Each conversation's messages alternate between the Rasa servers (and so between the action
servers); both servers must then show the same, complete conversation.
"""

from __future__ import annotations

import re
import signal
import subprocess
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
import yaml

from shop.pii import mask_text
from shop.state import StateStore
from tests.cluster import Cluster
from tests.servers import REPO, Chat, free_port, launch_action_server, launch_rasa_server, stop_process

TICKET = re.compile(r"\bKT-[0-9A-F]{6}\b")
SCRIPT = ["hi", "how much does express delivery cost?", "I want to talk to a human agent",
          "do you ship to Canada?", "can I pay with paypal?"]
CONVERSATIONS = 8


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory, postgres, redis) -> Iterator[Cluster]:
    servers = Cluster(tmp_path_factory.mktemp("cluster"), postgres, redis)
    try:
        yield servers.start()
    finally:
        servers.stop()


def tracker_from(cluster: Cluster, server: int, sender: str) -> dict:
    reply = requests.get(f"{cluster.rasa[server].url}/conversations/{sender}/tracker",
                         params={"token": cluster.api_token}, timeout=30)
    reply.raise_for_status()
    return reply.json()


def converse(cluster: Cluster, index: int) -> tuple[Chat, list[list[dict]]]:
    chat = Chat(cluster)
    replies = []
    for turn, message in enumerate(SCRIPT):
        chat.url = cluster.rasa[(index + turn) % 2].url
        replies.append(chat.say(message))
    return chat, replies


def test_alternating_servers_lose_and_duplicate_no_event(cluster):
    with ThreadPoolExecutor(CONVERSATIONS) as pool:
        results = list(pool.map(lambda i: converse(cluster, i), range(CONVERSATIONS)))
    state = StateStore(cluster.base_env["SHOP_STATE_URL"])
    try:
        for chat, replies in results:
            assert all(replies), f"a turn of {chat.sender} got no reply: {replies}"
            first = tracker_from(cluster, 0, chat.conversation_id)
            second = tracker_from(cluster, 1, chat.conversation_id)
            assert first["events"] == second["events"]
            events = first["events"]
            assert [e["text"] for e in events if e["event"] == "user"] == SCRIPT
            # Stored as the tracker store keeps every text: masked (the support address too).
            assert [e.get("text") for e in events if e["event"] == "bot"] == [
                mask_text(r.get("text")) for turn in replies for r in turn]
            # The handoff ticket was written by whichever action server ran it, into the shared state.
            ticket_id = TICKET.search(" ".join(r.get("text") or "" for r in replies[2])).group(0)
            assert state.ticket(ticket_id).sender_id == chat.conversation_id
    finally:
        state.close()


def test_simultaneous_messages_of_one_conversation_are_handled_one_at_a_time(cluster):
    chat = Chat(cluster)
    chat.say("hi")
    questions = SCRIPT[1:]
    targets = [cluster.rasa[i % 2].url for i in range(len(questions))]

    def send(pair: tuple[str, str]) -> list[dict]:
        url, message = pair
        reply = requests.post(f"{url}/webhooks/rest/webhook", json={"sender": chat.sender, "message": message},
                              timeout=120)
        reply.raise_for_status()
        return reply.json()

    with ThreadPoolExecutor(len(questions)) as pool:
        replies = list(pool.map(send, zip(targets, questions, strict=True)))
    assert all(replies)
    events = tracker_from(cluster, 0, chat.conversation_id)["events"]
    users = [i for i, e in enumerate(events) if e["event"] == "user"]
    assert sorted(events[i]["text"] for i in users) == sorted(["hi", *questions])
    # Redis held the conversation's lock: each turn ended (action_listen) before the next began.
    for index in users[1:]:
        before = events[index - 1]
        assert before["event"] == "action" and before["name"] == "action_listen", events[index - 3:index + 1]


def test_a_killed_rasa_server_leaves_the_conversation_to_the_other(cluster):
    chat = Chat(cluster, customer="C00001")
    chat.url = cluster.rasa[0].url
    assert "budget" in chat.text("recommend me a laptop").lower()
    cluster.rasa[0].proc.send_signal(signal.SIGKILL)
    cluster.rasa[0].proc.wait(timeout=30)
    chat.url = cluster.rasa[1].url
    reply = chat.say("around 1500")
    assert any("$" in (r.get("text") or "") for r in reply), reply
    assert tracker_from(cluster, 1, chat.conversation_id)["slots"]["category"] == "laptops"


def _scale_out_endpoints(path: Path) -> Path:
    """endpoints.scale-out.yml with short connection timeouts, so the failure shows quickly."""
    config = yaml.safe_load((REPO / "endpoints.scale-out.yml").read_text())
    config["tracker_store"]["connect_timeout"] = 2
    config["lock_store"]["connect_timeout"] = 2
    path.write_text(yaml.safe_dump(config))
    return path


def _wait_exit(proc: subprocess.Popen, timeout: float) -> int:
    try:
        return proc.wait(timeout=timeout)
    finally:
        stop_process(proc)


def test_unreachable_database_or_redis_stop_the_servers_with_a_clear_error(postgres, redis, tmp_path):
    endpoints = str(_scale_out_endpoints(tmp_path / "endpoints.yml"))
    closed = free_port()
    base = Cluster(tmp_path, postgres, redis, rasa_servers=0, action_servers=0).base_env
    no_database = dict(base, RASA_TRACKER_URL=f"postgresql://kestrel@127.0.0.1:{closed}/rasa",
                       ACTION_ENDPOINT_URL="http://127.0.0.1:1/webhook")
    no_redis = dict(base, REDIS_PORT=str(closed), ACTION_ENDPOINT_URL="http://127.0.0.1:1/webhook")
    started = time.monotonic()
    rasa_no_db = launch_rasa_server(free_port(), no_database, tmp_path / "no-db.log", endpoints)
    rasa_no_redis = launch_rasa_server(free_port(), no_redis, tmp_path / "no-redis.log", endpoints)
    actions_no_db = launch_action_server(free_port(), dict(base, SHOP_STATE_URL=no_database["RASA_TRACKER_URL"]),
                                         tmp_path / "actions-no-db.log")
    assert _wait_exit(actions_no_db, 120) == 2
    assert "The action server cannot start: cannot open the state database" in (
        tmp_path / "actions-no-db.log").read_text()
    assert _wait_exit(rasa_no_db, 300) != 0
    assert _wait_exit(rasa_no_redis, 300) != 0
    assert "The tracker store database" in (tmp_path / "no-db.log").read_text()
    assert "is unreachable after 2 s" in (tmp_path / "no-db.log").read_text()
    assert "The Redis lock store at 127.0.0.1" in (tmp_path / "no-redis.log").read_text()
    assert time.monotonic() - started < 300
