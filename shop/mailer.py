"""Sending the shop's emails: one-time codes, ticket emails to the help desk.

SMTP through the standard library's ``smtplib`` (no package needed); without an SMTP host configured
the mail is appended to a local sink file instead (``var/log/mail.log`` by default), so that
``scripts/run`` works on a laptop and says where the mail went. Settings: the ``mail:`` section of
shop.yml, overridden by ``SHOP_SMTP_HOST``, ``SHOP_SMTP_PORT``, ``SHOP_SMTP_USER``,
``SHOP_SMTP_PASSWORD``, ``SHOP_SMTP_TLS`` (``starttls``, ``ssl`` or ``none``), ``SHOP_MAIL_FROM``,
``SHOP_MAIL_SINK``.
"""

from __future__ import annotations

import logging
import os
import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime, timezone
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

TLS_MODES = ("starttls", "ssl", "none")
# An SMTP server that does not answer within this many seconds is treated as down: a code that
# arrives a minute late is useless to a shopper waiting in the chat.
SMTP_TIMEOUT_SECONDS = 10.0


class MailError(RuntimeError):
    """The mail could not be handed to the SMTP server or written to the sink."""


@dataclass(frozen=True)
class MailSettings:
    """``mail:`` in shop.yml. An empty ``host`` means: write mail to ``sink`` instead of sending it."""

    host: str = ""
    port: int = 587
    user: str = ""
    password: str = ""
    tls: str = "starttls"
    sender: str = "assistant@localhost"
    sink: Path = Path("var/log/mail.log")

    @property
    def sends(self) -> bool:
        """True when mail goes to a real SMTP server, False when it only lands in the sink file."""
        return bool(self.host)


def mail_settings(raw: dict[str, Any], resolve: Any) -> MailSettings:
    """The ``mail:`` section with the environment's overrides; ValueError on a bad value."""
    env = os.environ
    tls = str(env.get("SHOP_SMTP_TLS") or raw.get("tls", "starttls")).lower()
    if tls not in TLS_MODES:
        raise ValueError(f"mail.tls must be one of {TLS_MODES}, not {tls!r}")
    port = int(env.get("SHOP_SMTP_PORT") or raw.get("port", 465 if tls == "ssl" else 587))
    if not 0 < port < 65536:
        raise ValueError(f"mail.port must be a TCP port, not {port}")
    return MailSettings(
        host=str(env.get("SHOP_SMTP_HOST") or raw.get("host") or ""),
        port=port,
        user=str(env.get("SHOP_SMTP_USER") or raw.get("user") or ""),
        # A password belongs in the environment, not in a file under version control.
        password=str(env.get("SHOP_SMTP_PASSWORD") or ""),
        tls=tls,
        sender=str(env.get("SHOP_MAIL_FROM") or raw.get("from") or "assistant@localhost"),
        sink=resolve(env.get("SHOP_MAIL_SINK") or raw.get("sink") or "var/log/mail.log"),
    )


def compose(settings: MailSettings, to: str, subject: str, body: str) -> EmailMessage:
    """A plain-text message from the shop's sender address."""
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = datetime.now(timezone.utc).strftime("%a, %d %b %Y %H:%M:%S +0000")
    message["Message-ID"] = make_msgid(domain=settings.sender.rpartition("@")[2] or "localhost")
    message.set_content(body)
    return message


def send(settings: MailSettings, to: str, subject: str, body: str) -> None:
    """Sends one mail (or writes it to the sink when no SMTP host is set); MailError on failure.

    Blocking: call it from a worker thread in async code. The body is never logged (it may hold a
    one-time code); only the fact that a mail went out.
    """
    message = compose(settings, to, subject, body)
    if not settings.sends:
        _write_sink(settings.sink, message)
        return
    try:
        if settings.tls == "ssl":
            client: smtplib.SMTP = smtplib.SMTP_SSL(settings.host, settings.port, timeout=SMTP_TIMEOUT_SECONDS,
                                                    context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(settings.host, settings.port, timeout=SMTP_TIMEOUT_SECONDS)
        with client:
            if settings.tls == "starttls":
                client.starttls(context=ssl.create_default_context())
            if settings.user:
                client.login(settings.user, settings.password)
            client.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        raise MailError(f"could not send mail through {settings.host}:{settings.port}: {exc}") from exc
    logger.info("mail sent through %s:%s (subject %r)", settings.host, settings.port, subject)


def _write_sink(sink: Path, message: EmailMessage) -> None:
    try:
        sink.parent.mkdir(parents=True, exist_ok=True)
        with sink.open("a", encoding="utf-8") as handle:
            handle.write(message.as_string())
            handle.write("\n" + "=" * 72 + "\n")
    except OSError as exc:
        raise MailError(f"could not write mail to {sink}: {exc}") from exc
    logger.info("no SMTP host configured: mail written to %s", sink)
