"""The servers' edges: tokens, binding, bad input and fuzzing on every HTTP surface, faults.

Every bad request must get a 4xx with a message (or a normal reply), never take a server down.
"""

from __future__ import annotations

import json
import os
import string
import subprocess
import zlib

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.e2e.test_slack_telegram import new_chat, new_ids, slack_dm, slack_post, telegram_message, telegram_post
from tests.servers import ACTIONS_PY, RASA_PY, REPO, Chat, free_port
from tests.socketio_client import socketio_chat

UNAVAILABLE = "can't reach that part of the shop right now"
HUGE = b'{"sender": "x", "message": "' + b"a" * 2_000_000 + b'"}'


def rest(stack, body: bytes | str, content_type: str = "application/json") -> requests.Response:
    return requests.post(f"{stack.url}/webhooks/rest/webhook", data=body,
                         headers={"Content-Type": content_type}, timeout=60)


def action_call(stack, body: bytes, token: str | None = None, **headers: str) -> requests.Response:
    headers = {"Content-Type": "application/json", **headers}
    if token is not None:
        headers["X-Action-Token"] = token
    return requests.post(f"{stack.actions_url}/webhook", data=body, headers=headers, timeout=60)


def still_up(stack) -> None:
    assert Chat(stack).say("hello"), "the Rasa server stopped answering"
    assert requests.get(f"{stack.actions_url}/health", timeout=5).ok


# Security ------------------------------------------------------------------------------------

def test_rasa_http_api_needs_the_token_but_the_shop_webhook_does_not(stack):
    chat = Chat(stack)
    chat.say("hi")
    tracker_url = f"{stack.url}/conversations/{chat.conversation_id}/tracker"
    assert requests.get(tracker_url, timeout=10).status_code == 401
    assert requests.get(tracker_url, params={"token": "wrong"}, timeout=10).status_code == 401
    assert requests.get(tracker_url, params={"token": stack.api_token}, timeout=10).ok


def test_action_server_answers_only_with_the_shared_secret(stack):
    body = json.dumps({"next_action": "action_answer_policy", "tracker": {"sender_id": "x"}}).encode()
    assert action_call(stack, body).status_code == 401
    assert action_call(stack, body, token="wrong").status_code == 401
    assert requests.get(f"{stack.actions_url}/actions", timeout=10).status_code == 401
    assert requests.get(f"{stack.actions_url}/health", timeout=10).ok  # for load balancers and probes


def _listening_addresses(port: int) -> set[str]:
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not os.path.exists(table):
            continue
        with open(table) as handle:
            for line in list(handle)[1:]:
                local, state = line.split()[1], line.split()[3]
                address, hex_port = local.rsplit(":", 1)
                if state == "0A" and int(hex_port, 16) == port:
                    found.add(address)
    return found


def test_action_server_listens_on_loopback_only(stack):
    assert _listening_addresses(stack.actions_port) == {"0100007F"}  # 127.0.0.1


def test_action_server_refuses_a_public_address_without_a_secret(stack):
    env = dict(stack.env(), SANIC_HOST="0.0.0.0", ACTION_SERVER_TOKEN="")
    done = subprocess.run([str(ACTIONS_PY), "-m", "actions.server", "--port", str(free_port())], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "Refusing to listen on 0.0.0.0 without a shared secret" in done.stderr


# Bad input -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("body", "error"), [
    (b"{", "must be JSON"),
    (b"\xff\xfe\x00garbage", "must be JSON"),
    (b'["sender", "message"]', "JSON object"),
    (b'{"sender": 42, "message": "hi"}', "\"sender\" must be a non-empty string"),
    (b'{"message": "hi"}', "\"sender\" must be a non-empty string"),
    (b'{"sender": "   ", "message": "hi"}', "\"sender\" must be a non-empty string"),
    (json.dumps({"sender": "x" * 300, "message": "hi"}).encode(), "1 to 200"),
    (b"[" * 100_000 + b"]" * 100_000, "must be JSON"),
    (b'{"sender": "abc", "message": {"text": "hi"}}', "\"message\" must be a string"),
    (b'{"sender": "abc", "message": "hi", "metadata": ["C00001"]}', "\"metadata\" must be a JSON object"),
])
def test_rest_webhook_rejects_bad_requests_with_a_reason(stack, body, error):
    reply = rest(stack, body)
    assert reply.status_code == 400 and error in reply.json()["error"]
    # The streaming form (the terminal chat's) checks the same way.
    streamed = requests.post(f"{stack.url}/webhooks/rest/webhook?stream=true", data=body,
                             headers={"Content-Type": "application/json"}, timeout=30)
    assert streamed.status_code == 400 and error in streamed.json()["error"]


def test_the_streaming_form_sends_each_message_as_a_json_line(stack):
    sender = f"stream-{os.getpid()}"
    reply = requests.post(f"{stack.url}/webhooks/rest/webhook?stream=true",
                          json={"sender": sender, "message": "recommend me a phone under $500"}, timeout=60)
    assert reply.status_code == 200 and reply.headers["Content-Type"].startswith("text/event-stream")
    lines = [json.loads(line) for line in reply.text.splitlines() if line]
    assert len(lines) >= 5 and all(isinstance(line, dict) and line["recipient_id"] == sender for line in lines)
    assert lines[0]["text"].startswith("Here are my top phones for you")
    # The same turn in the blocking form gives the same heading and cards.
    blocking = requests.post(f"{stack.url}/webhooks/rest/webhook",
                             json={"sender": sender + "-b", "message": "recommend me a phone under $500"}, timeout=60)
    assert [m.get("text") for m in blocking.json()][:4] == [m.get("text") for m in lines][:4]


def test_huge_bodies_are_refused_by_both_servers(stack):
    assert rest(stack, HUGE).status_code == 413
    assert action_call(stack, HUGE, token=stack.action_token).status_code == 413
    still_up(stack)


def test_control_characters_and_unknown_senders_get_a_normal_reply_and_clean_storage(stack):
    chat = Chat(stack, sender="never-seen-before-42")
    assert chat.say("how much does express\x00 delivery\x1b cost?\x7f")
    stored = [e["text"] for e in chat.tracker()["events"] if e["event"] == "user"]
    assert stored and not any(ch in stored[0] for ch in "\x00\x1b\x7f")


@pytest.mark.parametrize(("body", "status", "error"), [
    (b"{", 400, "must be JSON"),
    (b"\xff\xfe", 400, "must be JSON"),
    (b"[]", 400, "JSON object"),
    (b'"next_action"', 400, "JSON object"),
    (b'{"next_action": 5, "tracker": {}}', 400, "next_action"),
    (b'{"next_action": "action_answer_policy", "tracker": []}', 400, "tracker"),
    (b'{"next_action": "action_answer_policy", "tracker": {"sender_id": 1}}', 400, "tracker"),
    (b'{"next_action": "action_answer_policy", "tracker": {"sender_id": "x", "slots": []}}', 400, "tracker.slots"),
    (b'{"next_action": "action_does_not_exist", "tracker": {"sender_id": "x"}, "domain": {}}', 404, "No registered"),
])
def test_action_server_rejects_bad_calls_with_a_reason(stack, body, status, error):
    reply = action_call(stack, body, token=stack.action_token)
    assert reply.status_code == status and error in reply.json()["error"]


def test_action_server_rejects_a_broken_compressed_body(stack):
    reply = action_call(stack, b"not deflate", token=stack.action_token, **{"Content-Encoding": "deflate"})
    assert reply.status_code == 400
    good = zlib.compress(b"[]")
    assert action_call(stack, good, token=stack.action_token, **{"Content-Encoding": "deflate"}).status_code == 400


@pytest.mark.parametrize(("method", "path", "body"), [
    ("POST", "/model/parse", b"{"),
    ("POST", "/model/parse", b"[" * 100_000 + b"]" * 100_000),  # a RecursionError in the parser
    ("POST", "/conversations/x/messages", b'{"text": 5, "sender": []}'),
    ("POST", "/conversations/x/tracker/events", b"not json"),
    ("POST", "/conversations/x/trigger_intent", b'{"name": 5}'),
])
def test_rasa_http_api_answers_bad_input_with_a_client_error(stack, method, path, body):
    reply = requests.request(method, f"{stack.url}{path}", data=body, params={"token": stack.api_token},
                             headers={"Content-Type": "application/json"}, timeout=60)
    assert 400 <= reply.status_code < 500, reply.text


# Fuzzing -------------------------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)
REST_BODIES = (
    st.binary(max_size=300)
    | json_values.map(lambda v: json.dumps(v).encode())
    | st.fixed_dictionaries({"sender": st.text(min_size=1, max_size=30) | json_values,
                             "message": st.text(max_size=200) | json_values},
                            optional={"metadata": json_values}).map(lambda v: json.dumps(v).encode())
)
ACTION_NAMES = ["action_answer_policy", "action_handoff", "action_check_order_status", "action_session_start",
                "validate_recommend_form", "action_does_not_exist"]
ACTION_BODIES = (
    st.binary(max_size=300)
    | json_values.map(lambda v: json.dumps(v).encode())
    | st.fixed_dictionaries({
        "next_action": st.sampled_from(ACTION_NAMES) | json_values,
        "tracker": json_values | st.fixed_dictionaries({"sender_id": st.text(alphabet=string.printable, max_size=20)}),
        "domain": st.none() | json_values,
    }).map(lambda v: json.dumps(v).encode())
)
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), database=None)


@FUZZ
@given(body=REST_BODIES)
def test_fuzzed_rest_webhook_bodies_get_a_reply_or_a_client_error(stack, body):
    reply = rest(stack, body)
    assert reply.status_code in (200, 400), (body, reply.status_code, reply.text[:300])
    if reply.status_code == 200:
        assert isinstance(reply.json(), list)


@FUZZ
@given(body=ACTION_BODIES)
def test_fuzzed_action_calls_get_a_result_or_a_client_error(stack, body):
    reply = action_call(stack, body, token=stack.action_token)
    assert reply.status_code in (200, 400, 404, 449), (body, reply.status_code, reply.text[:300])


def test_servers_are_up_after_the_fuzzing(stack):
    still_up(stack)


# Faults --------------------------------------------------------------------------------------

def test_action_server_down_gets_a_graceful_reply_on_every_channel_and_the_conversation_goes_on(
        stack, platform_apis):
    chat = Chat(stack)
    assert "Recommend a product" in chat.text("hi")
    stack.stop("actions")
    try:
        assert UNAVAILABLE in chat.text("how much does express delivery cost?")
        streamed = requests.post(f"{stack.url}/webhooks/rest/webhook?stream=true",
                                 json={"sender": chat.sender + "-stream", "message": "and standard?"}, timeout=60)
        lines = [json.loads(line)["text"] for line in streamed.text.splitlines() if line]
        assert len(lines) == 1 and UNAVAILABLE in lines[0]
        web = socketio_chat(stack.url, stack.page_url, {"message": "how much does express delivery cost?"})
        assert any(UNAVAILABLE in (r.get("text") or "") for r in web["replies"]), web
        telegram = new_chat()
        telegram_post(stack, telegram_message(telegram, "how much does express delivery cost?"))
        assert UNAVAILABLE in platform_apis.wait_for("telegram", "sendMessage", 1, chat_id=telegram)[0].body["text"]
        user, channel = new_ids()
        slack_post(stack, slack_dm(user, channel, "how much does express delivery cost?"), "application/json")
        assert UNAVAILABLE in platform_apis.wait_for("slack", "chat.postMessage", 1, channel=channel)[0].body["text"]
    finally:
        stack.start_actions()
    assert "$14.99" in chat.text("how much does express delivery cost?")
    assert [e["text"] for e in chat.tracker()["events"] if e["event"] == "user"][-2:] == [
        "how much does express delivery cost?"] * 2


def test_an_unwritable_store_stops_the_server_with_a_clear_error(tmp_path):
    """A folder that cannot be made (a file in the way; as root, permissions do not stop writes) must not
    leave the servers running on memory or on an empty database in another place."""
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    env = {**os.environ, "SHOP_STATE_DB": str(blocked / "shop_state.db")}
    actions = subprocess.run([str(ACTIONS_PY), "-m", "actions.server", "--port", str(free_port())], cwd=REPO, env=env,
                             capture_output=True, text=True, timeout=120)
    assert actions.returncode == 2 and "cannot create the folder of the state database" in actions.stderr
    tracker = subprocess.run([str(RASA_PY), "-c", "from rasa_ext.stores import PrivateSQLTrackerStore; "
                              f"PrivateSQLTrackerStore(dialect='sqlite', db={str(blocked / 'tracker.db')!r})"],
                             cwd=REPO, capture_output=True, text=True, timeout=120)
    assert tracker.returncode != 0 and "cannot be opened for writing" in tracker.stderr


_STORE_FAILS_MID_RUN = """
import asyncio, sqlite3, sys
from rasa.core.tracker_store import FailSafeTrackerStore
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa_ext.stores import PrivateSQLTrackerStore, StoreUnavailable

db = sys.argv[1]
store = FailSafeTrackerStore(PrivateSQLTrackerStore(dialect="sqlite", db=db))  # as Rasa's Agent wraps it
tracker = DialogueStateTracker("shopper", [])
tracker.update(UserUttered("hello"))
asyncio.run(store.save(tracker))
with sqlite3.connect(db) as broken:  # the store stops taking writes while the server runs
    broken.execute("DROP TABLE events")
for step in (store.save(tracker), store.retrieve("shopper")):
    try:
        asyncio.run(step)
        print("went on without the store")
    except StoreUnavailable:
        print("failed closed")
"""


def test_a_store_that_fails_while_running_fails_the_turn_instead_of_going_on_in_memory(tmp_path):
    result = subprocess.run([str(RASA_PY), "-c", _STORE_FAILS_MID_RUN, str(tmp_path / "tracker.db")], cwd=REPO,
                            capture_output=True, text=True, timeout=120)
    assert result.stdout.split() == ["failed", "closed", "failed", "closed"], result.stderr[-2000:]


def test_the_page_server_sends_security_headers_lists_nothing_and_signs_only_demo_accounts(stack):
    page = requests.get(stack.page_url, timeout=10)
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    assert page.headers["X-Frame-Options"] == "DENY" and page.headers["X-Content-Type-Options"] == "nosniff"
    assert requests.get(f"{stack.page_url}/vendor/", timeout=10).status_code == 404  # no listing
    assert requests.get(f"{stack.page_url}/%00", timeout=10).status_code == 400
    mint = f"{stack.page_url}/session-token"
    assert requests.get(mint, params={"customer_id": "C00042"}, timeout=10).status_code == 403
    token = requests.get(mint, params={"customer_id": "C00001"}, timeout=10).json()["token"]
    assert Chat(stack, metadata={"token": token}).text("where is my order?").count("KE-10000") >= 1
    still_up(stack)


def test_telegram_set_webhook_needs_the_api_token(stack):
    url = f"{stack.url}/webhooks/telegram/set_webhook"
    assert requests.post(url, timeout=10).status_code == 401
    assert requests.post(url, params={"token": "guess"}, timeout=10).status_code == 401
    assert requests.post(url, params={"token": stack.api_token}, timeout=30).ok
