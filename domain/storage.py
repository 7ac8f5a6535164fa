"""Where the ledger keeps its events: ``LEDGER_DATABASE_URL`` → the library's settings.

SQLite (a file, the embedded default) or PostgreSQL. Everything else about
persistence is configured here so that the application, the projections and
the tests all agree.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from domain.errors import LedgerError

DEFAULT_DATABASE_URL = "sqlite:///./var/ledger.db"


class ConfigurationError(LedgerError):
    status = 500
    title = "Configuration error"
    rule = "configuration"


RECONNECT_DELAY_MOST = 2.0  # seconds between a pool's attempts to reconnect, at most


def _bound_pool_reconnects() -> None:
    """psycopg_pool retries a lost connection after 1, 2, 4, 8 … seconds, so a pool that saw
    a restart of ten seconds stays empty for a minute after the server is back: cap the
    pause between its attempts (its own class, used by name in ``psycopg_pool.pool``)."""
    import psycopg_pool.pool as pool_module
    from psycopg_pool.base import AttemptWithBackoff

    if getattr(pool_module.AttemptWithBackoff, "capped", False):
        return

    class CappedAttempt(AttemptWithBackoff):
        capped = True

        def update_delay(self, now: float) -> None:
            super().update_delay(now)
            self.delay = min(self.delay, RECONNECT_DELAY_MOST)

    pool_module.AttemptWithBackoff = CappedAttempt  # type: ignore[misc]


_RETRIED = ("insert_events", "select_events", "select_notifications", "max_notification_id",
            "insert_tracking", "max_tracking_id", "has_tracking_id")


def _bound_library_retries() -> None:
    """The library retries each PostgreSQL recorder call ten times, each waiting up to the pool
    timeout: 22 s of a request with the server down. Bound the retries by time instead
    (``LEDGER_STORAGE_TIMEOUT`` in all), so that an outage is a 503 within that time; a
    connection that broke at once is still retried at once."""
    import time
    from functools import wraps

    from eventsourcing import postgres
    from eventsourcing.persistence import InterfaceError, OperationalError

    def bounded(func: Any) -> Any:
        @wraps(func)
        def call(*args: Any, **kwargs: Any) -> Any:
            deadline = time.monotonic() + storage_timeout()
            for attempt in range(1, 11):
                try:
                    return func(*args, **kwargs)
                except (InterfaceError, OperationalError):
                    pause = 0.05 * attempt
                    if attempt == 10 or time.monotonic() + pause >= deadline:
                        raise
                    time.sleep(pause)
            raise AssertionError("unreachable")

        call.bounded = True  # type: ignore[attr-defined]
        return call

    for cls in vars(postgres).values():
        if not (isinstance(cls, type) and cls.__module__ == postgres.__name__):
            continue
        for name in _RETRIED:
            method = cls.__dict__.get(name)
            if hasattr(method, "__wrapped__") and not getattr(method, "bounded", False):
                setattr(cls, name, bounded(method.__wrapped__))


_PASSWORD_IN_URL = re.compile(r"(?P<head>[a-z][a-z0-9+.-]*://[^:/@\s]*:)(?P<password>[^@\s]*)@", re.I)


def mask_secrets(text: str) -> str:
    """``text`` with the password of any URL in it replaced by ``***``."""
    return _PASSWORD_IN_URL.sub(lambda m: f"{m.group('head')}***@", text)


def storage_timeout() -> int:
    """``LEDGER_STORAGE_TIMEOUT``: whole seconds to wait for a connection or a lock (default 5)."""
    raw = os.environ.get("LEDGER_STORAGE_TIMEOUT", "")
    try:
        value = int(raw) if raw else 5
    except ValueError:
        raise ConfigurationError(f"LEDGER_STORAGE_TIMEOUT: '{raw[:40]}' is not a whole number of "
                                 "seconds", field="LEDGER_STORAGE_TIMEOUT", rule="storage_timeout") from None
    if not 1 <= value <= 600:
        raise ConfigurationError("LEDGER_STORAGE_TIMEOUT: must be between 1 and 600 seconds",
                                 field="LEDGER_STORAGE_TIMEOUT", rule="storage_timeout")
    return value


@dataclass(frozen=True)
class Database:
    """A parsed ``LEDGER_DATABASE_URL``."""

    url: str = field(repr=False)  # may hold the password
    engine: str  # "sqlite" or "postgres"
    path: Path | None = None
    host: str = ""
    port: int = 5432
    user: str = ""
    password: str = field(default="", repr=False)
    dbname: str = ""

    @classmethod
    def from_url(cls, url: str) -> Database:
        """Parse ``sqlite:///PATH`` or ``postgresql://USER:PASS@HOST:PORT/DB``."""
        parts = urlsplit(url)
        if parts.scheme == "sqlite":
            raw = url[len("sqlite:///"):] if url.startswith("sqlite:///") else ""
            if not raw:
                raise ConfigurationError(
                    f"LEDGER_DATABASE_URL: '{mask_secrets(url)}' names no file; use sqlite:///PATH",
                    field="LEDGER_DATABASE_URL", rule="sqlite_url")
            return cls(url=url, engine="sqlite", path=Path(raw))
        if parts.scheme in {"postgresql", "postgres", "postgresql+psycopg"}:
            dbname = parts.path.lstrip("/")
            if not (parts.hostname and dbname):
                raise ConfigurationError(
                    f"LEDGER_DATABASE_URL: '{mask_secrets(url)}' needs a host and a database name",
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
        timeout = storage_timeout()
        if self.engine == "sqlite":
            assert self.path is not None
            self.path.parent.mkdir(parents=True, exist_ok=True)
            env.update(
                PERSISTENCE_MODULE="eventsourcing.sqlite",
                SQLITE_DBNAME=str(self.path),
                SQLITE_LOCK_TIMEOUT=str(timeout),
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
                # Waiting for a pooled connection and for the table lock: a storage outage
                # is answered (503) within seconds, not after the library's 30 s or never.
                POSTGRES_CONNECT_TIMEOUT=str(timeout),
                POSTGRES_LOCK_TIMEOUT=str(timeout),
                # A pooled connection cut by a server restart is found out and replaced
                # before use (one empty round trip), rather than failing one request each.
                POSTGRES_PRE_PING="y",
            )
            _bound_pool_reconnects()
            _bound_library_retries()
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
