"""Serves the shop page with its chat widget (web/), offline, with the standard library and PyJWT.

    python -m scripts.shop_page --port 8080 [--host 127.0.0.1] [--rasa-url URL | --rasa-port 5005]

``/config.js`` tells the widget where the Rasa server's socket.io channel is: ``--rasa-url`` when
given, otherwise the host the page was loaded from on ``--rasa-port``. ``/owner/report?token=…`` is the
shop owner's conversation report (shop/analytics.py; only with ``SHOP_OWNER_TOKEN`` set; the token may
come as ``Authorization: Bearer …`` instead, and is never written to the access log).

``/session-token?customer_id=C00001`` stands in for the shop's login: it signs a short-lived identity
token (JWT, HS256 with ``SHOP_IDENTITY_SECRET``, the secret the Rasa server checks it with) for one of
the demo accounts (``--demo-accounts``), which the page passes to the chat. A real shop signs it in
its backend for whoever is logged in.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import re
import time
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import jwt

WEB_DIR = Path(__file__).resolve().parents[1] / "web"
_TOKEN = re.compile(r"token=[^&\s]*")
SECRET_ENV = "SHOP_IDENTITY_SECRET"
TOKEN_LIFETIME_SECONDS = 3600  # a page session; the widget asks again on every page load
DEMO_ACCOUNTS = ("C00001", "C00002")  # the accounts of the page's "Signed in as" selector
# The page loads its own scripts and styles and talks to the Rasa server (socket.io over a websocket).
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self' ws: wss: http: https:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")


def sign_token(customer_id: str, secret: str, lifetime: float = TOKEN_LIFETIME_SECONDS) -> str:
    """An identity token for the customer, as the shop's backend would sign it."""
    now = int(time.time())
    return jwt.encode({"sub": customer_id, "iat": now, "exp": now + int(lifetime)}, secret, algorithm="HS256")


class ShopPageHandler(SimpleHTTPRequestHandler):
    def __init__(self, *args: object, widget_config: dict[str, object], demo_accounts: tuple[str, ...],
                 **kwargs: object) -> None:
        self.widget_config = widget_config
        self.demo_accounts = demo_accounts
        super().__init__(*args, directory=str(WEB_DIR), **kwargs)  # type: ignore[arg-type]

    def _send(self, status: HTTPStatus, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 - the http.server naming
        url = urlsplit(self.path)
        if "\x00" in self.path or "%00" in self.path:
            self._send(HTTPStatus.BAD_REQUEST, "text/plain; charset=utf-8", b"Bad request.\n")
            return
        if url.path == "/config.js":
            body = f"window.KESTREL_CHAT_CONFIG = {json.dumps(self.widget_config)};\n".encode()
            self._send(HTTPStatus.OK, "application/javascript; charset=utf-8", body)
            return
        if url.path == "/session-token":
            self._session_token(parse_qs(url.query).get("customer_id", [""])[0])
            return
        if url.path.endswith("/") and url.path != "/":
            # No directory listings (SimpleHTTPRequestHandler would list /vendor/).
            self._send(HTTPStatus.NOT_FOUND, "text/plain; charset=utf-8", b"Not found.\n")
            return
        if url.path == "/owner/report":
            self._owner_report()
            return
        super().do_GET()

    def _owner_report(self) -> None:
        from shop.analytics import owner_page  # on first use: the page starts without the report's libraries

        query = parse_qs(urlsplit(self.path).query)
        given = self.headers.get("Authorization", "").removeprefix("Bearer ") or (query.get("token") or [""])[0]
        status, content_type, body = owner_page(given)
        self._send(status, content_type, body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - http.server's signature
        super().log_message(format, *(_TOKEN.sub("token=[masked]", a) if isinstance(a, str) else a for a in args))

    def _session_token(self, customer_id: str) -> None:
        secret = os.environ.get(SECRET_ENV, "")
        if customer_id not in self.demo_accounts or not secret:
            self._send(HTTPStatus.FORBIDDEN, "application/json", b'{"error": "not a demo account"}')
            return
        body = json.dumps({"token": sign_token(customer_id, secret)}).encode()
        self._send(HTTPStatus.OK, "application/json", body)

    def end_headers(self) -> None:
        # The page is small and changes with the code: never serve a stale widget (nor a token).
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Content-Security-Policy", CSP)
        self.send_header("X-Frame-Options", "DENY")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        super().end_headers()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--rasa-url", default=None, help="socket.io URL of the Rasa server")
    parser.add_argument("--rasa-port", type=int, default=5005)
    parser.add_argument("--demo-accounts", default=",".join(DEMO_ACCOUNTS),
                        help="customer ids the demo login may sign tokens for (comma-separated)")
    args = parser.parse_args()
    config = {"server": args.rasa_url, "rasaPort": args.rasa_port}
    accounts = tuple(a.strip().upper() for a in args.demo_accounts.split(",") if a.strip())
    handler = functools.partial(ShopPageHandler, widget_config=config, demo_accounts=accounts)
    server = ThreadingHTTPServer((args.host, args.port), handler)
    print(f"Shop page on http://{args.host}:{args.port}/", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
