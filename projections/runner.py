"""Keeping the read models current: the library's ``ProjectionRunner``, and a batched catch-up.

``ReadModelRunner`` first catches up in batches (fast), then follows the ledger's
subscription from the view's position: LISTEN/NOTIFY on PostgreSQL, the polling
subscription on SQLite (``domain.polling``); after any error it starts again, with
backoff. ``wait(notification_id)`` gives read-your-writes. ``catch_up`` is the
synchronous path for the CLI and a fallback for readers: everything after the
view's tracking position, in batches of one transaction each.
"""

from __future__ import annotations

import gc
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from typing import Any

import orjson
from eventsourcing.persistence import InfrastructureFactory, Tracking
from eventsourcing.projection import ApplicationSubscription
from eventsourcing.sqlite import SQLiteApplicationRecorder
from eventsourcing.utils import Environment

from domain.contract import Entry
from domain.ledger import CONTRACT_TOPICS, Ledger, entry_of
from domain.retry import Backoff
from domain.storage import Database
from projections.judgement import judge
from projections.projection import ReadModelProjection
from projections.settled import Settled
from projections.views import (
    APPLICATION,
    EntriesMemo,
    PostgresReadModelView,
    Progress,
    ReadModelView,
    SQLiteReadModelView,
)

BATCH = 20_000  # entries per catch-up transaction: larger runs of audit rows insert in key order
ANALYZE_AFTER = 10_000  # entries applied by one catch-up
MEMO_CONTRACTS = 100_000  # a catch-up keeps the entries it reads, to judge without reading back

log = logging.getLogger("ledger.projections")


def view_class(database: Database) -> type[ReadModelView]:
    return SQLiteReadModelView if database.engine == "sqlite" else PostgresReadModelView


def view_environment(database: Database) -> dict[str, str]:
    """The library settings for the ledger and for the view (keys prefixed ``RM_``)."""
    env = database.environment()
    if database.engine == "sqlite":
        # The library's SQLite table names are fixed: the view gets its own file.
        env[f"{ReadModelProjection.name.upper()}_SQLITE_DBNAME"] = str(database.sibling("-views.db"))
    return env


def open_view(database: Database) -> ReadModelView:
    """The read-model view of ``database``, its tables created if missing."""
    env = Environment(ReadModelProjection.name, {**os.environ, **view_environment(database)})
    factory = InfrastructureFactory.construct(env)
    return factory.tracking_recorder(view_class(database))  # type: ignore[no-any-return]


def close_view(view: ReadModelView) -> None:
    view.datastore.close()  # type: ignore[attr-defined]


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


def catch_up(view: ReadModelView, ledger: Ledger, *, today: date, batch_size: int = BATCH,
             progress: Progress | None = None, memo: EntriesMemo | None = None,
             judging: Progress | None = None) -> int:
    """Bring the view up to the ledger's last notification; returns the entries applied.

    Entries go in batches (audit rows, head and tracking: one transaction each) and the
    contracts they touch are marked pending; then each pending contract is judged once.
    A crash in between leaves the pending marks, and the next catch-up judges them.
    Safe beside a running projection or another catch-up: what the view has already
    passed is skipped, never doubled."""
    judge_on_today = partial(judge, today=today)
    memo = memo if memo is not None else EntriesMemo(max_contracts=MEMO_CONTRACTS, judgements=False)
    applied = 0
    position = view.position()
    end = ledger.recorder.max_notification_id() or 0
    try:
        while position < end:
            batch, last = read_batch(ledger, position, batch_size)
            if last == position:
                break
            done = view.process(batch, Tracking(APPLICATION, last), judge_on_today, memo, defer=True)
            if done is None:
                position = view.position()
            else:
                applied += done
                position = last
            end = max(end, position)
            # The entries kept in the memo live until the end: frozen, no collection traverses
            # them again (each did, a tenth of a long catch-up).
            gc.freeze()
            if progress:
                progress(position, end)
        view.judge_pending(judge_on_today, memo, progress=judging)
    finally:
        gc.unfreeze()
    if applied >= ANALYZE_AFTER:
        view.analyze()
    return applied


def _more_queued(subscription: Any) -> bool:
    """Whether the recorder subscription (the library's pull-and-queue loop, which the
    PostgreSQL and the polling SQLite subscriptions share) holds events not yet processed."""
    try:
        return (subscription._notifications_index < len(subscription._notifications)
                or not subscription._notifications_queue.empty())
    except AttributeError:
        return False


BURST = 500  # events per live transaction at most
NUDGE = 1.0  # seconds between the pulls that do not wait for a notification


def _nudge(subscription: Any, ended: threading.Event) -> None:
    """Make the subscription pull every ``NUDGE`` seconds even without a notification: the
    library's PostgreSQL subscription starts pulling before its LISTEN is in place, and an
    event committed in between would wait for the next notification (or for ever)."""
    flag = getattr(subscription, "_has_been_notified", None)
    while flag is not None and not ended.wait(NUDGE):
        flag.set()


class ReadModelRunner:
    """The read models kept current in this process (one per process, e.g. in the API).

    The library's ``ProjectionRunner`` stops for good at the first error; a storage error
    (PostgreSQL restarted, a full disk under the views file) would leave the read models
    stale until a restart. So this follows the ledger itself, with the library's
    ``ApplicationSubscription`` and the ``Projection``, and on any error logs it, waits a
    jittered, growing delay and starts again from the view's position (a batched catch-up,
    then the subscription). ``status`` tells how far behind it is and why."""

    def __init__(self, database: Database, *, today: Callable[[], date],
                 backoff: Backoff | None = None) -> None:
        self.database = database
        self._today = today
        self._backoff = backoff or Backoff()
        self._ledger = Ledger.open(database)
        self._view = open_view(database)
        self._projection = ReadModelProjection.judging_on(today)(view=self._view)
        # Waiters wait for a *settled* position (nothing pending up to it), signalled by
        # the processing thread when it commits one: no polling.
        self._waiters = Settled()
        self._stopping = threading.Event()
        self._subscription: ApplicationSubscription[Any] | None = None
        self._failure: Failure | None = None
        self._progress_at = time.monotonic()
        self._projection.settled = self._settle
        try:
            catch_up(self._view, self._ledger, today=today())
            self._settle(self._view.position())
            started = True
        except Exception as error:  # the thread retries; the server still starts
            self._failed(error)
            started = False
        self._thread = threading.Thread(target=self._run, args=(started,), name="read-models",
                                        daemon=True)
        self._thread.start()

    # --- the processing thread ----------------------------------------------------------

    def _run(self, started: bool) -> None:
        attempt = 0 if started else 1
        while not self._stopping.is_set():
            try:
                if attempt:
                    # After a failure: what the view missed, in batches, then follow again.
                    self._projection.memo = EntriesMemo()
                    catch_up(self._view, self._ledger, today=self._today())
                    self._settle(self._view.position())
                self._follow()
                return
            except Exception as error:
                if self._stopping.is_set():
                    return
                self._failed(error)
                attempt += 1
                if self._stopping.wait(self._backoff.delay(attempt)):
                    return

    def _follow(self) -> None:
        subscription: ApplicationSubscription[Any] = ApplicationSubscription(
            self._ledger, gt=self._view.position())
        self._subscription = subscription
        ended = threading.Event()
        threading.Thread(target=_nudge, args=(subscription.subscription, ended), daemon=True,
                         name="read-models-nudge").start()
        try:
            if self._stopping.is_set():
                return
            queued = partial(_more_queued, subscription.subscription)
            self._projection.more_queued = queued
            for first in subscription:
                burst = [first]
                while len(burst) < BURST and queued():
                    try:
                        burst.append(next(subscription))
                    except StopIteration:
                        break
                self._projection.process_burst(burst)
                self._recovered()
        finally:
            ended.set()
            subscription.stop()

    def _failed(self, error: Exception) -> None:
        first = self._failure is None
        self._failure = Failure(error, self._failure.since if self._failure else time.monotonic())
        # One line per outage at warning level, the rest at debug: a long outage must not
        # flood the log.
        (log.warning if first else log.debug)(
            "read models: %s: %s; retrying with backoff", type(error).__name__,
            str(error).splitlines()[0][:300] if str(error) else "")

    def _recovered(self) -> None:
        self._progress_at = time.monotonic()
        if self._failure is not None:
            log.warning("read models: recovered after %.1f s",
                        time.monotonic() - self._failure.since)
            self._failure = None

    def _settle(self, position: int) -> None:
        self._recovered()  # before waiters wake: a settled position means storage works
        self._waiters.advance(position)

    # --- what others ask ---------------------------------------------------------------

    @property
    def settled(self) -> int:
        """The last position the view reflected with every contract judged."""
        return self._waiters.position

    @property
    def view(self) -> ReadModelView:
        return self._view

    @property
    def ledger(self) -> Ledger:
        """The process's ledger, which this runner follows."""
        return self._ledger

    @property
    def failure(self) -> Failure | None:
        """The error the runner is retrying after, if it is failing now."""
        return self._failure

    def lag(self, head: int) -> Lag:
        """How far the read models are behind the ledger's last notification ``head``."""
        behind = max(0, head - self._waiters.position)
        seconds = time.monotonic() - self._progress_at if behind else 0.0
        if self._failure is not None:
            seconds = max(seconds, time.monotonic() - self._failure.since)
        return Lag(entries=behind, seconds=seconds, failure=self._failure)

    def wait(self, notification_id: int | None, timeout: float = 5.0) -> None:
        """Block until the view reflects ``notification_id`` (read-your-writes); raises
        ``ReadModelsBehind`` (a ``TimeoutError``) after ``timeout`` seconds."""
        if notification_id is None or self._waiters.wait(notification_id, timeout):
            return
        failure = self._failure
        why = f" (retrying after {failure.describe()})" if failure else ""
        msg = f"read models not settled at notification {notification_id} within {timeout:g} s{why}"
        raise ReadModelsBehind(msg)

    def close(self) -> None:
        """Stop following and wait for the processing thread."""
        self._stopping.set()
        subscription = self._subscription
        if subscription is not None:
            subscription.stop()
        self._waiters.close()
        self._thread.join(timeout=30)
        close_view(self._view)
        self._ledger.close()

    def __enter__(self) -> ReadModelRunner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class ReadModelsBehind(TimeoutError):
    """The read models did not reflect a position within the time allowed."""


@dataclass(frozen=True)
class Failure:
    """The error the runner is retrying after, and since when (monotonic) it has failed."""

    error: Exception
    since: float

    def describe(self) -> str:
        first = str(self.error).splitlines()[0][:200] if str(self.error) else ""
        return f"{type(self.error).__name__}: {first}"


@dataclass(frozen=True)
class Lag:
    entries: int
    seconds: float
    failure: Failure | None
