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
import smtplib
import ssl
from datetime import datetime, timezone
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

# The ``mail:`` settings are typed and checked with every other section in shop/config.py.
from shop.config import MailSettings

logger = logging.getLogger(__name__)

# An SMTP server that does not answer within this many seconds is treated as down: a code that
# arrives a minute late is useless to a shopper waiting in the chat.
SMTP_TIMEOUT_SECONDS = 10.0


class MailError(RuntimeError):
    """The mail could not be handed to the SMTP server or written to the sink."""


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
