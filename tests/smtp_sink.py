"""A real SMTP server on loopback (aiosmtpd) that keeps every message it accepts, for the mail tests:
ticket emails to the help desk and one-time codes to shoppers."""

from __future__ import annotations

import email
import email.policy
import re
import threading
import time
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller

from tests.servers import free_port

CODE = re.compile(r"(?<!\d)\d{6}(?!\d)")


class SmtpSink:
    """``SmtpSink().start()``; ``messages`` are parsed ``EmailMessage``s; ``wait_for(n)`` waits for them."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self._lock = threading.Lock()
        self.port = free_port()
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's hook name
        message = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        with self._lock:
            self.messages.append(message)  # type: ignore[arg-type]
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"

    def start(self) -> SmtpSink:
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()

    def env(self) -> dict[str, str]:
        """The variables that point shop/mailer.py at this server (plain SMTP: it offers no TLS)."""
        return {"SHOP_SMTP_HOST": "127.0.0.1", "SHOP_SMTP_PORT": str(self.port), "SHOP_SMTP_TLS": "none"}

    def wait_for(self, count: int, timeout: float = 20, **headers: str) -> list[EmailMessage]:
        """At least ``count`` messages whose headers contain the given values (subject="KT-…")."""
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                found = [m for m in self.messages
                         if all(value in str(m.get(name, "")) for name, value in headers.items())]
            if len(found) >= count or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        assert len(found) >= count, f"expected {count} mails matching {headers}, got {len(found)}"
        return found

    def to(self, address: str) -> list[EmailMessage]:
        with self._lock:
            return [m for m in self.messages if address.lower() in str(m["To"]).lower()]

    def mail_to(self, address: str, count: int = 1, timeout: float = 15) -> list[EmailMessage]:
        """At least ``count`` mails to ``address`` (waiting for them)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.to(address)
            if len(found) >= count:
                return found
            time.sleep(0.1)
        raise AssertionError(f"{count} mail(s) to {address} expected, got {len(self.to(address))}")

    def latest_code(self, address: str, count: int = 1) -> str:
        """The six-digit code in the ``count``-th mail to the address (waiting for it)."""
        body = self.mail_to(address, count)[count - 1].get_content()
        match = CODE.search(body)
        assert match, body
        return match.group(0)
