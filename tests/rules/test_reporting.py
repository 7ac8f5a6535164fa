"""Verksamhetsberättelse by 31 March; V's expected results."""

from __future__ import annotations

import pytest

from domain.terms import Policies
from tests.rules.builders import C, F, Given, S, V, d, deviations, obligations


@pytest.mark.parametrize("ref", (V, F, S))
def test_annual_report_due_31_march_year_after(ref: str) -> None:
    """V/S "Uppföljning", F 4.1: "… en gång per år, senast 31 mars, …"."""
    given = Given(ref)
    done = given.then("AnnualReportSubmitted", "2025-03-28", year=2024)
    [report] = [o for o in obligations(given, "2025-04-01", "annual_report") if o.period == "2024"]
    assert (report.id, report.due, report.arises_on) == ("annual_report:2024", d("2025-03-31"),
                                                         d("2025-01-01"))
    assert report.fulfilled_by_seq == done
    assert report.status_on(d("2025-04-01")) == "fulfilled"
    assert report.clause.quote.startswith("Enligt planen")


def test_annual_report_weekend_due_stays_v() -> None:
    """V Uppföljning, policy weekend_deadline_moves=False: 2024-03-31 stays, shown 2024-04-02."""
    given = Given(V)
    [report] = [o for o in obligations(given, "2024-04-01", "annual_report") if o.period == "2023"]
    assert (report.due, report.due_working_day) == (d("2024-03-31"), d("2024-04-02"))
    assert "31 mars året efter 2023" in report.explanation
    assert "2024-04-02" in report.explanation


def test_annual_report_weekend_moves_when_policy_says_so_f() -> None:
    """F 4.1 with the policy weekend_deadline_moves=True: due moves to 2024-04-02."""
    given = Given(F, policies=Policies(weekend_deadline_moves=True))
    [report] = [o for o in obligations(given, "2024-04-01", "annual_report") if o.period == "2023"]
    assert report.due == report.due_working_day == d("2024-04-02")


def test_annual_report_none_without_clause_c() -> None:
    """C has no verksamhetsberättelse clause."""
    assert obligations(Given(C), "2026-06-01", "annual_report") == []


def test_annual_report_first_year_f_from_2022() -> None:
    """F 1.1: in force from 2022-01-01, so the first report is for 2022."""
    found = obligations(Given(F), "2024-01-01", "annual_report")
    assert [o.period for o in found] == ["2022", "2023"]


def test_outcome_below_target_v() -> None:
    """V 3.0 Förväntat resultat: 80 % target, 75 % reported → deviation since the report."""
    given = Given(V)
    seq = given.then("AnnualReportSubmitted", "2025-03-20", year=2024,
                     outcomes={"forbattrad_livssituation": "75", "latt_att_komma_i_kontakt": "100"})
    [deviation] = deviations(given, "2025-04-01", "outcome_below_target")
    assert (deviation.since, deviation.until, deviation.seqs) == (d("2025-03-20"), None, (seq,))
    assert "75" in deviation.explanation and "80" in deviation.explanation
    assert deviation.clause.section == "Förväntat resultat"


def test_outcome_revised_report_meets_target_ends_deviation_v() -> None:
    """V 3.0: a revised report for the same year meeting the target ends the deviation."""
    given = Given(V)
    given.then("AnnualReportSubmitted", "2025-03-20", year=2024, outcomes={"forbattrad_livssituation": "75"})
    given.then("AnnualReportSubmitted", "2025-04-10", year=2024, outcomes={"forbattrad_livssituation": "82"})
    [deviation] = deviations(given, "2025-05-01", "outcome_below_target")
    assert deviation.until == d("2025-04-10")


def test_outcome_below_target_none_without_expected_results_s() -> None:
    """S has no expected-results clause."""
    given = Given(S)
    given.then("AnnualReportSubmitted", "2025-03-20", year=2024, outcomes={"forbattrad_livssituation": "10"})
    assert deviations(given, "2025-05-01", "outcome_below_target") == []
