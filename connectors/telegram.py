"""Telegram: Rasa's Telegram connector with the webhook secret checked and a configurable Bot API URL.

credentials.yml:
  connectors.telegram.ShopTelegramInput:
    access_token: ${TELEGRAM_TOKEN}             # from @BotFather; empty = Telegram off (webhook answers 503)
    verify: ${TELEGRAM_BOT_NAME}                # the bot's username (informational)
    webhook_url: ${TELEGRAM_WEBHOOK_URL}        # https://<public host>/webhooks/telegram/webhook
    secret_token: ${TELEGRAM_SECRET_TOKEN}      # 1-256 chars of A-Z a-z 0-9 _ -
    api_url: ${TELEGRAM_API_URL}                # empty = https://api.telegram.org

Differences from Rasa's stock connector, which calls Telegram's getMe on every update and setWebhook
whenever it builds an output channel: the webhook is registered once at start-up with the secret
token, every update must carry it in ``X-Telegram-Bot-Api-Secret-Token``, updates are acknowledged at
once and handled afterwards, re-deliveries of an update id are dropped, and buttons are laid out as
an inline keyboard in rows that fit a phone screen.
"""

from __future__ import annotations

import hmac
import logging
import re
from collections.abc import Awaitable, Callable
from http import HTTPStatus
from typing import Any

from aiogram import Bot
from aiogram.bot.api import TELEGRAM_PRODUCTION, TelegramAPIServer
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, Update
from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.telegram import TelegramInput, TelegramOutput
from rasa.shared.exceptions import InvalidConfigException
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from connectors.common import BackgroundHandler, RecentIds, WatchedOutput, handle_and_apologise
from rasa_ext.channels import clean_text, health_url_of

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
SECRET_FORMAT = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
CALLBACK_DATA_LIMIT = 64  # bytes, Telegram's limit on an inline button's callback_data
ROW_WIDTH = 3
# What Telegram sends when a shopper opens the bot; the assistant answers it like a greeting.
START_COMMAND = "/start"


class ShopTelegramOutput(TelegramOutput):
    """Sends replies through the Bot API at ``api_url``."""

    def __init__(self, access_token: str, api_url: str | None = None) -> None:
        server = TelegramAPIServer.from_base(api_url) if api_url else TELEGRAM_PRODUCTION
        Bot.__init__(self, access_token, server=server)

    async def send_text_with_buttons(self, recipient_id: str, text: str, buttons: list[dict[str, Any]],
                                     **kwargs: Any) -> None:
        """Buttons as an inline keyboard, at most three to a row and long titles on a row of their own."""
        markup = InlineKeyboardMarkup()
        row: list[InlineKeyboardButton] = []
        for button in buttons:
            title = str(button.get("title", ""))
            payload = str(button.get("payload", title))
            # A payload too long for callback_data is sent as the button's title, which the NLU reads.
            data = payload if len(payload.encode()) <= CALLBACK_DATA_LIMIT else title[:CALLBACK_DATA_LIMIT]
            if len(title) > 20 and row:
                markup.row(*row)
                row = []
            row.append(InlineKeyboardButton(title, callback_data=data))
            if len(row) == ROW_WIDTH or len(title) > 20:
                markup.row(*row)
                row = []
        if row:
            markup.row(*row)
        await self.send_message(recipient_id, text, reply_markup=markup)

    async def register_webhook(self, url: str, secret_token: str) -> bool:
        # aiogram 2.15 predates setWebhook's secret_token parameter, so the call is made directly.
        return bool(await self.request("setWebhook", {"url": url, "secret_token": secret_token}))


class ShopTelegramInput(TelegramInput):
    """Telegram's webhook: ``POST /webhooks/telegram/webhook``."""

    @classmethod
    def name(cls) -> str:
        return "telegram"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        credentials = credentials or {}
        return cls(
            access_token=credentials.get("access_token") or "",
            verify=credentials.get("verify") or None,
            webhook_url=credentials.get("webhook_url") or None,
            secret_token=credentials.get("secret_token") or "",
            api_url=credentials.get("api_url") or None,
            action_server_url=credentials.get("action_server_url"),
            api_secret=credentials.get("api_secret") or "",
        )

    def __init__(self, access_token: str, verify: str | None, webhook_url: str | None,
                 secret_token: str = "", api_url: str | None = None, action_server_url: str | None = None,
                 api_secret: str = "", max_message_chars: int = 5000) -> None:
        super().__init__(access_token, verify, webhook_url, debug_mode=False)
        self.health_url = health_url_of(action_server_url)
        self.api_secret = api_secret  # the Rasa HTTP API's token: set_webhook is an operator's call
        self.max_message_chars = max_message_chars
        self.secret_token = secret_token
        self.api_url = api_url
        self._updates = RecentIds()
        self._background = BackgroundHandler()
        if self.configured and not SECRET_FORMAT.match(secret_token):
            raise InvalidConfigException(
                "Telegram needs a webhook secret token (TELEGRAM_SECRET_TOKEN: 1-256 characters of "
                "A-Z, a-z, 0-9, _ and -); without it anyone could post updates as Telegram.")
        if not self.configured:
            logger.info("Telegram is not configured (TELEGRAM_TOKEN is empty); its webhook answers 503.")

    @property
    def configured(self) -> bool:
        return bool(self.access_token)

    def get_output_channel(self) -> ShopTelegramOutput:
        return ShopTelegramOutput(self.access_token, self.api_url)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        telegram_webhook = Blueprint("telegram_webhook", __name__)
        out_channel = self.get_output_channel() if self.configured else None

        @telegram_webhook.listener("after_server_start")
        async def register_webhook(*_: Any) -> None:
            if out_channel is None or not self.webhook_url:
                return
            try:
                await out_channel.register_webhook(self.webhook_url, self.secret_token)
                logger.info("Telegram webhook set to %s", self.webhook_url)
            except Exception as error:  # noqa: BLE001 - the server keeps running; POST /set_webhook retries
                logger.warning("Could not set the Telegram webhook (%s); POST /webhooks/telegram/set_webhook "
                               "to retry.", error)

        @telegram_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok" if self.configured else "not configured"})

        @telegram_webhook.route("/set_webhook", methods=["POST"])
        async def set_webhook(request: Request) -> HTTPResponse:
            given = (request.args.get("token") or "").encode()
            if not self.api_secret or not hmac.compare_digest(given, self.api_secret.encode()):
                return response.text("set_webhook needs ?token= (the Rasa HTTP API's token).",
                                     status=HTTPStatus.UNAUTHORIZED)
            if out_channel is None or not self.webhook_url:
                return response.text("Telegram is not configured.", status=HTTPStatus.SERVICE_UNAVAILABLE)
            await out_channel.register_webhook(self.webhook_url, self.secret_token)
            return response.text("Webhook setup successful")

        @telegram_webhook.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            if out_channel is None:
                return response.text("Telegram is not configured.", status=HTTPStatus.SERVICE_UNAVAILABLE)
            given = (request.headers.get(SECRET_HEADER) or "").encode()
            if not hmac.compare_digest(given, self.secret_token.encode()):
                return response.text("Wrong or missing secret token.", status=HTTPStatus.FORBIDDEN)
            try:
                update = Update(**request.json)
            except (TypeError, ValueError, AttributeError) as error:
                logger.warning("Unreadable Telegram update: %s", error)
                return response.text("Unreadable update.", status=HTTPStatus.BAD_REQUEST)
            if self._updates.seen_before(str(update.update_id)):
                return response.text("success")
            self._on_update(update, out_channel, on_new_message)
            return response.text("success")

        return telegram_webhook

    def _on_update(self, update: Update, out_channel: ShopTelegramOutput,
                   on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> None:
        if update.callback_query is not None and update.callback_query.message is not None:
            chat_id, text = update.callback_query.message.chat.id, update.callback_query.data
            # Stops the spinner on the pressed button in the shopper's app.
            self._background.start(out_channel.answer_callback_query(update.callback_query.id))
        elif update.message is not None and update.message.text:
            chat_id, text = update.message.chat.id, update.message.text
        else:
            return  # edits, stickers, locations, joins: nothing to answer
        if text.split("@")[0] == START_COMMAND:
            text = "hello"
        # The conversation lives under "telegram:": no other channel's sender id can name it.
        message = UserMessage(clean_text(text, self.max_message_chars), WatchedOutput(out_channel, "telegram:"),
                              f"telegram:{chat_id}", input_channel=self.name(), metadata={"telegram_chat_id": chat_id})
        self._background.start(handle_and_apologise(on_new_message, message, self.health_url))
