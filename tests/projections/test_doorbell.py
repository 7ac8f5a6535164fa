"""The live runner does not depend on its doorbell: with a subscription that never rings (a lost
PostgreSQL NOTIFY, a LISTEN set up too late) it still applies every event, by its own pull
every ``NUDGE`` seconds; and it reads the ledger from the view's position, not the ring's."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from domain.ledger import Ledger
from domain.storage import Database
from projections.runner import NUDGE, ReadModelRunner
from tests.projections.support import record_history, snapshot, today
from tests.support.history import REF

BOUND = 60.0


class Silent:
    """A subscription that yields nothing until stopped."""

    def __init__(self) -> None:
        self._stopped = threading.Event()

    def __enter__(self) -> Silent:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def __iter__(self) -> Silent:
        return self

    def __next__(self) -> Any:
        self._stopped.wait()
        raise StopIteration

    def stop(self) -> None:
        self._stopped.set()


def test_a_doorbell_that_never_rings_delays_but_loses_nothing(
        seeded_ledger: Ledger, database: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    rings: list[Silent] = []

    def silent(self: Any, gt: int | None = None, topics: Any = ()) -> Silent:
        rings.append(Silent())
        return rings[-1]

    monkeypatch.setattr(type(seeded_ledger.recorder), "subscribe", silent)
    assert NUDGE <= 1.0  # the bound below is many of these pulls
    with ReadModelRunner(database, today=today) as runner:
        last = record_history(seeded_ledger)
        runner.wait(last, timeout=BOUND)
        assert rings, "the runner asked for its doorbell"
        live = snapshot(runner.view)
    assert live["position"] == last
    assert [e.seq for e in live["entries"][REF]] == [e.seq for e in seeded_ledger.entries(REF)]
