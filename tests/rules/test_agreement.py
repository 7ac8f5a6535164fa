"""Two-party acts and the controls of issue 11, rule by rule (DOMAIN.md §2 principle 3)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.calendar import add_months
from domain.contract import Entry
from domain.rules import agreement, evaluate
from domain.rules.billing import billing
from domain.rules.compensation import compensation
from domain.rules.history import History, due_dates
from domain.rules.notice import notice_position
from domain.rules.staffing import allocations
from domain.terms import Policies
from tests.rules.builders import ALL, C, F, Given, S, V, d, deviations, obligations

NINE = {"Skäggetorp": "1.0", "Berga": "1.0", "Ryd": "1.0", "Lambohov": "1.0", "Valla": "1.0",
        "Ljungsbro": "1.0", "Ekholmen": "1.0", "Tannefors": "2.0"}


# --- consent: the other party's AgreementAccepted -------------------------------------------


def test_agreed_period_applies_from_the_later_of_the_two_dates_v() -> None:
    """V 1.1: 3 months proposed 1 March, accepted 20 March → ends 20 June; 12 months before."""
    given = Given(V)
    seq = given.notice("2025-03-01", by="utforare", agreed_months=3)
    assert notice_position(given.entries, d("2025-03-10")).ends_on == d("2026-03-01")
    given.accept("2025-03-20", seq)
    assert notice_position(given.entries, d("2025-03-19")).ends_on == d("2026-03-01")
    assert notice_position(given.entries, d("2025-03-20")).ends_on == d("2025-06-20")


def test_acceptance_by_the_proposing_party_is_no_acceptance_f() -> None:
    """F 1.1: the party that proposed cannot accept for the other (stored before the check)."""
    given = Given(F)
    seq = given.notice("2025-03-01", by="utforare", agreed_months=1)
    given.accept("2025-03-02", seq, by="utforare")
    assert notice_position(given.entries, d("2025-05-01")).ends_on == d("2026-03-01")
    assert [p.seq for p in agreement.pending(History.build(given.entries))] == [seq]


def test_withdrawal_takes_effect_from_the_later_date_c() -> None:
    given = Given(C)
    notice = given.notice("2025-01-10")
    withdrawal = given.then("TerminationNoticeWithdrawn", "2025-02-01", notice_seq=notice,
                            role="bestallare")
    given.accept("2025-02-15", withdrawal)
    assert notice_position(given.entries, d("2025-02-14")).status == "under_notice"
    assert notice_position(given.entries, d("2025-02-15")).status == "running"


def test_agreed_end_on_a_contract_without_notice_period_s() -> None:
    """S states no notice period: an agreed end takes effect once both agree; alone it is unknown."""
    given = Given(S)
    seq = given.notice("2025-03-01", by="bestallare", agreed_months=6)
    alone = notice_position(given.entries, d("2025-04-01"))
    assert (alone.status, alone.ends_on) == ("under_notice", None)
    given.accept("2025-03-05", seq)
    assert notice_position(given.entries, d("2025-04-01")).ends_on == d("2025-09-05")
    assert deviations(given, "2025-04-01", "no_notice_clause") == []


def test_fte_change_agreed_from_the_later_date_pays_from_that_month_c() -> None:
    """C 2: the beställare's acceptance makes 9 FTE agreed from its date, paid from that month."""
    given = Given(C)
    given.then("IndexationApplied", "2025-01-10", year=2025, index="OPI", percent="0")
    change = given.then("StaffingChanged", "2025-02-01", planned=True, fte_allocation=NINE)
    before = compensation(given.entries, 2025)
    assert before.agreed_fte == Decimal("7.5")
    given.accept("2025-04-20", change)
    view = compensation(given.entries, 2025)
    rates = {m.month: m.annual_rate for m in view.months}
    assert rates["2025-03"] == before.annual_amount
    assert rates["2025-04"] == (before.annual_amount * 9 / Decimal("7.5")).quantize(Decimal(1))
    assert view.annual_amount == sum(m.amount for m in view.months)
    [fte] = deviations(given, "2025-06-01", "fte_change_not_agreed")
    assert (fte.since, fte.until) == (d("2025-02-01"), d("2025-04-20"))


def test_partial_fte_change_keeps_the_other_units_c() -> None:
    given = Given(C)
    change = given.then("StaffingChanged", "2025-02-01", planned=True,
                        fte_allocation={"Valla": "1.0"}, fte_allocation_partial=True)
    given.accept("2025-02-01", change)
    [(_, _, base), (_, _, agreed)] = allocations(History.build(given.entries))
    assert agreed == {**base, "Valla": Decimal("1")}


def test_stored_legacy_consent_is_no_acceptance() -> None:
    """An entry stored with ``agreed_by_both: true`` was one party's say: the notice stands."""
    given = Given(V)
    notice = given.notice("2025-03-01")
    legacy = {"type": "TerminationNoticeWithdrawn", "effective_date": "2025-04-01",
              "document_ref": None, "note": None, "notice_seq": notice, "agreed_by_both": True}
    given.entries.append(Entry(contract=V, seq=3, type=legacy["type"], effective_date=d("2025-04-01"),
                               recorded_at=datetime(2025, 4, 1, tzinfo=UTC), actor="gammal",
                               role="bestallare", data=legacy, prev_hash="h2", hash="h3"))
    assert given.entries[-1].event.type_name == "TerminationNoticeWithdrawn"
    assert notice_position(given.entries, d("2025-05-01")).status == "under_notice"


# --- deadlines: one policy for both directions ----------------------------------------------


def test_backward_deadline_shows_the_working_day_on_or_before() -> None:
    """A week before 2025-12-31 is julafton: shown on 23 December, never after Christmas."""
    assert due_dates(d("2025-12-24"), Policies(), before=True) == (d("2025-12-24"), d("2025-12-23"))
    assert due_dates(d("2025-12-24"), Policies()) == (d("2025-12-24"), d("2025-12-29"))
    moved = Policies(weekend_deadline_moves=True)
    assert due_dates(d("2025-12-24"), moved, before=True) == (d("2025-12-23"), d("2025-12-23"))


def test_cure_deadline_follows_the_weekend_policy_v() -> None:
    """V 5.3: 30 days from 2025-10-31 is Sunday 2025-11-30: shown on Monday 1 December."""
    given = Given(V)
    given.then("BreachNoticeIssued", "2025-10-31", written=True, breaches=["x"])
    [cure] = obligations(given, "2025-11-05", "cure_breach")
    assert (cure.due, cure.due_working_day) == (d("2025-11-30"), d("2025-12-01"))


# --- planned changes and insyn -------------------------------------------------------------


def test_premises_change_under_insyn_opens_a_notice_before_it_s() -> None:
    """S Insyn covers resources and premises: notice before the change (on or before its day)."""
    given = Given(S)
    seq = given.then("PremisesChanged", "2025-03-16", address="Ny adress", within_tatort=True)
    [notice] = obligations(given, "2025-04-01", "premises_notice")
    assert (notice.due, notice.due_working_day, notice.created_by_seq) == (
        d("2025-03-16"), d("2025-03-14"), seq)
    assert notice.clause.section == "Insyn – förändringar i verksamheten"


def test_planned_change_recorded_ahead_opens_its_duty_at_the_recording_s() -> None:
    given = Given(S)
    given.then("StaffingChanged", "2025-09-01", planned=True, socionomer=3,
               recorded_at=datetime(2025, 6, 2, 8, tzinfo=UTC))
    [duty] = obligations(given, "2025-06-02", "staffing_notice")
    assert (duty.arises_on, duty.due) == (d("2025-06-02"), d("2025-09-01"))
    assert obligations(given, "2025-06-01", "staffing_notice") == []


# --- insurance --------------------------------------------------------------------------------


def test_insurance_lapsed_from_the_day_after_expiry_until_a_proof_covers_the_day_c() -> None:
    given = Given(C)
    given.then("InsuranceProofSubmitted", "2025-01-10", insurer="AB", amount="20000000.00",
               expires_on="2025-06-30")
    assert deviations(given, "2025-06-30", "insurance_lapsed") == []
    [lapse] = deviations(given, "2025-08-01", "insurance_lapsed")
    assert (lapse.since, lapse.until) == (d("2025-07-01"), None)
    given.then("InsuranceProofSubmitted", "2025-08-15", insurer="AB", amount="20000000.00",
               expires_on="2026-06-30")
    [lapse] = deviations(given, "2025-09-01", "insurance_lapsed")
    assert (lapse.since, lapse.until) == (d("2025-07-01"), d("2025-08-15"))


def test_separate_person_and_property_cover_v() -> None:
    """V: 20 mnkr person and 20 mnkr property, each; one amount is read as both, marked inferred."""
    given = Given(V)
    given.then("InsuranceProofSubmitted", "2025-01-10", insurer="AB", amount="20000000.00",
               person_damage="20000000.00", property_damage="5000000.00", expires_on="2026-01-31")
    [low] = deviations(given, "2025-02-01", "insurance_below_minimum")
    assert "sakskada 5000000.00" in low.explanation and not low.clause.inferred
    given = Given(V)
    given.then("InsuranceProofSubmitted", "2025-01-10", insurer="AB", amount="10000000.00",
               expires_on="2026-01-31")
    [low] = deviations(given, "2025-02-01", "insurance_below_minimum")
    assert low.clause.inferred and "tolkas" in low.explanation


# --- money follows the month ----------------------------------------------------------------


def test_amended_compensation_applies_from_its_month_v() -> None:
    given = Given(V)
    for year in (2020, 2021, 2022, 2023, 2024, 2025):
        given.then("IndexationApplied", f"{year}-01-10", year=year, index="OPI", percent="0")
    given.amend("2025-07-01", {"compensation": {"amount": "4800000"}})
    months = {m.month: m.amount for m in compensation(given.entries, 2025).months}
    assert (months["2025-06"], months["2025-07"]) == (Decimal("341107.00"), Decimal("400000.00"))
    assert compensation(given.entries, 2025).annual_amount == 6 * Decimal("341107.00") + 6 * Decimal(
        "400000.00")


def test_hours_above_the_cap_are_shown_not_priced_f() -> None:
    given = Given(F)
    given.then("ServiceHoursReported", "2025-02-03", month="2025-01", sessions=[{"minutes": 60}] * 2600)
    summary = billing(given.entries, 2025)
    [month] = summary.months
    assert (month.hours, month.hours_above_cap) == (Decimal("2600.00"), Decimal("10.00"))
    assert month.amount == (Decimal(2590) * summary.hourly_rate).quantize(Decimal("0.01"))
    given.then("AdditionalHoursOrdered", "2025-02-10", year=2025, hours="10", written=True)
    [month] = billing(given.entries, 2025).months
    assert month.hours_above_cap == 0


# --- one party alone never changes the other party's position --------------------------------

_UTFORARE_ACTS = st.sampled_from(["notice", "agreed_notice", "withdraw", "fte", "fte_partial",
                                  "self_accept", "insurance", "report", "premises"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(ALL), st.lists(st.tuples(_UTFORARE_ACTS, st.integers(0, 400)), max_size=12))
def test_one_party_alone_never_changes_the_other_partys_position(ref: str, acts: list) -> None:
    """Whatever the utförare records alone (including accepting its own proposals), the
    beställare's notice stands, no agreed period or allocation applies, and the pay is as agreed."""
    base = Given(ref)
    base.notice("2025-01-15", by="bestallare")
    alone = Given(ref)
    alone.notice("2025-01-15", by="bestallare")
    own_notices = []
    for act, offset in acts:
        day = date(2025, 1, 20).toordinal() + offset
        on = date.fromordinal(day).isoformat()
        proposals = [e.seq for e in alone.entries if e.role == "utforare"
                     and e.type in agreement.PROPOSALS]
        if act == "notice":
            alone.notice(on, by="utforare")
            own_notices.append(date.fromordinal(day))
        elif act == "agreed_notice":
            alone.notice(on, by="utforare", agreed_months=offset % 3)
            own_notices.append(date.fromordinal(day))
        elif act == "withdraw":
            alone.then("TerminationNoticeWithdrawn", on, notice_seq=2, role="utforare")
        elif act in ("fte", "fte_partial") and ref == C:
            alone.then("StaffingChanged", on, planned=True,
                       fte_allocation=NINE if act == "fte" else {"Valla": "3.0"},
                       fte_allocation_partial=act == "fte_partial")
        elif act == "self_accept" and proposals:
            alone.accept(on, proposals[offset % len(proposals)], by="utforare")
        elif act == "insurance":
            alone.then("InsuranceProofSubmitted", on, insurer="AB", amount="20000000.00",
                       expires_on="2027-01-01")
        elif act == "report":
            alone.then("AnnualReportSubmitted", on, year=2024)
        elif act == "premises":
            alone.then("PremisesChanged", on, address="Adress", within_tatort=True)
    clause = alone.terms.termination
    for as_of in (d("2025-06-30"), d("2026-01-14"), d("2026-12-31")):
        expected = notice_position(base.entries, as_of).ends_on
        if clause is not None and clause.notice_months:  # its own notices count, at 12 months
            ends = [add_months(n, clause.notice_months) for n in own_notices if n <= as_of]
            expected = min([expected, *ends]) if expected else (min(ends) if ends else None)
        assert notice_position(alone.entries, as_of).ends_on == expected
    for year in (2025, 2026):
        assert compensation(alone.entries, year).annual_amount == compensation(
            base.entries, year).annual_amount
    assert allocations(History.build(alone.entries)) == allocations(History.build(base.entries))
    unagreed = [x for x in evaluate(alone.entries, through=d("2027-06-30")).deviations
                if x.kind == "fte_change_not_agreed"]
    assert all(x.until is None or any(
        e.type == "StaffingChanged" and e.effective_date == x.until for e in alone.entries)
        for x in unagreed)  # closed only by a change back, never by its own say
