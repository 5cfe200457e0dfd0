from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.servers import Stack
from tests.services import Postgres, Redis


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """The real action server and Rasa server, started once for all end-to-end tests."""
    servers = Stack(tmp_path_factory.mktemp("stack"))
    try:
        servers.start_actions()
        servers.start_rasa()
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
