"""A rebuild while the read models serve: built beside the live ones, switched in one transaction.

Readers keep answering with the live models' data throughout (asked between the rebuild's
batches, and from another connection inside its switching transaction); events recorded while
it runs are in the view after the switch; a crash before the switch commits leaves the live
models as they were, serving, and the next rebuild finishes.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest

from domain.ledger import Ledger
from domain.storage import Database
from projections.audit import verify_read_models
from projections.engines import view_class
from projections.rebuild import rebuild
from projections.runner import ReadModelRunner
from projections.views import ReadModelView
from tests.projections.support import TODAY, opened, record_history, snapshot, today
from tests.support.builders import actor, event
from tests.support.history import HISTORY, REF

BOUND = 60.0  # seconds a read may take at most, never a measured time


def _record_one(ledger: Ledger, day: str) -> int:
    ledger.record(REF, event("LexSarahReported", day), actor("utforare"))
    return ledger.recorder.max_notification_id() or 0


def _read_elsewhere(database: Database) -> dict[str, Any]:
    """A snapshot read by another thread on its own connection, within ``BOUND`` seconds."""
    found: dict[str, Any] = {}

    def read() -> None:
        with opened(database) as view:
            found["snapshot"] = snapshot(view)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(BOUND)
    assert "snapshot" in found, f"a read during the switch did not answer within {BOUND:.0f} s"
    return found["snapshot"]


def test_reads_answer_throughout_a_rebuild_and_the_switch_keeps_every_event(
        seeded_ledger: Ledger, database: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    with ReadModelRunner(database, today=today) as runner, opened(database) as reader:
        runner.wait(record_history(seeded_ledger), timeout=BOUND)
        expected = {"now": snapshot(runner.view)}
        batches: list[int] = []

        def between_batches(position: int, end: int) -> None:
            if not batches:  # recorded while the fresh view is built: the live worker shows it
                runner.wait(_record_one(seeded_ledger, "2025-06-01"), timeout=BOUND)
                expected["now"] = snapshot(runner.view)
            batches.append(position)
            assert snapshot(reader) == expected["now"]  # the live models, whole, answer

        engine = view_class(database)  # the fresh view's class derives from it
        real_promote = engine.promote
        late: list[int] = []

        def promote(self: ReadModelView, cursor: Any) -> None:
            # Inside the switch: the live models' writers are kept out, readers are not.
            assert _read_elsewhere(database) == expected["now"]
            # Recorded after the fresh view's last read of the ledger: the live worker applies
            # it to the promoted view once the switch commits.
            late.append(_record_one(seeded_ledger, "2025-06-02"))
            real_promote(self, cursor)

        monkeypatch.setattr(engine, "promote", promote)
        applied = rebuild(database, today=TODAY, batch_size=5, split=False, progress=between_batches)
        assert len(batches) > 2 and applied == len(HISTORY) + 5

        runner.wait(late[0], timeout=BOUND)
        after = snapshot(reader)
        assert after["position"] == late[0]
        assert [e.seq for e in after["entries"][REF]] == list(range(1, len(HISTORY) + 4))
        report = verify_read_models(reader, seeded_ledger)
        assert report.ok, report.problem
        assert report.pending == 0


@pytest.mark.parametrize("where", ["building", "switching"])
def test_a_rebuild_that_crashes_leaves_the_live_models_serving(
        seeded_ledger: Ledger, database: Database, monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    class Crash(Exception):
        pass

    with ReadModelRunner(database, today=today) as runner:
        runner.wait(record_history(seeded_ledger), timeout=BOUND)
        before = snapshot(runner.view)
        if where == "building":
            def crash(position: int, end: int) -> None:
                raise Crash

            with pytest.raises(Crash):
                rebuild(database, today=TODAY, batch_size=5, split=False, progress=crash)
        else:
            engine = view_class(database)
            real_promote = engine.promote

            def promote_then_crash(self: ReadModelView, cursor: Any) -> None:
                real_promote(self, cursor)  # the live tables dropped, the fresh ones renamed …
                raise Crash  # … and the transaction never commits

            monkeypatch.setattr(engine, "promote", promote_then_crash)
            with pytest.raises(Crash):
                rebuild(database, today=TODAY, batch_size=5, split=False)
            monkeypatch.undo()

        with opened(database) as view:
            assert snapshot(view) == before
        # The live worker goes on as if nothing happened.
        last = _record_one(seeded_ledger, "2025-06-03")
        runner.wait(last, timeout=BOUND)
        live = snapshot(runner.view)
        assert live["position"] == last

        # The next rebuild starts its fresh view again and switches.
        rebuild(database, today=TODAY, batch_size=5, split=False)
        with opened(database) as view:
            assert snapshot(view) == live
