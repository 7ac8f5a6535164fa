"""The materialised view: the read-model tables and their tracking row, one transaction per update.

``ReadModelView`` is one tracking recorder of the library composed of one module per read
model, each owning its tables' DDL, writer and readers:

* ``audit_trail``  ``rm_entries`` (one row per entry) and ``rm_head`` (the running ledger head)
* ``contracts``    ``rm_contracts`` (one row per contract as judged) and ``rm_pending``
* ``obligations``  ``rm_obligations`` (each also as GET /obligations serves it)
* ``deviations``   ``rm_deviations``

This module holds what spans them: the transaction that writes a batch of entries, judges the
contracts it touches and records the tracking position (so that after a restart nothing is
lost or applied twice), the schema fingerprint, and the engines. On SQLite the view lives in
its own file next to the ledger (the library's ``tracking`` table name is fixed); on
PostgreSQL in the ledger's database, tracking table ``rm_tracking``.

A *fresh* view (``open_view(fresh=True)``) is a rebuild's: the same tables beside the live ones
(SQLite: prefixed ``rebuild_``; PostgreSQL: in the schema ``<schema>_rebuild``), its position
under its own name in the same tracking table. ``promote`` makes it the live view in the
caller's transaction (``projections.rebuild``).
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import Any, Protocol

from eventsourcing.persistence import InfrastructureFactory, Tracking, TrackingRecorder
from eventsourcing.postgres import PostgresDatastore, PostgresTrackingRecorder
from eventsourcing.sqlite import SQLiteDatastore, SQLiteTrackingRecorder
from eventsourcing.utils import Environment
from psycopg.rows import dict_row, tuple_row
from psycopg.sql import Identifier

from domain.contract import Entry
from domain.storage import Database
from projections import audit_trail, contracts, deviations, obligations
from projections.audit_trail import EntriesMemo
from projections.base import APPLICATION, NAME, Types
from projections.contracts import ContractStamp
from projections.judged import JudgedRows, JudgementWriter
from projections.judgement import Judgement
from projections.obligations import obligation_order
from projections.rows import iso_instant

MODULES = (audit_trail, contracts, obligations, deviations)
TABLES = (*(name for module in MODULES for name in module.TABLES), "rm_schema")
FRESH = "/rebuild"  # a fresh view's tracking name: APPLICATION + FRESH

__all__ = ["APPLICATION", "TABLES", "ContractStamp", "EntriesMemo", "JudgedRows", "Progress",
           "ReadModelView", "close_view", "obligation_order", "open_view"]

Progress = Callable[[int, int], None]
"""Told how far a catch-up has come: (position reached, the ledger's last notification id)
after each batch of events; (contracts judged, contracts to judge) while judging."""


class Judge(Protocol):
    def __call__(self, entries: Sequence[Entry], *, previous: Judgement | None = None) -> Judgement: ...


class ReadModelView(JudgementWriter, TrackingRecorder):
    """Every read model of the ledger, the same SQL on both engines."""

    fresh = False  # a rebuild's view, beside the live one

    TYPES: Types

    def _tables(self) -> tuple[str, ...]:
        return TABLES

    def _ddl(self, table: Callable[[str], str], *, indexes: bool = True) -> list[str]:
        t = Types(self.TYPES.date, self.TYPES.int, self.TYPES.instant, self.TYPES.blob, table,
                  self.TYPES.clustered)
        ddl = [statement for module in MODULES for statement in module.table_ddl(t)]
        ddl.append(f"CREATE TABLE IF NOT EXISTS {table('rm_schema')} (fingerprint TEXT NOT NULL)")
        if indexes:
            # In the order a write takes the tables (entries, contracts, obligations): on
            # PostgreSQL CREATE INDEX locks its table even when the index exists, and creating
            # the tables beside a running projection could otherwise deadlock.
            ddl.extend(statement for module in MODULES for statement in module.index_ddl(t))
        return ddl

    def _view_ddl(self) -> list[str]:
        return self._ddl(self.table)

    def _locked_position(self, cursor: Any) -> int:
        raise NotImplementedError

    def _tracking_table(self) -> str:
        raise NotImplementedError

    # --- writes ---------------------------------------------------------------------------

    WRITTEN_CONTRACTS = 256  # contracts whose last written rows are remembered (``_replace``)

    @contextmanager
    def _writing(self, outer: Any = None) -> Iterator[Any]:
        """A write transaction (or the caller's ``outer`` cursor); what ``_replace`` wrote is
        remembered only if it commits."""
        if not hasattr(self, "_written"):
            self._written: OrderedDict[str, Any] = OrderedDict()
        self._unconfirmed: dict[str, Any] = {}
        try:
            if outer is not None:
                yield outer
            else:
                with self._transaction(commit=True) as cursor:
                    yield cursor
        except BaseException:
            self._unconfirmed = {}
            raise
        for ref, rows in self._unconfirmed.items():
            self._written[ref] = rows
            self._written.move_to_end(ref)
        while len(self._written) > self.WRITTEN_CONTRACTS:
            self._written.popitem(last=False)
        self._unconfirmed = {}

    def process(self, batch: Sequence[tuple[int, Entry]], tracking: Tracking, judge: Judge,
                memo: EntriesMemo | None = None, *, defer: bool = False, settle: bool = False,
                cursor: Any = None) -> int | None:
        """Append ``batch`` to the audit trail, judge each contract it touches once, and record
        ``tracking``: one transaction (``cursor``'s, if given). With ``defer`` the touched
        contracts are only marked pending (``judge_pending`` judges them, once each). With
        ``settle`` every contract already pending is judged too, in the same transaction.

        Entries at or before the view's position (another process got there first) are passed
        over; None if the view is already at ``tracking``."""
        with self._writing(cursor) as cursor:
            # Lock the position first, so that a concurrent catch-up or projection waits
            # here, and then sees what this one did: nothing is lost or doubled.
            position = self._locked_position(cursor)
            if position >= tracking.notification_id:
                return None
            self._insert_tracking(cursor, tracking)
            batch = [(nid, entry) for nid, entry in batch if nid > position]
            if settle and not defer:
                fresh_refs = {entry.contract for _, entry in batch}
                cursor.execute(self._sql("SELECT ref FROM {rm_pending}"))
                waiting = [row["ref"] for row in cursor.fetchall() if row["ref"] not in fresh_refs]
                if waiting:
                    self._judge(cursor, sorted(waiting), judge, memo, {})
            if batch:
                self._append(cursor, batch)
                touched: dict[str, list[Entry]] = {}
                for _, entry in batch:
                    touched.setdefault(entry.contract, []).append(entry)
                if defer:
                    self._mark_pending(cursor, touched)
                    if memo is not None:
                        for ref, new in touched.items():
                            memo.extend(ref, new)
                else:
                    self._judge(cursor, list(touched), judge, memo, touched)
        return len(batch)

    def judge_pending(self, judge: Judge, memo: EntriesMemo | None = None, *,
                      entries_per_transaction: int = 20_000, progress: Progress | None = None,
                      cursor: Any = None) -> int:
        """Judge every contract marked pending, once each; returns how many. ``progress`` is
        told (contracts judged, contracts pending at the start) after each transaction."""
        judged = 0
        total = self._select("SELECT COUNT(*) FROM {rm_pending}", tuples=True)[0][0] if progress else 0
        while True:
            with self._writing(cursor) as writing:
                # The write lock first (as ``process``): on SQLite a read transaction that
                # later writes cannot wait for a concurrent writer, it fails as locked.
                self._locked_position(writing)
                writing.execute(self._sql("SELECT ref FROM {rm_pending} ORDER BY ref LIMIT 1000"))
                refs = [row["ref"] for row in writing.fetchall()]
                if not refs:
                    return judged
                chunk, size = [], 0
                for ref in refs:
                    known = memo.get(ref) if memo is not None else None
                    size += len(known) if known else 1000
                    chunk.append(ref)
                    if size >= entries_per_transaction:
                        break
                self._judge(writing, chunk, judge, memo, {})
                judged += len(chunk)
            if progress:
                progress(judged, max(total, judged))

    def _judge(self, cursor: Any, refs: list[str], judge: Judge, memo: EntriesMemo | None,
               touched: dict[str, list[Entry]]) -> None:
        judgements = []
        for ref in refs:
            entries = self._entries_for(cursor, ref, touched.get(ref, []), memo)
            judgement = judge(entries, previous=memo.judgement(ref) if memo is not None else None)
            if memo is not None:
                memo.judged(judgement)
            judgements.append(judgement)
        self._replace(cursor, judgements)

    def append_audit(self, rows: list[tuple[Any, ...]], hashes: Sequence[str],
                     tracking: Tracking) -> int | None:
        """``process`` with ``defer`` for audit rows made already (``ENTRY_COLUMNS``; ``hashes``
        theirs in ledger order): appended, their contracts marked pending, ``tracking`` recorded;
        one transaction. None if the view is already at ``tracking``."""
        with self._writing() as cursor:
            position = self._locked_position(cursor)
            if position >= tracking.notification_id:
                return None
            self._insert_tracking(cursor, tracking)
            if any(row[2] <= position for row in rows):  # another process got there first
                kept = [(row, hash_) for row, hash_ in zip(rows, hashes, strict=True) if row[2] > position]
                rows, hashes = [row for row, _ in kept], [hash_ for _, hash_ in kept]
            if rows:
                self._append_rows(cursor, rows, hashes)
                self._mark_pending(cursor, {row[0] for row in rows})
        return len(rows)

    # --- schema ---------------------------------------------------------------------------

    def analyze(self) -> None:
        """Refresh the planner's statistics (after a large catch-up), so that the cross-contract
        query picks the most selective index."""
        with self._transaction(commit=True) as cursor:
            for name in ("rm_obligations", "rm_entries", "rm_contracts"):
                cursor.execute(f"ANALYZE {self.table(name)}")

    def reset(self) -> None:
        """Empty every read model and forget the tracking position (a schema changed; a rebuild's
        fresh view before it is built)."""
        with self._transaction(commit=True) as cursor:
            for name in TABLES:
                cursor.execute(f"DROP TABLE IF EXISTS {self.table(name)}")
            for statement in self._view_ddl():
                cursor.execute(statement)
            cursor.execute(self._sql("INSERT INTO {rm_schema} (fingerprint) VALUES (?)"),
                           (self._fingerprint(),))
            cursor.execute(self._sql(f"DELETE FROM {self._tracking_table()} WHERE application_name = ?"),
                           (self.application,))

    def create_table(self) -> None:
        """Create the tables if missing; if they were made for another schema (the rules' values
        gained a field, say), start the view again: the next catch-up rebuilds it."""
        super().create_table()  # type: ignore[safe-super]
        rows = self._select("SELECT fingerprint FROM {rm_schema}", tuples=True)
        if [row[0] for row in rows] != [self._fingerprint()]:
            self.reset()

    def _fingerprint(self) -> str:
        # Of the live tables' DDL: a fresh view, promoted, is the live view's schema.
        return hashlib.sha256("\n".join(self._ddl(lambda name: name)).encode()).hexdigest()[:16]

    def position(self) -> int:
        """The last notification of the ledger reflected in the view (0: none)."""
        return self.max_tracking_id(self.application) or 0

    def lock_writers(self, cursor: Any) -> int:
        """In ``cursor``'s transaction: keep every other writer of this view out until it ends
        (readers go on); returns the view's position."""
        return self._locked_position(cursor)

    def promote(self, cursor: Any) -> None:
        """In ``cursor``'s transaction, which holds ``lock_writers`` of the live view: this fresh
        view becomes the live one (its tables and its position), the live one is dropped."""
        raise NotImplementedError


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
                raw = connection._sqlite_conn
                for pragma in ("synchronous=NORMAL", "wal_autocheckpoint=16384", "cache_size=-16384",
                               "secure_delete=OFF"):
                    raw.execute(f"PRAGMA {pragma}")
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

