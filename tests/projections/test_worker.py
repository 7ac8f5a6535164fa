"""The projector lock (one worker projects, others wait) and read-your-writes without a runner."""

from __future__ import annotations

import threading
from datetime import date

import pytest

from domain.ledger import Ledger
from domain.storage import Database
from projections.runner import catch_up, close_view, open_view
from projections.worker import ExternalProjection, ProjectorLock, someone_projects
from tests.support.builders import actor, event, seed

TODAY = date(2025, 6, 2)


def test_one_holder_at_a_time_and_the_next_takes_over_on_release(database: Database) -> None:
    first, second = ProjectorLock(database), ProjectorLock(database)
    try:
        assert not someone_projects(database)
        assert first.try_acquire() and first.held()
        assert someone_projects(database)
        assert not second.try_acquire()  # waits
        first.release()
        assert second.try_acquire()
        assert not first.try_acquire()
    finally:
        first.release()
        second.release()


def test_external_read_your_writes_waits_for_the_view_and_is_bounded(database: Database) -> None:
    ledger = Ledger.open(database)
    seed(ledger)
    outcome = ledger.record("familjeradgivning", event("LexSarahReported", "2025-05-30"), actor("utforare"))
    waiting = ExternalProjection(database, ledger)
    try:
        # No worker: the view never reaches the write, and the wait says so within its bound.
        with pytest.raises(TimeoutError, match="not settled"):
            waiting.wait(outcome.position, timeout=0.2)
        done = threading.Event()

        def wait() -> None:
            waiting.wait(outcome.position, timeout=30)
            done.set()

        thread = threading.Thread(target=wait)
        thread.start()
        view = open_view(database)  # a worker's catch-up, in effect
        try:
            catch_up(view, ledger, today=TODAY)
        finally:
            close_view(view)
        thread.join(30)
        assert done.is_set()
        assert waiting.view.position() >= (outcome.position or 0)
    finally:
        waiting.close()


@pytest.mark.postgres
def test_the_projecting_worker_notifies_each_settled_position(postgres_database: Database) -> None:
    import psycopg

    from projections.worker import CHANNEL, run_worker

    db = postgres_database
    ledger = Ledger.open(db)
    stop = threading.Event()
    worker = threading.Thread(target=run_worker, args=(db,), kwargs={"today": lambda: TODAY, "stop": stop})
    try:
        seed(ledger)
        with psycopg.connect(host=db.host, port=db.port, user=db.user, password=db.password,
                             dbname=db.dbname, autocommit=True) as listener:
            listener.execute(f"LISTEN {CHANNEL}")
            worker.start()
            outcome = ledger.record("familjeradgivning", event("LexSarahReported", "2025-05-30"),
                                    actor("utforare"))
            heard = 0
            for notice in listener.notifies(timeout=30):
                heard = max(heard, int(notice.payload))
                if heard >= (outcome.position or 0):
                    break
        assert heard >= (outcome.position or 0) > 0
    finally:
        stop.set()
        worker.join(30)
        ledger.close()
