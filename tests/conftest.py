from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fake_platforms import FakePlatformApis, platform_env
from tests.servers import Stack
from tests.services import Postgres, Redis
from tests.smtp_sink import SmtpSink


@pytest.fixture(scope="session")
def platform_apis() -> Iterator[FakePlatformApis]:
    """Local fakes of Slack's and Telegram's APIs, recording what the assistant sends there."""
    fake = FakePlatformApis().start()
    yield fake
    fake.stop()


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory, platform_apis: FakePlatformApis,
          smtp_sink: SmtpSink) -> Iterator[Stack]:
    """The real action server and Rasa server (every channel on, Slack, Telegram and Chatwoot talking
    to the fakes, one-time codes and ticket emails to the SMTP sink) and the shop page, started once
    for all end-to-end tests."""
    servers = Stack(tmp_path_factory.mktemp("stack"),
                    extra_env=platform_env(platform_apis.url) | smtp_sink.env())
    try:
        servers.start_actions()
        servers.start_rasa()
        servers.start_page()
        yield servers
    finally:
        servers.stop_all()


@pytest.fixture(scope="session")
def postgres() -> Iterator[Postgres]:
    """A real PostgreSQL server on loopback (Debian package), started once per test session."""
    server = Postgres().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def redis() -> Iterator[Redis]:
    """A real Redis server on loopback (Debian package), started once per test session."""
    server = Redis().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def smtp_sink() -> Iterator[SmtpSink]:
    """A real SMTP server on loopback (aiosmtpd) keeping what the assistant sends."""
    sink = SmtpSink().start()
    yield sink
    sink.stop()


@pytest.fixture(scope="session")
def mailbox(smtp_sink: SmtpSink) -> SmtpSink:
    """The same server, read as the shoppers' mailboxes (their one-time codes)."""
    return smtp_sink
