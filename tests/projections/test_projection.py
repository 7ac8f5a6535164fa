"""The read models kept by the live projection: equal to a rebuild and to the pure rules, exactly once."""

from __future__ import annotations

import os
from datetime import date
from multiprocessing.connection import Connection
from typing import Any

import pytest

import projections.rebuild as rebuild_module
import projections.views as views_module
from domain.ledger import Ledger
from domain.retry import Backoff
from domain.storage import Database
from projections.judgement import judge
from projections.rebuild import rebuild
from projections.runner import ReadModelRunner, ReadModelsBehind, catch_up
from projections.views import ReadModelView
from tests.projections.support import (
    TODAY,
    by_rules,
    from_view,
    opened,
    record_history,
    snapshot,
    today,
)
from tests.support.history import HISTORY, REF


@pytest.mark.parametrize("split", [False, True], ids=["one-process", "split"])
def test_live_projection_equals_rebuild_and_the_rules(seeded_ledger: Ledger, database: Database,
                                                      split: bool) -> None:
    with ReadModelRunner(database, today=today) as runner:
        last = record_history(seeded_ledger)
        runner.wait(last, timeout=10)
        live = snapshot(runner.view)

    reached, judged = [], []
    applied = rebuild(database, today=TODAY, batch_size=7, split=split,
                      progress=lambda position, end: reached.append(position),
                      judging=lambda done, of: judged.append((done, of)))
    assert reached[-1] == last and reached == sorted(reached)
    assert judged[-1] == (4, 4) and judged == sorted(judged)  # the four contracts
    with opened(database) as view:
        rebuilt = snapshot(view)
        assert rebuilt == live
        assert applied == len(HISTORY) + 4
        assert live["position"] == last
        for ref in live["entries"]:
            assert from_view(view, ref) == by_rules(seeded_ledger, ref)


def test_every_event_is_tracked_even_without_a_view_change(seeded_ledger: Ledger, database: Database) -> None:
    from tests.support.builders import actor, event

    outcome = seeded_ledger.record(REF, event("LexSarahReported", "2025-01-02"), actor("utforare"),
                                   idempotency_key="k-1")
    last = seeded_ledger.recorder.max_notification_id()
    with ReadModelRunner(database, today=today) as runner:
        runner.wait(last, timeout=10)
        assert runner.view.position() == last
        assert [e.seq for e in runner.view.entries(REF)] == [1, outcome.seq]


def test_the_projection_survives_an_error_and_catches_up_exactly_once(
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
            raise OSError("database or disk is full")
        return real(self, cursor, batch)

    monkeypatch.setattr(views_module.ReadModelView, "_append", failing)
    runner = ReadModelRunner(database, today=today, backoff=Backoff(first=0.01, most=0.05))
    try:
        last = record_history(seeded_ledger, second)
        with pytest.raises(ReadModelsBehind, match="disk is full"):
            runner.wait(last, timeout=1)
        failing_calls = calls["n"]
        stopped_at = runner.view.position()
        assert before <= stopped_at < before + 3
        assert runner.lag(last).entries == last - runner.settled > 0
        assert runner.lag(last).failure is not None
        # The view holds exactly the entries up to its tracking position, each once.
        assert [e.seq for e in runner.view.entries(REF)] == list(range(1, 2 + half + stopped_at - before))
        monkeypatch.setattr(views_module.ReadModelView, "_append", real)

        # The same runner, still alive, retries and catches up: no restart.
        runner.wait(last, timeout=10)
        assert failing_calls > 1  # it did retry while failing
        assert runner.failure is None and runner.lag(last).entries == 0
        live = snapshot(runner.view)
    finally:
        runner.close()
    entries = live["entries"][REF]
    assert [e.seq for e in entries] == list(range(1, len(HISTORY) + 2))
    assert live["head"][0] == len(HISTORY) + 4

    rebuild(database, today=TODAY)
    with opened(database) as view:
        assert snapshot(view) == live


def test_catch_up_beside_a_running_projection_doubles_nothing(
        seeded_ledger: Ledger, database: Database) -> None:
    with ReadModelRunner(database, today=today) as runner:
        last = record_history(seeded_ledger)
        with opened(database) as view:
            catch_up(view, seeded_ledger, today=TODAY, batch_size=3)
            runner.wait(last, timeout=10)
            assert view.position() == last
        live = snapshot(runner.view)
    assert [e.seq for e in live["entries"][REF]] == list(range(1, len(HISTORY) + 2))
    assert live["head"][0] == len(HISTORY) + 4
    rebuild(database, today=TODAY)
    with opened(database) as view:
        assert snapshot(view) == live


def test_catch_up_stopped_between_batches_resumes_where_it_stopped(
        seeded_ledger: Ledger, database: Database) -> None:
    last = record_history(seeded_ledger)
    with opened(database) as view:
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
    rebuild(database, today=TODAY)
    with opened(database) as view:
        assert snapshot(view) == resumed


def test_the_horizon_is_31_december_two_years_ahead(seeded_ledger: Ledger, database: Database) -> None:
    rebuild(database, today=date(2026, 1, 1))
    with opened(database) as view:
        assert {row.horizon for row in view.contract_rows()} == {date(2028, 12, 31)}
        judged = judge(seeded_ledger.entries(REF), today=date(2026, 12, 31))
        assert judged.contract.horizon == date(2028, 12, 31)


def _live(ledger: Ledger, database: Database) -> dict:  # type: ignore[type-arg]
    with ReadModelRunner(database, today=today) as runner:
        runner.wait(record_history(ledger), timeout=10)
        return snapshot(runner.view)  # type: ignore[no-any-return]


def test_a_split_rebuild_whose_child_dies_is_finished_here(
        seeded_ledger: Ledger, database: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """Given a child that dies after sending the audit rows of its first batch, the rebuild
    still yields what the live projection did: the rest is applied and judged here."""
    live = _live(seeded_ledger, database)
    real = rebuild_module._judge_all

    def dies_after_one_batch(connection: Connection, view: ReadModelView, today: date) -> None:
        sent = connection.send

        def send_then_die(message: object) -> None:
            sent(message)
            os._exit(1)

        connection.send = send_then_die  # type: ignore[method-assign]
        real(connection, view, today)

    monkeypatch.setattr(rebuild_module, "_judge_all", dies_after_one_batch)
    judged = []
    monkeypatch.setattr(views_module.ReadModelView, "write_judged",
                        lambda self, rows: judged.append(rows))
    assert rebuild(database, today=TODAY, batch_size=7, split=True) == len(HISTORY) + 4
    assert judged == []
    with opened(database) as view:
        assert snapshot(view) == live


def test_a_split_rebuild_leaves_what_only_the_mapper_decodes_to_the_catch_up(
        seeded_ledger: Ledger, database: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """Given events from the 10th on that the child could not decode, the child judges the
    contracts on the entries before them, and the catch-up applies the rest and judges again
    the contracts they touch: the same read models as the live projection."""
    live = _live(seeded_ledger, database)
    monkeypatch.setattr(rebuild_module, "read_stored", _only_before(rebuild_module.read_stored, 10))
    written: list[int] = []
    real = views_module.ReadModelView.write_judged
    monkeypatch.setattr(views_module.ReadModelView, "write_judged",
                        lambda self, rows: written.append(real(self, rows)) or written[-1])
    rebuild(database, today=TODAY, batch_size=4, split=True)
    assert sum(written) == 4  # every contract, judged on its entries before the 10th event
    with opened(database) as view:
        assert snapshot(view) == live
        assert view.pending() == []


def _only_before(read_stored: Any, first_undecodable: int) -> Any:
    def read(ledger: Ledger, after: int, limit: int) -> Any:
        stored, last = read_stored(ledger, after, limit)
        return [(nid, seq, state.replace(b'"ref"', b'"_type_":"x","ref"', 1) if nid >= first_undecodable
                 else state) for nid, seq, state in stored], last
    return read
