"""The materialised view: read-model tables and their tracking row, one transaction per update.

One tracking recorder per engine holds every read model of the ledger:

* ``rm_contracts``   one row per contract: description, status, version, terms
* ``rm_entries``     the audit trail, one row per entry (indexed by ref+seq, ref+recorded_at),
                     the entry packed as one JSON array (``rows.entry_row``)
* ``rm_obligations`` every obligation arisen up to the contract's horizon (indexed by due, holder),
                     each also as GET /obligations serves it (``rows.open_doc``)
* ``rm_deviations``  every deviation begun up to the horizon
* ``rm_head``        the ledger head: entries so far and their running hash

On SQLite the view lives in its own file next to the ledger (the library's
``tracking`` table name is fixed); on PostgreSQL in the same database, with the
tracking table ``rm_tracking``. ``process`` writes audit rows, the re-judged
contracts and the tracking row in one transaction: after a restart nothing is
lost and nothing is applied twice.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cached_property
from itertools import pairwise
from operator import itemgetter
from typing import Any, Protocol

import orjson
from eventsourcing.persistence import Tracking, TrackingRecorder
from eventsourcing.postgres import PostgresDatastore, PostgresTrackingRecorder
from eventsourcing.sqlite import SQLiteDatastore, SQLiteTrackingRecorder
from psycopg.rows import dict_row, tuple_row
from psycopg.sql import SQL, Identifier

from domain.contract import Entry
from domain.hashing import GENESIS, extend_head
from domain.ledger import HOT_CONTRACTS
from domain.rules.model import Deviation, Obligation
from projections.judgement import ContractRow, Judgement
from projections.rows import (
    DEVIATIONS,
    ENTRY_COLUMNS,
    ENTRY_READ_COLUMNS,
    OBLIGATIONS,
    entries_of_rows,
    entry_row,
    gc_paused,
    iso_instant,
    open_doc,
)

APPLICATION = "Ledger"
TABLES = ("rm_contracts", "rm_entries", "rm_obligations", "rm_deviations", "rm_head", "rm_pending",
          "rm_schema")
_REF_SEQ = itemgetter(0, 1)  # an audit row's key: ref, seq (ENTRY_COLUMNS)
_DOC_KEY = itemgetter(0, 1, 2)  # an open-obligation document's order: due, ref, id
CONTRACT_COLUMNS = ("ref", "title", "diarienummer", "status", "version", "terms", "in_force_from",
                    "horizon", "judged_on", "base_terms", "amendments", "last_recorded_at")

Progress = Callable[[int, int], None]
"""Told how far a catch-up has come: (position reached, the ledger's last notification id)
after each batch of events; (contracts judged, contracts to judge) while judging."""


class Judge(Protocol):
    def __call__(self, entries: Sequence[Entry], *, previous: Judgement | None = None) -> Judgement: ...


@dataclass(frozen=True, slots=True)
class ContractStamp:
    """The columns of a contract row that say which entries and stored rows it reflects."""

    ref: str
    version: int
    horizon: date
    judged_on: date
    last_recorded_at: datetime


@dataclass(frozen=True, slots=True)
class JudgedRows:
    """The contract, obligation and deviation rows of judged contracts, encoded for this view's
    engine (``ReadModelView.judged_rows``): plain values, cheap to pickle to another process."""

    versions: list[tuple[str, int]]  # (ref, the last seq judged)
    contracts: list[tuple[Any, ...]]
    obligations: list[list[Any]]
    deviations: list[list[Any]]

    def without(self, refs: set[str]) -> JudgedRows:
        return JudgedRows([v for v in self.versions if v[0] not in refs],
                          [c for c in self.contracts if c[0] not in refs],
                          [o for o in self.obligations if o[0] not in refs],
                          [d for d in self.deviations if d[0] not in refs])


class EntriesMemo:
    """The entries of recently judged contracts, so a batch need not reload them (LRU), and
    with ``judgements`` their last judgements, so the next judges only what is new."""

    def __init__(self, max_contracts: int = HOT_CONTRACTS, *, judgements: bool = True) -> None:
        self._max = max_contracts
        self._entries: OrderedDict[str, list[Entry]] = OrderedDict()
        self._judgements: OrderedDict[str, Judgement] | None = OrderedDict() if judgements else None

    def judgement(self, ref: str) -> Judgement | None:
        return self._judgements.get(ref) if self._judgements is not None else None

    def judged(self, judgement: Judgement) -> None:
        # Kept even if the transaction writing it rolls back: a judgement is a function of
        # the entries (hash-checked when used again) and the day, not of what was stored.
        if self._judgements is not None:
            self._judgements[judgement.contract.ref] = judgement
            self._judgements.move_to_end(judgement.contract.ref)
            while len(self._judgements) > self._max:
                self._judgements.popitem(last=False)

    def get(self, ref: str) -> list[Entry] | None:
        entries = self._entries.get(ref)
        if entries is not None:
            self._entries.move_to_end(ref)
        return entries

    def put(self, ref: str, entries: list[Entry]) -> None:
        self._entries[ref] = entries
        self._entries.move_to_end(ref)
        while len(self._entries) > self._max:
            self._entries.popitem(last=False)

    def extend(self, ref: str, new: list[Entry]) -> None:
        """Append entries just written, or forget the contract if they do not follow on."""
        known = self._entries.get(ref)
        if known is None and new[0].seq == 1 and _contiguous(new):
            self.put(ref, list(new))
        elif known is not None and known[-1].seq + 1 == new[0].seq and _contiguous(new):
            known.extend(new)
            self._entries.move_to_end(ref)
        else:
            self._entries.pop(ref, None)


def _ddl(date_type: str, int_type: str, instant_type: str, blob_type: str, table: Callable[[str], str],
         clustered: str = "") -> list[str]:
    def columns(pairs: Sequence[tuple[str, str]]) -> str:
        return ", ".join(f'"{name}" {kind}' for name, kind in pairs)

    return [
        f"CREATE TABLE IF NOT EXISTS {table('rm_contracts')} ("
        f"ref TEXT PRIMARY KEY, title TEXT NOT NULL, diarienummer TEXT, status TEXT NOT NULL, "
        f"version {int_type} NOT NULL, terms TEXT NOT NULL, in_force_from {date_type} NOT NULL, "
        f"horizon {date_type} NOT NULL, judged_on {date_type} NOT NULL, base_terms TEXT NOT NULL, "
        f"amendments TEXT NOT NULL, last_recorded_at {instant_type} NOT NULL)",
        f"CREATE TABLE IF NOT EXISTS {table('rm_entries')} ("
        f"ref TEXT NOT NULL, seq {int_type} NOT NULL, notification_id {int_type} NOT NULL, "
        f"recorded_at {instant_type} NOT NULL, type TEXT NOT NULL, entry {blob_type} NOT NULL, "
        f"PRIMARY KEY (ref, seq)){clustered}",
        f"CREATE INDEX IF NOT EXISTS rm_entries_recorded ON {table('rm_entries')} (ref, recorded_at)",
        # Reads beyond the horizon look for the contracts it stops short of (rows of ~12 kB each
        # to scan without it). On PostgreSQL CREATE INDEX locks its table even when the index
        # exists: the indexes come in the order a write takes the tables (entries, contracts,
        # obligations), or creating the tables beside a running projection can deadlock.
        f"CREATE INDEX IF NOT EXISTS rm_contracts_horizon ON {table('rm_contracts')} (horizon)",
        f"CREATE TABLE IF NOT EXISTS {table('rm_obligations')} (ref TEXT NOT NULL, "
        f"{columns(OBLIGATIONS.sql_types(date_type, int_type))}, closed_on {date_type}, "
        f"doc {blob_type} NOT NULL, PRIMARY KEY (ref, id))",
        # closed_on: the first of fulfilled_on and void_on (9999-12-31 if neither): open on D ⇔ closed_on > D.
        # doc: the row as GET /obligations serves it (``rows.open_doc``).
        # The cross-contract query ranges over the rows still open on D (their number stays
        # bounded, closed ones pile up) and tests every other filter in the index, so only
        # the rows it serves are read from the table.
        f"CREATE INDEX IF NOT EXISTS rm_obligations_open ON {table('rm_obligations')} "
        "(closed_on, arises_on, due, holder)",
        f"CREATE TABLE IF NOT EXISTS {table('rm_deviations')} (ref TEXT NOT NULL, n {int_type} NOT NULL, "
        f"{columns(DEVIATIONS.sql_types(date_type, int_type))}, PRIMARY KEY (ref, n))",
        f"CREATE TABLE IF NOT EXISTS {table('rm_head')} (id {int_type} PRIMARY KEY, "
        f"events {int_type} NOT NULL, head TEXT NOT NULL)",
        f"CREATE TABLE IF NOT EXISTS {table('rm_pending')} (ref TEXT PRIMARY KEY)",
        f"CREATE TABLE IF NOT EXISTS {table('rm_schema')} (fingerprint TEXT NOT NULL)",
    ]


class ReadModelView(TrackingRecorder):
    """Reads and writes of the read-model tables, the same SQL on both engines."""

    placeholder = "?"

    # --- engine hooks --------------------------------------------------------------------

    def _transaction(self, *, commit: bool) -> Any:
        raise NotImplementedError

    def table(self, name: str) -> str:
        return name

    def _encode_date(self, value: date) -> Any:
        return value

    def _encode_instant(self, value: datetime) -> Any:
        return value

    def _view_ddl(self) -> list[str]:
        raise NotImplementedError

    def _sql(self, text: str) -> str:
        for name in TABLES:
            text = text.replace("{" + name + "}", self.table(name))
        return text if self.placeholder == "?" else text.replace("?", self.placeholder)

    # --- writes --------------------------------------------------------------------------

    WRITTEN_CONTRACTS = 256  # contracts whose last written rows are remembered (``_replace``)

    @contextmanager
    def _writing(self) -> Iterator[Any]:
        """A write transaction; what ``_replace`` wrote is remembered only if it commits."""
        if not hasattr(self, "_written"):
            self._written: OrderedDict[str, Any] = OrderedDict()
        self._unconfirmed: dict[str, Any] = {}
        try:
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
                memo: EntriesMemo | None = None, *, defer: bool = False,
                settle: bool = False) -> int | None:
        """Append ``batch`` to the audit trail, judge each contract it touches once, and record
        ``tracking``: one transaction. With ``defer`` the touched contracts are only marked
        pending (``judge_pending`` judges them, once each, after a long catch-up). With
        ``settle`` every contract already pending is judged too, in the same transaction
        (the live projection's end of a burst).

        Entries at or before the view's position (another process got there first) are passed
        over; None if the view is already at ``tracking``."""
        with self._writing() as cursor:
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
                fresh: dict[str, list[Entry]] = {}
                for _, entry in batch:
                    fresh.setdefault(entry.contract, []).append(entry)
                if defer:
                    self._mark_pending(cursor, fresh)
                    if memo is not None:
                        for ref, new in fresh.items():
                            memo.extend(ref, new)
                else:
                    self._judge(cursor, list(fresh), judge, memo, fresh)
        return len(batch)

    def judge_pending(self, judge: Judge, memo: EntriesMemo | None = None, *,
                      entries_per_transaction: int = 20_000, progress: Progress | None = None) -> int:
        """Judge every contract marked pending, once each; returns how many. ``progress`` is
        told (contracts judged, contracts pending at the start) after each transaction."""
        judged = 0
        total = self._select("SELECT COUNT(*) FROM {rm_pending}", tuples=True)[0][0] if progress else 0
        while True:
            with self._writing() as cursor:
                # The write lock first (as ``process``): on SQLite a read transaction that
                # later writes cannot wait for a concurrent writer, it fails as locked.
                self._locked_position(cursor)
                cursor.execute(self._sql("SELECT ref FROM {rm_pending} ORDER BY ref LIMIT 1000"))
                refs = [row["ref"] for row in cursor.fetchall()]
                if not refs:
                    return judged
                chunk, size = [], 0
                for ref in refs:
                    known = memo.get(ref) if memo is not None else None
                    size += len(known) if known else 1000
                    chunk.append(ref)
                    if size >= entries_per_transaction:
                        break
                self._judge(cursor, chunk, judge, memo, {})
                judged += len(chunk)
            if progress:
                progress(judged, max(total, judged))

    def _judge(self, cursor: Any, refs: list[str], judge: Judge, memo: EntriesMemo | None,
               fresh: dict[str, list[Entry]]) -> None:
        judgements = []
        for ref in refs:
            entries = self._entries_for(cursor, ref, fresh.get(ref, []), memo)
            judgement = judge(entries, previous=memo.judgement(ref) if memo is not None else None)
            if memo is not None:
                memo.judged(judgement)
            judgements.append(judgement)
        self._replace(cursor, judgements)

    def _locked_position(self, cursor: Any) -> int:
        raise NotImplementedError

    @property
    def instants_as_text(self) -> bool:
        """Whether audit rows hold their instant as ``iso_instant`` text (SQLite)."""
        return self.placeholder == "?"

    def _append(self, cursor: Any, batch: Sequence[tuple[int, Entry]]) -> None:
        as_text = self.instants_as_text
        self._append_rows(cursor, [entry_row(nid, entry, instant_as_text=as_text) for nid, entry in batch],
                          [entry.hash for _, entry in batch])

    def _append_rows(self, cursor: Any, rows: list[tuple[Any, ...]], hashes: Sequence[str]) -> None:
        """Audit rows (``ENTRY_COLUMNS``) and the ledger head over their hashes (in ledger order)."""
        placeholders = ", ".join("?" * len(ENTRY_COLUMNS))
        # In (ref, seq) order, the table's key: B-tree inserts in key order cost a third of
        # inserts in recording order, where a batch interleaves many contracts.
        rows.sort(key=_REF_SEQ)
        cursor.executemany(
            self._sql(f"INSERT INTO {{rm_entries}} ({', '.join(ENTRY_COLUMNS)}) VALUES ({placeholders})"),
            rows)
        cursor.execute(self._sql("SELECT events, head FROM {rm_head} WHERE id = 1"))
        row = cursor.fetchone()
        events, head = (row["events"], row["head"]) if row else (0, GENESIS)
        for hash_ in hashes:
            head = extend_head(head, hash_)
        cursor.execute(self._sql("DELETE FROM {rm_head} WHERE id = 1"))
        cursor.execute(self._sql("INSERT INTO {rm_head} (id, events, head) VALUES (1, ?, ?)"),
                       (events + len(hashes), head))

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

    def _mark_pending(self, cursor: Any, refs: Iterable[str]) -> None:
        cursor.executemany(self._sql("INSERT INTO {rm_pending} (ref) VALUES (?) "
                                     "ON CONFLICT (ref) DO NOTHING"), [(ref,) for ref in refs])

    def _entries_for(self, cursor: Any, ref: str, new: list[Entry], memo: EntriesMemo | None) -> list[Entry]:
        """All entries of ``ref`` in the view (``new`` ones included): from the memo when it
        holds exactly what the view holds, else read back."""
        known = memo.get(ref) if memo is not None else None
        if known is not None and new:
            entries = known + new if known[-1].seq + 1 == new[0].seq and _contiguous(new) else None
        else:
            entries = known
        if entries is not None:
            cursor.execute(self._sql("SELECT MAX(seq) AS last FROM {rm_entries} WHERE ref = ?"), (ref,))
            if cursor.fetchone()["last"] != entries[-1].seq:
                entries = None
        if entries is None:
            text = f"SELECT {', '.join(ENTRY_READ_COLUMNS)} FROM {{rm_entries}} WHERE ref = ? ORDER BY seq"
            rows = self._fetch(cursor, self._sql(text), (ref,))
            entries = entries_of_rows(ref, rows)
        if memo is not None:
            memo.put(ref, entries)
        return entries

    def _replace(self, cursor: Any, judgements: Sequence[Judgement]) -> None:
        """Replace the contract, obligation and deviation rows of the judged contracts.

        The rows this view last wrote for a contract are remembered with the version and day
        they were judged on; when the stored contract row still shows that version and day,
        the stored rows are those (a judgement is a function of the entries and the day, and
        entries are never changed), so only the obligations and deviations that differ are
        deleted and inserted. Otherwise (another process, a rebuild) everything is replaced."""
        written = self._written
        full: list[tuple[str]] = []
        drop_obligations: list[tuple[str, Any]] = []
        drop_deviations: list[tuple[str, int]] = []
        obligations: list[list[Any]] = []
        deviations: list[list[Any]] = []
        fresh: dict[str, tuple[Any, dict[str, tuple[Obligation, list[Any]]],
                               dict[int, tuple[Deviation, list[Any]]]]] = {}
        for j in judgements:
            ref = j.contract.ref
            known = written.pop(ref, None)
            if known is not None:
                cursor.execute(self._sql("SELECT version, judged_on FROM {rm_contracts} WHERE ref = ?"),
                               (ref,))
                row = cursor.fetchone()
                if row is None or (row["version"], str(row["judged_on"])) != known[0]:
                    known = None
            old_o, old_d = (known[1], known[2]) if known is not None else ({}, {})
            # An obligation or deviation equal to the one last written keeps its row: most of a
            # contract's are the very objects judged before (``judge(previous=)``).
            o_rows: dict[str, tuple[Obligation, list[Any]]] = {}
            for o in j.obligations:
                old = old_o.get(o.id)
                o_rows[o.id] = old if old is not None and (old[0] is o or old[0] == o) else \
                    (o, self._obligation_row(ref, o))
            d_rows: dict[int, tuple[Deviation, list[Any]]] = {}
            for n, dev in enumerate(j.deviations):
                old_dev = old_d.get(n)
                d_rows[n] = old_dev if old_dev is not None and (old_dev[0] is dev or old_dev[0] == dev) \
                    else (dev, self._deviation_row(ref, n, dev))
            if known is None:
                full.append((ref,))
                obligations.extend(row for _, row in o_rows.values())
                deviations.extend(row for _, row in d_rows.values())
            else:
                drop_obligations.extend((ref, key) for key, old in old_o.items()
                                        if o_rows.get(key) is not old)
                obligations.extend(new[1] for key, new in o_rows.items() if old_o.get(key) is not new)
                drop_deviations.extend((ref, n) for n, old in old_d.items() if d_rows.get(n) is not old)
                deviations.extend(new[1] for n, new in d_rows.items() if old_d.get(n) is not new)
            fresh[ref] = ((j.contract.version, str(self._encode_date(j.contract.judged_on))), o_rows, d_rows)
        refs = [(j.contract.ref,) for j in judgements]
        for name in ("rm_contracts", "rm_pending"):
            cursor.executemany(self._sql(f"DELETE FROM {{{name}}} WHERE ref = ?"), refs)
        for name in ("rm_obligations", "rm_deviations"):
            if full:
                cursor.executemany(self._sql(f"DELETE FROM {{{name}}} WHERE ref = ?"), full)
        if drop_obligations:
            cursor.executemany(self._sql("DELETE FROM {rm_obligations} WHERE ref = ? AND id = ?"),
                               drop_obligations)
        if drop_deviations:
            cursor.executemany(self._sql("DELETE FROM {rm_deviations} WHERE ref = ? AND n = ?"),
                               drop_deviations)
        self._insert_judged(cursor, JudgedRows([(j.contract.ref, j.contract.version) for j in judgements],
                                               [self._contract_values(j.contract) for j in judgements],
                                               obligations, deviations))
        # Remembered only once this transaction commits (see ``_transaction``).
        self._unconfirmed.update(fresh)

    def _obligation_row(self, ref: str, o: Obligation) -> list[Any]:
        return [ref, *self._codecs[0](o), _closed_on(o, self._encode_date), open_doc(ref, o)]

    def _deviation_row(self, ref: str, n: int, deviation: Deviation) -> list[Any]:
        return [ref, n, *self._codecs[1](deviation)]

    def _contract_values(self, row: ContractRow) -> tuple[Any, ...]:
        date_ = self._encode_date
        return (row.ref, row.title, row.diarienummer, row.status, row.version, _json(row.terms),
                date_(row.in_force_from), date_(row.horizon), date_(row.judged_on), _json(row.base_terms),
                _json(row.amendments), self._encode_instant(row.last_recorded_at))

    def judged_rows(self, judgements: Sequence[Judgement]) -> JudgedRows:
        """The rows of ``judgements`` as ``_replace`` writes them whole; no database needed."""
        obligations, deviations = [], []
        for j in judgements:
            ref = j.contract.ref
            obligations.extend(self._obligation_row(ref, o) for o in j.obligations)
            deviations.extend(self._deviation_row(ref, n, d) for n, d in enumerate(j.deviations))
        return JudgedRows([(j.contract.ref, j.contract.version) for j in judgements],
                          [self._contract_values(j.contract) for j in judgements], obligations, deviations)

    def write_judged(self, judged: JudgedRows) -> int:
        """Write rows judged elsewhere (``judged_rows``) for the contracts whose entries in the view
        are still exactly those judged; one transaction. Returns how many were written; the
        others stay as they were (pending, for ``judge_pending``)."""
        with self._writing() as cursor:
            self._locked_position(cursor)
            stale = set()
            for ref, version in judged.versions:
                cursor.execute(self._sql("SELECT MAX(seq) AS last FROM {rm_entries} WHERE ref = ?"), (ref,))
                if cursor.fetchone()["last"] != version:
                    stale.add(ref)
            if stale:
                judged = judged.without(stale)
            refs = [(ref,) for ref, _ in judged.versions]
            for name in ("rm_contracts", "rm_pending", "rm_obligations", "rm_deviations"):
                cursor.executemany(self._sql(f"DELETE FROM {{{name}}} WHERE ref = ?"), refs)
            self._insert_judged(cursor, judged)
            for ref, _ in judged.versions:
                self._written.pop(ref, None)
        return len(judged.versions)

    def _insert_judged(self, cursor: Any, judged: JudgedRows) -> None:
        cursor.executemany(
            self._sql(f"INSERT INTO {{rm_contracts}} ({', '.join(CONTRACT_COLUMNS)}) "
                      f"VALUES ({', '.join('?' * len(CONTRACT_COLUMNS))})"), judged.contracts)
        if judged.obligations:
            names = ", ".join(f'"{n}"' for n in OBLIGATIONS.names)
            cursor.executemany(
                self._sql(f"INSERT INTO {{rm_obligations}} (ref, {names}, closed_on, doc) "
                          f"VALUES (?, {', '.join('?' * len(OBLIGATIONS.names))}, ?, ?)"), judged.obligations)
        if judged.deviations:
            names = ", ".join(f'"{n}"' for n in DEVIATIONS.names)
            cursor.executemany(
                self._sql(f"INSERT INTO {{rm_deviations}} (ref, n, {names}) "
                          f"VALUES (?, ?, {', '.join('?' * len(DEVIATIONS.names))})"), judged.deviations)

    def analyze(self) -> None:
        """Refresh the planner's statistics (after a large catch-up), so that the cross-contract
        query picks the most selective index."""
        with self._transaction(commit=True) as cursor:
            for name in ("rm_obligations", "rm_entries", "rm_contracts"):
                cursor.execute(f"ANALYZE {self.table(name)}")

    def pending(self) -> list[str]:
        """Contracts whose entries are in the view but not yet judged (a catch-up in progress)."""
        return [row["ref"] for row in self._select("SELECT ref FROM {rm_pending} ORDER BY ref")]

    def reset(self) -> None:
        """Empty every read model and forget the tracking position (for ``rebuild``)."""
        with self._transaction(commit=True) as cursor:
            for name in TABLES:
                cursor.execute(f"DROP TABLE IF EXISTS {self.table(name)}")
            for statement in self._view_ddl():
                cursor.execute(statement)
            cursor.execute(self._sql("INSERT INTO {rm_schema} (fingerprint) VALUES (?)"),
                           (self._fingerprint(),))
            cursor.execute(self._sql(f"DELETE FROM {self._tracking_table()} WHERE application_name = ?"),
                           (APPLICATION,))

    def create_table(self) -> None:
        """Create the tables if missing; if they were made for another schema (the rules' values
        gained a field, say), start the view again: the next catch-up rebuilds it."""
        super().create_table()  # type: ignore[safe-super]
        rows = self._select("SELECT fingerprint FROM {rm_schema}", tuples=True)
        if [row[0] for row in rows] != [self._fingerprint()]:
            self.reset()

    def _fingerprint(self) -> str:
        return hashlib.sha256("\n".join(self._view_ddl()).encode()).hexdigest()[:16]

    def _tracking_table(self) -> str:
        raise NotImplementedError

    # --- reads ---------------------------------------------------------------------------

    def _select(self, text: str, params: Sequence[Any] = (), *, tuples: bool = False) -> list[Any]:
        with self._transaction(commit=False) as cursor:
            if tuples:
                return self._fetch(cursor, self._sql(text), params)
            cursor.execute(self._sql(text), params)
            return list(cursor.fetchall())

    def _fetch(self, cursor: Any, text: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        """Rows as plain tuples (faster than the library's named rows)."""
        raise NotImplementedError

    @cached_property
    def _codecs(self) -> tuple[Callable[[Any], list[Any]], Callable[[Any], list[Any]],
                               Callable[[Sequence[Any]], Obligation], Callable[[Sequence[Any]], Deviation]]:
        decode_date = date.fromisoformat if self.placeholder == "?" else None
        return (OBLIGATIONS.encoder(self._encode_date), DEVIATIONS.encoder(self._encode_date),
                OBLIGATIONS.decoder(decode_date), DEVIATIONS.decoder(decode_date))

    def position(self) -> int:
        """The last notification of the ledger reflected in the view (0: none)."""
        return self.max_tracking_id(APPLICATION) or 0

    def contract_rows(self) -> list[ContractRow]:
        rows = self._select(f"SELECT {', '.join(CONTRACT_COLUMNS)} FROM {{rm_contracts}}")
        return [_contract_of_row(row) for row in rows]

    def contract_stamp(self, ref: str) -> ContractStamp | None:
        """What reads of a contract's entries and obligations need of its row: not its terms."""
        rows = self._select(STAMP, (ref,), tuples=True)
        return _stamp_of(rows[0]) if rows else None

    def stored_obligations(self, ref: str) -> tuple[ContractStamp | None, list[Obligation]]:
        """Every stored obligation of ``ref``, in ``obligation_order``, and the stamp of the contract
        row they were written with (one snapshot)."""
        names = ", ".join(f'"{n}"' for n in OBLIGATIONS.names)
        with self._transaction(commit=False) as cursor:
            stamps = self._fetch(cursor, self._sql(STAMP), (ref,))
            rows = self._fetch(cursor, self._sql(f"SELECT {names} FROM {{rm_obligations}} WHERE ref = ?"),
                               (ref,))
        with gc_paused(len(rows)):
            found = sorted(map(self._codecs[2], rows), key=obligation_order)
        return (_stamp_of(stamps[0]) if stamps else None), found

    def contract_row(self, ref: str) -> ContractRow | None:
        rows = self._select(f"SELECT {', '.join(CONTRACT_COLUMNS)} FROM {{rm_contracts}} WHERE ref = ?",
                            (ref,))
        return _contract_of_row(rows[0]) if rows else None

    def refs_beyond_horizon(self, as_of: date) -> list[str]:
        """Contracts whose stored obligations stop before ``as_of``."""
        return [row["ref"] for row in self._select("SELECT ref FROM {rm_contracts} WHERE horizon < ?",
                                                   (self._encode_date(as_of),))]

    def entries(self, ref: str, *, known_at: datetime | None = None, after: int = 0,
                limit: int | None = None, through: int | None = None,
                types: frozenset[str] | None = None) -> list[Entry]:
        """The audit trail of a contract in seq order, as recorded by ``known_at``; seqs after
        ``after`` and up to ``through``; only entries of ``types`` if given."""
        text = f"SELECT {', '.join(ENTRY_READ_COLUMNS)} FROM {{rm_entries}} WHERE ref = ? AND seq > ?"
        params: list[Any] = [ref, after]
        if through is not None:
            text += " AND seq <= ?"
            params.append(through)
        if types is not None:
            # Tested on the clustered rows of the contract: no index to keep for it.
            text += f" AND type IN ({', '.join('?' * len(types))})"
            params.extend(sorted(types))
        if known_at is not None:
            text += " AND recorded_at <= ?"
            params.append(self._encode_instant(known_at))
        text += " ORDER BY seq"
        if limit is not None:
            text += " LIMIT ?"
            params.append(limit)
        return entries_of_rows(ref, self._select(text, params, tuples=True))

    def recorded_seqs(self, ref: str, known_at: datetime) -> tuple[int, int]:
        """How many entries of ``ref`` were recorded by ``known_at``, and the last seq among them."""
        rows = self._select("SELECT COUNT(*) AS n, MAX(seq) AS last FROM {rm_entries} "
                            "WHERE ref = ? AND recorded_at <= ?", (ref, self._encode_instant(known_at)))
        return rows[0]["n"], rows[0]["last"] or 0

    def obligations(self, ref: str, *, arisen_by: date) -> list[Obligation]:
        names = ", ".join(f'"{n}"' for n in OBLIGATIONS.names)
        rows = self._select(f"SELECT {names} FROM {{rm_obligations}} WHERE ref = ? AND arises_on <= ?",
                            (ref, self._encode_date(arisen_by)), tuples=True)
        decode = self._codecs[2]
        return sorted(map(decode, rows), key=obligation_order)

    def open_obligations(self, *, as_of: date, status: str | None = None, due_before: date | None = None,
                         holder: str | None = None, due_after: date | None = None,
                         ref: str | None = None) -> list[tuple[str, Obligation]]:
        """Obligations open or overdue on ``as_of`` across contracts: one indexed query."""
        names = ", ".join(f'"{n}"' for n in OBLIGATIONS.names)
        where, params = self._open_where(as_of, status, due_before, holder, due_after, ref)
        decode = self._codecs[2]
        return [(row[0], decode(row[1:]))
                for row in self._select(f"SELECT ref, {names} FROM {{rm_obligations}} {where}", params,
                                        tuples=True)]

    def open_obligation_docs(self, *, as_of: date, status: str | None = None, due_before: date | None = None,
                             holder: str | None = None, due_after: date | None = None,
                             ref: str | None = None) -> list[tuple[Any, str, str, bytes, Any]]:
        """As ``open_obligations``, but as served: (due, ref, id, stored ``open_doc``, whether
        overdue on ``as_of``), in ``open_obligations`` order (due, none last as 9999-12-31; ref;
        id). Sorted here, on the keys: the engine's sort would move every document."""
        where, params = self._open_where(as_of, status, due_before, holder, due_after, ref)
        text = (f"SELECT COALESCE(due, ?), ref, id, doc, due < ? FROM {{rm_obligations}} {where}")
        found = self._select(text, [self._encode_date(date.max), self._encode_date(as_of), *params],
                             tuples=True)
        found.sort(key=_DOC_KEY)
        return found

    def _open_where(self, as_of: date, status: str | None, due_before: date | None,
                    holder: str | None, due_after: date | None = None,
                    ref: str | None = None) -> tuple[str, list[Any]]:
        # Every term is a column of rm_obligations_open, led by the range closed_on > D.
        day = self._encode_date(as_of)
        text = "WHERE closed_on > ? AND arises_on <= ?"
        params: list[Any] = [day, day]
        if status == "overdue":
            text += " AND due < ?"
            params.append(day)
        elif status == "open":
            text += " AND (due IS NULL OR due >= ?)"
            params.append(day)
        if due_before is not None:
            text += " AND due < ?"
            params.append(self._encode_date(due_before))
        if due_after is not None:
            text += " AND due > ?"
            params.append(self._encode_date(due_after))
        if holder is not None:
            text += " AND holder = ?"
            params.append(holder)
        if ref is not None:
            text += " AND ref = ?"
            params.append(ref)
        return text, params

    def deviations(self, ref: str, *, since_by: date) -> list[Deviation]:
        names = ", ".join(f'"{n}"' for n in DEVIATIONS.names)
        rows = self._select(f"SELECT {names} FROM {{rm_deviations}} WHERE ref = ? AND since <= ? "
                            "ORDER BY n", (ref, self._encode_date(since_by)), tuples=True)
        decode = self._codecs[3]
        return [decode(row) for row in rows]

    def head(self) -> tuple[int, str]:
        """Entries in the view and the ledger head over them (``domain.hashing.extend_head``)."""
        rows = self._select("SELECT events, head FROM {rm_head} WHERE id = 1")
        return (rows[0]["events"], rows[0]["head"]) if rows else (0, GENESIS)


def obligation_order(obligation: Obligation) -> tuple[date, str]:
    """By due date (none last), then id: the same on every engine."""
    return obligation.due or date.max, obligation.id


def _closed_on(obligation: Obligation, encode_date: Callable[[date], Any]) -> Any:
    # Never null (date.max while open), so "open on D" is one index range: closed_on > D.
    closed = [d for d in (obligation.fulfilled_on, obligation.void_on) if d is not None]
    return encode_date(min(closed, default=date.max))


def _contiguous(entries: Sequence[Entry]) -> bool:
    return all(b.seq == a.seq + 1 for a, b in pairwise(entries))


def _json(value: Any) -> str:
    return orjson.dumps(value).decode()


def _date(value: Any) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


def _instant(value: Any) -> datetime:
    return datetime.fromisoformat(value) if isinstance(value, str) else value.astimezone(UTC)


STAMP = "SELECT ref, version, horizon, judged_on, last_recorded_at FROM {rm_contracts} WHERE ref = ?"


def _stamp_of(row: Sequence[Any]) -> ContractStamp:
    ref, version, horizon, judged_on, recorded = row
    return ContractStamp(ref, version, _date(horizon), _date(judged_on), _instant(recorded))


def _contract_of_row(row: Any) -> ContractRow:
    return ContractRow(
        ref=row["ref"], title=row["title"], diarienummer=row["diarienummer"], status=row["status"],
        version=row["version"], terms=orjson.loads(row["terms"]),
        in_force_from=_date(row["in_force_from"]), horizon=_date(row["horizon"]),
        judged_on=_date(row["judged_on"]), base_terms=orjson.loads(row["base_terms"]),
        amendments=orjson.loads(row["amendments"]), last_recorded_at=_instant(row["last_recorded_at"]))


class SQLiteReadModelView(ReadModelView, SQLiteTrackingRecorder):
    """The read models in their own SQLite file."""

    def __init__(self, datastore: SQLiteDatastore, **kwargs: Any) -> None:
        super().__init__(datastore, **kwargs)

    def construct_create_table_statements(self) -> list[str]:
        return [*super().construct_create_table_statements(), *self._view_ddl()]

    def _view_ddl(self) -> list[str]:
        # The audit trail clustered by (ref, seq): a contract's entries are read together.
        return _ddl("TEXT", "INTEGER", "TEXT", "BLOB", self.table, clustered=" WITHOUT ROWID")

    @contextmanager
    def _transaction(self, *, commit: bool) -> Iterator[Any]:
        with self.datastore.get_connection(commit=commit) as connection:
            if not getattr(connection, "rm_tuned", False):
                # WAL + synchronous=NORMAL: a commit is atomic but not fsynced until the next
                # checkpoint. The view can lose its last commits on power loss, never its
                # consistency with its tracking row, and it is rebuilt from the ledger.
                # Checkpoints every 64 MiB rather than 4 MiB: a rebuild's large transactions
                # would otherwise each pay for one.
                # A page cache of 16 MiB rather than 2: the cross-contract list reads rows spread
                # over the obligations table (a third faster warm). No secure delete (this
                # build's default): the view holds no personal data (DOMAIN.md §7), and zeroing
                # what is deleted made dropping the tables for a rebuild cost a tenth of it.
                connection._sqlite_conn.execute("PRAGMA synchronous=NORMAL")
                connection._sqlite_conn.execute("PRAGMA wal_autocheckpoint=16384")
                connection._sqlite_conn.execute("PRAGMA cache_size=-16384")
                connection._sqlite_conn.execute("PRAGMA secure_delete=OFF")
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
                       (APPLICATION,))
        cursor.execute("SELECT notification_id FROM tracking WHERE application_name = ?", (APPLICATION,))
        row = cursor.fetchone()
        return row["notification_id"] if row else 0


class PostgresReadModelView(ReadModelView, PostgresTrackingRecorder):
    """The read models in the ledger's PostgreSQL database, tables prefixed ``rm_``."""

    placeholder = "%s"

    def __init__(self, datastore: PostgresDatastore, *, tracking_table_name: str = "rm_tracking",
                 **kwargs: Any) -> None:
        super().__init__(datastore, tracking_table_name=tracking_table_name, **kwargs)
        self.sql_create_statements.extend(SQL(statement) for statement in self._view_ddl())  # type: ignore[arg-type]

    def table(self, name: str) -> str:
        return f"{_quote(self.datastore.schema)}.{name}"

    def _view_ddl(self) -> list[str]:
        return _ddl("DATE", "BIGINT", "TIMESTAMPTZ", "BYTEA", self.table)

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
                       (APPLICATION,))
        cursor.execute(f"SELECT notification_id FROM {self._tracking_table()} "
                       "WHERE application_name = %s FOR UPDATE", (APPLICATION,))
        row = cursor.fetchone()
        return row["notification_id"] if row else 0


def _quote(name: str) -> str:
    return Identifier(name).as_string(None)
