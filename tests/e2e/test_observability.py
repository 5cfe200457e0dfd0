"""Health, readiness, Prometheus metrics and JSON logs of the two servers."""

from __future__ import annotations

import json
import re
import time

import requests

from tests.servers import Chat, Stack, free_port, start_action_server, stop_process


def metric(text: str, name: str, **labels: str) -> float:
    """The value of one sample in Prometheus' text format (0 when absent)."""
    wanted = ",".join(f'{key}="{value}"' for key, value in labels.items())
    pattern = re.compile(rf"^{re.escape(name)}(?:{{{re.escape(wanted)}}})? (\S+)$" if wanted
                         else rf"^{re.escape(name)} (\S+)$", re.MULTILINE)
    found = pattern.search(text)
    return float(found.group(1)) if found else 0.0


def wait_ready(url: str, timeout: float = 120) -> requests.Response:
    deadline = time.monotonic() + timeout
    while True:
        answer = requests.get(url, timeout=10)
        if answer.status_code == 200 or time.monotonic() > deadline:
            return answer
        time.sleep(0.5)


def test_both_servers_are_live_and_become_ready(stack):
    assert requests.get(f"{stack.actions_url}/health", timeout=10).json() == {"status": "ok"}
    assert wait_ready(f"{stack.actions_url}/ready").json() == {"status": "ready"}
    assert requests.get(f"{stack.url}/webhooks/health/live", timeout=10).status_code == 200
    ready = wait_ready(f"{stack.url}/webhooks/health/ready")
    assert ready.status_code == 200 and ready.json() == {"status": "ready", "action_server": "ready"}


def test_action_metrics_count_requests_latency_and_bad_calls(stack):
    url = f"{stack.actions_url}/metrics"
    before = requests.get(url, timeout=10).text
    Chat(stack).say("hello")
    bad = requests.post(f"{stack.actions_url}/webhook", data=b"[1]",
                        headers={"X-Action-Token": stack.action_token}, timeout=10)
    assert bad.status_code == 400
    after = requests.get(url, timeout=10)
    assert after.headers["Content-Type"].startswith("text/plain")
    text = after.text
    labels = {"action": "action_session_start", "outcome": "ok"}
    assert metric(text, "kestrel_action_requests_total", **labels) > metric(before, "kestrel_action_requests_total",
                                                                            **labels)
    assert metric(text, "kestrel_action_seconds_count", action="action_session_start") >= 1
    assert metric(text, "kestrel_action_requests_total", action="unknown", outcome="bad_request") >= 1
    for name in ("kestrel_generator_timeouts_total", "kestrel_recommender_reloads_total", "kestrel_ready"):
        assert f"# TYPE {name.removesuffix('_total')}" in text
    assert metric(text, "kestrel_recommender_reloads_total", outcome="loaded") >= 1


def test_metrics_token_and_json_logs(tmp_path):
    stack = Stack(tmp_path)
    env = stack.env() | {"ACTION_METRICS_TOKEN": "scrape-me", "LOG_FORMAT": "json"}
    log = tmp_path / "actions.log"
    port = free_port()
    proc = start_action_server(port, env, log)
    try:
        base = f"http://127.0.0.1:{port}"
        assert requests.get(f"{base}/metrics", timeout=10).status_code == 401
        assert requests.get(f"{base}/metrics", headers={"Authorization": "Bearer wrong"}, timeout=10).status_code == 401
        assert requests.get(f"{base}/metrics", headers={"Authorization": "Bearer scrape-me"},
                            timeout=10).status_code == 200
        # The probes need no token at all; the webhook still needs the action token.
        assert requests.get(f"{base}/ready", timeout=10).status_code in (200, 503)
        assert requests.post(f"{base}/webhook", json={}, timeout=10).status_code == 401
    finally:
        stop_process(proc)
    lines = [line for line in log.read_text().splitlines() if line.startswith("{")]
    assert lines, log.read_text()[-2000:]
    records = [json.loads(line) for line in lines]
    assert {"time", "level", "logger", "message"} <= set(records[0])
    assert any("Action server on" in r["message"] or "Starting" in r["message"] for r in records)
