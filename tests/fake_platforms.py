"""A local stand-in for Slack's Web API, Telegram's Bot API and Chatwoot's application API that
records what the assistant sends.

One loopback HTTP server answers all three: ``/slack/api/<method>``, ``/telegram/bot<token>/<method>``
and ``/chatwoot/api/v1/accounts/<id>/conversations/<id>/(messages|toggle_status)``. It answers the way
the platforms do (``{"ok": true, ...}``; Chatwoot: the created message, HTTP 401 without the bot's
``api_access_token``), so the connectors' client libraries (slack_sdk, aiogram, aiohttp) run unchanged.
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
CHATWOOT_TOKEN = "cw-bot-token-test"
CHATWOOT_WEBHOOK_TOKEN = "cw-webhook-secret-test"


def platform_env(api_url: str) -> dict[str, str]:
    """The variables credentials.yml reads, pointing Slack and Telegram at the fake APIs at ``api_url``."""
    return {
        "SLACK_BOT_TOKEN": SLACK_TOKEN, "SLACK_SIGNING_SECRET": SLACK_SECRET, "SLACK_API_URL": f"{api_url}/slack/api/",
        "TELEGRAM_TOKEN": TELEGRAM_TOKEN, "TELEGRAM_BOT_NAME": "kestrel_test_bot",
        "TELEGRAM_WEBHOOK_URL": TELEGRAM_HOOK, "TELEGRAM_SECRET_TOKEN": TELEGRAM_SECRET,
        "TELEGRAM_API_URL": f"{api_url}/telegram",
        "CHATWOOT_URL": f"{api_url}/chatwoot", "CHATWOOT_BOT_TOKEN": CHATWOOT_TOKEN,
        "CHATWOOT_WEBHOOK_TOKEN": CHATWOOT_WEBHOOK_TOKEN,
    }


@dataclass
class ApiCall:
    platform: str  # "slack" or "telegram"
    method: str  # "chat.postMessage", "sendMessage", "messages", "toggle_status", ...
    body: dict[str, Any]
    headers: dict[str, str]
    at: float  # time.monotonic() when received
    path: str = ""


class FakePlatformApis:
    def __init__(self) -> None:
        self.calls: list[ApiCall] = []
        self._lock = threading.Lock()
        self._message_ids = iter(range(1, 10**9))
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if self.path.startswith("/chatwoot/") and self.headers.get("api_access_token") != CHATWOOT_TOKEN:
                    self.send_response(401)
                    self.end_headers()
                    return
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
            self.calls.append(ApiCall(platform, method, self._parse(raw, content_type), headers, time.monotonic(),
                                      path))

    def _answer(self, path: str, raw: bytes, content_type: str) -> dict[str, Any]:
        platform, method = self._split(path)
        if platform == "slack":
            return {"ok": True, "channel": "D0001", "ts": f"{time.time():.6f}"}
        if platform == "chatwoot":
            body = self._parse(raw, content_type)
            conversation = int(path.rstrip("/").split("/")[-2])
            if method == "toggle_status":
                return {"meta": {}, "payload": {"success": True, "conversation_id": conversation,
                                                "current_status": body.get("status")}}
            return {"id": next(self._message_ids), "conversation_id": conversation, **body,
                    "created_at": int(time.time())}
        if method == "sendMessage":
            body = self._parse(raw, content_type)
            return {"ok": True, "result": {
                "message_id": next(self._message_ids), "date": int(time.time()), "text": body.get("text", ""),
                "chat": {"id": int(body.get("chat_id", 0)), "type": "private"}}}
        return {"ok": True, "result": True}

    def sent(self, platform: str, method: str, path_part: str = "", **match: Any) -> list[ApiCall]:
        """Calls of one method whose path contains ``path_part`` and whose body has all the given values
        (e.g. channel="D42")."""
        with self._lock:
            return [c for c in self.calls if c.platform == platform and c.method == method and path_part in c.path
                    and all(str(c.body.get(k)) == str(v) for k, v in match.items())]

    def wait_for(self, platform: str, method: str, count: int, timeout: float = 30, path_part: str = "",
                 **match: Any) -> list[ApiCall]:
        """Waits until at least ``count`` matching calls arrived, then a moment for stragglers."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            calls = self.sent(platform, method, path_part, **match)
            if len(calls) >= count:
                return calls
            time.sleep(0.05)
        got = [c.body.get("text") or c.body.get("content") for c in self.sent(platform, method, path_part, **match)]
        raise AssertionError(f"expected {count} {method} calls matching {match}, got: {got}")
