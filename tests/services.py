"""Real PostgreSQL and Redis servers on loopback for the scale-out tests and the load benchmark.

Both come from Debian packages (scripts/lib.sh ``install_test_services`` installs them) and run
from a temporary directory with durability switched off: they start in about a second and leave
nothing behind. PostgreSQL refuses to run as root, so as root it runs as the ``postgres`` user.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

from tests.servers import free_port


def _postgres_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if found:
        return found[-1]
    on_path = shutil.which(name)
    if on_path:
        return on_path
    raise RuntimeError(f"PostgreSQL's {name} is missing: run scripts/test (it installs the Debian "
                       f"package 'postgresql') or apt-get install postgresql.")


def _as_postgres_user() -> list[str]:
    return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


@dataclass
class Postgres:
    """A throwaway PostgreSQL cluster; ``url(db)`` gives a SQLAlchemy URL for a new database."""

    root: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="kestrel-pg-")))
    port: int = field(default_factory=free_port)
    user: str = "kestrel"

    def start(self) -> Postgres:
        data = self.root / "data"
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres")
            os.chmod(self.root, 0o755)
        subprocess.run([*_as_postgres_user(), _postgres_bin("initdb"), "-D", str(data), "-U", self.user,
                        "-A", "trust", "-E", "UTF8", "--no-sync"], check=True, capture_output=True)
        options = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
                   f"-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
        subprocess.run([*_as_postgres_user(), _postgres_bin("pg_ctl"), "-D", str(data), "-o", options,
                        "-l", str(self.root / "postgres.log"), "-w", "-t", "60", "start"],
                       check=True, capture_output=True)
        return self

    def create_database(self, name: str) -> None:
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user={self.user} dbname=postgres",
                             autocommit=True) as db:
            db.execute(f'CREATE DATABASE "{name}"')

    def url(self, name: str, driver: str = "psycopg") -> str:
        """SQLAlchemy URL; ``driver="psycopg2"`` for the Rasa server's environment."""
        return f"postgresql+{driver}://{self.user}@127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        subprocess.run([*_as_postgres_user(), _postgres_bin("pg_ctl"), "-D", str(self.root / "data"),
                        "-m", "immediate", "stop"], capture_output=True)
        shutil.rmtree(self.root, ignore_errors=True)


@dataclass
class Redis:
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen | None = None

    def start(self) -> Redis:
        binary = shutil.which("redis-server")
        if not binary:
            raise RuntimeError("redis-server is missing: run scripts/test (it installs the Debian package "
                               "'redis-server') or apt-get install redis-server.")
        self.proc = subprocess.Popen([binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                                      "--appendonly", "no", "--protected-mode", "yes"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                import socket

                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(16).startswith(b"+PONG"):
                        return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"redis-server did not answer on port {self.port}")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
