"""For random valid histories on the four contracts: live read models == rebuild == the pure rules."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.contract import Actor
from domain.ledger import Ledger
from domain.storage import Database
from projections import rules
from projections.judgement import horizon_of
from projections.reads import ReadModels
from projections.rebuild import rebuild
from projections.runner import ReadModelRunner, close_view, open_view
from tests.projections.support import TODAY, by_rules, from_view, snapshot, today, try_record
from tests.support.builders import actor, catalogue_refs, event, seed

U, B = actor("utforare"), actor("bestallare")
START = date(2023, 1, 1)

# kind → (recorder, reference field and the type it names, extra fields from a draw)
KINDS: dict[str, tuple[Actor, tuple[str, str] | None, Callable[[Any], dict[str, Any]]]] = {
    "LexSarahReported": (U, None, lambda d: {"count": 1 + d % 3}),
    "LexSarahNotifiedToIVO": (U, None, lambda d: {}),
    "LexSarahCopySent": (U, ("anmalan_seq", "LexSarahNotifiedToIVO"), lambda d: {}),
    "LexSarahSummarySubmitted": (U, None, lambda d: {"year": 2022 + d % 4}),
    "SupervisionOpened": (B, None, lambda d: {}),
    "SupervisionReportedToBestallare": (U, ("supervision_seq", "SupervisionOpened"), lambda d: {}),
    "PremisesChanged": (U, None, lambda d: {"address": f"Gatan {d}", "within_tatort": d % 2 == 0}),
    "PremisesChangeNotified": (U, ("change_seq", "PremisesChanged"), lambda d: {}),
    "StaffingChanged": (U, None, lambda d: {"planned": d % 2 == 0, "socionomer": d % 4,
                                            "authorised_counsellors": d % 2}),
    "StaffingChangeNotified": (U, ("change_seq", "StaffingChanged"), lambda d: {}),
    "AnnualReportSubmitted": (U, None, lambda d: {"year": 2022 + d % 4}),
    "IndexationApplied": (B, None, lambda d: {"year": 2023 + d % 3, "index": "OPI",
                                              "percent": f"{d % 5}.5000", "preliminary": d % 2 == 1}),
    "InsuranceProofSubmitted": (U, None, lambda d: {"insurer": "Försäkringsbolaget",
                                                    "amount": f"{10 + d % 20}000000.00",
                                                    "expires_on": (START + timedelta(days=200 + 40 * d))}),
    "TerminationNoticeGiven": (B, None, lambda d: {"by": "bestallare", "written": d % 3 != 0}),
    "TerminationNoticeWithdrawn": (B, ("notice_seq", "TerminationNoticeGiven"), lambda d: {}),
    "BreachNoticeIssued": (B, None, lambda d: {"written": d % 4 != 0, "breaches": ["Brist"]}),
    "BreachRemedied": (U, ("breach_notice_seq", "BreachNoticeIssued"), lambda d: {}),
    "EarlyTerminationGiven": (B, ("breach_notice_seq", "BreachNoticeIssued"),
                              lambda d: {"written": d % 5 != 0}),
    "WaitingTimeReported": (U, None, lambda d: {"period": f"2024-{1 + d % 12:02d}",
                                                "longest_wait_days": 7 * (d % 4)}),
    "DisputeRaised": (B, None, lambda d: {"by": "bestallare", "subject": "Tvist"}),
    "DisputeDialogueHeld": (B, ("dispute_seq", "DisputeRaised"), lambda d: {"outcome": "Samtal"}),
    "DisputeReferredToKommunstyrelsen": (B, ("dispute_seq", "DisputeRaised"), lambda d: {}),
    "EntryCorrected": (U, ("entry_seq", ""), lambda d: {"reason": "Fel"}),
    "InformationRequested": (B, None, lambda d: {"subject": "Uppgifter"}),
    "InformationProvided": (U, ("request_seq", "InformationRequested"), lambda d: {}),
    "QuarterReconciled": (B, None, lambda d: {"quarter": f"{2022 + d % 4}-Q{1 + d % 4}"}),
    "ForceMajeureDeclared": (U, None, lambda d: {
        "by": "utforare", "cause": "crisis", "description": "Brand",
        "duties": ["supervision_report", "annual_report", "information_request"]}),
    "ForceMajeureEnded": (U, ("declaration_seq", "ForceMajeureDeclared"), lambda d: {}),
}

steps = st.lists(
    st.tuples(st.integers(0, 3), st.sampled_from(sorted(KINDS)), st.integers(0, 1400),
              st.integers(0, 50)),
    min_size=1, max_size=25,
)


def record_steps(ledger: Ledger, drawn: list[tuple[int, str, int, int]]) -> None:
    refs = catalogue_refs()
    recorded: dict[str, list[tuple[int, str, Actor]]] = {ref: [] for ref in refs}
    for ref_index, kind, offset, draw in drawn:
        ref = refs[ref_index]
        who, reference, fields = KINDS[kind]
        extra = fields(draw)
        if reference:
            field, target = reference
            candidates = [(seq, by) for seq, type_, by in recorded[ref] if not target or type_ == target]
            if not candidates:
                continue
            seq, by = candidates[draw % len(candidates)]
            extra[field] = seq
            if kind == "EntryCorrected":
                who = by
        happened = event(kind, START + timedelta(days=offset), **extra)
        if try_record(ledger, ref, who, happened):
            recorded[ref].append((ledger.contract(ref).version, kind, who))


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(drawn=steps)
def test_live_equals_rebuild_equals_rules(fresh_database: Callable[[], Database],
                                          drawn: list[tuple[int, str, int, int]]) -> None:
    database = fresh_database()
    ledger = Ledger.open(database)
    try:
        seed(ledger)
        with ReadModelRunner(database, today=today) as runner:
            record_steps(ledger, drawn)
            runner.wait(ledger.recorder.max_notification_id(), timeout=20)
            live = snapshot(runner.view)

        rebuild(database, today=TODAY, batch_size=4)
        view = open_view(database)
        try:
            assert snapshot(view) == live
            for ref in catalogue_refs():
                assert from_view(view, ref) == by_rules(ledger, ref)
        finally:
            close_view(view)

        with ReadModels(database, today=today, ledger=ledger) as models:
            for ref in catalogue_refs():
                entries = ledger.entries(ref)
                for entry in entries[-3:]:
                    known = [e for e in entries if e.recorded_at <= entry.recorded_at]
                    expected = rules.evaluate(known, through=horizon_of(TODAY))
                    got = models.obligations(ref, as_of=TODAY, known_at=entry.recorded_at)
                    assert sorted((o.id, s) for o, s in got) == sorted(
                        (o.id, o.status_on(TODAY)) for o in expected.obligations if o.arises_on <= TODAY)
                    got_deviations = models.deviations(ref, as_of=TODAY, known_at=entry.recorded_at)
                    assert [d for d, _ in got_deviations] == [
                        d for d in expected.deviations if d.since <= TODAY]
    finally:
        ledger.close()
