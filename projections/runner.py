"""Keeping the read models current in this process: ``ReadModelRunner``.

It catches up (``catchup.catch_up``) when it starts and after any error, then applies what the
ledger records in steps (``catchup.step``: the same reads and writes as a catch-up, each batch
judged at once when it reaches the ledger's head). Between steps it waits for the library's
subscription to ring (LISTEN/NOTIFY on PostgreSQL, the polling subscription on SQLite,
``domain.polling``) or at most ``NUDGE`` seconds. ``wait(notification_id)`` gives
read-your-writes; ``lag`` says how far behind it is and why.

Why not the library's ``ProjectionRunner``/``ApplicationSubscription``: they stop for good at
the first error, and eventsourcing 9.5 has no public way to ask a subscription whether it holds
further events (to judge a burst once) nor to make it pull without a notification (a NOTIFY
lost, or sent before its LISTEN, leaves it waiting for ever: the library's issues #305 and
#306). Here the subscription is only a doorbell read through its public iterator; the events
themselves are read with the recorder's public ``select_notifications`` from the view's own
tracking position, so no private attribute of the library is used.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from domain.ledger import Ledger
from domain.retry import Backoff
from domain.storage import Database
from projections.audit_trail import EntriesMemo
from projections.catchup import BATCH, catch_up, step
from projections.engines import close_view, open_view, view_class, view_environment
from projections.settled import Settled
from projections.source import entry_of_state, is_plain, plain_entry, plain_state, read_batch, read_stored
from projections.views import Progress, ReadModelView

# Besides its own names, what callers imported from this module before the read models were
# split into their own modules (``engines``, ``catchup``, ``source``).
__all__ = ["BATCH", "Failure", "Lag", "Progress", "ReadModelRunner", "ReadModelsBehind", "catch_up",
           "close_view", "entry_of_state", "is_plain", "open_view", "plain_entry", "plain_state",
           "read_batch", "read_stored", "view_class", "view_environment"]

BURST = 500  # events per live transaction at most
NUDGE = 1.0  # seconds between the pulls that do not wait for the doorbell

log = logging.getLogger("ledger.projections")


class Doorbell:
    """Rings when the ledger may hold events past ``gt``: the library's subscription, of which
    only the fact that something arrived is used (its public iterator, on its own thread)."""

    def __init__(self, ledger: Ledger, gt: int) -> None:
        self._ledger = ledger
        self._gt = gt
        self._rung = threading.Event()
        self._stopping = threading.Event()
        self._subscription: Any = None
        self._thread = threading.Thread(target=self._run, name="read-models-doorbell", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        attempt = 0
        while not self._stopping.is_set():
            try:
                self._subscription = self._ledger.recorder.subscribe(gt=self._gt)
                if self._stopping.is_set():
                    self._subscription.stop()
                    return
                with self._subscription as subscription:
                    for notification in subscription:
                        self._gt = notification.id
                        self._rung.set()
                        attempt = 0
            except Exception as error:  # the follower still pulls every NUDGE seconds
                attempt += 1
                log.debug("read models: subscription failed (%s); again", type(error).__name__)
                self._stopping.wait(Backoff().delay(attempt))

    def wait(self, timeout: float) -> None:
        self._rung.wait(timeout)

    def clear(self) -> None:
        self._rung.clear()

    def close(self) -> None:
        self._stopping.set()
        self._rung.set()
        subscription = self._subscription
        if subscription is not None:
            subscription.stop()
        # Not for long: a subscription waiting on a store that is away ends by itself.
        self._thread.join(timeout=2)


class ReadModelRunner:
    """The read models kept current in this process (one per process: the API's, or the worker's).

    On any error it logs it, waits a jittered, growing delay and starts again from the view's
    position (a batched catch-up, then steps). ``status`` tells how far behind it is and why."""

    def __init__(self, database: Database, *, today: Callable[[], date],
                 backoff: Backoff | None = None) -> None:
        self.database = database
        self._today = today
        self._backoff = backoff or Backoff()
        self._ledger = Ledger.open(database)
        self._view = open_view(database)
        # Waiters wait for a *settled* position (nothing pending up to it), signalled by
        # the processing thread when it commits one: no polling.
        self._waiters = Settled()
        self._stopping = threading.Event()
        self._doorbell: Doorbell | None = None
        self._failure: Failure | None = None
        self._progress_at = time.monotonic()
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
        position = self._view.position()
        # One doorbell for the runner's life: it mends its own subscription, and an error of
        # the view's (a full disk) need not cost a new one.
        doorbell = self._doorbell = self._doorbell or Doorbell(self._ledger, position)
        memo = EntriesMemo()
        while not self._stopping.is_set():
            doorbell.clear()  # before reading: a ring from here on is not missed
            head = self._ledger.recorder.max_notification_id() or 0
            if position >= head:
                doorbell.wait(NUDGE)
                continue
            position, _ = step(self._view, self._ledger, position, today=self._today(), memo=memo,
                               limit=BURST, settle_at=head)
            if position >= head:  # judged up to here: nothing pending
                self._settle(position)
            else:
                self._recovered()

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
        doorbell = self._doorbell
        if doorbell is not None:
            doorbell.close()
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
