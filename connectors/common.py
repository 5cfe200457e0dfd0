"""Small helpers shared by the chat-platform connectors."""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Awaitable
from typing import Any

from rasa.core.channels.channel import OutputChannel, UserMessage

from rasa_ext.channels import action_server_down, unavailable_reply

logger = logging.getLogger(__name__)


class RecentIds:
    """The last few delivery ids seen, to drop a platform's re-deliveries of one event."""

    def __init__(self, size: int = 1000) -> None:
        self.size = size
        self._seen: OrderedDict[str, None] = OrderedDict()

    def seen_before(self, delivery_id: str | None) -> bool:
        """Whether this id was seen already; remembers it either way. No id: never a duplicate."""
        if not delivery_id:
            return False
        if delivery_id in self._seen:
            return True
        self._seen[delivery_id] = None
        if len(self._seen) > self.size:
            self._seen.popitem(last=False)
        return False


class BackgroundHandler:
    """Runs message handling after the webhook has answered.

    Platforms retry a webhook that does not answer within a few seconds (Slack: 3 s), so a slow
    action would otherwise make them deliver the message again.
    """

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task] = set()

    def start(self, work: Awaitable[Any]) -> None:
        """Runs ``work`` (e.g. ``on_new_message(message)``) in the background; failures are logged."""
        task = asyncio.create_task(self._run(work))
        # Keep a reference: the event loop holds tasks only weakly.
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    @staticmethod
    async def _run(work: Awaitable[Any]) -> None:
        try:
            await work
        except Exception:  # noqa: BLE001 - a failed reply must not kill the server; it is logged
            logger.exception("Handling a chat message failed")


class WatchedOutput(OutputChannel):
    """One message's replies, passed to the platform's output channel with the conversation id's
    namespace (``slack:``, ``telegram:``) taken off again, and remembered, so that a turn without a
    reply can be told apart (the action server may be down)."""

    def __init__(self, inner: OutputChannel, namespace: str) -> None:
        self.inner = inner
        self.namespace = namespace
        self.sent = False

    def name(self) -> str:  # type: ignore[override] - the platform's name, for channel-specific responses
        return self.inner.name()

    def platform_id(self, recipient_id: str) -> str:
        return recipient_id.removeprefix(self.namespace)

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        self.sent = True
        await self.inner.send_response(self.platform_id(recipient_id), message)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        self.sent = True
        await self.inner.send_text_message(self.platform_id(recipient_id), text, **kwargs)


async def handle_and_apologise(on_new_message: Any, message: UserMessage, health_url: str) -> None:
    """Handles the message; when it got no reply because the action server is down, says so."""
    await on_new_message(message)
    output = message.output_channel
    if isinstance(output, WatchedOutput) and not output.sent and await action_server_down(health_url):
        logger.error("The action server is unreachable; told the %s shopper to try again.", output.name())
        await output.send_text_message(message.sender_id, unavailable_reply(message.text))
