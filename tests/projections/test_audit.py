"""``verify --read-models``: an edit of the views file or of a snapshot is caught and named."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import orjson
import pytest

from domain.contract import contract_id
from domain.ledger import Ledger
from domain.storage import Database
from projections.audit import verify_read_models
from projections.runner import catch_up
from projections.views import ReadModelView
from tests.projections.support import TODAY, opened, record_history
from tests.support.history import REF
from tests.test_verification import run_cli


def _write(view: ReadModelView, text: str, params: tuple[Any, ...]) -> None:
    with view._transaction(commit=True) as cursor:
        cursor.execute(view._sql(text), params)


def _open_obligation(view: ReadModelView) -> tuple[str, bytes]:
    rows = view._select("SELECT id, doc FROM {rm_obligations} WHERE ref = ? AND fulfilled_by_seq IS NULL "
                        "ORDER BY id", (REF,), tuples=True)
    oid, doc = rows[0]
    return oid, bytes(doc)


def fulfil_an_open_obligation(view: ReadModelView) -> str:
    oid, _ = _open_obligation(view)
    _write(view, "UPDATE {rm_obligations} SET fulfilled_by_seq = 2 WHERE ref = ? AND id = ?", (REF, oid))
    return f"obligation {oid}"


def falsify_a_served_note(view: ReadModelView) -> str:
    oid, doc = _open_obligation(view)
    served = orjson.loads(doc) | {"explanation": "nothing to do here"}
    _write(view, "UPDATE {rm_obligations} SET doc = ? WHERE ref = ? AND id = ?",
           (orjson.dumps(served), REF, oid))
    return "as listed across contracts"


def edit_the_audit_trail(view: ReadModelView) -> str:
    (packed,), = view._select("SELECT entry FROM {rm_entries} WHERE ref = ? AND seq = ?", (REF, 3),
                              tuples=True)
    entry = orjson.loads(bytes(packed))
    entry[4] = "someone else"  # the actor
    _write(view, "UPDATE {rm_entries} SET entry = ? WHERE ref = ? AND seq = ?",
           (orjson.dumps(entry), REF, 3))
    return "audit trail entry 3"


def change_the_status(view: ReadModelView) -> str:
    _write(view, "UPDATE {rm_contracts} SET status = ? WHERE ref = ?", ("terminated", REF))
    return "contract row: status"


TAMPERS: list[Callable[[ReadModelView], str]] = [
    fulfil_an_open_obligation, falsify_a_served_note, edit_the_audit_trail, change_the_status]


@pytest.mark.parametrize("tamper", TAMPERS, ids=[t.__name__ for t in TAMPERS])
def test_an_edited_view_is_caught(seeded_ledger: Ledger, database: Database,
                                  tamper: Callable[[ReadModelView], str]) -> None:
    record_history(seeded_ledger)
    with opened(database) as view:
        catch_up(view, seeded_ledger, today=TODAY)
        report = verify_read_models(view, seeded_ledger)
        assert report.ok, report.problem
        assert report.contracts == 4
        expected = tamper(view)
        report = verify_read_models(view, seeded_ledger)
    assert not report.ok
    assert REF in (report.problem or "") and expected in (report.problem or ""), report.problem


def test_an_edited_snapshot_is_caught(seeded_ledger: Ledger, database: Database) -> None:
    record_history(seeded_ledger)
    seeded_ledger.take_snapshot(contract_id(REF))
    with opened(database) as view:
        catch_up(view, seeded_ledger, today=TODAY)
        report = verify_read_models(view, seeded_ledger)
        assert report.ok and report.snapshots == 1, report.problem
    recorder: Any = seeded_ledger.snapshots.recorder  # type: ignore[union-attr]
    stored = recorder.select_events(contract_id(REF))[-1]
    state = orjson.loads(stored.state)
    state["state"]["corrected"] = []  # as if no entry had been corrected: decisions would differ
    placeholder = "?" if database.engine == "sqlite" else "%s"
    with recorder.datastore.transaction(commit=True) as cursor:
        cursor.execute(f"UPDATE {recorder.events_table_name} SET state = {placeholder} "
                       f"WHERE originator_version = {placeholder}",
                       (orjson.dumps(state), stored.originator_version))
    with opened(database) as view:
        report = verify_read_models(view, seeded_ledger)
    assert not report.ok and "snapshot" in (report.problem or ""), report.problem

    result = run_cli(database, "verify", "--read-models")
    assert result.exit_code == 1, result.output
    assert "snapshot" in result.stderr and "Traceback" not in result.output


def test_a_snapshot_whose_head_is_not_its_entry_is_ignored(seeded_ledger: Ledger,
                                                           database: Database) -> None:
    from domain.ledger import Ledger as LedgerApp

    record_history(seeded_ledger)
    seeded_ledger.take_snapshot(contract_id(REF))
    truth = seeded_ledger.contract(REF)
    recorder: Any = seeded_ledger.snapshots.recorder  # type: ignore[union-attr]
    stored = recorder.select_events(contract_id(REF))[-1]
    state = orjson.loads(stored.state)
    state["state"]["head"] = "0" * 64
    state["state"]["corrected"] = []
    placeholder = "?" if database.engine == "sqlite" else "%s"
    with recorder.datastore.transaction(commit=True) as cursor:
        cursor.execute(f"UPDATE {recorder.events_table_name} SET state = {placeholder} "
                       f"WHERE originator_version = {placeholder}",
                       (orjson.dumps(state), stored.originator_version))
    fresh = LedgerApp.open(database)  # nothing cached: loads from the snapshot
    try:
        loaded = fresh.contract(REF)
        assert loaded.head == truth.head and loaded.corrected == truth.corrected
    finally:
        fresh.close()
