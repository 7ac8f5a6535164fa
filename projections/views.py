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
caller's transaction (``projections.rebuild``). The engines and ``open_view`` are in
``projections.engines``.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Protocol

from eventsourcing.persistence import Tracking, TrackingRecorder

from domain.contract import Entry
from projections import audit_trail, contracts, deviations, obligations
from projections.audit_trail import EntriesMemo
from projections.base import APPLICATION, Types
from projections.contracts import ContractStamp
from projections.judged import JudgedRows, JudgementWriter
from projections.judgement import Judgement
from projections.obligations import obligation_order

MODULES = (audit_trail, contracts, obligations, deviations)
TABLES = (*(name for module in MODULES for name in module.TABLES), "rm_schema")

__all__ = ["APPLICATION", "TABLES", "ContractStamp", "EntriesMemo", "JudgedRows", "Progress",
           "ReadModelView", "obligation_order"]

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
