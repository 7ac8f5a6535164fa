"""A throwaway PostgreSQL cluster for the test session, and a fresh database per test.

The server refuses to run as root, so as root every server binary runs as the
``postgres`` user (``runuser``). Each pytest-xdist worker starts its own cluster
in its own temporary directory on its own port, listening on 127.0.0.1 only.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import psycopg
from psycopg import sql

BIN = Path(os.environ.get("LEDGER_TEST_POSTGRES_BIN", "/usr/local/bin"))
SUPERUSER = "ledger"
PASSWORD = "ledger-test"


class ClusterError(RuntimeError):
    """The throwaway cluster could not be started; the message carries the server output."""


@dataclass(frozen=True)
class Server:
    """Where a PostgreSQL server listens and who may create databases on it."""

    host: str
    port: int
    user: str
    password: str
    admin_dbname: str = "postgres"

    def url(self, dbname: str) -> str:
        credentials = quote(self.user, safe="")
        if self.password:
            credentials += ":" + quote(self.password, safe="")
        return f"postgresql://{credentials}@{self.host}:{self.port}/{dbname}"

    def connect(self) -> psycopg.Connection:
        return psycopg.connect(host=self.host, port=self.port, user=self.user,
                               password=self.password, dbname=self.admin_dbname,
                               autocommit=True, connect_timeout=10)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Cluster:
    """initdb + pg_ctl start in a fresh temporary directory; ``stop()`` removes it all."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="ledger-pg-"))
        self.data = self.root / "data"
        self.sockets = self.root / "sockets"
        self.log = self.root / "server.log"
        self.port = 0
        self.started = False
        self._as_postgres: list[str] = []
        if os.geteuid() == 0:
            # The server refuses to run as root.
            self._as_postgres = ["runuser", "-u", "postgres", "--"]
            owner = pwd.getpwnam("postgres")
            self.sockets.mkdir()
            for path in (self.root, self.sockets):
                os.chown(path, owner.pw_uid, owner.pw_gid)
        else:
            self.sockets.mkdir()

    def _run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*self._as_postgres, *args], capture_output=True, text=True,
                              timeout=timeout, check=False, cwd=self.root)

    def _fail(self, step: str, result: subprocess.CompletedProcess[str]) -> ClusterError:
        log = self.log.read_text(errors="replace") if self.log.exists() else ""
        return ClusterError(
            f"{step} failed (exit {result.returncode}) in {self.root}:\n"
            f"{result.stdout}\n{result.stderr}\n{log}".strip())

    def start(self) -> Server:
        pwfile = self.root / "pwfile"
        pwfile.write_text(PASSWORD + "\n")
        if self._as_postgres:
            owner = pwd.getpwnam("postgres")
            os.chown(pwfile, owner.pw_uid, owner.pw_gid)
        try:
            result = self._run(str(BIN / "initdb"), "-D", str(self.data), "-U", SUPERUSER,
                               f"--pwfile={pwfile}", "--auth-local=trust", "--auth-host=scram-sha-256",
                               "--encoding=UTF8", "--locale=C", "--no-instructions")
        except (OSError, subprocess.TimeoutExpired) as error:
            raise ClusterError(f"initdb could not run: {error}") from None
        if result.returncode != 0:
            raise self._fail("initdb", result)
        for attempt in range(5):
            self.port = free_port()
            result = self._pg_ctl_start()
            if result.returncode == 0:
                self.started = True
                return self.server
            log = self.log.read_text(errors="replace") if self.log.exists() else ""
            if "could not bind" not in log or attempt == 4:
                raise self._fail("pg_ctl start", result)
        raise AssertionError("unreachable")

    @property
    def server(self) -> Server:
        return Server(host="127.0.0.1", port=self.port, user=SUPERUSER, password=PASSWORD)

    def _pg_ctl_start(self) -> subprocess.CompletedProcess[str]:
        options = (f"-c listen_addresses=127.0.0.1 -p {self.port} "
                   f"-c unix_socket_directories={self.sockets} -c max_connections=300 "
                   "-c shared_buffers=32MB")
        try:
            return self._run(str(BIN / "pg_ctl"), "start", "-D", str(self.data), "-w",
                             "-t", "60", "-l", str(self.log), "-o", options)
        except (OSError, subprocess.TimeoutExpired) as error:
            raise ClusterError(f"pg_ctl start could not run: {error}") from None

    def pause(self) -> None:
        """Stop the server as a routine restart does (``pg_ctl stop -m fast``): every client
        connection is cut; ``resume()`` starts it again on the same port and data."""
        result = self._run(str(BIN / "pg_ctl"), "stop", "-D", str(self.data), "-m", "fast", "-w",
                           timeout=60)
        if result.returncode != 0:
            raise self._fail("pg_ctl stop", result)

    def resume(self) -> None:
        """Start the server paused by ``pause()`` again."""
        result = self._pg_ctl_start()
        if result.returncode != 0:
            raise self._fail("pg_ctl start", result)

    def stop(self) -> None:
        if self.started:
            with contextlib.suppress(OSError, subprocess.TimeoutExpired):
                self._run(str(BIN / "pg_ctl"), "stop", "-D", str(self.data), "-m", "fast",
                          "-w", timeout=60)
            self.started = False
        shutil.rmtree(self.root, ignore_errors=True)


def external_server(url: str) -> Server:
    """The server named by ``LEDGER_TEST_POSTGRES_URL`` (its database is used to create others)."""
    from domain.storage import Database

    database = Database.from_url(url)
    return Server(host=database.host, port=database.port, user=database.user,
                  password=database.password, admin_dbname=database.dbname)


_counter = itertools.count(1)


def create_database(server: Server) -> str:
    """A new, empty database on ``server``; unique across xdist workers and runs."""
    name = f"ledger_test_{os.getpid()}_{next(_counter)}"
    with server.connect() as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return name


def drop_database(server: Server, name: str) -> None:
    """Drop ``name``, terminating any connection a test left open."""
    with server.connect() as connection:
        connection.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()", (name,))
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
