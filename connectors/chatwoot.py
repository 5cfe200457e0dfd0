"""Chatwoot: the assistant as a Chatwoot Agent Bot, and the handoff to the inbox's human agents.

credentials.yml:
  connectors.chatwoot.ChatwootInput:
    url: ${CHATWOOT_URL}                       # https://chatwoot.example (empty = Chatwoot off: 503)
    bot_token: ${CHATWOOT_BOT_TOKEN}           # the agent bot's access token (api_access_token header)
    webhook_token: ${CHATWOOT_WEBHOOK_TOKEN}   # a secret of your choosing, part of the bot's URL

Set the agent bot's outgoing URL to ``https://<public host>/webhooks/chatwoot/webhook?token=<webhook_token>``
and connect the bot to the inbox (see docs/channels.md). Chatwoot's Agent Bot API (documented in
chatwoot/docs: product/others/agent-bots.md, interactive-messages.md, webhook-events.md):

- **in**: ``message_created`` webhooks; the bot answers ``incoming`` messages of conversations in
  ``pending`` status (a conversation with a bot starts there; ``open`` means agents have it). A chosen
  option of an ``input_select`` arrives as ``message_updated`` with ``content_attributes.submitted_values``;
  a card's postback button arrives as a new message whose content is the button's payload.
- **out**: ``POST /api/v1/accounts/{account}/conversations/{id}/messages``; buttons become an
  ``input_select`` (title = the button's title, value = its payload), product cards become ``cards``.
- **handoff**: action_human_handoff sends ``{"handoff": {"ticket_id", "transcript"}}`` on a live channel
  (shop/handoff.py) and pauses the conversation (``ConversationPaused``). This channel posts the masked
  transcript as a private note for the agent and toggles the conversation to ``open``. When the agent
  resolves it (``conversation_status_changed`` to ``resolved``, or hands it back to the bot as
  ``pending``) the conversation is resumed (``ConversationResumed``) and the assistant answers again.
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Awaitable, Callable
from http import HTTPStatus
from typing import Any

import aiohttp
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.shared.core.events import ConversationResumed
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from connectors.common import BackgroundHandler, RecentIds

logger = logging.getLogger(__name__)

TOKEN_HEADER = "api_access_token"  # Chatwoot's header for an access token
# A Chatwoot server that has not answered in this time is treated as down; the webhook has already
# been acknowledged, so only this reply is lost (and logged).
API_TIMEOUT_SECONDS = 10.0
BOT_STATUS = "pending"          # the bot's queue: a conversation the assistant may answer
AGENT_STATUS = "open"           # the agents' queue
# The statuses that end a handoff: the agent resolved it, or handed it back to the bot.
RESUME_STATUSES = ("resolved", "pending")
CARD_TYPE = "product_card"      # actions/cards.py
CARD_DESCRIPTION_LIMIT = 300


class ChatwootApi:
    """The few calls of Chatwoot's application API that the bot makes."""

    def __init__(self, base_url: str, token: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self._session: aiohttp.ClientSession | None = None

    async def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        if self._session is None or self._session.closed:
            # Made on first use: a ClientSession belongs to the running event loop.
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=API_TIMEOUT_SECONDS))
        async with self._session.post(f"{self.base_url}{path}", json=body,
                                      headers={TOKEN_HEADER: self.token}) as answer:
            if answer.status >= 400:
                raise RuntimeError(f"Chatwoot answered {answer.status} to POST {path}: {(await answer.text())[:200]}")
            return await answer.json(content_type=None)

    async def create_message(self, account_id: int, conversation_id: int, body: dict[str, Any]) -> dict[str, Any]:
        return await self._post(f"/api/v1/accounts/{account_id}/conversations/{conversation_id}/messages",
                                {"message_type": "outgoing", "private": False, **body})

    async def toggle_status(self, account_id: int, conversation_id: int, status: str) -> dict[str, Any]:
        return await self._post(f"/api/v1/accounts/{account_id}/conversations/{conversation_id}/toggle_status",
                                {"status": status})


def card_items(card: dict[str, Any]) -> list[dict[str, Any]]:
    """A product card (actions/cards.py) as Chatwoot ``cards`` items, its buttons as postbacks."""
    description = " · ".join(part for part in (str(card.get("price", "")), f"★ {card.get('rating', '')}",
                                                str(card.get("reason", ""))) if part.strip())
    return [{
        "title": str(card.get("name", "")),
        "description": description[:CARD_DESCRIPTION_LIMIT],
        "actions": [{"type": "postback", "text": str(button.get("title", "")),
                     "payload": str(button.get("payload", ""))} for button in card.get("buttons") or []],
    }]


class ChatwootOutput(OutputChannel):
    """Replies into one Chatwoot conversation."""

    @classmethod
    def name(cls) -> str:
        return "chatwoot"

    def __init__(self, api: ChatwootApi, account_id: int, conversation_id: int) -> None:
        self.api = api
        self.account_id = account_id
        self.conversation_id = conversation_id

    async def _send(self, body: dict[str, Any]) -> None:
        await self.api.create_message(self.account_id, self.conversation_id, body)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self._send({"content": text})

    async def send_text_with_buttons(self, recipient_id: str, text: str, buttons: list[dict[str, Any]],
                                     **kwargs: Any) -> None:
        items = [{"title": str(b.get("title", "")), "value": str(b.get("payload", b.get("title", "")))}
                 for b in buttons]
        await self._send({"content": text, "content_type": "input_select", "content_attributes": {"items": items}})

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        await self._send({"content": image})

    async def send_custom_json(self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any) -> None:
        if "handoff" in json_message:
            await self.hand_off(json_message["handoff"] or {})
            return
        card = json_message.get("data") if isinstance(json_message.get("data"), dict) else None
        if card and card.get("type") == CARD_TYPE:
            await self._send({"content": str(card.get("text") or card.get("name", "")), "content_type": "cards",
                              "content_attributes": {"items": card_items(card)}})
            return
        logger.warning("Chatwoot: a custom message of unknown shape was not sent (keys %s)", sorted(json_message))

    async def hand_off(self, handoff: dict[str, Any]) -> None:
        """The transcript as a private note for the agents, then the conversation into their queue."""
        note = f"Handoff from the assistant: ticket {handoff.get('ticket_id', '?')}.\n\n" \
               f"{handoff.get('transcript') or '(no transcript)'}"
        await self._send({"content": note, "private": True})
        await self.api.toggle_status(self.account_id, self.conversation_id, AGENT_STATUS)
        logger.info("Chatwoot conversation %s handed to the agents (ticket %s)", self.conversation_id,
                    handoff.get("ticket_id"))


def sender_id_for(account_id: Any, conversation_id: Any) -> str:
    """The Rasa conversation id of a Chatwoot conversation (one Rasa conversation per Chatwoot one)."""
    return f"chatwoot-{account_id}-{conversation_id}"


class ChatwootInput(InputChannel):
    """Chatwoot's agent-bot webhook: ``POST /webhooks/chatwoot/webhook?token=…``."""

    @classmethod
    def name(cls) -> str:
        return "chatwoot"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        credentials = credentials or {}
        return cls(url=credentials.get("url") or "", bot_token=credentials.get("bot_token") or "",
                   webhook_token=credentials.get("webhook_token") or "")

    def __init__(self, url: str, bot_token: str, webhook_token: str) -> None:
        self.url, self.bot_token, self.webhook_token = url, bot_token, webhook_token
        self.api = ChatwootApi(url, bot_token) if self.configured else None
        self._deliveries = RecentIds()
        self._background = BackgroundHandler()
        if url and bot_token and not webhook_token:
            from rasa.shared.exceptions import InvalidConfigException

            raise InvalidConfigException(
                "Chatwoot needs a webhook token (CHATWOOT_WEBHOOK_TOKEN) in the agent bot's URL; without it "
                "anyone could post messages as Chatwoot.")

    @property
    def configured(self) -> bool:
        return bool(self.url and self.bot_token)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        hook = Blueprint("chatwoot_webhook", __name__)

        @hook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok" if self.configured else "not configured"})

        @hook.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            if self.api is None:
                return response.text("Chatwoot is not configured.", status=HTTPStatus.SERVICE_UNAVAILABLE)
            given = (request.args.get("token") or "").encode()
            if not hmac.compare_digest(given, self.webhook_token.encode()):
                return response.text("Wrong or missing token.", status=HTTPStatus.FORBIDDEN)
            try:
                event = request.json
            except Exception:  # noqa: BLE001 - Sanic raises its own error type for a bad body
                event = None
            if not isinstance(event, dict) or not isinstance(event.get("event"), str):
                return response.text("Expected a Chatwoot webhook event (a JSON object).",
                                     status=HTTPStatus.BAD_REQUEST)
            try:
                self._on_event(event, request, on_new_message)
            except (KeyError, TypeError, ValueError) as error:
                logger.warning("Unreadable Chatwoot %s event: %r", event.get("event"), error)
                return response.text("Unreadable event.", status=HTTPStatus.BAD_REQUEST)
            return response.text("ok")

        return hook

    def _on_event(self, event: dict[str, Any], request: Request,
                  on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> None:
        kind = event["event"]
        if kind in ("conversation_status_changed", "conversation_resolved"):
            if event.get("status") in RESUME_STATUSES:
                account_id = (event.get("account") or {}).get("id") or (event.get("messages") or [{}])[0]["account_id"]
                agent = getattr(request.app.ctx, "agent", None)
                self._background.start(resume(agent, sender_id_for(account_id, event["id"])))
            return
        if kind not in ("message_created", "message_updated"):
            return  # webwidget_triggered, conversation_created, typing: nothing to answer
        conversation = event["conversation"]
        if event.get("private") or conversation.get("status", BOT_STATUS) != BOT_STATUS:
            return  # an agent's note, or a conversation the agents have: the assistant stays out
        if kind == "message_created":
            if event.get("message_type") != "incoming":
                return  # the assistant's own messages and the agents' come back as outgoing
            text = event.get("content")
        else:
            submitted = (event.get("content_attributes") or {}).get("submitted_values") or []
            if not submitted:
                return
            text = submitted[0].get("value") or submitted[0].get("title")
        if not isinstance(text, str) or not text.strip():
            return
        if self._deliveries.seen_before(f"{kind}:{event.get('id')}"):
            return
        account_id, conversation_id = int(event["account"]["id"]), int(conversation["id"])
        assert self.api is not None
        out = ChatwootOutput(self.api, account_id, conversation_id)
        message = UserMessage(text, out, sender_id_for(account_id, conversation_id), input_channel=self.name(),
                              metadata=self._metadata(event, account_id, conversation_id))
        self._background.start(on_new_message(message))

    @staticmethod
    def _metadata(event: dict[str, Any], account_id: int, conversation_id: int) -> dict[str, Any]:
        metadata: dict[str, Any] = {"chatwoot": {"account_id": account_id, "conversation_id": conversation_id}}
        conversation = event["conversation"]
        # Only an identity the shop's page vouched for (Chatwoot's HMAC identity validation) links the
        # conversation to an account; an email typed into the widget's pre-chat form does not.
        if (conversation.get("contact_inbox") or {}).get("hmac_verified"):
            email = ((conversation.get("meta") or {}).get("sender") or {}).get("email")
            if isinstance(email, str) and email:
                metadata["email"] = email
        return metadata


async def resume(agent: Any, sender_id: str) -> None:
    """Lets the assistant answer a conversation again after an agent resolved it."""
    if agent is None or agent.tracker_store is None:
        logger.warning("Cannot resume %s: the Rasa server has no agent loaded", sender_id)
        return
    async with agent.lock_store.lock(sender_id):
        tracker = await agent.tracker_store.retrieve(sender_id)
        if tracker is None or not tracker.is_paused():
            return
        tracker.update(ConversationResumed())
        await agent.tracker_store.save(tracker)
    logger.info("Chatwoot conversation %s resolved by an agent: the assistant answers it again", sender_id)
