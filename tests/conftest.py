from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fake_platforms import FakePlatformApis, platform_env
from tests.servers import Stack
from tests.services import Postgres, Redis


@pytest.fixture(scope="session")
def platform_apis() -> Iterator[FakePlatformApis]:
    """Local fakes of Slack's and Telegram's APIs, recording what the assistant sends there."""
    fake = FakePlatformApis().start()
    yield fake
    fake.stop()


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory, platform_apis: FakePlatformApis) -> Iterator[Stack]:
    """The real action server and Rasa server (every channel on, Slack and Telegram talking to the
    fakes) and the shop page, started once for all end-to-end tests."""
    servers = Stack(tmp_path_factory.mktemp("stack"), extra_env=platform_env(platform_apis.url))
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
