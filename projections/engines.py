"""The read-model view on each engine, and opening it: ``open_view`` / ``close_view``.

SQLite: the view in its own file beside the ledger (``<db>-views.db``; the library's
``tracking`` table name is fixed), a fresh view's tables prefixed ``rebuild_``. PostgreSQL: the
ledger's database, tracking table ``rm_tracking``, a fresh view's tables in the schema
``<schema>_rebuild``. Both keep a fresh view's position in the live tracking table under
``APPLICATION + FRESH``.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import Any

from eventsourcing.persistence import InfrastructureFactory
from eventsourcing.postgres import PostgresDatastore, PostgresTrackingRecorder
from eventsourcing.sqlite import SQLiteDatastore, SQLiteTrackingRecorder
from eventsourcing.utils import Environment
from psycopg.rows import dict_row, tuple_row
from psycopg.sql import Identifier

from domain.storage import Database
from projections.base import APPLICATION, NAME, Types
from projections.rows import iso_instant
from projections.views import TABLES, ReadModelView

FRESH = "/rebuild"  # a fresh view's tracking name: APPLICATION + FRESH


class SQLiteReadModelView(ReadModelView, SQLiteTrackingRecorder):
    """The read models in their own SQLite file."""

    TYPES = Types("TEXT", "INTEGER", "TEXT", "BLOB", str, clustered=" WITHOUT ROWID")

    def __init__(self, datastore: SQLiteDatastore, **kwargs: Any) -> None:
        super().__init__(datastore, **kwargs)

    def table(self, name: str) -> str:
        return f"rebuild_{name}" if self.fresh else name

    def construct_create_table_statements(self) -> list[str]:
        return [*super().construct_create_table_statements(), *self._view_ddl()]

    def _view_ddl(self) -> list[str]:
        # Index names are one namespace per file: a fresh view's indexes are made as it is promoted.
        return self._ddl(self.table, indexes=not self.fresh)

    @contextmanager
    def _transaction(self, *, commit: bool) -> Iterator[Any]:
        with self.datastore.get_connection(commit=commit) as connection:
            if not getattr(connection, "rm_tuned", False):
                # WAL + synchronous=NORMAL: a commit is atomic but not fsynced until the next
                # checkpoint. The view can lose its last commits on power loss, never its
                # consistency with its tracking row, and it is rebuilt from the ledger.
                # Checkpoints every 64 MiB rather than 4 MiB: a rebuild's large transactions
                # would otherwise each pay for one. A page cache of 16 MiB rather than 2: the
                # cross-contract list reads rows spread over the obligations table. No secure
                # delete: the view holds no personal data (DOMAIN.md §7), and zeroing what is
                # deleted made dropping tables cost a tenth of a rebuild.
                # Outside a transaction (the library's connections autocommit between them).
                with connection.cursor() as pragmas:
                    for pragma in ("synchronous=NORMAL", "wal_autocheckpoint=16384", "cache_size=-16384",
                                   "secure_delete=OFF"):
                        pragmas.execute(f"PRAGMA {pragma}")
                connection.rm_tuned = True
            with connection.transaction(commit=commit) as cursor:
                yield cursor

    def _encode_date(self, value: date) -> str:
        return value.isoformat()

    def _encode_instant(self, value: datetime) -> str:
        return iso_instant(value)

    def _tracking_table(self) -> str:
        return "tracking"

    def _fetch(self, cursor: Any, text: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        raw = cursor.sqlite_cursor
        raw.row_factory = None
        try:
            raw.execute(text, params)
            return raw.fetchall()  # type: ignore[no-any-return]
        finally:
            raw.row_factory = sqlite3.Row

    def _locked_position(self, cursor: Any) -> int:
        # A write as the first statement takes SQLite's write lock before any snapshot.
        cursor.execute("UPDATE tracking SET notification_id = notification_id WHERE application_name = ?",
                       (self.application,))
        cursor.execute("SELECT notification_id FROM tracking WHERE application_name = ?", (self.application,))
        row = cursor.fetchone()
        return row["notification_id"] if row else 0

    def promote(self, cursor: Any) -> None:
        assert self.fresh
        for name in TABLES:
            cursor.execute(f"DROP TABLE IF EXISTS {name}")
            cursor.execute(f"ALTER TABLE {self.table(name)} RENAME TO {name}")
        for statement in self._ddl(str):  # the indexes, under their live names
            if statement.startswith("CREATE INDEX"):
                cursor.execute(statement)
        _take_position(cursor, "tracking", "?", self.application)


class PostgresReadModelView(ReadModelView, PostgresTrackingRecorder):
    """The read models in the ledger's PostgreSQL database, tables prefixed ``rm_``."""

    placeholder = "%s"
    TYPES = Types("DATE", "BIGINT", "TIMESTAMPTZ", "BYTEA", str)

    def __init__(self, datastore: PostgresDatastore, *, tracking_table_name: str = "rm_tracking",
                 **kwargs: Any) -> None:
        super().__init__(datastore, tracking_table_name=tracking_table_name, **kwargs)
        from psycopg.sql import SQL

        self.sql_create_statements.extend(SQL(statement) for statement in self._view_ddl())  # type: ignore[arg-type]

    @property
    def schema(self) -> str:
        """Where the tables are: the ledger's schema, or for a fresh view its own beside it."""
        return f"{self.datastore.schema}_rebuild" if self.fresh else self.datastore.schema

    def table(self, name: str) -> str:
        return f"{_quote(self.schema)}.{name}"

    def _view_ddl(self) -> list[str]:
        ddl = self._ddl(self.table)
        return [f"CREATE SCHEMA IF NOT EXISTS {_quote(self.schema)}", *ddl] if self.fresh else ddl

    @contextmanager
    def _transaction(self, *, commit: bool) -> Iterator[Any]:
        with self.datastore.transaction(commit=commit) as cursor:
            yield cursor

    def _tracking_table(self) -> str:
        return f"{_quote(self.datastore.schema)}.{_quote(self.tracking_table_name)}"

    def _fetch(self, cursor: Any, text: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        cursor.row_factory = tuple_row
        try:
            cursor.execute(text, params)
            return cursor.fetchall()  # type: ignore[no-any-return]
        finally:
            cursor.row_factory = dict_row

    def _encode_instant(self, value: datetime) -> datetime:
        return value.astimezone(UTC)

    def _locked_position(self, cursor: Any) -> int:
        # The first tracking row is inserted when the table is created (the library's
        # migration marker), so the row lock below serialises every writer after it.
        cursor.execute(f"INSERT INTO {self._tracking_table()} VALUES (%s, 0) ON CONFLICT DO NOTHING",
                       (self.application,))
        cursor.execute(f"SELECT notification_id FROM {self._tracking_table()} "
                       "WHERE application_name = %s FOR UPDATE", (self.application,))
        row = cursor.fetchone()
        return row["notification_id"] if row else 0

    def lock_writers(self, cursor: Any) -> int:
        # EXCLUSIVE: every writer (a fresh view's too) starts by inserting into the tracking
        # table and waits; plain reads go on until ``promote`` takes the tables themselves.
        cursor.execute(f"LOCK TABLE {self._tracking_table()} IN EXCLUSIVE MODE")
        return self._locked_position(cursor)

    def promote(self, cursor: Any) -> None:
        assert self.fresh
        live = _quote(self.datastore.schema)
        # Readers wait from here to the commit: the tables are taken in one statement.
        tables = ", ".join(f"{live}.{name}" for name in TABLES)
        cursor.execute(f"LOCK TABLE {tables} IN ACCESS EXCLUSIVE MODE")
        for name in TABLES:
            cursor.execute(f"DROP TABLE {live}.{name}")
            cursor.execute(f"ALTER TABLE {self.table(name)} SET SCHEMA {live}")
        cursor.execute(f"DROP SCHEMA {_quote(self.schema)}")
        _take_position(cursor, self._tracking_table(), "%s", self.application)


def _take_position(cursor: Any, tracking: str, mark: str, fresh: str) -> None:
    """The fresh view's tracking row becomes the live view's."""
    cursor.execute(f"DELETE FROM {tracking} WHERE application_name = {mark}", (APPLICATION,))
    cursor.execute(f"UPDATE {tracking} SET application_name = {mark} WHERE application_name = {mark}",
                   (APPLICATION, fresh))


def _quote(name: str) -> str:
    return Identifier(name).as_string(None)


def view_class(database: Database, *, fresh: bool = False) -> type[ReadModelView]:
    live = SQLiteReadModelView if database.engine == "sqlite" else PostgresReadModelView
    if not fresh:
        return live
    return type(f"Fresh{live.__name__}", (live,), {"fresh": True, "application": APPLICATION + FRESH,
                                                   "__module__": __name__})


def view_environment(database: Database) -> dict[str, str]:
    """The library settings for the ledger and for the view (keys prefixed ``RM_``)."""
    env = database.environment()
    if database.engine == "sqlite":
        # The library's SQLite table names are fixed: the view gets its own file.
        env[f"{NAME.upper()}_SQLITE_DBNAME"] = str(database.sibling("-views.db"))
    return env


def open_view(database: Database, *, fresh: bool = False) -> ReadModelView:
    """The read-model view of ``database``, its tables created if missing; with ``fresh`` a
    rebuild's view beside the live one (``promote``)."""
    env = Environment(NAME, {**os.environ, **view_environment(database)})
    factory = InfrastructureFactory.construct(env)
    return factory.tracking_recorder(view_class(database, fresh=fresh))  # type: ignore[no-any-return]


def close_view(view: ReadModelView) -> None:
    view.datastore.close()  # type: ignore[attr-defined]

