"""Liveness and readiness of the Rasa server, and JSON logs as an option (``LOG_FORMAT=json``).

credentials.yml names it like an input channel (Rasa adds routes only through channels):
  rasa_ext.health.HealthInput:

- ``GET /webhooks/health/live``: HTTP 200 while the process answers (liveness: restart it when not).
- ``GET /webhooks/health/ready``: HTTP 200 when a model is loaded and the tracker store answers,
  else 503 with the reason (readiness: send it no traffic yet). The action server's own readiness
  is reported beside it but does not decide: a Rasa server without its action server still answers
  every shopper (rasa_ext/channels.py's reply), and tying the two would take every Rasa replica
  out of the load balancer when one action server is slow.

Both need no token and say nothing about conversations.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from http import HTTPStatus
from typing import Any

import aiohttp
from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from shop.logs import use_json_logs

logger = logging.getLogger(__name__)

# A readiness probe that waits longer than this for a dependency counts it as down.
PROBE_TIMEOUT_SECONDS = 2.0


class HealthInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "health"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        # Channels are built after Rasa configured its logging: the moment to switch to JSON lines.
        if use_json_logs():
            logger.info("Writing JSON log lines (LOG_FORMAT=json)")
        return cls()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        health = Blueprint("health", __name__)

        @health.route("/live", methods=["GET"])
        async def live(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @health.route("/ready", methods=["GET"])
        async def ready(request: Request) -> HTTPResponse:
            agent = getattr(request.app.ctx, "agent", None)
            problem = await _problem(agent)
            body: dict[str, Any] = {"status": "not ready" if problem else "ready",
                                    "action_server": await _action_server_state(agent)}
            if problem:
                body["reason"] = problem
            return response.json(body, status=HTTPStatus.SERVICE_UNAVAILABLE if problem else HTTPStatus.OK)

        return health


async def _problem(agent: Any) -> str | None:
    if agent is None or not agent.is_ready():
        return "no model loaded"
    store = agent.tracker_store
    for _ in range(3):  # Rasa wraps the configured store (AwaitableTrackerStore, FailSafeTrackerStore)
        store = getattr(store, "_tracker_store", store)
    engine = getattr(store, "engine", None)
    if engine is not None:  # an SQL tracker store: does the database answer?
        def ping() -> None:
            with engine.connect() as connection:
                connection.exec_driver_sql("SELECT 1")
        try:
            await asyncio.wait_for(asyncio.to_thread(ping), PROBE_TIMEOUT_SECONDS)
        except Exception as exc:  # noqa: BLE001 - any failure means not ready; the reason is shown
            return f"the tracker store does not answer: {type(exc).__name__}"
    return None


async def _action_server_state(agent: Any) -> str:
    url = getattr(getattr(agent, "action_endpoint", None), "url", None)
    if not url:
        return "not configured"
    ready_url = url.rsplit("/webhook", 1)[0] + "/ready"
    try:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=PROBE_TIMEOUT_SECONDS)) as session:
            async with session.get(ready_url) as answer:
                return "ready" if answer.status == 200 else f"not ready (HTTP {answer.status})"
    except (aiohttp.ClientError, asyncio.TimeoutError):
        return "unreachable"
