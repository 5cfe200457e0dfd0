"""Slack: Rasa's Slack connector with a configurable API URL, immediate acknowledgement and no duplicates.

credentials.yml:
  connectors.slack.ShopSlackInput:
    slack_token: ${SLACK_BOT_TOKEN}              # xoxb-…; empty = Slack off (the webhook answers 503)
    slack_signing_secret: ${SLACK_SIGNING_SECRET}
    api_url: ${SLACK_API_URL}                    # empty = https://slack.com/api/

Requests whose signature is wrong or older than five minutes are refused (Rasa's check). The webhook
answers at once and handles the message afterwards, so a slow turn never makes Slack retry; retries
(``X-Slack-Retry-Num``) and re-deliveries of an event id already seen are acknowledged and dropped.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from http import HTTPStatus
from typing import Any

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.slack import SlackBot, SlackInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from slack_sdk.web.async_client import AsyncWebClient

from connectors.common import BackgroundHandler, RecentIds, WatchedOutput, handle_and_apologise
from rasa_ext.channels import clean_text, health_url_of

logger = logging.getLogger(__name__)

DEFAULT_API_URL = "https://slack.com/api/"
NO_RETRY = {"X-Slack-No-Retry": "1"}


class ShopSlackBot(SlackBot):
    """Posts replies through Slack's Web API at ``api_url``; buttons become Block Kit buttons (Rasa's mapping)."""

    def __init__(self, token: str, slack_channel: str | None = None, thread_id: str | None = None,
                 proxy: str | None = None, api_url: str = DEFAULT_API_URL) -> None:
        super().__init__(token, slack_channel, thread_id, proxy)
        self.client = AsyncWebClient(token, base_url=api_url.rstrip("/") + "/", proxy=proxy)


class ShopSlackInput(SlackInput):
    """The Slack Events API / interactivity webhook: ``POST /webhooks/slack/webhook``."""

    @classmethod
    def name(cls) -> str:
        return "slack"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        credentials = credentials or {}
        return cls(
            slack_token=credentials.get("slack_token") or "",
            slack_channel=credentials.get("slack_channel") or None,
            proxy=credentials.get("proxy") or None,
            slack_retry_reason_header=credentials.get("slack_retry_reason_header", "x-slack-retry-reason"),
            slack_retry_number_header=credentials.get("slack_retry_number_header", "x-slack-retry-num"),
            use_threads=bool(credentials.get("use_threads", False)),
            slack_signing_secret=credentials.get("slack_signing_secret") or "",
            conversation_granularity=credentials.get("conversation_granularity", "sender"),
            api_url=credentials.get("api_url") or DEFAULT_API_URL,
            action_server_url=credentials.get("action_server_url"),
        )

    def __init__(self, slack_token: str, *args: Any, api_url: str = DEFAULT_API_URL,
                 action_server_url: str | None = None, max_message_chars: int = 5000, **kwargs: Any) -> None:
        self.api_url = api_url
        self.health_url = health_url_of(action_server_url)
        self.max_message_chars = max_message_chars
        self._events = RecentIds()
        self._background = BackgroundHandler()
        super().__init__(slack_token, *args, **kwargs)

    @property
    def configured(self) -> bool:
        return bool(self.slack_token)

    def _validate_credentials(self) -> None:
        # An unconfigured Slack channel is off, not an error; a configured one needs its signing secret.
        if self.configured:
            super()._validate_credentials()
        else:
            logger.info("Slack is not configured (SLACK_BOT_TOKEN is empty); its webhook answers 503.")

    def get_output_channel(self, channel: str | None = None, thread_id: str | None = None) -> OutputChannel:
        return ShopSlackBot(self.slack_token, channel or self.slack_channel, thread_id, self.proxy, self.api_url)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        slack_webhook = Blueprint("slack_webhook", __name__)

        @slack_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok" if self.configured else "not configured"})

        @slack_webhook.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            if not self.configured:
                return response.text("Slack is not configured.", status=HTTPStatus.SERVICE_UNAVAILABLE)
            if not self.is_request_from_slack_authentic(request):
                return response.text("Missing, wrong or expired X-Slack-Signature.", status=HTTPStatus.UNAUTHORIZED)
            if request.headers.get(self.retry_num_header):
                # The first delivery was acknowledged at once and is being handled: a retry is a duplicate.
                logger.info("Dropping Slack retry #%s (%s)", request.headers.get(self.retry_num_header),
                            request.headers.get(self.retry_reason_header))
                return response.text("", headers=NO_RETRY)
            content_type = (request.headers.get("content-type") or "").split(";")[0].strip()
            try:
                if content_type == "application/json":
                    return self._on_event(request.json or {}, on_new_message)
                if content_type == "application/x-www-form-urlencoded":
                    return self._on_interaction(json.loads(request.form.get("payload") or "{}"), on_new_message)
            except (ValueError, TypeError, AttributeError) as error:
                logger.warning("Unreadable Slack request: %s", error)
                return response.text("Unreadable request body.", status=HTTPStatus.BAD_REQUEST)
            return response.text("Unsupported content type.", status=HTTPStatus.UNSUPPORTED_MEDIA_TYPE)

        return slack_webhook

    def _on_event(self, body: dict[str, Any], on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> HTTPResponse:
        if body.get("type") == "url_verification":
            return response.json({"challenge": body.get("challenge")})
        if self._events.seen_before(body.get("event_id")):
            return response.text("Already delivered.", headers=NO_RETRY)
        event = body.get("event") or {}
        if not self._is_user_message(body) or event.get("subtype"):
            return response.text("Not a user message.")
        users = body.get("authed_users") or [a.get("user_id") for a in body.get("authorizations") or []][:1]
        metadata = {"out_channel": event.get("channel"), "thread_id": event.get("thread_ts", event.get("ts")),
                    "users": users}
        if not self._is_supported_channel(body, metadata):
            return response.text("Channel not supported.")
        text = self._sanitize_user_message(event.get("text", ""), users)
        self._handle(on_new_message, text, event.get("user", ""), metadata)
        return response.text("")

    def _on_interaction(self, payload: dict[str, Any],
                        on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> HTTPResponse:
        if not self._is_interactive_message(payload):
            return response.text("Unsupported interaction.", status=HTTPStatus.BAD_REQUEST)
        text = self._get_interactive_response(payload["actions"][0])
        if text is None:
            return response.text("")  # a link button: nothing to tell the assistant
        message = payload.get("message") or {}
        metadata = {"out_channel": (payload.get("channel") or {}).get("id"),
                    "thread_id": message.get("thread_ts", message.get("ts")),
                    "users": [payload["user"]["id"]]}
        self._handle(on_new_message, text, payload["user"]["id"], metadata)
        return response.text("")

    def _handle(self, on_new_message: Callable[[UserMessage], Awaitable[Any]], text: str, user: str,
                metadata: dict[str, Any]) -> None:
        thread_id = metadata["thread_id"] if self.use_threads else None
        # The conversation lives under "slack:": no other channel's sender id can name it.
        sender = "slack:" + self._get_conversation_id(user, metadata["out_channel"], metadata["thread_id"])
        output = WatchedOutput(self.get_output_channel(metadata["out_channel"], thread_id), "slack:")
        message = UserMessage(clean_text(text, self.max_message_chars), output, sender,
                              input_channel=self.name(), metadata=metadata)
        self._background.start(handle_and_apologise(on_new_message, message, self.health_url))
