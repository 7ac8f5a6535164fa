"""Termination: ordinary notice, withdrawal, breach notice and cure, early termination."""

from __future__ import annotations

from domain.rules import evaluate, notice_position
from domain.rules.notice import contract_status
from tests.rules.builders import C, F, Given, S, V, d, deviations, obligations


def test_ordinary_notice_v_twelve_months() -> None:
    """V 1.1 Tidsperiod: "Uppsägningstiden är 12 månader …" — in force up to and including ends_on."""
    given = Given(V)
    seq = given.notice("2025-03-15", by="utforare")
    position = notice_position(given.entries, d("2025-06-01"))
    assert position.status == "under_notice"
    assert position.ends_on == d("2026-03-15")
    assert position.notice_months == 12
    assert [(n.seq, n.effective, n.ends_on) for n in position.notices] == [(seq, True, d("2026-03-15"))]
    assert contract_status(given.entries, d("2026-03-15")) == "under_notice"
    assert contract_status(given.entries, d("2026-03-16")) == "ended"
    assert notice_position(given.entries, d("2026-03-16")).end_if_notice_today is None


def test_ordinary_notice_running_contract_end_if_notice_today() -> None:
    """F 1.1 Uppdragstid: 12 months; with no notice the contract runs."""
    position = notice_position(Given(F).entries, d("2025-01-31"))
    assert position.status == "running"
    assert position.ends_on is None
    assert position.end_if_notice_today == d("2026-01-31")


def test_agreed_months_clamped_at_month_end_c() -> None:
    """C 1. Uppdragstid: "… om parterna inte kommer överens om annat": 1 month from 31 January."""
    given = Given(C)
    seq = given.notice("2025-01-31", agreed_months=1)
    given.accept("2025-01-31", seq)
    assert notice_position(given.entries, d("2025-02-01")).ends_on == d("2025-02-28")
    assert contract_status(given.entries, d("2025-03-01")) == "ended"


def test_notice_not_written_has_no_effect_f() -> None:
    """F 1.1: termination is written; an oral notice has no effect and is a deviation."""
    given = Given(F)
    seq = given.notice("2025-03-15", written=False)
    position = notice_position(given.entries, d("2025-04-01"))
    assert position.status == "running"
    assert position.notices[0].effective is False
    [deviation] = deviations(given, "2025-04-01", "notice_not_written")
    assert deviation.since == d("2025-03-15") and deviation.seqs == (seq,)
    assert deviation.clause.section.startswith("1.1")


def test_no_notice_clause_s() -> None:
    """S states no notice period: the notice is recorded, ends_on unknown, deviation no_notice_clause."""
    given = Given(S)
    seq = given.notice("2025-03-15")
    position = notice_position(given.entries, d("2025-04-01"))
    assert position.status == "under_notice"
    assert position.ends_on is None
    assert position.notice_months is None
    assert position.end_if_notice_today is None
    [deviation] = deviations(given, "2025-04-01", "no_notice_clause")
    assert deviation.seqs == (seq,) and deviation.clause.inferred


def test_withdrawn_by_agreement_loses_effect_v() -> None:
    """V 1.1: a withdrawal the other party accepts ends the notice (DOMAIN.md §2 principle 3)."""
    given = Given(V)
    seq = given.notice("2025-03-15")
    withdrawal = given.then("TerminationNoticeWithdrawn", "2025-05-01", notice_seq=seq,
                            role="bestallare")
    given.accept("2025-05-01", withdrawal)
    assert contract_status(given.entries, d("2025-04-30")) == "under_notice"
    assert contract_status(given.entries, d("2025-05-01")) == "running"
    assert contract_status(given.entries, d("2026-04-01")) == "running"
    assert notice_position(given.entries, d("2025-05-01")).notices[0].withdrawn_on == d("2025-05-01")


def test_withdrawal_not_accepted_has_no_effect_c() -> None:
    """C 1.: one party cannot take back a notice alone."""
    given = Given(C)
    seq = given.notice("2025-03-15")
    given.then("TerminationNoticeWithdrawn", "2025-05-01", notice_seq=seq, role="bestallare")
    assert contract_status(given.entries, d("2025-06-01")) == "under_notice"


def test_earliest_of_two_notices_ends_the_contract_f() -> None:
    """F 1.1: with two effective notices the earlier ends_on governs."""
    given = Given(F)
    given.notice("2025-03-15", by="utforare")
    agreed = given.notice("2025-02-10", by="bestallare", agreed_months=3)
    given.accept("2025-02-10", agreed)
    assert notice_position(given.entries, d("2025-04-01")).ends_on == d("2025-05-10")


def test_amended_notice_months_apply_from_their_effective_date_v() -> None:
    """V 1.1 amended to 6 months from 2025-06-01: a notice before uses 12, after uses 6."""
    given = Given(V)
    given.amend("2025-06-01", {"termination": {"notice_months": 6}})
    before = given.notice("2025-05-15")
    after = given.notice("2025-06-15", by="utforare")
    judged = {n.seq: n.ends_on for n in evaluate(given.entries, through=d("2025-07-01")).notices}
    assert judged == {before: d("2026-05-15"), after: d("2025-12-15")}
    assert notice_position(given.entries, d("2025-05-31")).end_if_notice_today == d("2026-05-31")
    assert notice_position(given.entries, d("2025-06-01")).end_if_notice_today == d("2025-12-01")


# --- breach notice, cure, early termination ------------------------------------------


def _breach(ref: str, on: str = "2025-03-01", written: bool = True) -> tuple[Given, int]:
    given = Given(ref)
    return given, given.then("BreachNoticeIssued", on, written=written, breaches=["Bemanningen brister"])


def test_cure_breach_v_thirty_calendar_days() -> None:
    """V 5.3 Förtida uppsägning: written breach notice on D → cure by D + 30 (2025-03-31)."""
    given, seq = _breach(V)
    [cure] = obligations(given, "2025-03-01", "cure_breach")
    assert (cure.id, cure.holder, cure.due, cure.created_by_seq) == (
        f"cure_breach:{seq}", "utforare", d("2025-03-31"), seq)
    assert cure.clause.section.startswith("5.3")
    assert cure.status_on(d("2025-03-31")) == "open"
    assert cure.status_on(d("2025-04-01")) == "overdue"


def test_cure_breach_fulfilled_by_remedy_s() -> None:
    """S Förtida uppsägning: BreachRemedied fulfils the cure obligation."""
    given, seq = _breach(S)
    remedy = given.then("BreachRemedied", "2025-03-20", breach_notice_seq=seq)
    [cure] = obligations(given, "2025-04-01", "cure_breach")
    assert (cure.fulfilled_by_seq, cure.fulfilled_on) == (remedy, d("2025-03-20"))
    assert cure.status_on(d("2025-04-01")) == "fulfilled"
    assert cure.status_on(d("2025-03-19")) == "open"


def test_cure_breach_none_without_early_termination_clause_f_c() -> None:
    """F and C have no early-termination clause: a breach notice opens no cure obligation."""
    for ref in (F, C):
        given, _ = _breach(ref)
        assert obligations(given, "2025-06-01", "cure_breach") == []


def test_cure_breach_none_for_unwritten_breach_notice_v() -> None:
    """V 5.3 requires a written påpekande."""
    given, _ = _breach(V, written=False)
    assert obligations(given, "2025-06-01", "cure_breach") == []


def test_early_termination_on_cure_deadline_day_has_no_effect_v() -> None:
    """V 5.3: on D + 30 (2025-03-31) the cure period is still running."""
    given, seq = _breach(V)
    early = given.then("EarlyTerminationGiven", "2025-03-31", breach_notice_seq=seq, written=True)
    assert contract_status(given.entries, d("2025-04-15")) == "running"
    [deviation] = deviations(given, "2025-04-15", "early_termination_without_grounds")
    assert deviation.seqs == (early, seq)
    assert "2025-04-01" in deviation.explanation


def test_early_termination_day_after_cure_deadline_v() -> None:
    """V 5.3: from D + 31 (2025-04-01), unremedied → ends 3 months later (2025-07-01)."""
    given, seq = _breach(V)
    given.then("EarlyTerminationGiven", "2025-04-01", breach_notice_seq=seq, written=True)
    position = notice_position(given.entries, d("2025-04-15"))
    assert (position.status, position.ends_on) == ("under_notice", d("2025-07-01"))
    assert position.notices[0].kind == "early"
    assert contract_status(given.entries, d("2025-07-02")) == "ended"
    assert deviations(given, "2025-04-15", "early_termination_without_grounds") == []


def test_early_termination_after_remedy_has_no_effect_s() -> None:
    """S Förtida uppsägning: a breach remedied on or before the termination gives no ground."""
    given, seq = _breach(S)
    given.then("BreachRemedied", "2025-04-01", breach_notice_seq=seq)
    given.then("EarlyTerminationGiven", "2025-04-01", breach_notice_seq=seq, written=True)
    assert contract_status(given.entries, d("2025-05-01")) == "running"
    [deviation] = deviations(given, "2025-05-01", "early_termination_without_grounds")
    assert "rättades" in deviation.explanation


def test_early_termination_without_clause_c() -> None:
    """C has no early-termination clause: no effect, deviation naming why."""
    given, seq = _breach(C)
    given.then("EarlyTerminationGiven", "2025-05-01", breach_notice_seq=seq, written=True)
    assert contract_status(given.entries, d("2025-06-01")) == "running"
    [deviation] = deviations(given, "2025-06-01", "early_termination_without_grounds")
    assert "saknar bestämmelse" in deviation.explanation


def test_early_termination_on_unwritten_breach_notice_v() -> None:
    """V 5.3: the påpekande must be written."""
    given, seq = _breach(V, written=False)
    given.then("EarlyTerminationGiven", "2025-05-01", breach_notice_seq=seq, written=True)
    [deviation] = deviations(given, "2025-06-01", "early_termination_without_grounds")
    assert "inte skriftligt" in deviation.explanation
