"""The audit trail read model: ``rm_entries`` (one row per entry) and ``rm_head`` (the ledger head).

Its DDL, its writer (``_append``: audit rows and the running head hash in the caller's
transaction) and its readers (a contract's entries, as known at an instant; the head).
``EntriesMemo`` keeps the entries of recently judged contracts so that a writer need not
read them back.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from datetime import datetime
from itertools import pairwise
from operator import itemgetter
from typing import Any

from domain.contract import Entry
from domain.hashing import GENESIS, extend_head
from domain.ledger import HOT_CONTRACTS
from projections.base import Types, ViewBase, placeholders
from projections.judgement import Judgement
from projections.rows import ENTRY_COLUMNS, ENTRY_READ_COLUMNS, entries_of_rows, entry_row

TABLES = ("rm_entries", "rm_head")
_REF_SEQ = itemgetter(0, 1)  # an audit row's key: ref, seq (ENTRY_COLUMNS)


def table_ddl(t: Types) -> list[str]:
    # The entry packed as one JSON array (``rows.entry_row``), keyed by (ref, seq).
    return [
        f"CREATE TABLE IF NOT EXISTS {t.table('rm_entries')} ("
        f"ref TEXT NOT NULL, seq {t.int} NOT NULL, notification_id {t.int} NOT NULL, "
        f"recorded_at {t.instant} NOT NULL, type TEXT NOT NULL, entry {t.blob} NOT NULL, "
        f"PRIMARY KEY (ref, seq)){t.clustered}",
        f"CREATE TABLE IF NOT EXISTS {t.table('rm_head')} (id {t.int} PRIMARY KEY, "
        f"events {t.int} NOT NULL, head TEXT NOT NULL)",
    ]


def index_ddl(t: Types) -> list[str]:
    # ``known_at`` reads: a contract's entries by the instant recorded.
    return [f"CREATE INDEX IF NOT EXISTS rm_entries_recorded ON {t.table('rm_entries')} (ref, recorded_at)"]


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
        if known is None and new[0].seq == 1 and contiguous(new):
            self.put(ref, list(new))
        elif known is not None and known[-1].seq + 1 == new[0].seq and contiguous(new):
            known.extend(new)
            self._entries.move_to_end(ref)
        else:
            self._entries.pop(ref, None)


def contiguous(entries: Sequence[Entry]) -> bool:
    return all(b.seq == a.seq + 1 for a, b in pairwise(entries))


class AuditTrail(ViewBase):
    """``rm_entries`` and ``rm_head``: written per batch of entries, read per contract."""

    # --- writer --------------------------------------------------------------------------

    def _append(self, cursor: Any, batch: Sequence[tuple[int, Entry]]) -> None:
        as_text = self.instants_as_text
        self._append_rows(cursor, [entry_row(nid, entry, instant_as_text=as_text) for nid, entry in batch],
                          [entry.hash for _, entry in batch])

    def _append_rows(self, cursor: Any, rows: list[tuple[Any, ...]], hashes: Sequence[str]) -> None:
        """Audit rows (``ENTRY_COLUMNS``) and the ledger head over their hashes (in ledger order)."""
        # In (ref, seq) order, the table's key: B-tree inserts in key order cost a third of
        # inserts in recording order, where a batch interleaves many contracts.
        rows.sort(key=_REF_SEQ)
        cursor.executemany(self._sql(f"INSERT INTO {{rm_entries}} ({', '.join(ENTRY_COLUMNS)}) "
                                     f"VALUES ({placeholders(len(ENTRY_COLUMNS))})"), rows)
        cursor.execute(self._sql("SELECT events, head FROM {rm_head} WHERE id = 1"))
        row = cursor.fetchone()
        events, head = (row["events"], row["head"]) if row else (0, GENESIS)
        for hash_ in hashes:
            head = extend_head(head, hash_)
        cursor.execute(self._sql("DELETE FROM {rm_head} WHERE id = 1"))
        cursor.execute(self._sql("INSERT INTO {rm_head} (id, events, head) VALUES (1, ?, ?)"),
                       (events + len(hashes), head))

    def _entries_for(self, cursor: Any, ref: str, new: list[Entry], memo: EntriesMemo | None) -> list[Entry]:
        """All entries of ``ref`` in the view (``new`` ones included): from the memo when it
        holds exactly what the view holds, else read back (in the writer's transaction)."""
        known = memo.get(ref) if memo is not None else None
        if known is not None and new:
            entries = known + new if known[-1].seq + 1 == new[0].seq and contiguous(new) else None
        else:
            entries = known
        if entries is not None and self._last_seq(cursor, ref) != entries[-1].seq:
            entries = None
        if entries is None:
            text = f"SELECT {', '.join(ENTRY_READ_COLUMNS)} FROM {{rm_entries}} WHERE ref = ? ORDER BY seq"
            entries = entries_of_rows(ref, self._fetch(cursor, self._sql(text), (ref,)))
        if memo is not None:
            memo.put(ref, entries)
        return entries

    def _last_seq(self, cursor: Any, ref: str) -> int | None:
        cursor.execute(self._sql("SELECT MAX(seq) AS last FROM {rm_entries} WHERE ref = ?"), (ref,))
        return cursor.fetchone()["last"]  # type: ignore[no-any-return]

    # --- readers -------------------------------------------------------------------------

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
            text += f" AND type IN ({placeholders(len(types))})"
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

    def head(self) -> tuple[int, str]:
        """Entries in the view and the ledger head over them (``domain.hashing.extend_head``)."""
        rows = self._select("SELECT events, head FROM {rm_head} WHERE id = 1")
        return (rows[0]["events"], rows[0]["head"]) if rows else (0, GENESIS)
