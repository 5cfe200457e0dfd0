"""The shop page's REST channel: Rasa's REST channel with input checks and a graceful failure.

Configured in credentials.yml under its module path; it keeps the URL of Rasa's REST channel
(``POST /webhooks/rest/webhook``) and its request and reply format, and adds:

- a request that is not a JSON object with a string ``sender`` (1-200 characters, so that with the
  namespace it fits Rasa's 255-character tracker store column) and a string ``message`` gets HTTP
  400 with a message saying what is wrong, instead of an error inside Rasa; control characters
  are removed and messages longer than ``max_message_chars`` are cut;
- identity: the metadata is replaced by what rasa_ext/identity.py makes of it (a verified customer
  from a signed ``token``, a digest of the client's address; every other key dropped), and the
  conversation id is the ``sender`` in the channel's own namespace: ``rest:<sender>``, or
  ``rest:<customer id>:<sender>`` with a valid token, so that a REST caller cannot reach a web chat,
  Slack or Telegram conversation, nor a token holder's conversation without the token;
- when a turn produced no reply because the action server could not be reached (Rasa logs the
  error and carries on without the action's messages), the shopper is told so; the conversation
  is kept and goes on once the action server is back;
- ``?stream=true`` is Rasa's streaming protocol, which its console (``rasa shell``, ``scripts/run``)
  speaks: one JSON message per line, written as the bot produces them, with the same checks.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from rasa.core.channels.rest import QueueOutputChannel
from rasa.utils.endpoints import bool_arg
from sanic import Blueprint, Sanic, response
from sanic.exceptions import SanicException
from sanic.request import Request
from sanic.response import HTTPResponse, ResponseStream

from rasa_ext.identity import Identity
from shop.language import DEFAULT_LANGUAGE, detect
from shop.messages import load_messages

logger = logging.getLogger(__name__)

# The sentences the channels send on their own, when the action server cannot: in the message
# catalogue beside the action server's texts, in the language of the shopper's message.
MESSAGES = Path(__file__).resolve().parent.parent / "data" / "shop" / "messages.yml"


def unavailable_reply(text: str | None) -> str:
    """What a shopper is told when the action server is down: try again, nothing is lost."""
    return load_messages(MESSAGES).text(detect(text) or DEFAULT_LANGUAGE, "channel.unavailable")


def failed_reply(text: str | None) -> str:
    """What a shopper is told when their turn failed on the Rasa side."""
    return load_messages(MESSAGES).text(detect(text) or DEFAULT_LANGUAGE, "channel.failed")


MAX_SENDER_CHARS = 200  # with the namespace and a customer id it stays within the tracker's 255
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def health_url_of(action_server_url: str | None) -> str:
    """The action server's health URL, from its webhook URL (…/webhook → …/health)."""
    base = (action_server_url or "").rstrip("/")
    return base[: -len("/webhook")] + "/health" if base.endswith("/webhook") else ""


async def action_server_down(health_url: str) -> bool:
    """Whether the action server does not answer its health check (every channel asks this when a
    turn produced no reply, to tell the shopper instead of leaving them in silence)."""
    if not health_url:
        return False
    try:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=2)) as session:
            async with session.get(health_url) as reply:
                return reply.status != 200
    except (aiohttp.ClientError, asyncio.TimeoutError):
        return True


def clean_text(text: str, max_chars: int) -> str:
    """A message without control characters, cut to ``max_chars`` (every channel's input)."""
    return _CONTROL.sub(" ", text[: max_chars * 2])[:max_chars]


class InvalidRequest(ValueError):
    pass


def parse_body(request: Request, max_chars: int) -> tuple[str, str, dict[str, Any] | None]:
    """(sender, message, metadata) of a valid request; InvalidRequest says what is wrong."""
    try:
        body = request.json
    except Exception:  # noqa: BLE001 - Sanic raises its own error for a body that is not JSON
        raise InvalidRequest("the body must be JSON (UTF-8): {\"sender\": \"...\", \"message\": \"...\"}") from None
    if not isinstance(body, dict):
        raise InvalidRequest("the body must be a JSON object with \"sender\" and \"message\"")
    sender, message, metadata = body.get("sender"), body.get("message"), body.get("metadata")
    if not isinstance(sender, str) or not sender.strip():
        raise InvalidRequest("\"sender\" must be a non-empty string")
    sender = _CONTROL.sub("", sender).strip()
    if not sender or len(sender) > MAX_SENDER_CHARS:
        raise InvalidRequest(f"\"sender\" must have 1 to {MAX_SENDER_CHARS} printable characters")
    if message is None:
        message = ""
    if not isinstance(message, str):
        raise InvalidRequest("\"message\" must be a string")
    if metadata is not None and not isinstance(metadata, dict):
        raise InvalidRequest("\"metadata\" must be a JSON object")
    return sender, clean_text(message, max_chars), metadata


async def _reject_malformed_json(request: Request) -> HTTPResponse | None:
    """HTTP 400 for a JSON body that does not parse (Rasa's HTTP API would answer HTTP 500)."""
    if request.method not in ("POST", "PUT") or not request.body or request.path.startswith("/webhooks/"):
        return None  # the channels check their own bodies
    if "json" not in (request.headers.get("Content-Type") or ""):
        return None
    try:
        json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):  # a 100k-deep array is not JSON we take
        return response.json({"status": "failure", "reason": "BadRequest", "code": 400,
                              "message": "The body must be valid JSON in UTF-8."}, status=400)
    return None


def _guard_http_api() -> None:
    """Adds the JSON check to the Rasa server's app (created before its channels, Sanic's registry)."""
    try:
        app = Sanic.get_app("rasa_server")
    except SanicException:
        return  # not inside `rasa run` (e.g. a unit test of the channel)
    if not getattr(app.ctx, "kestrel_json_guard", False):
        app.register_middleware(_reject_malformed_json, "request")
        app.ctx.kestrel_json_guard = True


class ShopRestInput(InputChannel):
    """``POST /webhooks/rest/webhook`` with checked input and a reply when actions are down."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> ShopRestInput:
        credentials = credentials or {}
        return cls(action_server_url=credentials.get("action_server_url"),
                   max_message_chars=int(credentials.get("max_message_chars", 5000)))

    def __init__(self, action_server_url: str | None = None, max_message_chars: int = 5000,
                 identity: Identity | None = None) -> None:
        self.identity = identity or Identity.from_env()
        self.health_url = health_url_of(action_server_url)
        self.max_message_chars = max_message_chars

    async def _action_server_down(self) -> bool:
        return await action_server_down(self.health_url)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        _guard_http_api()
        webhook = Blueprint("shop_rest_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse | ResponseStream:
            try:
                sender, text, metadata = parse_body(request, self.max_message_chars)
            except InvalidRequest as error:
                return response.json({"error": str(error)}, status=400)
            metadata = self.identity.metadata(metadata, request.remote_addr or request.ip)
            customer = metadata.get("verified_customer_id")
            client_sender = sender  # replies name the sender the client sent, as Rasa's REST channel does
            sender = f"rest:{customer}:{sender}" if customer else f"rest:{sender}"
            if bool_arg(request, "stream", default=False):
                return response.stream(self._stream(on_new_message, sender, text, metadata, client_sender),
                                       content_type="text/event-stream")
            collector = CollectingOutputChannel()
            if not await self._handle(on_new_message, UserMessage(
                    text, collector, sender, input_channel=self.name(), metadata=metadata)):
                return response.json({"error": "the assistant could not handle this message"}, status=500)
            if not collector.messages and await self._action_server_down():
                return response.json([self._unavailable(client_sender, text)])
            return response.json([{**message, "recipient_id": client_sender} for message in collector.messages])

        return webhook

    async def _handle(self, on_new_message: Callable[[UserMessage], Awaitable[Any]], message: UserMessage) -> bool:
        """Runs one turn; False when it failed with an error (logged), True otherwise."""
        try:
            await on_new_message(message)
        except asyncio.CancelledError:
            logger.error(f"Message handling timed out for user message of {message.sender_id!r}.")
        except Exception:  # noqa: BLE001 - one failed turn must not take the channel down
            logger.exception("An exception occurred while handling a user message.")
            return False
        return True

    def _unavailable(self, sender: str, text: str) -> dict[str, str]:
        logger.error("The action server is unreachable; told the shopper to try again.")
        return {"recipient_id": sender, "text": unavailable_reply(text)}

    def _stream(self, on_new_message: Callable[[UserMessage], Awaitable[Any]], sender: str, text: str,
                metadata: dict[str, Any] | None, client_sender: str) -> Callable[[Any], Awaitable[None]]:
        """Rasa's streaming protocol: each bot message as one JSON line as soon as it is sent (naming
        the client's sender; ``sender`` is the conversation id)."""

        async def stream(reply: Any) -> None:
            queue: asyncio.Queue = asyncio.Queue()
            done = object()  # not a message: the bot's messages are dicts

            async def turn() -> bool:
                try:
                    return await self._handle(on_new_message, UserMessage(
                        text, QueueOutputChannel(queue), sender, input_channel=self.name(), metadata=metadata))
                finally:
                    await queue.put(done)

            task = asyncio.ensure_future(turn())
            sent = 0
            while (message := await queue.get()) is not done:
                await reply.write(json.dumps({**message, "recipient_id": client_sender}) + "\n")
                sent += 1
            handled = await task
            # The console cannot show an HTTP status mid-stream: the shopper gets a sentence.
            if not handled:
                await reply.write(json.dumps({"recipient_id": client_sender, "text": failed_reply(text)}) + "\n")
            elif not sent and await self._action_server_down():
                await reply.write(json.dumps(self._unavailable(client_sender, text)) + "\n")

        return stream
