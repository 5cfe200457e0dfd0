"""Web chat: Rasa's socket.io channel, with session persistence that works and session ids that are safe.

credentials.yml:
  connectors.webchat.ShopSocketIOInput:
    session_persistence: true

Rasa 3.6 calls ``AsyncServer.enter_room`` without awaiting it; since python-socketio 5.11 it is a
coroutine, so the browser never joined its session's room and never received a reply. This channel
registers its own ``session_request`` handler that awaits it. It also accepts only session ids of the
form the widget gets from the server (32 hex digits): any other id, such as a Slack user's or a
Telegram chat's conversation id, is replaced by a new one, so a web page cannot join a conversation
held on another channel.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput
from sanic import Blueprint

logger = logging.getLogger(__name__)

SESSION_ID = re.compile(r"^[0-9a-f]{32}$")


def valid_session_id(value: Any) -> bool:
    return isinstance(value, str) and bool(SESSION_ID.match(value))


class ShopSocketIOInput(SocketIOInput):
    @classmethod
    def name(cls) -> str:
        return "socketio"  # the channel name actions see (actions/cards.py)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = super().blueprint(on_new_message)
        sio = self.sio
        assert sio is not None  # set by the stock blueprint
        stock_message_handler = sio.handlers[self.namespace or "/"][self.user_message_evt]

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
            if self.session_persistence and not valid_session_id(data.get("session_id")):
                logger.warning("Ignoring a web chat message without a valid session id from %s", sid)
                return
            if self.session_persistence and data["session_id"] not in sio.rooms(sid, namespace=self.namespace):
                # Only the room the server confirmed: no writing into someone else's conversation.
                logger.warning("Ignoring a web chat message for a session %s did not request", sid)
                return
            if not isinstance(data.get(self.metadata_key, {}), dict):
                data = {**data, self.metadata_key: {}}
            await stock_message_handler(sid, data)

        return blueprint
