"""The projection worker (`ledger project`) and what API processes use beside it.

One process keeps the read models: the existing ``ReadModelRunner``, run in its own process
until SIGTERM. Several workers may be started; only the holder of the projector lock projects
and the others wait to take over (a PostgreSQL session advisory lock, released by the server
the moment the holder's connection dies, kill -9 included; on SQLite an exclusive ``flock`` on
a file beside the database, released by the kernel likewise).

API processes started with ``LEDGER_PROJECTOR=external`` project nothing; ``ExternalProjection``
gives them read-your-writes by watching the view's tracking position, which the worker commits
with the rows it reflects (on PostgreSQL the worker also NOTIFYs each settled position).
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import threading
import time
import zlib
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from domain.storage import Database
from projections.runner import Failure, Lag, ReadModelRunner, ReadModelsBehind, close_view, open_view
from projections.views import ReadModelView

log = logging.getLogger("ledger.projector")

# One key for every ledger: advisory locks are scoped to the database they are taken in.
LOCK_KEY = zlib.crc32(b"verksamhetsuppdrag-ledger/projector")
RETRY = 0.5  # seconds between attempts to take the lock, and between checks that it is held
CHANNEL = "ledger_read_models"  # PostgreSQL: the worker NOTIFYs each settled position here


def projector_mode() -> str:
    """``LEDGER_PROJECTOR``: ``inprocess`` (default: the API projects) or ``external``."""
    mode = os.environ.get("LEDGER_PROJECTOR", "inprocess").strip().lower() or "inprocess"
    if mode not in {"inprocess", "external"}:
        from domain.storage import ConfigurationError

        raise ConfigurationError(f"LEDGER_PROJECTOR: '{mode}' is neither 'inprocess' nor 'external'",
                                 field="LEDGER_PROJECTOR", rule="projector_mode")
    return mode


class ProjectorLock:
    """The right to project, held by one worker of a database at a time."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self._connection: Any = None
        self._file: Any = None

    def try_acquire(self) -> bool:
        if self.database.engine == "sqlite":
            return self._try_flock()
        import psycopg

        db = self.database
        try:
            if self._connection is None:
                self._connection = psycopg.connect(host=db.host, port=db.port, user=db.user,
                                                   password=db.password, dbname=db.dbname,
                                                   autocommit=True, connect_timeout=5)
            row = self._connection.execute("SELECT pg_try_advisory_lock(%s)", (LOCK_KEY,)).fetchone()
        except psycopg.Error as error:
            log.warning("projector lock: database unreachable (%s)", type(error).__name__)
            self.release()
            return False
        return bool(row and row[0])

    def held(self) -> bool:
        """Whether the lock is still ours (on PostgreSQL: its session is alive)."""
        if self.database.engine == "sqlite":
            return self._file is not None
        import psycopg

        try:
            self._connection.execute("SELECT 1")
            return True
        except (psycopg.Error, AttributeError):
            return False

    def announce(self, position: int) -> None:
        """PostgreSQL: tell every listening API process that the view has settled at ``position``."""
        if self._connection is not None:
            with contextlib.suppress(Exception):  # listeners also poll: a lost notice only delays
                self._connection.execute("SELECT pg_notify(%s, %s)", (CHANNEL, str(position)))

    def release(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(Exception):
                # Unlocked at once; closing alone would leave it until the backend has exited.
                self._connection.execute("SELECT pg_advisory_unlock_all()")
            with contextlib.suppress(Exception):
                self._connection.close()  # a dead session's locks the server drops itself
            self._connection = None
        if self._file is not None:
            self._file.close()  # closing the descriptor drops the flock
            self._file = None

    def _try_flock(self) -> bool:
        if self._file is None:
            path = lock_path(self.database)
            path.parent.mkdir(parents=True, exist_ok=True)
            self._file = path.open("a")
        try:
            fcntl.flock(self._file, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            self._file.close()
            self._file = None
            return False


def lock_path(database: Database) -> Path:
    return database.sibling("-projector.lock")


def someone_projects(database: Database) -> bool:
    """Whether some worker holds the projector lock (a healthcheck; takes nothing)."""
    if database.engine == "sqlite":
        path = lock_path(database)
        if not path.exists():
            return False
        with path.open("a") as probe:
            try:
                fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return True
            return False  # closing the probe releases what it just took
    import psycopg

    db = database
    with psycopg.connect(host=db.host, port=db.port, user=db.user, password=db.password,
                         dbname=db.dbname, autocommit=True, connect_timeout=5) as connection:
        # A bigint advisory key shows as classid (high 32 bits) and objid (low 32 bits).
        row = connection.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
            "AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
            "AND classid = %s AND objid = %s AND objsubid = 1",
            (LOCK_KEY >> 32, LOCK_KEY & 0xFFFFFFFF)).fetchone()
    return bool(row and row[0])


def run_worker(database: Database, *, today: Callable[[], date], stop: threading.Event,
               on_state: Callable[[str], None] = lambda state: None) -> None:
    """Project while holding the projector lock, until ``stop``; wait for it while another holds it.

    ``on_state`` is told "waiting", "projecting" and "stopped" (the CLI prints them)."""
    lock = ProjectorLock(database)
    try:
        while not stop.is_set():
            if not lock.try_acquire():
                on_state("waiting")
                stop.wait(RETRY)
                continue
            on_state("projecting")
            runner = ReadModelRunner(database, today=today)
            quiet = threading.Event()
            announcer = threading.Thread(target=_announce, args=(runner, lock, quiet), daemon=True)
            if database.engine == "postgres":
                announcer.start()
            try:
                while not stop.wait(RETRY):
                    if not lock.held():
                        # Another worker may hold it now: stop projecting before competing again.
                        log.warning("projector lock lost; stopping and waiting to take it again")
                        break
            finally:
                quiet.set()
                if announcer.is_alive():
                    announcer.join()
                runner.close()
                lock.release()
    finally:
        lock.release()
        on_state("stopped")


def _announce(runner: ReadModelRunner, lock: ProjectorLock, quiet: threading.Event) -> None:
    """NOTIFY each position the runner settles at (its public ``wait`` and ``settled``)."""
    last = 0
    while not quiet.is_set():
        try:
            runner.wait(last + 1, timeout=RETRY)
        except TimeoutError:
            continue
        except Exception as error:  # the projection's own error; the runner reports it
            log.warning("projection error while announcing: %s", type(error).__name__)
            quiet.wait(RETRY)
            continue
        if runner.settled > last:
            last = runner.settled
            lock.announce(last)


class ExternalProjection:
    """Read-your-writes for an API process whose read models a worker keeps (no runner here).

    ``wait`` returns once the view's tracking position has reached the notification and no
    contract is left pending (the runner's "settled"). On PostgreSQL the worker's NOTIFY says
    so; the view is also polled, by one thread per process and only while someone waits (on
    SQLite every 2 ms backing off to 20 ms while nothing moves, on PostgreSQL every 50 ms as a
    fallback). Past the bound ``wait`` raises ``ReadModelsBehind`` like ``ReadModelRunner.wait``;
    ``lag`` reads the view, so readiness sees a worker that stopped.
    """

    POLL_FIRST, POLL_MAX = 0.002, 0.02

    def __init__(self, database: Database, ledger: Any) -> None:
        self.ledger = ledger
        self.view: ReadModelView = open_view(database)
        self._condition = threading.Condition()
        self._settled = 0
        self._moved_at = time.monotonic()
        self._waiters = 0
        self._closing = threading.Event()
        self._database = database
        self._threads = [threading.Thread(target=self._poll, name="read-your-writes", daemon=True)]
        if database.engine == "postgres":
            # The worker NOTIFYs what it settles; polling stays, slower, for a notice lost in a reconnect.
            self.POLL_FIRST = self.POLL_MAX = 0.05
            self._threads.append(threading.Thread(target=self._listen, name="listen", daemon=True))
        for thread in self._threads:
            thread.start()

    @property
    def settled(self) -> int:
        """The last position seen reflected with nothing pending."""
        return self._settled

    def lag(self, head: int) -> Lag:
        """How far the worker's read models are behind ``head``, read from the view itself
        (readiness: the worker may be another process, or gone)."""
        now = time.monotonic()
        try:
            position = self.view.position()
            if position > self._settled and not self.view.pending():
                self._advance(position)
        except Exception as error:  # the store away: not ready, and say why
            return Lag(entries=max(0, head - self._settled), seconds=now - self._moved_at,
                       failure=Failure(error, self._moved_at))
        behind = max(0, head - self._settled)
        return Lag(entries=behind, seconds=now - self._moved_at if behind else 0.0, failure=None)

    def _poll(self) -> None:
        pause = self.POLL_FIRST
        while not self._closing.is_set():
            with self._condition:
                while self._waiters == 0 and not self._closing.is_set():
                    self._condition.wait()
                    pause = self.POLL_FIRST
            try:
                position = self.view.position()
                settled = position if position > self._settled and not self.view.pending() else 0
            except Exception as error:  # the store away for a moment: waiters meet their bound
                log.warning("read-your-writes: view unreadable (%s)", type(error).__name__)
                settled = 0
            if settled:
                self._advance(settled)
                pause = self.POLL_FIRST
            else:
                pause = min(pause * 2, self.POLL_MAX)
            self._closing.wait(pause)

    def _advance(self, settled: int) -> None:
        with self._condition:
            if settled > self._settled:
                self._settled = settled
                self._moved_at = time.monotonic()
                self._condition.notify_all()

    def _listen(self) -> None:
        import psycopg

        db = self._database
        while not self._closing.is_set():
            try:
                with psycopg.connect(host=db.host, port=db.port, user=db.user, password=db.password,
                                     dbname=db.dbname, autocommit=True, connect_timeout=5) as connection:
                    connection.execute(f"LISTEN {CHANNEL}")
                    while not self._closing.is_set():
                        for notice in connection.notifies(timeout=RETRY):
                            self._advance(int(notice.payload))
            except (psycopg.Error, ValueError) as error:
                log.warning("read-your-writes: not listening (%s); polling", type(error).__name__)
                self._closing.wait(RETRY)

    def wait(self, notification_id: int | None, timeout: float = 5.0) -> None:
        if notification_id is None or self._settled >= notification_id:
            return
        deadline = time.monotonic() + timeout
        with self._condition:
            self._waiters += 1
            self._condition.notify_all()  # wakes the poller
            try:
                while self._settled < notification_id:
                    left = deadline - time.monotonic()
                    if left <= 0:
                        msg = f"read models not settled at notification {notification_id} within {timeout} s"
                        raise ReadModelsBehind(msg)
                    self._condition.wait(left)
            finally:
                self._waiters -= 1

    def close(self) -> None:
        self._closing.set()
        with self._condition:
            self._condition.notify_all()
        for thread in self._threads:
            thread.join(5)
        close_view(self.view)
        self.ledger.close()
