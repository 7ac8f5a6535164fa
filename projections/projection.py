"""The live projection of the ledger into the read models (STYLE.md #7).

| event                  | view update                                                   |
|------------------------|---------------------------------------------------------------|
| ``Contract.Registered``| audit row; judge the new contract; tracking — one transaction |
| ``Contract.Recorded``  | audit row; re-judge that contract; tracking — one transaction |
| anything else          | tracking only (e.g. ``IdempotencyRecord.Created``)            |

Every event is tracked, so ``wait(notification_id)`` works for any id the
ledger returned, including an idempotency record saved beside an entry.
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


class ReadModelProjection(Projection[ReadModelView]):
    """Keeps the read models current, one event at a time."""

    name = "rm"  # the tables' prefix, and of this projection's environment keys
    topics = ()  # every event, so that the tracking position passes non-contract events too
    today: Callable[[], date] = date.today

    def __init__(self, view: ReadModelView) -> None:
        super().__init__(view)
        self.memo = EntriesMemo()

    @classmethod
    def judging_on(cls, today: Callable[[], date]) -> type[ReadModelProjection]:
        """This projection with ``today`` as the day the rules judge on (sets the horizon)."""
        return type(cls.__name__, (cls,), {"name": cls.name, "today": staticmethod(today),
                                           "__module__": cls.__module__})

    @singledispatchmethod
    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        self.view.process([], tracking, partial(judge, today=self.today()))

    @process_event.register
    def registered(self, domain_event: Contract.Registered, tracking: Tracking) -> None:
        self._judge(domain_event, tracking)

    @process_event.register
    def recorded(self, domain_event: Contract.Recorded, tracking: Tracking) -> None:
        self._judge(domain_event, tracking)

    def _judge(self, domain_event: Contract.Registered | Contract.Recorded, tracking: Tracking) -> None:
        entry = entry_of(domain_event.ref, domain_event)
        self.view.process([(tracking.notification_id, entry)], tracking,
                          partial(judge, today=self.today()), self.memo)
