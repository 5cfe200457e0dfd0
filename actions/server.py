"""The action server: rasa-sdk's server with a shared secret, checked requests and masked logs.

Run ``python -m actions.server [rasa-sdk options]`` instead of ``python -m rasa_sdk --actions actions``.

- **Shared secret**: with ``ACTION_SERVER_TOKEN`` set, every request but ``GET /health`` must carry
  it in the ``X-Action-Token`` header (endpoints.yml sends it), else HTTP 401. rasa-sdk 3.21 has no
  option for this, so it is a Sanic request middleware on rasa-sdk's own app.
- **Binding**: it listens on ``SANIC_HOST`` (rasa-sdk's variable), 127.0.0.1 unless set. Listening
  on another address without a token is refused: then anyone who can reach the port could run
  actions (cancel orders, read order details).
- **Requests**: ``POST /webhook`` must be a JSON object with a string ``next_action`` and a
  ``tracker`` object (HTTP 400 with the reason otherwise; rasa-sdk would fail with HTTP 500 on
  a JSON array or a string). Bodies over ``SANIC_REQUEST_MAX_SIZE`` bytes get HTTP 413 from Sanic.
- **Logs**: personal data is masked in every log record (shop.pii); ``LOG_FORMAT=json`` writes JSON
  lines (shop.logs).
- **Health**: ``GET /health`` is liveness (the process answers); ``GET /ready`` is readiness (HTTP 200
  once the models are loaded and the state database answers, 503 before or when it does not).
  Neither needs the token. ``GET /metrics``: Prometheus metrics (shop.metrics); with
  ``ACTION_METRICS_TOKEN`` set it needs ``Authorization: Bearer <that token>``, else it is open
  like the health checks (it holds counts and action names only).
"""

from __future__ import annotations

import asyncio
import hmac
import ipaddress
import json
import logging
import os
import sys
import time
import zlib
from functools import partial
from typing import Any

from rasa_sdk import utils
from rasa_sdk.constants import APPLICATION_ROOT_LOGGER_NAME
from rasa_sdk.endpoint import create_app_for_serve, create_argument_parser, create_ssl_config
from rasa_sdk.executor import ActionExecutor
from sanic import Sanic, response
from sanic.exceptions import PayloadTooLarge
from sanic.request import Request
from sanic.response import HTTPResponse
from sanic.worker.loader import AppLoader

from actions.services import is_warm, services
from shop import metrics
from shop.config import ConfigError, load_settings
from shop.logs import use_json_logs
from shop.pii import install_log_masking
from shop.state import StateStore, StateStoreUnavailable

logger = logging.getLogger(__name__)

TOKEN_HEADER = "X-Action-Token"
TOKEN_ENV = "ACTION_SERVER_TOKEN"
METRICS_TOKEN_ENV = "ACTION_METRICS_TOKEN"
OPEN_PATHS = ("/health", "/ready", "/metrics")  # no action token: probes and the metrics scraper
# A readiness probe that waits longer than this for the database reports "not ready" instead.
READY_DB_TIMEOUT_SECONDS = 2.0
DEFAULT_HOST = "127.0.0.1"
# 1 MB: a tracker with the domain is about 60 kB; anything far bigger is not from Rasa.
DEFAULT_MAX_BODY = 1_000_000


def check_action_call(request: Request) -> str | None:
    """Why the webhook request is not a valid action call, or None when it is (its ``next_action`` is
    then in ``request.ctx.action_name``)."""
    raw = request.body or b""
    if request.headers.get("Content-Encoding") == "deflate":
        try:
            raw = zlib.decompress(raw)
        except zlib.error:
            return "the body is not valid deflate data"
    try:
        call = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return "the body must be JSON in UTF-8"
    if not isinstance(call, dict):
        return "the body must be a JSON object (an action call from Rasa)"
    if not isinstance(call.get("next_action"), str) or not call["next_action"]:
        return "\"next_action\" must be a non-empty string"
    request.ctx.action_name = call["next_action"]
    tracker = call.get("tracker")
    # rasa-sdk reads tracker["sender_id"] unconditionally: a tracker without one would be a 500.
    if not isinstance(tracker, dict) or not isinstance(tracker.get("sender_id"), str):
        return "\"tracker\" must be an object with a string \"sender_id\""
    for key, kind in (("slots", dict), ("latest_message", dict), ("events", list)):
        if key in tracker and tracker[key] is not None and not isinstance(tracker[key], kind):
            return f"\"tracker.{key}\" must be a JSON {'object' if kind is dict else 'array'}"
    if call.get("domain") is not None and not isinstance(call["domain"], dict):
        return "\"domain\" must be a JSON object"
    return None


def create_secured_app(action_executor: ActionExecutor, token: str, **kwargs: Any) -> Sanic:
    """rasa-sdk's app with the token check and request validation in front of its routes."""
    app = create_app_for_serve(action_executor, **kwargs)
    # Sanic answers bigger bodies with HTTP 413 before any handler runs.
    app.config.REQUEST_MAX_SIZE = int(os.environ.get("SANIC_REQUEST_MAX_SIZE") or DEFAULT_MAX_BODY)

    known_actions = action_executor.actions

    def action_label(request: Request) -> str:
        # Only registered names become label values: a caller cannot grow the metrics without bound.
        name = getattr(request.ctx, "action_name", None)
        return name if name in known_actions else "unknown"

    @app.get("/ready")
    async def ready(_: Request) -> HTTPResponse:
        problem = await readiness_problem()
        metrics.READY.set(0 if problem else 1)
        return response.json({"status": "not ready", "reason": problem} if problem else {"status": "ready"},
                             status=503 if problem else 200)

    @app.get("/metrics")
    async def metrics_route(request: Request) -> HTTPResponse:
        body, content_type = metrics.exposition()
        return response.raw(body, content_type=content_type)

    @app.on_request
    async def guard(request: Request) -> Any:
        request.ctx.started = time.perf_counter()
        if request.path == "/metrics":
            metrics_token = os.environ.get(METRICS_TOKEN_ENV, "")
            given = request.headers.get("Authorization", "").removeprefix("Bearer ").encode()
            if metrics_token and not hmac.compare_digest(given, metrics_token.encode()):
                return response.json({"error": "missing or wrong bearer token"}, status=401)
            return None
        if request.path in OPEN_PATHS:
            return None
        if token and not hmac.compare_digest(request.headers.get(TOKEN_HEADER, "").encode(), token.encode()):
            return response.json({"error": f"missing or wrong {TOKEN_HEADER} header"}, status=401)
        if request.path == "/webhook" and request.method == "POST":
            # Request middleware runs before Sanic has read a body that did not come with the
            # headers; read it now (Sanic enforces REQUEST_MAX_SIZE here: HTTP 413).
            try:
                await request.receive_body()
            except PayloadTooLarge:
                limit = request.app.config.REQUEST_MAX_SIZE
                return response.json({"error": f"the body is larger than {limit} bytes"}, status=413)
            problem = check_action_call(request)
            if problem:
                return response.json({"error": problem}, status=400)
        return None

    @app.on_response
    async def count(request: Request, answer: HTTPResponse) -> None:
        if request.path != "/webhook" or request.method != "POST":
            return
        action = action_label(request)
        status = answer.status if answer is not None else 500
        outcome = {200: "ok", 400: "rejected", 401: "unauthorized", 404: "not_found", 413: "bad_request"}.get(
            status, "error" if status >= 500 else "bad_request")
        if status == 400 and action == "unknown":
            outcome = "bad_request"  # our own check refused it before any action ran
        metrics.ACTION_REQUESTS.labels(action, outcome).inc()
        metrics.ACTION_SECONDS.labels(action).observe(time.perf_counter() - getattr(request.ctx, "started", 0.0))
        if status >= 500:
            metrics.ACTION_ERRORS.labels(action).inc()

    return app


async def readiness_problem() -> str | None:
    """Why the server cannot serve actions yet (models still loading, database down), or None."""
    if not is_warm():
        return "loading the shop's data and models"
    try:
        await asyncio.wait_for(asyncio.to_thread(services().state.ping), READY_DB_TIMEOUT_SECONDS)
    except (TimeoutError, StateStoreUnavailable) as exc:
        return f"the state database does not answer: {exc or 'timed out'}"
    return None


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def main(argv: list[str] | None = None) -> int:
    args = create_argument_parser().parse_args(argv)
    install_log_masking()
    utils.configure_colored_logging(args.loglevel)
    utils.configure_file_logging(logging.getLogger(APPLICATION_ROOT_LOGGER_NAME), args.log_file,
                                 args.loglevel, args.logging_config_file)
    utils.update_sanic_log_level()
    use_json_logs()

    token = os.environ.get(TOKEN_ENV, "")
    host = os.environ.get("SANIC_HOST", DEFAULT_HOST)
    if not token and not _is_loopback(host):
        print(f"Refusing to listen on {host} without a shared secret: set {TOKEN_ENV} "
              f"(and the same value for the Rasa server), or SANIC_HOST=127.0.0.1.", file=sys.stderr)
        return 2
    if not token:
        logger.warning(f"{TOKEN_ENV} is not set: any local process may call the action server.")
    os.environ.setdefault("SANIC_REQUEST_MAX_SIZE", str(DEFAULT_MAX_BODY))
    # Fail at start, with the reason, rather than on the first shopper's message.
    try:
        StateStore(load_settings().state_url).close()
    except (ConfigError, StateStoreUnavailable) as exc:
        print(f"The action server cannot start: {exc}", file=sys.stderr)
        return 2

    executor = ActionExecutor()
    executor.register_package(args.actions_module or args.actions or "actions")
    loader_factory = partial(create_secured_app, executor, token, cors_origins=args.cors,
                             auto_reload=args.auto_reload, endpoints=args.endpoints)
    loader = AppLoader(factory=loader_factory)
    app = loader.load()
    ssl = create_ssl_config(args.ssl_certificate, args.ssl_keyfile, args.ssl_password)
    logger.info(f"Action server on {'https' if ssl else 'http'}://{host}:{args.port}")
    app.prepare(host=host, port=args.port, ssl=ssl, workers=utils.number_of_sanic_workers())
    Sanic.serve(primary=app, app_loader=loader)
    return 0


if __name__ == "__main__":
    sys.exit(main())
