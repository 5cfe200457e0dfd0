"""A local stand-in for Shopify's Admin GraphQL API (``POST /admin/api/<version>/graphql.json``).

Built from the documented shapes: the ``X-Shopify-Access-Token`` header, ``products`` connections with
``pageInfo { hasNextPage endCursor }`` and ``nodes``, variants with ``selectedOptions``,
``inventoryQuantity`` (null when not tracked) and ``price`` as a decimal string, and the cost-based rate
limit in ``extensions.cost.throttleStatus``; a query the bucket cannot pay for gets
``{"errors": [{"message": "Throttled", "extensions": {"code": "THROTTLED"}}]}`` and no data. It
answers the products query only (what the catalogue sync sends); ``fail_next`` queues HTTP errors.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

QUERY_COST = 52.0  # what a page of 50 products with variants costs, roughly, in Shopify's model


class FakeShopify:
    def __init__(self, products: list[dict[str, Any]], token: str = "shpat_test", bucket: float = 100.0,
                 restore_rate: float = 1000.0, page_size: int = 2) -> None:
        self.products, self.token, self.page_size = products, token, page_size
        self.bucket, self.restore_rate = bucket, restore_rate
        self._level, self._skew = bucket, 0.0
        self._updated = self._now()
        self.fail_next: list[int] = []
        self.requests: list[dict[str, Any]] = []
        self.throttled = 0
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802 - the http.server API
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                status, reply = fake.answer(self.path, self.headers.get("X-Shopify-Access-Token"), body)
                data = json.dumps(reply).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/admin/api/2025-01/graphql.json"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _now(self) -> float:
        return time.monotonic() + self._skew

    @property
    def available(self) -> float:
        """The bucket's points now: it fills at the restore rate as time passes."""
        now = self._now()
        self._level = min(self.bucket, self._level + (now - self._updated) * self.restore_rate)
        self._updated = now
        return self._level

    @available.setter
    def available(self, points: float) -> None:
        self._level, self._updated = points, self._now()

    def refill(self, seconds: float) -> None:
        """Lets ``seconds`` pass at once: the tests give this to the client as its sleep."""
        self._skew += seconds

    def _cost(self, requested: float, actual: float | None) -> dict[str, Any]:
        return {"cost": {"requestedQueryCost": requested, "actualQueryCost": actual,
                         "throttleStatus": {"maximumAvailable": self.bucket, "currentlyAvailable": self.available,
                                            "restoreRate": self.restore_rate}}}

    def answer(self, path: str, token: str | None, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        self.requests.append(body)
        if not path.endswith("/graphql.json"):
            return 404, {"errors": "Not Found"}
        if token != self.token:
            return 401, {"errors": "[API] Invalid API key or access token (unrecognized login or wrong password)"}
        if self.fail_next:
            return self.fail_next.pop(0), {"errors": "Internal error"}
        if self.available < QUERY_COST:
            self.throttled += 1
            return 200, {"errors": [{"message": "Throttled", "extensions": {
                "code": "THROTTLED", "documentation": "https://shopify.dev/api/usage/rate-limits"}}],
                "extensions": self._cost(QUERY_COST, None)}
        self.available -= QUERY_COST
        variables = body.get("variables") or {}
        start = int(variables.get("cursor") or 0)
        page = self.products[start:start + self.page_size]
        more = start + self.page_size < len(self.products)
        return 200, {"data": {"products": {
            "pageInfo": {"hasNextPage": more, "endCursor": str(start + self.page_size) if more else None},
            "nodes": page}}, "extensions": self._cost(QUERY_COST, QUERY_COST)}
