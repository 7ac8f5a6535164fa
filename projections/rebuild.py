"""``ledger rebuild``: every read model again from the events, built beside the live ones and
switched in atomically, while the API and the worker go on serving from the live ones.

A rebuild is a worker started from zero into a fresh view (``open_view(fresh=True)``: the same
tables beside the live ones, SQLite ``rebuild_*`` in the views file, PostgreSQL the schema
``<schema>_rebuild``): ``catch_up`` applies every event to it, the one path the live worker
takes too. Then one transaction on the live view (``_switch``) keeps its writers out (readers go
on), applies to the fresh view what the ledger recorded meanwhile, and promotes it: the live
tables are dropped and the fresh ones take their names and position. Readers see the old models
or the new, never a mix or none; a crash at any point before that commit leaves the live models
untouched (the next rebuild starts its fresh view again). The live worker, let in after the
commit, finds the view at or past its own position and goes on from there: nothing is lost or
applied twice. One rebuild at a time (a lock beside the projector's).

A larger ledger is caught up by two processes where the platform can fork, so that both cores
work: a thread reads the events and hands them, as stored, to a forked child that touches no
database; the child sends back each batch's audit rows, which this one writes as ``catch_up``
does (one transaction with its tracking row, the contracts marked pending). Having every entry,
the child judges each contract (``judge``, as the live worker) and sends its encoded rows, which
this one writes, clearing the pending marks, for the contracts whose entries in the view are
those judged. Whatever is left (the child failed, an event only the mapper decodes) the final
catch-up does here.

From Python: ``rebuild(database, today=...)`` (what ``ledger rebuild`` calls).
"""

from __future__ import annotations

import contextlib
import fcntl
import gc
import multiprocessing
import os
import signal
import threading
import traceback
import zlib
from collections.abc import Iterator
from datetime import date
from functools import partial
from multiprocessing.connection import Connection

from eventsourcing.persistence import PersistenceError, Tracking

from domain.contract import Entry
from domain.ledger import Ledger
from domain.storage import Database
from projections.audit_trail import EntriesMemo
from projections.catchup import BATCH, catch_up
from projections.engines import close_view, open_view
from projections.judgement import judge
from projections.rows import stored_entry_row
from projections.source import entry_of_state, is_plain, plain_state, read_batch, read_stored
from projections.views import JudgedRows, Progress, ReadModelView

SPLIT_FROM = 10_000  # events: a smaller ledger is rebuilt sooner than a process is forked
JUDGED_PER_MESSAGE = 5_000  # entries judged per message of rows back from the child


def rebuild(database: Database, *, today: date, progress: Progress | None = None,
            judging: Progress | None = None, batch_size: int = BATCH, split: bool | None = None) -> int:
    """Rebuild every read model beside the live ones and switch to them atomically; returns the
    number of entries applied. Safe while the API and a worker serve.

    ``progress`` is told the events applied, ``judging`` the contracts judged (each as
    (so far, of how many)). ``split``: judge in a forked process (None: where the ledger has
    ``SPLIT_FROM`` events and the platform can fork)."""
    with _one_rebuild(database):
        live = open_view(database)
        fresh = open_view(database, fresh=True)
        ledger = Ledger.open(database)
        try:
            fresh.reset()  # what a crashed rebuild left, gone
            end = ledger.recorder.max_notification_id() or 0
            if split is None:
                split = end >= SPLIT_FROM and "fork" in multiprocessing.get_all_start_methods()
            applied = _split(fresh, ledger, today, end, batch_size, progress, judging) if split else 0
            applied += catch_up(fresh, ledger, today=today, batch_size=batch_size, progress=progress,
                                judging=judging)
            for attempt in range(SWITCH_ATTEMPTS):
                try:
                    return applied + _switch(live, fresh, ledger, today)
                except PersistenceError:  # e.g. a deadlock with an ANALYZE on PostgreSQL: again
                    if attempt == SWITCH_ATTEMPTS - 1:
                        raise
            raise AssertionError("unreachable")
        finally:
            ledger.close()
            close_view(fresh)
            close_view(live)


SWITCH_ATTEMPTS = 3


def _switch(live: ReadModelView, fresh: ReadModelView, ledger: Ledger, today: date) -> int:
    """One transaction on the live view: its writers kept out, the fresh view brought to the
    ledger's head, then promoted. Returns the entries applied in it."""
    judge_on_today = partial(judge, today=today)
    memo = EntriesMemo(judgements=False)
    applied = 0
    with live._transaction(commit=True) as cursor:
        reflected = live.lock_writers(cursor)
        position = fresh.lock_writers(cursor)
        while True:
            batch, last = read_batch(ledger, position, BATCH)
            if last == position:
                break
            applied += fresh.process(batch, Tracking(fresh.application, last), judge_on_today, memo,
                                     defer=True, cursor=cursor) or 0
            position = last
        fresh.judge_pending(judge_on_today, memo, cursor=cursor)
        if position < reflected:  # never: the ledger holds everything the live view reflects
            raise RuntimeError(f"rebuild: the fresh view is at {position}, the live one at {reflected}")
        fresh.promote(cursor)
    return applied


REBUILD_LOCK_KEY = zlib.crc32(b"verksamhetsuppdrag-ledger/rebuild")


@contextlib.contextmanager
def _one_rebuild(database: Database) -> Iterator[None]:
    """Waits while another rebuild of ``database`` runs (they would share the fresh view)."""
    if database.engine == "sqlite":
        path = database.sibling("-rebuild.lock")
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a") as file:
            fcntl.flock(file, fcntl.LOCK_EX)  # dropped when the file closes, or the process dies
            yield
        return
    import psycopg

    db = database
    with psycopg.connect(host=db.host, port=db.port, user=db.user, password=db.password,
                         dbname=db.dbname, autocommit=True, connect_timeout=5) as connection:
        connection.execute("SELECT pg_advisory_lock(%s)", (REBUILD_LOCK_KEY,))
        yield  # the session's end releases it


def _split(view: ReadModelView, ledger: Ledger, today: date, end: int, batch_size: int,
           progress: Progress | None, judging: Progress | None) -> int:
    """The events up to notification ``end`` applied with a forked child doing the decoding,
    the audit rows and the judging; returns the entries applied."""
    context = multiprocessing.get_context("fork")
    ours, theirs = context.Pipe()
    child = context.Process(target=_judge_apart, args=(theirs, view, today, ours, os.getpid()),
                            daemon=True, name="rebuild-judge")
    child.start()
    theirs.close()
    reader = threading.Thread(target=_hand_over, args=(ledger, ours, view.position(), end, batch_size),
                              name="rebuild-read", daemon=True)
    reader.start()
    applied, finished, judged, contracts = 0, False, 0, 0
    try:
        while (message := ours.recv()) is not None:
            if isinstance(message, int):  # the child has every entry: this many contracts to judge
                contracts = message
                continue
            if isinstance(message, JudgedRows):
                view.write_judged(message)
                judged += len(message.versions)
                if judging:
                    judging(judged, contracts)
                continue
            last, rows, hashes = message
            done = view.append_audit(rows, hashes, Tracking(view.application, last))
            applied += done or 0
            if progress:
                progress(last if done is not None else view.position(), end)
        finished = True
    except (EOFError, OSError):
        pass  # the child is gone: what it did not judge is pending, for the catch-up
    finally:
        # On an error here the child may be blocked sending, and the reader sending to it:
        # ending the child ends both.
        if not finished:
            child.terminate()
        child.join()
        reader.join()
        ours.close()
    return applied


def _hand_over(ledger: Ledger, connection: Connection, position: int, end: int, batch_size: int) -> None:
    """The reading thread: stored events after ``position`` up to ``end`` to the child, in
    batches, then None; it stops early at an event the child cannot decode without the mapper."""
    try:
        while position < end:
            found = read_stored(ledger, position, min(batch_size, end - position))
            if found is None or not all(is_plain(state) for _, _, state in found[0]):
                break
            connection.send(found)
            position = found[1]
        connection.send(None)
    except OSError:
        pass  # the connection is closed: the child is gone or the parent gave up


def _die_with_parent(parent: int) -> None:
    """Have the kernel end this child when its parent dies (Linux), and end now if it already
    has: a child killed with its parent never waits for ever on a pipe no one reads."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass  # not Linux: the pipe's EOF still ends the child
    if os.getppid() != parent:
        os._exit(1)


def _judge_apart(connection: Connection, view: ReadModelView, today: date,
                 parent_end: Connection, parent: int) -> None:
    """The child's life: ``_judge_all``, then out at once, an error written straight to stderr.
    Not through the library's exit, which flushes the standard streams: a thread of the parent
    (a progress bar) may have held their locks at the fork, and the child would wait forever.
    The parent's end of the pipe, inherited by the fork, is closed here: else the child itself
    would keep the pipe open, and never see the EOF of a parent that died."""
    _die_with_parent(parent)
    parent_end.close()
    try:
        _judge_all(connection, view, today)
        code = 0
    except BaseException:
        os.write(2, traceback.format_exc().encode())
        code = 1
    os._exit(code)


def _judge_all(connection: Connection, view: ReadModelView, today: date) -> None:
    """Each batch's audit rows back as it comes (rows, as ``view`` writes them; its connections
    are never used here), then how many contracts, each judged once and its rows, then None. An
    error ends the child, and the parent does what is left."""
    # Nothing inherited is ever collected here: garbage the parent had not yet collected may
    # hold a database connection, and closing it here could checkpoint the parent's database.
    gc.freeze()
    as_text = view.instants_as_text
    contracts: dict[str, list[Entry]] = {}
    while (message := connection.recv()) is not None:
        stored, last = message
        rows, hashes = [], []
        for nid, seq, state in stored:
            decoded = plain_state(state)
            assert decoded is not None  # the reader sends plain states only
            rows.append(stored_entry_row(nid, seq, decoded, instant_as_text=as_text))
            hashes.append(decoded["hash"])
            entry = entry_of_state(seq, decoded)
            contracts.setdefault(entry.contract, []).append(entry)
        connection.send((last, rows, hashes))
        gc.freeze()  # long-lived from here: no collection need traverse them again
    connection.send(len(contracts))
    judgements, size = [], 0
    for entries in contracts.values():
        judgements.append(judge(entries, today=today))
        size += len(entries)
        if size >= JUDGED_PER_MESSAGE:
            connection.send(view.judged_rows(judgements))
            judgements, size = [], 0
    if judgements:
        connection.send(view.judged_rows(judgements))
    connection.send(None)
