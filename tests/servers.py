"""Starts the real action server and Rasa server for end-to-end tests."""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

REPO = Path(__file__).resolve().parents[1]
RASA_BIN = REPO / ".venv-rasa" / "bin" / "rasa"
RASA_PY = REPO / ".venv-rasa" / "bin" / "python"
ACTIONS_PY = REPO / ".venv-actions" / "bin" / "python"
# What credentials.yml reads from the environment (Rasa refuses unset variables); empty = platform off.
CHANNEL_ENV = ("SHOP_ALLOWED_ORIGINS",
               "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_API_URL", "TELEGRAM_TOKEN", "TELEGRAM_BOT_NAME",
               "TELEGRAM_WEBHOOK_URL", "TELEGRAM_SECRET_TOKEN", "TELEGRAM_API_URL", "CHATWOOT_URL",
               "CHATWOOT_BOT_TOKEN", "CHATWOOT_WEBHOOK_TOKEN")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def latest_model() -> Path:
    models = sorted((REPO / "models").glob("kestrel-*.tar.gz"), key=lambda p: p.stat().st_mtime)
    if not models:
        raise RuntimeError("No trained model in models/: run scripts/test (or scripts/run), which trains one.")
    return models[-1]


def wait_for(url: str, proc: subprocess.Popen, log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{url} exited with {proc.returncode}:\n{log.read_text()[-4000:]}")
        try:
            if requests.get(url, timeout=2).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} not ready after {timeout} s:\n{log.read_text()[-4000:]}")


def launch_action_server(port: int, env: dict[str, str], log: Path) -> subprocess.Popen:
    return in_session([str(ACTIONS_PY), "-m", "actions.server", "--port", str(port)],
                      cwd=REPO, env=env, stdout=open(log, "ab"), stderr=subprocess.STDOUT)


def start_action_server(port: int, env: dict[str, str], log: Path) -> subprocess.Popen:
    proc = launch_action_server(port, env, log)
    wait_for(f"http://127.0.0.1:{port}/health", proc, log, 120)
    return proc


def rasa_command(port: int, endpoints: str) -> list[str]:
    """``rasa run`` through rasa_ext/serve.py: the API token comes from RASA_API_TOKEN, not the command line."""
    return [str(RASA_PY), "-m", "rasa_ext.serve", "run", "--model", str(latest_model()), "--port", str(port),
            "--enable-api", "--endpoints", endpoints, "--credentials", "credentials.yml"]


def launch_rasa_server(port: int, env: dict[str, str], log: Path, endpoints: str = "endpoints.yml",
                       api_token: str = "") -> subprocess.Popen:
    return in_session(rasa_command(port, endpoints), cwd=REPO, env={**env, "RASA_API_TOKEN": api_token},
                      stdout=open(log, "ab"), stderr=subprocess.STDOUT)


def start_rasa_server(port: int, env: dict[str, str], log: Path, endpoints: str = "endpoints.yml",
                      api_token: str = "") -> subprocess.Popen:
    proc = launch_rasa_server(port, env, log, endpoints, api_token)
    wait_for(f"http://127.0.0.1:{port}/status?token={api_token}", proc, log, 400)
    return proc


def stop_process(proc: subprocess.Popen | None, kill: bool = False) -> None:
    """Stops a server and everything it started. The servers run in sessions of their own
    (``start_new_session``): Sanic's worker processes outlive a main process that was killed, and a
    leftover server slows every later test on two cores."""
    if proc is None:
        return
    if proc.poll() is None:
        _signal_group(proc, signal.SIGKILL if kill else signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            _signal_group(proc, signal.SIGKILL)
            proc.wait()
    _signal_group(proc, signal.SIGKILL)  # what is left of its session


def in_session(*args: Any, **kwargs: Any) -> subprocess.Popen:
    """``subprocess.Popen`` in a session of its own, which ``stop_process`` ends as a whole."""
    proc = subprocess.Popen(*args, start_new_session=True, **kwargs)
    proc.own_session = True  # type: ignore[attr-defined]
    return proc


def _signal_group(proc: subprocess.Popen, sig: int) -> None:
    try:
        if getattr(proc, "own_session", False):
            os.killpg(proc.pid, sig)  # the session's id is the leader's pid, even after it exited
        elif proc.poll() is None:
            proc.send_signal(sig)
    except (ProcessLookupError, PermissionError):
        pass


@dataclass
class Stack:
    """An action server and a Rasa server sharing a temporary tracker and state database.

    ``extra_env`` adds or overrides environment variables of both servers (e.g. a channel's credentials,
    or SHOP_CONFIG to restart a server with other settings);
    ``start_page`` also serves the shop page with its chat widget, pointed at this Rasa server.
    """

    workdir: Path
    rasa_port: int = field(default_factory=free_port)
    actions_port: int = field(default_factory=free_port)
    page_port: int = field(default_factory=free_port)
    extra_env: dict[str, str] = field(default_factory=dict)
    procs: dict[str, subprocess.Popen] = field(default_factory=dict)
    api_token: str = field(default_factory=lambda: secrets.token_hex(16))
    action_token: str = field(default_factory=lambda: secrets.token_hex(16))
    owner_token: str = field(default_factory=lambda: secrets.token_hex(16))
    # The secret the shop signs identity tokens with (HS256) and the Rasa server checks them with.
    identity_secret: str = field(default_factory=lambda: secrets.token_hex(32))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def actions_url(self) -> str:
        return f"http://127.0.0.1:{self.actions_port}"

    @property
    def page_url(self) -> str:
        return f"http://127.0.0.1:{self.page_port}"

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        for name in CHANNEL_ENV:
            env.setdefault(name, "")
        env.update(
            TF_CPP_MIN_LOG_LEVEL="3",
            SQLALCHEMY_SILENCE_UBER_WARNING="1",
            SHOP_STATE_DB=str(self.workdir / "shop_state.db"),
            SHOP_FEEDBACK=str(self.workdir / "feedback.csv"),
            SHOP_MARKETING_DB=str(self.workdir / "marketing.db"),
            RASA_TRACKER_DB=str(self.workdir / "tracker.db"),
            SHOP_TRACKER_URL=str(self.workdir / "tracker.db"),
            RASA_EVENTS_DB=str(self.workdir / "events.db"),
            SHOP_EVENTS_URL=str(self.workdir / "events.db"),
            ACTION_ENDPOINT_URL=f"{self.actions_url}/webhook",
            ACTION_SERVER_TOKEN=self.action_token,
            SHOP_OWNER_TOKEN=self.owner_token,
            RASA_API_TOKEN=self.api_token,
            SHOP_IDENTITY_SECRET=self.identity_secret,
            SHOP_ALLOWED_ORIGINS=f"{self.page_url},http://localhost:{self.page_port}",
            SHOP_MAIL_SINK=str(self.workdir / "mail.log"),
            SANIC_REQUEST_MAX_SIZE="1000000",
        )
        env.pop("SHOP_STATE_URL", None)
        # Order reasoning counts days from today; the conversation suite was written on this day
        # of the fixed shop data (tests/conversations/), so its figures hold whatever the clock says.
        env.setdefault("SHOP_TODAY", "2026-12-03")
        env.update(self.extra_env)
        return env

    def start_actions(self) -> None:
        self.procs["actions"] = start_action_server(self.actions_port, self.env(), self.workdir / "actions.log")

    def start_rasa(self) -> None:
        self.procs["rasa"] = start_rasa_server(self.rasa_port, self.env(), self.workdir / "rasa.log",
                                               api_token=self.api_token)

    def start_page(self) -> None:
        log = self.workdir / "page.log"
        proc = in_session(
            [str(ACTIONS_PY), "-m", "scripts.shop_page", "--port", str(self.page_port), "--rasa-url", self.url],
            cwd=REPO, env=self.env(), stdout=open(log, "ab"), stderr=subprocess.STDOUT,
        )
        self.procs["page"] = proc
        wait_for(f"{self.page_url}/config.js", proc, log, 30)

    def stop(self, name: str) -> None:
        stop_process(self.procs.pop(name, None))

    def stop_all(self) -> None:
        for name in list(self.procs):
            self.stop(name)


def identity_token(stack: Any, customer_id: str, lifetime: float = 3600, secret: str | None = None) -> str:
    """A token as the shop's site signs it for a logged-in customer (scripts/shop_page.py)."""
    from scripts.shop_page import sign_token

    return sign_token(customer_id, secret or stack.identity_secret, lifetime)


class Chat:
    """One shopper talking to the assistant over the REST channel (of ``url`` or the stack's).

    ``customer`` signs in as that customer: every message carries a token signed for them.
    """

    def __init__(self, stack: Any, sender: str | None = None, metadata: dict[str, Any] | None = None,
                 customer: str | None = None):
        self.stack = stack
        self.sender = sender or f"test-{uuid.uuid4().hex[:10]}"
        self.metadata = metadata
        if customer:
            self.metadata = {**(metadata or {}), "token": identity_token(stack, customer)}
        self.customer = customer
        self.url = stack.url

    @property
    def conversation_id(self) -> str:
        """The id the REST channel keeps this conversation under (rasa_ext/channels.py)."""
        return f"rest:{self.customer}:{self.sender}" if self.customer else f"rest:{self.sender}"

    def say(self, message: str) -> list[dict[str, Any]]:
        body: dict[str, Any] = {"sender": self.sender, "message": message}
        if self.metadata:
            body["metadata"] = self.metadata
        response = requests.post(f"{self.url}/webhooks/rest/webhook", json=body, timeout=60)
        response.raise_for_status()
        return response.json()

    def text(self, message: str) -> str:
        """All reply texts (and button titles) joined, for substring assertions."""
        parts = []
        for reply in self.say(message):
            parts.append(reply.get("text") or "")
            parts.extend(button.get("title", "") for button in reply.get("buttons") or [])
        return "\n".join(parts)

    def tracker(self) -> dict[str, Any]:
        response = requests.get(f"{self.url}/conversations/{self.conversation_id}/tracker",
                                params={"token": self.stack.api_token}, timeout=30)
        response.raise_for_status()
        return response.json()

    def slot(self, name: str) -> Any:
        return self.tracker()["slots"].get(name)
