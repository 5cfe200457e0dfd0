"""Web chat: Rasa's socket.io channel, with session persistence that works and ids and input that are safe.

credentials.yml:
  connectors.webchat.ShopSocketIOInput:
    session_persistence: true
    action_server_url: ${ACTION_ENDPOINT_URL}   # to tell the shopper when the action server is down
    allowed_origins: ${SHOP_ALLOWED_ORIGINS}    # the shop's pages (comma-separated); others are refused

Rasa 3.6 calls ``AsyncServer.enter_room`` without awaiting it; since python-socketio 5.11 it is a
coroutine, so the browser never joined its session's room and never received a reply. This channel
registers its own ``session_request`` handler that awaits it. It also:
- accepts only session ids of the form the widget gets from the server (32 hex digits) and keeps the
  conversation under ``web:<session id>`` (``web:<customer>:<session id>`` with a valid token, so signing
  in or out on the site changes conversation), so a web page cannot join a conversation of another channel;
- cleans every message like the REST channel (control characters removed, cut to ``max_message_chars``),
  limits socket.io's buffer to ``MAX_BUFFER_BYTES`` and passes the metadata through
  rasa_ext/identity.py (a signed ``token`` names the customer; every other key is dropped);
- accepts connections only from the shop's origins when ``allowed_origins`` is set;
- tells the shopper when a turn got no reply because the action server is down.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint

from rasa_ext.channels import action_server_down, clean_text, health_url_of, unavailable_reply
from rasa_ext.identity import Identity

logger = logging.getLogger(__name__)

SESSION_ID = re.compile(r"^[0-9a-f]{32}$")
NAMESPACE = "web:"
# A chat message with its metadata is well under 10 kB; socket.io's default allows 1 MB per packet.
MAX_BUFFER_BYTES = 64_000


def valid_session_id(value: Any) -> bool:
    return isinstance(value, str) and bool(SESSION_ID.match(value))


class _RoomOutput(SocketIOOutput):
    """Sends to the browser's room (the bare session id) for the conversation ``web:<session id>``,
    and remembers whether the turn sent anything."""

    sent = False

    async def _send_message(self, socket_id: str, response: Any) -> None:
        self.sent = True
        await super()._send_message(room_of(socket_id), response)

    async def send_custom_json(self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any) -> None:
        # Rasa's socket.io output sends custom payloads (product cards) to the room itself, not
        # through _send_message.
        self.sent = True
        await super().send_custom_json(room_of(recipient_id), json_message, **kwargs)


def conversation_id(session_id: str, customer_id: str | None) -> str:
    """``web:<session>``, or ``web:<customer>:<session>`` with a valid token: signing in on the site
    mid-chat starts the customer's own conversation (linked at its session start, as over REST), and
    signing out leaves it, so a browser left signed out no longer reaches the account."""
    return f"{NAMESPACE}{customer_id}:{session_id}" if customer_id else NAMESPACE + session_id


def room_of(conversation: str) -> str:
    """The browser's room (its session id) of a conversation id."""
    return conversation.removeprefix(NAMESPACE).rsplit(":", 1)[-1]


class ShopSocketIOInput(SocketIOInput):
    @classmethod
    def name(cls) -> str:
        return "socketio"  # the channel name actions see (actions/cards.py)

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> ShopSocketIOInput:
        credentials = credentials or {}
        channel = super().from_credentials(credentials)
        assert isinstance(channel, ShopSocketIOInput)
        channel.health_url = health_url_of(credentials.get("action_server_url"))
        channel.max_message_chars = int(credentials.get("max_message_chars", 5000))
        channel.allowed_origins = [origin.strip() for origin in str(credentials.get("allowed_origins") or "")
                                   .split(",") if origin.strip()]
        return channel

    health_url = ""
    max_message_chars = 5000
    allowed_origins: list[str] = []
    identity: Identity | None = None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = super().blueprint(on_new_message)
        sio = self.sio
        assert sio is not None  # set by the stock blueprint
        sio.eio.max_http_buffer_size = MAX_BUFFER_BYTES
        if self.allowed_origins:
            sio.eio.cors_allowed_origins = self.allowed_origins
        identity = self.identity or Identity.from_env()

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: str, data: Any) -> None:
            requested = data.get("session_id") if isinstance(data, dict) else None
            session_id = requested if valid_session_id(requested) else uuid.uuid4().hex
            if self.session_persistence:
                await sio.enter_room(sid, session_id, namespace=self.namespace)
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: str, data: Any) -> None:
            if not isinstance(data, dict) or not isinstance(data.get("message", ""), str):
                logger.warning("Ignoring a malformed web chat message from %s", sid)
                return
            if self.session_persistence:
                session_id = data.get("session_id")
                if not valid_session_id(session_id):
                    logger.warning("Ignoring a web chat message without a valid session id from %s", sid)
                    return
                if session_id not in sio.rooms(sid, namespace=self.namespace):
                    # Only the room the server confirmed: no writing into someone else's conversation.
                    logger.warning("Ignoring a web chat message for a session %s did not request", sid)
                    return
            else:
                session_id = sid
            request = (sio.get_environ(sid, namespace=self.namespace) or {}).get("sanic.request")
            address = (request.remote_addr or request.ip) if request is not None else None
            metadata = identity.metadata(data.get(self.metadata_key), address)
            output = _RoomOutput(sio, self.bot_message_evt)
            text = clean_text(data.get("message", ""), self.max_message_chars)
            conversation = conversation_id(session_id, metadata.get("verified_customer_id"))
            await on_new_message(UserMessage(text, output, conversation, input_channel=self.name(), metadata=metadata))
            if not output.sent and await action_server_down(self.health_url):
                logger.error("The action server is unreachable; told the web chat shopper to try again.")
                await output.send_text_message(conversation, unavailable_reply(text))

        return blueprint
