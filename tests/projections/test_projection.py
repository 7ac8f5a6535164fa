"""The read models kept by the live projection: equal to a rebuild and to the pure rules, exactly once."""

from __future__ import annotations

from datetime import date

import pytest

import projections.views as views_module
from domain.ledger import Ledger
from domain.storage import Database
from projections.judgement import judge
from projections.rebuild import rebuild
from projections.runner import ReadModelRunner, catch_up, close_view, open_view
from tests.projections.support import (
    TODAY,
    by_rules,
    from_view,
    record_history,
    snapshot,
    today,
)
from tests.support.history import HISTORY, REF


def test_live_projection_equals_rebuild_and_the_rules(seeded_ledger: Ledger, database: Database) -> None:
    with ReadModelRunner(database, today=today) as runner:
        last = record_history(seeded_ledger)
        runner.wait(last, timeout=10)
        live = snapshot(runner.view)

    applied = rebuild(database, today=TODAY, batch_size=7)
    view = open_view(database)
    try:
        rebuilt = snapshot(view)
        assert rebuilt == live
        assert applied == len(HISTORY) + 4
        assert live["position"] == last
        for ref in live["entries"]:
            assert from_view(view, ref) == by_rules(seeded_ledger, ref)
    finally:
        close_view(view)


def test_every_event_is_tracked_even_without_a_view_change(seeded_ledger: Ledger, database: Database) -> None:
    from tests.support.builders import actor, event

    outcome = seeded_ledger.record(REF, event("LexSarahReported", "2025-01-02"), actor("utforare"),
                                   idempotency_key="k-1")
    last = seeded_ledger.recorder.max_notification_id()
    with ReadModelRunner(database, today=today) as runner:
        runner.wait(last, timeout=10)
        assert runner.view.position() == last
        assert [e.seq for e in runner.view.entries(REF)] == [1, outcome.seq]


def test_processing_is_exactly_once_across_a_crash_and_a_restart(
        seeded_ledger: Ledger, database: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    half = len(HISTORY) // 2
    first, second = HISTORY[:half], HISTORY[half:]
    with ReadModelRunner(database, today=today) as runner:
        runner.wait(record_history(seeded_ledger, first), timeout=10)
        before = runner.view.position()

    # The projection fails inside its transaction on the third event after the restart:
    # nothing of that event may be written, nor of the events in the same transaction (the
    # live projection writes what its subscription holds at once, in one transaction), and
    # their tracking row neither.
    calls = {"n": 0}
    real = views_module.ReadModelView._append

    def failing(self, cursor, batch):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if any(nid == before + 3 for nid, _ in batch):
            raise RuntimeError("crash while projecting")
        return real(self, cursor, batch)

    monkeypatch.setattr(views_module.ReadModelView, "_append", failing)
    runner = ReadModelRunner(database, today=today)
    last = record_history(seeded_ledger, second)
    with pytest.raises(RuntimeError, match="crash while projecting"):
        runner.wait(last, timeout=10)
    stopped_at = runner.view.position()
    assert before <= stopped_at < before + 3
    # The view holds exactly the entries up to its tracking position, each once.
    assert [e.seq for e in runner.view.entries(REF)] == list(range(1, 2 + half + stopped_at - before))
    runner.close()
    monkeypatch.setattr(views_module.ReadModelView, "_append", real)

    with ReadModelRunner(database, today=today) as restarted:
        restarted.wait(last, timeout=10)
        live = snapshot(restarted.view)
    entries = live["entries"][REF]
    assert [e.seq for e in entries] == list(range(1, len(HISTORY) + 2))
    assert live["head"][0] == len(HISTORY) + 4

    rebuild(database, today=TODAY)
    view = open_view(database)
    try:
        assert snapshot(view) == live
    finally:
        close_view(view)


def test_catch_up_beside_a_running_projection_doubles_nothing(
        seeded_ledger: Ledger, database: Database) -> None:
    with ReadModelRunner(database, today=today) as runner:
        last = record_history(seeded_ledger)
        view = open_view(database)
        try:
            catch_up(view, seeded_ledger, today=TODAY, batch_size=3)
            runner.wait(last, timeout=10)
            assert view.position() == last
        finally:
            close_view(view)
        live = snapshot(runner.view)
    assert [e.seq for e in live["entries"][REF]] == list(range(1, len(HISTORY) + 2))
    assert live["head"][0] == len(HISTORY) + 4
    rebuild(database, today=TODAY)
    view = open_view(database)
    try:
        assert snapshot(view) == live
    finally:
        close_view(view)


def test_catch_up_stopped_between_batches_resumes_where_it_stopped(
        seeded_ledger: Ledger, database: Database) -> None:
    last = record_history(seeded_ledger)
    view = open_view(database)
    try:
        class Stop(Exception):
            pass

        def stop_after_first(position: int, end: int) -> None:
            raise Stop

        with pytest.raises(Stop):
            catch_up(view, seeded_ledger, today=TODAY, batch_size=5, progress=stop_after_first)
        assert view.position() == 5
        catch_up(view, seeded_ledger, today=TODAY, batch_size=5)
        assert view.position() == last
        resumed = snapshot(view)
    finally:
        close_view(view)
    rebuild(database, today=TODAY)
    view = open_view(database)
    try:
        assert snapshot(view) == resumed
    finally:
        close_view(view)


def test_the_horizon_is_31_december_two_years_ahead(seeded_ledger: Ledger, database: Database) -> None:
    rebuild(database, today=date(2026, 1, 1))
    view = open_view(database)
    try:
        assert {row.horizon for row in view.contract_rows()} == {date(2028, 12, 31)}
        judged = judge(seeded_ledger.entries(REF), today=date(2026, 12, 31))
        assert judged.contract.horizon == date(2028, 12, 31)
    finally:
        close_view(view)
