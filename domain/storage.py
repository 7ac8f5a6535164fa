"""Where the ledger keeps its events: ``LEDGER_DATABASE_URL`` → the library's settings.

SQLite (a file, the embedded default) or PostgreSQL. Everything else about
persistence is configured here so that the application, the projections and
the tests all agree.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from domain.errors import LedgerError

DEFAULT_DATABASE_URL = "sqlite:///./var/ledger.db"


class ConfigurationError(LedgerError):
    status = 500
    title = "Configuration error"
    rule = "configuration"


@dataclass(frozen=True)
class Database:
    """A parsed ``LEDGER_DATABASE_URL``."""

    url: str
    engine: str  # "sqlite" or "postgres"
    path: Path | None = None
    host: str = ""
    port: int = 5432
    user: str = ""
    password: str = ""
    dbname: str = ""

    @classmethod
    def from_url(cls, url: str) -> Database:
        """Parse ``sqlite:///PATH`` or ``postgresql://USER:PASS@HOST:PORT/DB``."""
        parts = urlsplit(url)
        if parts.scheme == "sqlite":
            raw = url[len("sqlite:///"):] if url.startswith("sqlite:///") else ""
            if not raw:
                raise ConfigurationError(
                    f"LEDGER_DATABASE_URL: '{url}' names no file; use sqlite:///PATH",
                    field="LEDGER_DATABASE_URL", rule="sqlite_url")
            return cls(url=url, engine="sqlite", path=Path(raw))
        if parts.scheme in {"postgresql", "postgres", "postgresql+psycopg"}:
            dbname = parts.path.lstrip("/")
            if not (parts.hostname and dbname):
                raise ConfigurationError(
                    f"LEDGER_DATABASE_URL: '{url}' needs a host and a database name",
                    field="LEDGER_DATABASE_URL", rule="postgres_url")
            return cls(url=url, engine="postgres", host=parts.hostname, port=parts.port or 5432,
                       user=unquote(parts.username or ""), password=unquote(parts.password or ""),
                       dbname=dbname)
        raise ConfigurationError(
            f"LEDGER_DATABASE_URL: unsupported scheme '{parts.scheme}'; "
            "use sqlite:///PATH or postgresql://USER:PASS@HOST:PORT/DB",
            field="LEDGER_DATABASE_URL", rule="database_url")

    @classmethod
    def from_environment(cls) -> Database:
        return cls.from_url(os.environ.get("LEDGER_DATABASE_URL", DEFAULT_DATABASE_URL))

    def sibling(self, suffix: str) -> Path:
        """A file next to the SQLite database (e.g. for read models)."""
        assert self.path is not None
        return self.path.with_name(f"{self.path.stem}{suffix}")

    def environment(self, *, prefix: str = "") -> dict[str, str]:
        """The library's settings for an application or projection named ``prefix``."""
        env: dict[str, str] = {}
        if self.engine == "sqlite":
            assert self.path is not None
            self.path.parent.mkdir(parents=True, exist_ok=True)
            env.update(
                PERSISTENCE_MODULE="eventsourcing.sqlite",
                SQLITE_DBNAME=str(self.path),
                SQLITE_LOCK_TIMEOUT="30",
                APPLICATION_RECORDER_TOPIC="domain.polling:PollingSQLiteApplicationRecorder",
            )
        else:
            env.update(
                PERSISTENCE_MODULE="eventsourcing.postgres",
                POSTGRES_DBNAME=self.dbname,
                POSTGRES_HOST=self.host,
                POSTGRES_PORT=str(self.port),
                POSTGRES_USER=self.user,
                POSTGRES_PASSWORD=self.password,
                POSTGRES_CONN_MAX_AGE="",
                POSTGRES_POOL_SIZE="5",
                POSTGRES_MAX_OVERFLOW="20",
            )
        env["TRANSCODER_TOPIC"] = "domain.transcoder:OrjsonTranscoder"
        # Off in deployments where a one-shot `ledger migrate` creates the tables.
        create = os.environ.get("LEDGER_CREATE_TABLES", "true").lower() not in {"false", "0", "no", "n"}
        env["CREATE_TABLE"] = "y" if create else "n"
        cipher_key = os.environ.get("LEDGER_CIPHER_KEY")
        if cipher_key:
            env["CIPHER_TOPIC"] = "eventsourcing.cipher:AESCipher"
            env["CIPHER_KEY"] = cipher_key
        if prefix:
            env = {f"{prefix}_{k}" if k not in {"PERSISTENCE_MODULE"} else k: v
                   for k, v in env.items()} | env
        return env
