"""Group commit: appends that arrive while a transaction is being written share the next one.

Each append still gets its own outcome. A caller hands over its aggregates; if no commit is
under way it commits at once, alone (no waiting for company: an idle ledger adds no latency).
Appends arriving meanwhile queue; when the running transaction is done, the first of them
leads the next one with every append queued by then: one transaction, one fsync (and on
PostgreSQL one turn of the library's table lock) for all. A caller returns only after the
transaction holding its events committed, so an acknowledged append is durable.

Each append keeps its own version check: two appends to one aggregate never share a batch,
and if a shared transaction fails on a version (IntegrityError), nothing of it was written
and each of its appends is committed again alone, so only the stale one fails.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

from eventsourcing.persistence import IntegrityError

Save = Callable[..., list[Any]]
MAX_BATCH = 64  # appends per shared transaction at most


class _Append:
    """One caller's aggregates, their pending events taken once (so a retry alone can reuse them)."""

    __slots__ = ("aggregates", "done", "error", "events", "ids", "lead", "recordings", "wake")

    def __init__(self, aggregates: Sequence[Any]) -> None:
        self.aggregates = list(aggregates)
        self.events = [event for aggregate in self.aggregates for event in aggregate.collect_events()]
        self.ids = {aggregate.id for aggregate in self.aggregates}
        self.wake = threading.Event()
        self.done = False
        self.lead = False
        self.recordings: list[Any] = []
        self.error: BaseException | None = None

    def finish(self, recordings: list[Any] | None = None, error: BaseException | None = None) -> None:
        self.recordings, self.error, self.done = recordings or [], error, True
        self.wake.set()


class GroupCommit:
    """Commits appends through ``save(*events, *aggregates)``, sharing transactions under load."""

    def __init__(self, save: Save, *, max_batch: int = MAX_BATCH) -> None:
        self._save = save
        self._max_batch = max_batch
        self._lock = threading.Lock()
        self._queue: list[_Append] = []
        self._leading = False
        self.transactions = 0  # counted for tests and the bench: how many commits served how many
        self.appends = 0

    @property
    def queued(self) -> int:
        """Appends waiting for the next transaction."""
        with self._lock:
            return len(self._queue)

    def commit(self, *aggregates: Any) -> list[Any]:
        """Save the aggregates' pending events; returns their recordings once committed."""
        mine = _Append(aggregates)
        with self._lock:
            self._queue.append(mine)
            mine.lead = not self._leading
            self._leading = True
        while not mine.done:
            if mine.lead:
                self._lead(mine)
            else:
                mine.wake.wait()
                mine.wake.clear()
        if mine.error is not None:
            raise mine.error
        return mine.recordings

    def _lead(self, mine: _Append) -> None:
        """Commit batches until this caller's append is done; then hand the lead on."""
        while not mine.done:
            with self._lock:
                batch = self._take()
            self._flush(batch)
        with self._lock:
            mine.lead = False
            if self._queue:
                successor = self._queue[0]
                successor.lead = True
                successor.wake.set()
            else:
                self._leading = False

    def _take(self) -> list[_Append]:
        """The queued appends in arrival order, at most one per aggregate (each its own check)."""
        batch: list[_Append] = []
        taken: set[Any] = set()
        for append in self._queue:
            if len(batch) == self._max_batch:
                break
            if append.ids.isdisjoint(taken):
                batch.append(append)
                taken |= append.ids
        self._queue = [append for append in self._queue if append not in batch]
        return batch

    def _flush(self, batch: list[_Append]) -> None:
        self.transactions += 1
        self.appends += len(batch)
        try:
            recordings = self._save(*[e for a in batch for e in a.events],
                                    *[g for a in batch for g in a.aggregates])
        except IntegrityError as error:
            if len(batch) == 1:
                batch[0].finish(error=error)
                return
            # Nothing of the shared transaction was written: each append alone, so that only
            # the one whose version was taken fails.
            for append in batch:
                try:
                    append.finish(self._save(*append.events, *append.aggregates))
                except Exception as alone:  # its own outcome, raised in its own caller
                    append.finish(error=alone)
            return
        except Exception as error:  # e.g. the database unreachable: nothing was written
            for append in batch:
                append.finish(error=error)
            return
        for append in batch:
            append.finish([r for r in recordings if r.domain_event.originator_id in append.ids])
