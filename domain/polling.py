"""A subscription for SQLite, which has no LISTEN/NOTIFY (EVENTSOURCING-NOTES.md).

It reuses the library's pull loop and wakes it on a short timer, and at once
when this process itself records events, so ``ProjectionRunner`` works the
same on SQLite as on PostgreSQL.
"""

from __future__ import annotations

import os
import threading
import weakref
from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import ListenNotifySubscription, StoredEvent
from eventsourcing.sqlite import SQLiteApplicationRecorder

POLL_INTERVAL = 0.05


def poll_interval() -> float:
    """``LEDGER_POLL_INTERVAL`` seconds, else 50 ms. A worker in another process than the writers
    (``ledger project``) is never woken by their appends and polls more often."""
    return float(os.environ.get("LEDGER_POLL_INTERVAL") or POLL_INTERVAL)


class PollingSubscription(ListenNotifySubscription[Any]):
    """Pulls new notifications every ``interval`` seconds, or sooner when woken."""

    def __init__(self, recorder: Any, gt: int | None = None, topics: Sequence[str] = (),
                 interval: float | None = None) -> None:
        super().__init__(recorder=recorder, gt=gt, topics=topics)
        self._interval = interval if interval is not None else poll_interval()
        self._stopping = threading.Event()
        self._ticker = threading.Thread(target=self._tick, daemon=True)
        self._ticker.start()

    def wake(self) -> None:
        self._has_been_notified.set()

    def _tick(self) -> None:
        while not self._stopping.wait(self._interval):
            self._has_been_notified.set()

    def stop(self) -> None:
        self._stopping.set()
        super().stop()


class PollingSQLiteApplicationRecorder(SQLiteApplicationRecorder):
    """SQLite application recorder whose ``subscribe()`` polls."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._subscriptions: weakref.WeakSet[PollingSubscription] = weakref.WeakSet()

    def subscribe(self, gt: int | None = None,
                  topics: Sequence[str] = ()) -> PollingSubscription:
        subscription = PollingSubscription(self, gt=gt, topics=topics)
        self._subscriptions.add(subscription)
        return subscription

    def insert_events(self, stored_events: Sequence[StoredEvent],
                      **kwargs: Any) -> Sequence[int] | None:
        ids = super().insert_events(stored_events, **kwargs)
        for subscription in list(self._subscriptions):
            subscription.wake()
        return ids
