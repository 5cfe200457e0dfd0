"""Serves the shop page with its chat widget (web/), offline, with the standard library only.

    python -m scripts.shop_page --port 8080 [--host 127.0.0.1] [--rasa-url URL | --rasa-port 5005]

``/config.js`` tells the widget where the Rasa server's socket.io channel is: ``--rasa-url`` when
given, otherwise the host the page was loaded from on ``--rasa-port``.
"""

from __future__ import annotations

import argparse
import functools
import json
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

WEB_DIR = Path(__file__).resolve().parents[1] / "web"


class ShopPageHandler(SimpleHTTPRequestHandler):
    def __init__(self, *args: object, widget_config: dict[str, object], **kwargs: object) -> None:
        self.widget_config = widget_config
        super().__init__(*args, directory=str(WEB_DIR), **kwargs)  # type: ignore[arg-type]

    def do_GET(self) -> None:  # noqa: N802 - the http.server naming
        if self.path.split("?", 1)[0] == "/config.js":
            body = f"window.KESTREL_CHAT_CONFIG = {json.dumps(self.widget_config)};\n".encode()
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "application/javascript; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()

    def end_headers(self) -> None:
        # The page is small and changes with the code: never serve a stale widget.
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--rasa-url", default=None, help="socket.io URL of the Rasa server")
    parser.add_argument("--rasa-port", type=int, default=5005)
    args = parser.parse_args()
    config = {"server": args.rasa_url, "rasaPort": args.rasa_port}
    server = ThreadingHTTPServer((args.host, args.port), functools.partial(ShopPageHandler, widget_config=config))
    print(f"Shop page on http://{args.host}:{args.port}/", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
