"""Several Rasa servers and action servers sharing PostgreSQL and Redis (endpoints.scale-out.yml)."""

from __future__ import annotations

import os
import secrets
import subprocess
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from tests.servers import CHANNEL_ENV, free_port, launch_action_server, launch_rasa_server, stop_process, wait_for
from tests.services import Postgres, Redis


@dataclass
class Server:
    name: str
    port: int
    log: Path
    env: dict[str, str]
    proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@dataclass
class Cluster:
    """``rasa_servers`` Rasa servers; Rasa server i calls action server i mod ``action_servers``."""

    workdir: Path
    postgres: Postgres
    redis: Redis
    rasa_servers: int = 2
    action_servers: int = 2
    api_token: str = field(default_factory=lambda: secrets.token_hex(16))
    action_token: str = field(default_factory=lambda: secrets.token_hex(16))
    identity_secret: str = field(default_factory=lambda: secrets.token_hex(32))
    rasa: list[Server] = field(default_factory=list)
    actions: list[Server] = field(default_factory=list)

    def __post_init__(self) -> None:
        suffix = uuid.uuid4().hex[:8]
        self.tracker_db, self.state_db, self.events_db = f"rasa_{suffix}", f"shop_{suffix}", f"events_{suffix}"
        for name in (self.tracker_db, self.state_db, self.events_db):
            self.postgres.create_database(name)
        base = dict(os.environ)
        base.pop("SHOP_STATE_DB", None)
        base.update(
            TF_CPP_MIN_LOG_LEVEL="3",
            SQLALCHEMY_SILENCE_UBER_WARNING="1",
            RASA_TRACKER_URL=self.postgres.url(self.tracker_db, driver="psycopg2"),
            REDIS_HOST="127.0.0.1",
            REDIS_PORT=str(self.redis.port),
            SHOP_STATE_URL=self.postgres.url(self.state_db),
            SHOP_TRACKER_URL=self.postgres.url(self.tracker_db),
            RASA_EVENTS_URL=self.postgres.url(self.events_db, driver="psycopg2"),
            SHOP_EVENTS_URL=self.postgres.url(self.events_db),
            SHOP_FEEDBACK=str(self.workdir / "feedback.csv"),
            ACTION_SERVER_TOKEN=self.action_token,
            RASA_API_TOKEN=self.api_token,
            SHOP_IDENTITY_SECRET=self.identity_secret,
            SANIC_REQUEST_MAX_SIZE="1000000",
        )
        for name in CHANNEL_ENV:
            base.setdefault(name, "")
        self.base_env = base
        for i in range(self.action_servers):
            self.actions.append(Server(f"actions{i}", free_port(), self.workdir / f"actions{i}.log", dict(base)))
        for i in range(self.rasa_servers):
            target = self.actions[i % self.action_servers]
            env = dict(base, ACTION_ENDPOINT_URL=f"{target.url}/webhook")
            self.rasa.append(Server(f"rasa{i}", free_port(), self.workdir / f"rasa{i}.log", env))

    def start(self) -> Cluster:
        """Starts every server at once (Rasa servers load their model in parallel)."""
        for server in self.actions:
            self.launch_actions(server)
        for server in self.rasa:
            self.launch_rasa(server)
        for server in self.actions:
            wait_for(f"{server.url}/health", server.proc, server.log, 180)
        for server in self.rasa:
            self.wait_rasa(server)
        return self

    def launch_actions(self, server: Server) -> None:
        server.proc = launch_action_server(server.port, server.env, server.log)

    def launch_rasa(self, server: Server) -> None:
        server.proc = launch_rasa_server(server.port, server.env, server.log, "endpoints.scale-out.yml",
                                         self.api_token)

    def wait_rasa(self, server: Server) -> None:
        wait_for(f"{server.url}/status?token={self.api_token}", server.proc, server.log, 400)

    def stop(self) -> None:
        for server in [*self.rasa, *self.actions]:
            stop_process(server.proc)

    @property
    def url(self) -> str:
        return self.rasa[0].url
