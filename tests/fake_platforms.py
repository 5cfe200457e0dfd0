"""A local stand-in for Slack's Web API and Telegram's Bot API that records what the assistant sends.

One loopback HTTP server answers both: ``/slack/api/<method>`` and ``/telegram/bot<token>/<method>``.
It answers the way the platforms do (``{"ok": true, ...}``), so the connectors' client libraries
(slack_sdk, aiogram) run unchanged.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

SLACK_TOKEN = "xoxb-test"
SLACK_SECRET = "test-signing-secret"
TELEGRAM_TOKEN = "123456789:TESTtokenTESTtokenTESTtokenTEST12345"
TELEGRAM_SECRET = "test-secret_token-123"
TELEGRAM_HOOK = "https://shop.example/webhooks/telegram/webhook"


def platform_env(api_url: str) -> dict[str, str]:
    """The variables credentials.yml reads, pointing Slack and Telegram at the fake APIs at ``api_url``."""
    return {
        "SLACK_BOT_TOKEN": SLACK_TOKEN, "SLACK_SIGNING_SECRET": SLACK_SECRET, "SLACK_API_URL": f"{api_url}/slack/api/",
        "TELEGRAM_TOKEN": TELEGRAM_TOKEN, "TELEGRAM_BOT_NAME": "kestrel_test_bot",
        "TELEGRAM_WEBHOOK_URL": TELEGRAM_HOOK, "TELEGRAM_SECRET_TOKEN": TELEGRAM_SECRET,
        "TELEGRAM_API_URL": f"{api_url}/telegram",
    }


@dataclass
class ApiCall:
    platform: str  # "slack" or "telegram"
    method: str  # "chat.postMessage", "sendMessage", ...
    body: dict[str, Any]
    headers: dict[str, str]
    at: float  # time.monotonic() when received


class FakePlatformApis:
    def __init__(self) -> None:
        self.calls: list[ApiCall] = []
        self._lock = threading.Lock()
        self._message_ids = iter(range(1, 10**9))
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                fake._record(self.path, raw, self.headers.get("Content-Type") or "", dict(self.headers))
                body = json.dumps(fake._answer(self.path, raw, self.headers.get("Content-Type") or "")).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self) -> FakePlatformApis:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    @staticmethod
    def _parse(raw: bytes, content_type: str) -> dict[str, Any]:
        if content_type.startswith("application/json"):
            return json.loads(raw or b"{}")
        form = {key: values[0] for key, values in parse_qs(raw.decode()).items()}
        # aiogram sends nested values (reply_markup) as JSON strings.
        for key, value in form.items():
            if value[:1] in "{[":
                form[key] = json.loads(value)
        return form

    @staticmethod
    def _split(path: str) -> tuple[str, str]:
        platform, _, rest = path.strip("/").partition("/")
        return platform, rest.rsplit("/", 1)[-1]

    def _record(self, path: str, raw: bytes, content_type: str, headers: dict[str, str]) -> None:
        platform, method = self._split(path)
        with self._lock:
            self.calls.append(ApiCall(platform, method, self._parse(raw, content_type), headers, time.monotonic()))

    def _answer(self, path: str, raw: bytes, content_type: str) -> dict[str, Any]:
        platform, method = self._split(path)
        if platform == "slack":
            return {"ok": True, "channel": "D0001", "ts": f"{time.time():.6f}"}
        if method == "sendMessage":
            body = self._parse(raw, content_type)
            return {"ok": True, "result": {
                "message_id": next(self._message_ids), "date": int(time.time()), "text": body.get("text", ""),
                "chat": {"id": int(body.get("chat_id", 0)), "type": "private"}}}
        return {"ok": True, "result": True}

    def sent(self, platform: str, method: str, **match: Any) -> list[ApiCall]:
        """Calls of one method whose body has all the given values (e.g. channel="D42")."""
        with self._lock:
            return [c for c in self.calls if c.platform == platform and c.method == method
                    and all(str(c.body.get(k)) == str(v) for k, v in match.items())]

    def wait_for(self, platform: str, method: str, count: int, timeout: float = 30, **match: Any) -> list[ApiCall]:
        """Waits until at least ``count`` matching calls arrived, then a moment for stragglers."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            calls = self.sent(platform, method, **match)
            if len(calls) >= count:
                return calls
            time.sleep(0.05)
        raise AssertionError(f"expected {count} {method} calls matching {match}, got: "
                             f"{[c.body.get('text') for c in self.sent(platform, method, **match)]}")
