"""Properties of evaluate over random valid histories of the four real contracts."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.calendar import on_or_next_working_day, on_or_previous_working_day
from domain.events import PROPOSALS
from domain.rules import evaluate
from tests.rules.builders import ALL, Given

THROUGH = date(2027, 6, 30)
START = date(2022, 1, 3)

# type → (field referring to an earlier entry, the type it refers to)
_REFERRING = {
    "LexSarahCopySent": ("anmalan_seq", "LexSarahNotifiedToIVO"),
    "SupervisionReportedToBestallare": ("supervision_seq", "SupervisionOpened"),
    "PremisesChangeNotified": ("change_seq", "PremisesChanged"),
    "StaffingChangeNotified": ("change_seq", "StaffingChanged"),
    "BreachRemedied": ("breach_notice_seq", "BreachNoticeIssued"),
    "EarlyTerminationGiven": ("breach_notice_seq", "BreachNoticeIssued"),
    "TerminationNoticeWithdrawn": ("notice_seq", "TerminationNoticeGiven"),
    "DisputeDialogueHeld": ("dispute_seq", "DisputeRaised"),
    "DisputeReferredToKommunstyrelsen": ("dispute_seq", "DisputeRaised"),
    "DisputeWithdrawn": ("dispute_seq", "DisputeRaised"),
    "InformationProvided": ("request_seq", "InformationRequested"),
    "RenegotiationConcluded": ("request_seq", "RenegotiationRequested"),
    "ComplaintForwarded": ("complaint_seq", "ComplaintReceived"),
    "ForceMajeureEnded": ("declaration_seq", "ForceMajeureDeclared"),
}
_EXTRA = {
    "LexSarahReported": {"count": 2},
    "LexSarahNotifiedToIVO": {},
    "SupervisionOpened": {},
    "PremisesChanged": {"address": "Storgatan 1"},
    "StaffingChanged": {"planned": True},
    "BreachNoticeIssued": {"breaches": ["brist"]},
    "TerminationNoticeGiven": {"by": "utforare"},
    "AnnualReportSubmitted": {},
    "LexSarahSummarySubmitted": {},
    "InsuranceProofSubmitted": {"insurer": "AB", "amount": "20000000.00"},
    "WaitingTimeReported": {},
    "WaitingTimeNotified": {},
    "DisputeRaised": {"by": "bestallare", "subject": "tvist"},
    "ServiceHoursReported": {},
    "DisputeDialogueHeld": {"outcome": "samtal"},
    "TerminationNoticeWithdrawn": {},
    "AgreementAccepted": {},
    "InformationRequested": {"subject": "uppgifter"},
    "RenegotiationRequested": {"by": "utforare", "grounds": "skatter"},
    "RenegotiationConcluded": {"outcome": "ingen ändring"},
    "ComplaintReceived": {"concerns_forvaltning": True},
    "QuarterReconciled": {"quarter": "2023-Q2"},
    "ForceMajeureDeclared": {"by": "utforare", "cause": "crisis", "description": "brand",
                             "duties": ["supervision_report", "lex_sarah_copy", "annual_report",
                                        "information_request", "quarterly_reconciliation"]},
}
TYPES = sorted(set(_EXTRA) | set(_REFERRING) | {"EntryCorrected"})


@st.composite
def histories(draw: st.DrawFn) -> Given:
    history = Given(draw(st.sampled_from(ALL)))
    day = START
    for _ in range(draw(st.integers(0, 40))):
        day += timedelta(days=draw(st.integers(0, 60)))
        kind = draw(st.sampled_from(TYPES))
        fields = dict(_EXTRA.get(kind, {}))
        earlier = {e.seq: e for e in history.entries if e.seq > 1}
        if kind in _REFERRING:
            name, target = _REFERRING[kind]
            candidates = [s for s, e in earlier.items() if e.type == target]
            if not candidates:
                continue
            fields[name] = draw(st.sampled_from(candidates))
        role = None
        if kind == "AgreementAccepted":
            proposals = [e for s, e in earlier.items() if e.type in PROPOSALS]
            if not proposals:
                continue
            proposal = draw(st.sampled_from(proposals))
            fields["proposal_seq"] = proposal.seq
            role = "bestallare" if proposal.role == "utforare" else "utforare"
        if kind == "EntryCorrected":
            corrected = {e.data["entry_seq"] for e in history.entries if e.type == "EntryCorrected"}
            candidates = [s for s, e in earlier.items() if e.type != "EntryCorrected" and s not in corrected]
            if not candidates:
                continue
            fields.update(entry_seq=draw(st.sampled_from(candidates)), reason="fel")
        if kind == "PremisesChanged":
            fields["within_tatort"] = draw(st.booleans())
        if kind in {"BreachNoticeIssued", "TerminationNoticeGiven", "EarlyTerminationGiven"}:
            fields["written"] = draw(st.booleans())
        if kind == "StaffingChanged":
            fields.update(socionomer=draw(st.integers(0, 3)), authorised_counsellors=draw(st.integers(0, 2)))
        if kind in {"AnnualReportSubmitted", "LexSarahSummarySubmitted"}:
            fields["year"] = draw(st.integers(2020, 2026))
        if kind == "InsuranceProofSubmitted":
            fields["expires_on"] = (day + timedelta(days=draw(st.integers(30, 400)))).isoformat()
        if kind == "WaitingTimeReported":
            fields.update(period=f"{day:%Y-%m}", longest_wait_days=draw(st.integers(0, 30)))
        if kind == "ServiceHoursReported":
            fields.update(month=f"{day:%Y-%m}", sessions=[{"minutes": draw(st.integers(1, 180))}],
                          group_sessions=[{"minutes": draw(st.integers(30, 150)),
                                           "participants": draw(st.integers(1, 9))}])
        if kind == "TerminationNoticeGiven" and draw(st.booleans()):
            fields["agreed_months"] = draw(st.integers(0, 14))
        history.then(kind, day, role=role, **fields)
    return history


_SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_SETTINGS
@given(histories())
def test_obligation_ids_unique_and_dates_consistent(history: Given) -> None:
    evaluation = evaluate(history.entries, through=THROUGH)
    ids = [o.id for o in evaluation.obligations]
    assert len(ids) == len(set(ids))
    for obligation in evaluation.obligations:
        assert obligation.arises_on <= THROUGH
        assert obligation.fulfilled_on is None or obligation.fulfilled_on >= obligation.arises_on
        assert obligation.void_on is None or obligation.fulfilled_on is None
        if obligation.due is not None:
            # After an event the working day on or after the deadline; before one, on or before.
            assert obligation.due_working_day in (on_or_next_working_day(obligation.due),
                                                  on_or_previous_working_day(obligation.due))
        if obligation.fulfilled_on is not None:
            assert obligation.status_on(obligation.fulfilled_on) == "fulfilled"
            assert obligation.status_on(THROUGH) == "fulfilled"
        elif obligation.void_on is None and obligation.due is not None:
            assert obligation.status_on(obligation.due) == "open"
            assert obligation.status_on(obligation.due + timedelta(days=1)) == "overdue"
    for deviation in evaluation.deviations:
        assert deviation.until is None or deviation.until >= deviation.since
        assert deviation.seqs


@_SETTINGS
@given(histories(), st.integers(1, 40))
def test_prefix_obligations_survive_in_the_full_history(history: Given, k: int) -> None:
    """What entries ≤ k created is still created, with the same due date, by the whole history —
    unless a befrielsegrund suspends it (a later fact may move a due date: force_majeure)."""
    full = {o.id: o for o in evaluate(history.entries, through=THROUGH).obligations}
    corrected = {e.data["entry_seq"] for e in history.entries if e.type == "EntryCorrected"}
    prefix = evaluate(history.entries[:k], through=THROUGH).obligations
    for obligation in prefix:
        if obligation.created_by_seq is None or obligation.created_by_seq in corrected:
            continue
        assert obligation.id in full, obligation.id
        later = full[obligation.id]
        assert (later.created_by_seq, later.holder) == (obligation.created_by_seq, obligation.holder)
        if later.suspended_from is None:
            assert obligation.suspended_from is None and later.due == obligation.due
        elif obligation.suspended_from is None and obligation.due is not None:
            # the due date it had fell inside the suspension that moved it
            assert later.suspended_from <= obligation.due
            assert later.suspended_until is None or obligation.due <= later.suspended_until
        if obligation.fulfilled_by_seq is not None and obligation.fulfilled_by_seq not in corrected:
            assert later.fulfilled_on is not None and later.fulfilled_on <= obligation.fulfilled_on
