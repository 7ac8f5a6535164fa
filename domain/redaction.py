"""Gallring: an archive decision removes one entry's content while every proof still verifies.

The one sanctioned exception to append-only (docs/VERIFYING.md §2a). An entry linked with
``link_version`` 2 hashes its payload's digest, not the payload; ``redact`` therefore

1. records ``EntryRedacted {entry_seq, decision}`` (admin) through the ledger like any act,
   so the gallring is itself in the chain;
2. rewrites the stored entry in place, in one transaction (``_rewrite_sqlite`` /
   ``_rewrite_postgres``): its payload becomes ``{"type", "effective_date", "redacted":
   {"decision", "redacted_at"}}``; seq, recording instant, actor, role, ``event_sha256``,
   ``prev_hash`` and ``hash`` stay. The same transaction blanks the idempotency records of
   that entry (their fingerprint and response held the payload) and drops the contract's
   snapshots (a cache, rebuilt from the events);
3. makes the old bytes unreadable in the database files: SQLite overwrites freed content
   (``secure_delete``) and truncates the write-ahead log; PostgreSQL rewrites the event table
   (``VACUUM (FULL)``), so no dead tuple keeps the old row in its relation files.

Read models are rebuilt by the caller (``api.cli.redact``). Re-running after a crash between
1 and 2 finishes the rewrite (the decision is recorded once).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import orjson
from eventsourcing.sqlite import SQLiteApplicationRecorder

from domain.contract import Actor, contract_id
from domain.errors import ImpossibleAct, UnknownEntry
from domain.events import EntryRedacted
from domain.storage import storage_timeout

IDEMPOTENCY_TOPIC = "domain.ledger:IdempotencyRecord.Created"


@dataclass(frozen=True)
class Redaction:
    """What ``redact`` did: the entry, the decision's own entry, and what was scrubbed."""

    ref: str
    seq: int
    decision: str
    decision_seq: int
    idempotency_records: int
    files_scrubbed: bool


def redact(ledger: Any, ref: str, seq: int, decision: str, *, today: date,
           actor: Actor | None = None, now: datetime | None = None) -> Redaction:
    """Gallra entry ``seq`` of contract ``ref`` under ``decision`` (a diarienummer).

    Refuses (nothing written): an unknown contract or entry (``UnknownContract`` /
    ``UnknownEntry``), a decision that is no valid text or holds a personnummer
    (``ValidationError``), an entry already gallrad, one linked with the old formula
    (version 1) and the kinds the terms rest on (``ImpossibleAct``)."""
    actor = actor or Actor(name="ledger-cli", role="admin")
    event = EntryRedacted(entry_seq=seq, decision=decision, effective_date=today)
    ledger.contract(ref)  # UnknownContract
    ledger.entry(ref, seq)  # UnknownEntry
    state = _stored_state(ledger, ref, seq)
    if "redacted" in state["entry"]:
        raise ImpossibleAct(f"entry_seq: entry {seq} of '{ref}' is already gallrad (decision "
                            f"{state['entry']['redacted']['decision']})",
                            field="entry_seq", rule="redact_once")
    if state.get("link_version", 1) != 2:  # absent, or 1 on an entry imported from an old export
        raise ImpossibleAct(
            f"entry_seq: entry {seq} of '{ref}' was recorded before gallring existed: its link "
            "hashes the content itself (link version 1), so removing the content would break "
            "every later link, head and checkpoint", field="entry_seq", rule="redact_link_v2")
    contract = ledger.contract(ref)
    decision_seq = contract.redacted.get(str(seq))
    if decision_seq is None:
        decision_seq = ledger.record(ref, event, actor, gallring=True).seq
    stub = {"type": state["entry"]["type"], "effective_date": state["entry"]["effective_date"],
            "redacted": {"decision": event.decision,
                         "redacted_at": (now or datetime.now(tz=UTC)).isoformat(
                             timespec="microseconds")}}
    rewrite = (_rewrite_sqlite if isinstance(ledger.recorder, SQLiteApplicationRecorder)
               else _rewrite_postgres)
    records, scrubbed = rewrite(ledger, ref, seq, {**state, "entry": stub})
    ledger._forget(ref)  # its cached state was decided on before the gallring
    return Redaction(ref, seq, event.decision, decision_seq, records, scrubbed)


# --- the stored bytes ------------------------------------------------------------------


def _decode(ledger: Any, raw: bytes) -> dict[str, Any]:
    mapper = ledger.mapper
    if mapper.cipher is not None:
        raw = mapper.cipher.decrypt(bytes(raw))
    if mapper.compressor is not None:
        raw = mapper.compressor.decompress(raw)
    return orjson.loads(raw)  # type: ignore[no-any-return]


def _encode(ledger: Any, state: dict[str, Any]) -> bytes:
    raw = orjson.dumps(state)
    mapper = ledger.mapper
    if mapper.compressor is not None:
        raw = mapper.compressor.compress(raw)
    if mapper.cipher is not None:
        raw = mapper.cipher.encrypt(raw)
    return raw


def _stored_state(ledger: Any, ref: str, seq: int) -> dict[str, Any]:
    stored = ledger.recorder.select_events(contract_id(ref), gt=seq - 1, lte=seq)
    if not stored:
        raise UnknownEntry(f"no entry {seq} in contract '{ref}'", field="seq",
                           rule="entry_must_exist")
    return _decode(ledger, stored[0].state)


def _blanked_idempotency(ledger: Any, rows: list[tuple[Any, bytes]], ref: str,
                         seq: int) -> list[tuple[bytes, Any]]:
    """New states for the idempotency records of entry ``seq``: the fingerprint and the first
    response held the payload. A retry with such a key is refused as another request."""
    changed = []
    for key, raw in rows:
        state = _decode(ledger, raw)
        if state.get("contract_ref") == ref and state.get("seq") == seq:
            state.update(fingerprint="gallrad", response={"gallrad": True})
            changed.append((_encode(ledger, state), key))
    return changed


def _rewrite_sqlite(ledger: Any, ref: str, seq: int, state: dict[str, Any]) -> tuple[int, bool]:
    """SQLite: one transaction with secure_delete on (freed bytes are zeroed), then the
    write-ahead log checkpointed and truncated, so the old page images leave the -wal file."""
    recorder = ledger.recorder
    table, oid = recorder.events_table_name, contract_id(ref).hex
    snapshots = ledger.snapshots.recorder if ledger.snapshots is not None else None
    with recorder.datastore.transaction(commit=True) as cursor:
        cursor.execute("PRAGMA secure_delete = ON")
        cursor.execute(f"UPDATE {table} SET state = ? WHERE originator_id = ? "
                       "AND originator_version = ?", (_encode(ledger, state), oid, seq))
        cursor.execute(f"SELECT rowid, state FROM {table} WHERE topic = ?", (IDEMPOTENCY_TOPIC,))
        changed = _blanked_idempotency(ledger, [tuple(r) for r in cursor.fetchall()], ref, seq)
        for new, rowid in changed:
            cursor.execute(f"UPDATE {table} SET state = ? WHERE rowid = ?", (new, rowid))
        if snapshots is not None:
            cursor.execute(f"DELETE FROM {snapshots.events_table_name} WHERE originator_id = ?",
                           (oid,))
    return len(changed), scrub_sqlite(recorder.datastore.pool.db_name)


def scrub_sqlite(path: str) -> bool:
    """Rewrite an SQLite file without free space (VACUUM, secure_delete on) and truncate its
    write-ahead log; False if another connection's read kept the log from being emptied."""
    connection = sqlite3.connect(path, isolation_level=None, timeout=storage_timeout())
    try:
        connection.execute("PRAGMA secure_delete = ON")
        connection.execute("VACUUM")
        busy, log, done = connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    finally:
        connection.close()
    return busy == 0 and log in (0, -1) and done in (0, -1)


def _rewrite_postgres(ledger: Any, ref: str, seq: int, state: dict[str, Any]) -> tuple[int, bool]:
    """PostgreSQL: one transaction, then ``VACUUM (FULL)`` of the event table (and snapshots):
    an UPDATE leaves the old row as a dead tuple in the relation file until the table is
    rewritten. What PostgreSQL keeps elsewhere (WAL segments, base backups) is not reached."""
    recorder = ledger.recorder
    schema, table = recorder.datastore.schema, recorder.events_table_name
    snapshots = ledger.snapshots.recorder if ledger.snapshots is not None else None
    oid = contract_id(ref)
    with recorder.datastore.transaction(commit=True) as cursor:
        cursor.execute(f'UPDATE "{schema}"."{table}" SET state = %s WHERE originator_id = %s '
                       "AND originator_version = %s", (_encode(ledger, state), oid, seq))
        cursor.execute(f'SELECT notification_id, state FROM "{schema}"."{table}" WHERE topic = %s',
                       (IDEMPOTENCY_TOPIC,))
        rows = [(r["notification_id"], bytes(r["state"])) for r in cursor.fetchall()]
        changed = _blanked_idempotency(ledger, rows, ref, seq)
        for new, nid in changed:
            cursor.execute(f'UPDATE "{schema}"."{table}" SET state = %s WHERE notification_id = %s',
                           (new, nid))
        if snapshots is not None:
            cursor.execute(f'DELETE FROM "{schema}"."{snapshots.events_table_name}" '
                           "WHERE originator_id = %s", (oid,))
    tables = [table] + ([snapshots.events_table_name] if snapshots is not None else [])
    vacuum_full_postgres(recorder.datastore, tables)
    return len(changed), True


def vacuum_full_postgres(datastore: Any, tables: list[str]) -> None:
    """``VACUUM (FULL)`` each table: a new relation file without dead tuples (outside any
    transaction; it holds an exclusive lock on the table while it runs)."""
    with datastore.get_connection() as connection:
        autocommit = connection.autocommit
        connection.autocommit = True
        try:
            for table in tables:
                connection.execute(f'VACUUM (FULL) "{datastore.schema}"."{table}"')
        finally:
            connection.autocommit = autocommit
