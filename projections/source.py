"""The ledger as the read models read it: contract entries after a position, in batches.

The one way events enter the read models, for the live worker, a catch-up and a rebuild
alike. A contract event (``Contract.Registered``, ``Contract.Recorded``) becomes an audit
entry; every other event (an idempotency record) only moves the position. Plain stored
events are decoded straight from their JSON (a third of the cost of the mapper); encrypted or
compressed ones through the ledger's mapper.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import orjson
from eventsourcing.sqlite import SQLiteApplicationRecorder

from domain.contract import Entry
from domain.ledger import CONTRACT_TOPICS, Ledger, entry_of


def read_batch(ledger: Ledger, after: int, limit: int) -> tuple[list[tuple[int, Entry]], int]:
    """Contract entries after notification ``after`` and the last notification id read
    (``after`` if none): other events are passed over but counted in the position."""
    plain = ledger.mapper.cipher is None and ledger.mapper.compressor is None
    if plain and isinstance(ledger.recorder, SQLiteApplicationRecorder):
        found = _read_sqlite(ledger.recorder, after, limit)
        if found is not None:
            return found
    notifications = ledger.recorder.select_notifications(start=after, limit=limit,
                                                          inclusive_of_start=False)
    batch = []
    for notification in notifications:
        if notification.topic in CONTRACT_TOPICS:
            entry = plain_entry(notification.originator_version, notification.state) if plain else None
            if entry is None:
                event: Any = ledger.mapper.to_domain_event(notification)
                entry = entry_of(event.ref, event)
            batch.append((notification.id, entry))
    return batch, (notifications[-1].id if notifications else after)


def _read_sqlite(recorder: SQLiteApplicationRecorder, after: int,
                 limit: int) -> tuple[list[tuple[int, Entry]], int] | None:
    stored, last = _select_sqlite(recorder, after, limit)
    batch = []
    for nid, seq, state in stored:
        entry = plain_entry(seq, state)
        if entry is None:
            return None
        batch.append((nid, entry))
    return batch, last


Stored = tuple[int, int, bytes]
"""A contract event as the ledger stores it: notification id, seq, state (JSON)."""


def read_stored(ledger: Ledger, after: int, limit: int) -> tuple[list[Stored], int] | None:
    """As ``read_batch``, the contract events as stored, undecoded; None if the ledger encrypts
    or compresses them."""
    if ledger.mapper.cipher is not None or ledger.mapper.compressor is not None:
        return None
    if isinstance(ledger.recorder, SQLiteApplicationRecorder):
        return _select_sqlite(ledger.recorder, after, limit)
    notifications = ledger.recorder.select_notifications(start=after, limit=limit, inclusive_of_start=False)
    return ([(n.id, n.originator_version, bytes(n.state)) for n in notifications
             if n.topic in CONTRACT_TOPICS],
            notifications[-1].id if notifications else after)


def _select_sqlite(recorder: SQLiteApplicationRecorder, after: int, limit: int) -> tuple[list[Stored], int]:
    # The library's select_notifications, without building the Notification objects and
    # their UUIDs this reader does not need (a third of the time of a rebuild's reads).
    with recorder.datastore.transaction(commit=False) as cursor:
        cursor.execute(f"SELECT rowid, topic, originator_version, state FROM {recorder.events_table_name} "
                       "WHERE rowid > ? ORDER BY rowid LIMIT ?", (after, limit))
        rows = cursor.fetchall()
    return ([(nid, seq, state) for nid, topic, seq, state in rows if topic in CONTRACT_TOPICS],
            rows[-1][0] if rows else after)


def is_plain(state: bytes) -> bool:
    """Whether a stored contract event's state is plain JSON but for its tagged timestamp."""
    return state.count(b'"_type_"') == 1


def plain_state(state: bytes) -> dict[str, Any] | None:
    """A stored contract event's state, decoded, if plain (``is_plain``)."""
    state = bytes(state)
    return orjson.loads(state) if is_plain(state) else None  # type: ignore[no-any-return]


def plain_entry(seq: int, state: bytes) -> Entry | None:
    """The entry of an unencrypted stored contract event, decoded directly (as ``entry_of``
    would from the mapper's event); None if it holds any tagged value besides its timestamp."""
    stored = plain_state(state)
    return None if stored is None else entry_of_state(seq, stored)


def entry_of_state(seq: int, stored: dict[str, Any]) -> Entry:
    """The entry of a stored contract event's plain state (``plain_state``)."""
    data = stored["entry"]
    # Entry is a frozen dataclass: filling its __dict__ is what __init__ does, at a third of the cost.
    entry = _new(Entry)
    entry.__dict__.update(contract=stored["ref"], seq=seq, type=data["type"],
                          effective_date=date.fromisoformat(data["effective_date"]),
                          recorded_at=datetime.fromisoformat(stored["timestamp"]["_data_"]),
                          actor=stored["actor"], role=stored["role"], data=data,
                          prev_hash=stored["prev_hash"], hash=stored["hash"])
    return entry


_new = object.__new__
