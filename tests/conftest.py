from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.servers import Stack


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
