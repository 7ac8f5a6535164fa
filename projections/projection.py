"""The live projection of the ledger into the read models (STYLE.md #7).

| event                  | view update                                                      |
|------------------------|------------------------------------------------------------------|
| ``Contract.Registered``| audit row; tracking; the contract marked pending or judged       |
| ``Contract.Recorded``  | audit row; tracking; the contract marked pending or judged       |
| anything else          | tracking only (e.g. ``IdempotencyRecord.Created``)               |

Each event is one transaction (audit row, tracking, and either a pending mark or the
judgement). While the subscription holds more events the touched contract is only
marked pending (as ``catch_up`` does); the event that empties the queue *settles*
the burst: in its own transaction it judges every pending contract once. A burst of
k events on one contract thus costs one evaluation of its rules, not k. A crash
leaves the pending marks, which the next settling transaction (or a catch-up)
judges: nothing is lost or applied twice.

Every event is tracked, so ``wait(notification_id)`` works for any id the ledger
returned, including an idempotency record saved beside an entry. ``settled`` is
told each position after which nothing is pending: ``ReadModelRunner.wait`` waits
for that, so a read after it never sees a contract judged on fewer entries.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Any

from eventsourcing.dispatch import singledispatchmethod
from eventsourcing.persistence import Tracking
from eventsourcing.projection import Projection

from domain.contract import Contract
from domain.ledger import entry_of
from projections.judgement import judge
from projections.views import EntriesMemo, ReadModelView


def _nothing_queued() -> bool:
    return False


class ReadModelProjection(Projection[ReadModelView]):
    """Keeps the read models current: audit rows per event, judgements once per burst."""

    name = "rm"  # the tables' prefix, and of this projection's environment keys
    topics = ()  # every event, so that the tracking position passes non-contract events too
    today: Callable[[], date] = date.today

    def __init__(self, view: ReadModelView) -> None:
        super().__init__(view)
        self.memo = EntriesMemo()
        # Set by the runner: whether the subscription already holds further events, and
        # whom to tell the positions at which the view has nothing pending.
        self.more_queued: Callable[[], bool] = _nothing_queued
        self.settled: Callable[[int], None] = lambda position: None

    @classmethod
    def judging_on(cls, today: Callable[[], date]) -> type[ReadModelProjection]:
        """This projection with ``today`` as the day the rules judge on (sets the horizon)."""
        return type(cls.__name__, (cls,), {"name": cls.name, "today": staticmethod(today),
                                           "__module__": cls.__module__})

    @singledispatchmethod
    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        self._apply([], tracking)

    @process_event.register
    def registered(self, domain_event: Contract.Registered, tracking: Tracking) -> None:
        self._apply([(tracking.notification_id, entry_of(domain_event.ref, domain_event))], tracking)

    @process_event.register
    def recorded(self, domain_event: Contract.Recorded, tracking: Tracking) -> None:
        self._apply([(tracking.notification_id, entry_of(domain_event.ref, domain_event))], tracking)

    def process_burst(self, events: list[tuple[Any, Tracking]]) -> None:
        """Everything the subscription held at once, in one transaction: the audit rows, each
        touched or pending contract judged once, the last tracking position; then settled."""
        batch = [(tracking.notification_id, entry_of(event.ref, event)) for event, tracking in events
                 if isinstance(event, Contract.Registered | Contract.Recorded)]
        self._apply(batch, events[-1][1])

    def _apply(self, batch: list[Any], tracking: Tracking) -> None:
        judge_on_today = partial(judge, today=self.today())
        if self.more_queued():
            self.view.process(batch, tracking, judge_on_today, self.memo, defer=True)
            return
        done = self.view.process(batch, tracking, judge_on_today, self.memo, settle=True)
        if done is None:
            # Another process got there first (it may have left contracts pending).
            self.view.judge_pending(judge_on_today, self.memo)
        self.settled(tracking.notification_id)
