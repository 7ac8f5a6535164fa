"""Storage-touching controls of issue 11 on both backends: a planned change recorded ahead of
its date, and entries stored by older versions with one-sided consent fields."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from domain.contract import Actor, Contract, contract_id
from domain.errors import ImpossibleAct, NotPermitted
from domain.hashing import entry_body, link
from domain.ledger import Ledger
from domain.storage import Database
from projections.reads import ReadModels
from tests.support.builders import actor, event

S, C, V = "skolsocialt-team", "familjecentraler", "vald-i-nara-relation"
UTFORARE, BESTALLARE = actor("utforare"), actor("bestallare")
RECORDED = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)
TODAY = date(2025, 6, 2)


def test_planned_change_opens_its_notice_duty_at_the_recording_s(seeded_ledger: Ledger,
        database: Database) -> None:
    """S Insyn "i förväg": recorded ahead of its date, the duty is visible from the recording
    (obligations, across contracts) and a notice from then on is in time."""
    change = seeded_ledger.record(S, event("StaffingChanged", "2025-08-18", planned=True,
                                           manager_changed=True), UTFORARE, recorded_at=RECORDED)
    with ReadModels(database, today=lambda: TODAY,
                    ledger=seeded_ledger) as models:
        models.catch_up()
        [duty] = [o for o, _ in models.obligations(S, as_of=TODAY) if o.kind == "staffing_notice"]
        assert (duty.arises_on, duty.due, duty.status_on(TODAY)) == (TODAY, date(2025, 8, 18), "open")
        assert "byte av arbetsledare" in duty.explanation
        assert any(o.kind == "staffing_notice" for _, o, _ in models.open_obligations(as_of=TODAY))
    with pytest.raises(ImpossibleAct, match="before entry"):
        seeded_ledger.record(S, event("StaffingChangeNotified", "2025-06-01", change_seq=change.seq),
                             UTFORARE, recorded_at=RECORDED)
    notified = seeded_ledger.record(S, event("StaffingChangeNotified", "2025-06-02",
                                             change_seq=change.seq), UTFORARE, recorded_at=RECORDED)
    with ReadModels(database, today=lambda: TODAY,
                    ledger=seeded_ledger) as models:
        models.catch_up()
        [duty] = [o for o, _ in models.obligations(S, as_of=TODAY) if o.kind == "staffing_notice"]
        assert duty.fulfilled_by_seq == notified.seq


def _store_legacy(ledger: Ledger, ref: str, entry: dict, who: Actor) -> None:
    """Append an entry as an older version stored it (fields this version refuses on input)."""
    contract: Contract = ledger.contract(ref)
    recorded = datetime(2025, 6, 2, 10, tzinfo=UTC)
    body = entry_body(contract=ref, seq=contract.version + 1, recorded_at=recorded,
                      actor=who.name, role=who.role, event=entry)
    contract.trigger_event(Contract.Recorded, timestamp=recorded, ref=ref, entry=entry,
                           actor=who.name, role=who.role, prev_hash=contract.head,
                           hash=link(contract.head, body))
    ledger.save(contract)


def test_stored_one_sided_consent_loads_and_is_no_acceptance(seeded_ledger: Ledger,
        database: Database) -> None:
    """An old ``agreed_with_bestallare: true`` / ``agreed_by_both: true`` was one party's say:
    the entry loads, verifies and judges, as a proposal awaiting the other party."""
    units = {"Skäggetorp": "1.0", "Berga": "1.0", "Ryd": "1.0", "Lambohov": "1.0", "Valla": "1.0",
             "Ljungsbro": "1.0", "Ekholmen": "1.0", "Tannefors": "2.0"}
    _store_legacy(seeded_ledger, C, {
        "type": "StaffingChanged", "effective_date": "2025-03-01", "document_ref": None,
        "note": None, "planned": True, "fte_allocation": units, "socionomer": None,
        "authorised_counsellors": None, "manager_changed": False, "agreed_with_bestallare": True,
    }, UTFORARE)
    seeded_ledger.record(V, event("TerminationNoticeGiven", "2025-03-01", by="bestallare",
                                  written=True), BESTALLARE)
    _store_legacy(seeded_ledger, V, {
        "type": "TerminationNoticeWithdrawn", "effective_date": "2025-04-01", "document_ref": None,
        "note": None, "notice_seq": 2, "agreed_by_both": True}, BESTALLARE)
    assert seeded_ledger.entries(C)[-1].event.type_name == "StaffingChanged"
    with ReadModels(database, today=lambda: TODAY,
                    ledger=seeded_ledger) as models:
        models.catch_up()
        assert [d.kind for d, is_open in models.deviations(C, as_of=TODAY) if is_open] == [
            "fte_change_not_agreed"]
        assert models.compensation(C, year=2025).agreed_fte == 7.5
        assert models.notice(V, as_of=TODAY).status == "under_notice"
        assert [(p.seq, p.awaiting) for p in models.acceptances(V)] == [(3, "utforare")]
    # and the other party's acceptance gives the old withdrawal its effect
    seeded_ledger.record(V, event("AgreementAccepted", "2025-04-02", proposal_seq=3), UTFORARE)
    with ReadModels(database, today=lambda: TODAY,
                    ledger=seeded_ledger) as models:
        models.catch_up()
        assert models.notice(V, as_of=TODAY).status == "running"


def test_pending_acceptances_survive_a_snapshot_and_a_restart(database: Database) -> None:
    """The write state of two-party acts is in the snapshot (every 200 entries): after a
    restart the pending proposal can be accepted once, and only by the other party."""
    from tests.support.builders import ADMIN, registered

    first = Ledger.open(database)
    try:
        first.register(registered(C), ADMIN)
        first.record(C, event("StaffingChanged", "2025-02-01", planned=True, fte_allocation={
            "Valla": "1.0"}, fte_allocation_partial=True), UTFORARE)
        for n in range(200):
            first.record(C, event("WaitingTimeNotified", date(2025, 3, 1 + n % 28)), UTFORARE)
    finally:
        first.close()
    second = Ledger.open(database)
    try:
        assert list(second.snapshots.get(contract_id(C), desc=True, limit=1))
        with pytest.raises(NotPermitted, match="own act"):
            second.record(C, event("AgreementAccepted", "2025-04-01", proposal_seq=2), UTFORARE)
        second.record(C, event("AgreementAccepted", "2025-04-01", proposal_seq=2), BESTALLARE)
        with pytest.raises(ImpossibleAct, match="already accepted"):
            second.record(C, event("AgreementAccepted", "2025-04-02", proposal_seq=2), BESTALLARE)
    finally:
        second.close()


def test_a_version_1_snapshot_is_upcast_with_no_pending_acts() -> None:
    state: dict = {"index": [], "corrected": []}
    Contract.upcast_v1_v2(state)
    assert (state["proposals"], state["closers"], state["recorded_on"]) == ({}, {}, {})
