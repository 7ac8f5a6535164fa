"""evaluate as a whole: corrections, amendments over time, valid time, the contract's end, speed."""

from __future__ import annotations

from datetime import timedelta

from domain.rules import evaluate
from tests.rules.builders import C, F, Given, S, V, d, deviations, obligations


def test_corrected_trigger_creates_nothing_v() -> None:
    """DOMAIN.md §2.3: an entry named by EntryCorrected is ignored entirely."""
    given = Given(V)
    seq = given.then("LexSarahNotifiedToIVO", "2025-04-17")
    given.correct("2025-04-18", seq)
    assert obligations(given, "2025-05-01", "lex_sarah_copy") == []


def test_corrected_fulfilment_no_longer_fulfils_s() -> None:
    """A corrected LexSarahCopySent leaves the copy obligation overdue."""
    given = Given(S)
    seq = given.then("LexSarahNotifiedToIVO", "2025-04-17")
    sent = given.then("LexSarahCopySent", "2025-04-22", anmalan_seq=seq)
    given.correct("2025-04-23", sent)
    [copy] = obligations(given, "2025-05-01", "lex_sarah_copy")
    assert copy.fulfilled_by_seq is None and copy.status_on(d("2025-05-01")) == "overdue"


def test_corrected_notice_leaves_contract_running_c() -> None:
    """A corrected notice has no effect and no deviation."""
    given = Given(C)
    seq = given.notice("2025-03-15", written=False)
    given.correct("2025-03-16", seq)
    evaluation = evaluate(given.entries, through=d("2025-04-01"))
    assert evaluation.notices == [] and evaluation.deviations == []
    assert evaluation.notice is not None and evaluation.notice.status == "running"


def test_amendment_removing_clause_applies_from_its_date_f() -> None:
    """An amendment (JSON merge patch) removing the lex Sarah copy duty from 2025-06-01."""
    given = Given(F)
    given.amend("2025-06-01", {"lex_sarah_copy": None})
    before = given.then("LexSarahNotifiedToIVO", "2025-05-30")
    given.then("LexSarahNotifiedToIVO", "2025-06-02")
    assert [o.created_by_seq for o in obligations(given, "2025-07-01", "lex_sarah_copy")] == [before]


def test_amendment_recorded_late_still_applies_from_its_effective_date_v() -> None:
    """Terms on a day: every amendment effective by then, applied in seq order (6 wins over 3)."""
    given = Given(V)
    given.amend("2025-09-01", {"termination": {"notice_months": 3}})
    given.amend("2025-06-01", {"termination": {"notice_months": 6}})
    first = given.notice("2025-07-01")
    second = given.notice("2025-10-01", by="utforare")
    judged = {n.seq: n.ends_on for n in evaluate(given.entries, through=d("2025-12-01")).notices}
    assert judged == {first: d("2026-01-01"), second: d("2026-04-01")}


def test_entries_after_through_are_not_yet_facts_f() -> None:
    """Valid time: evaluate(through=day) ignores what happens after day."""
    given = Given(F)
    seq = given.then("SupervisionOpened", "2025-04-01")
    given.then("SupervisionReportedToBestallare", "2025-04-10", supervision_seq=seq)
    [report] = obligations(given, "2025-04-09", "supervision_report")
    assert report.fulfilled_by_seq is None
    assert obligations(given, "2025-03-31", "supervision_report") == []


def test_periodic_duties_stop_after_the_end_v() -> None:
    """Policy: after ends_on no new periods; the year of the end still gets its reports."""
    given = Given(V)
    given.notice("2025-01-15")  # ends 2026-01-15
    periods = [o.period for o in obligations(given, "2028-06-01", "annual_report")]
    assert periods == [str(y) for y in range(2020, 2027)]
    given.then("SupervisionOpened", "2026-02-01")
    assert obligations(given, "2028-06-01", "supervision_report") == []


def test_open_duty_due_after_the_end_stays_s() -> None:
    """Policy: a duty arisen before the end stays even if due after it."""
    given = Given(S)
    breach = given.then("BreachNoticeIssued", "2025-01-02", written=True, breaches=["x"])
    # ends 2025-05-03
    given.then("EarlyTerminationGiven", "2025-02-03", breach_notice_seq=breach, written=True)
    given.then("LexSarahNotifiedToIVO", "2025-05-02")  # Friday → due Monday 2025-05-05
    [copy] = obligations(given, "2025-06-01", "lex_sarah_copy")
    assert copy.due == d("2025-05-05")


def test_every_obligation_cites_its_contract_and_ids_are_unique() -> None:
    """Each obligation's clause comes from the contract's own terms."""
    for ref in (V, F, S, C):
        given = Given(ref)
        given.then("LexSarahNotifiedToIVO", "2025-04-17")
        given.then("SupervisionOpened", "2025-04-17")
        found = evaluate(given.entries, through=d("2026-01-01")).obligations
        assert len({o.id for o in found}) == len(found)
        documents = {given.terms.compensation.citation.document}
        assert all(o.clause.document in documents for o in found)


def test_ten_thousand_entries_in_one_pass() -> None:
    """A long history (10 000 entries) is judged completely; its speed is measured in bench/."""
    given = Given(F)
    day = d("2022-01-03")
    for i in range(2500):
        on = day + timedelta(days=i // 2)
        seq = given.then("LexSarahNotifiedToIVO", on)
        given.then("LexSarahCopySent", on, anmalan_seq=seq)
        given.then("ServiceHoursReported", on, month=f"{on:%Y-%m}", sessions=[{"minutes": 50}])
        given.then("StaffingChanged", on, planned=False, authorised_counsellors=i % 2)
    evaluation = evaluate(given.entries, through=d("2030-01-01"))
    assert len([o for o in evaluation.obligations if o.kind == "lex_sarah_copy"]) == 2500
    assert deviations(given, "2030-01-01", "counsellors_below_minimum")
