"""Kompetens och bemanning: minimums, FTE allocation, S's insyn notice."""

from __future__ import annotations

import pytest

from tests.rules.builders import C, F, Given, S, V, d, deviations, obligations


def test_socionomer_below_minimum_s() -> None:
    """S Kompetenskrav: "Minst två medarbetare ska ha socionomutbildning." — until restored."""
    given = Given(S)
    low = given.then("StaffingChanged", "2025-02-01", planned=False, socionomer=1)
    other = given.then("StaffingChanged", "2025-03-01", planned=False, manager_changed=True)
    back = given.then("StaffingChanged", "2025-04-15", planned=False, socionomer=2)
    [deviation] = deviations(given, "2025-05-01", "socionomer_below_minimum")
    assert (deviation.since, deviation.until) == (d("2025-02-01"), d("2025-04-15"))
    assert deviation.seqs == (low, back)
    assert other not in deviation.seqs
    assert deviation.clause.section == "Kompetenskrav"


@pytest.mark.parametrize("ref", (V, F, C))
def test_socionomer_below_minimum_none_without_minimum(ref: str) -> None:
    """V, F and C state no minimum number of socionomer."""
    given = Given(ref)
    given.then("StaffingChanged", "2025-02-01", planned=False, socionomer=0)
    assert deviations(given, "2025-05-01", "socionomer_below_minimum") == []


def test_counsellors_below_minimum_f() -> None:
    """F 2.6: "… minst en personal som är auktoriserad familjerådgivare …" — open while 0."""
    given = Given(F)
    seq = given.then("StaffingChanged", "2025-02-01", planned=False, authorised_counsellors=0)
    [deviation] = deviations(given, "2025-05-01", "counsellors_below_minimum")
    assert (deviation.since, deviation.until, deviation.seqs) == (d("2025-02-01"), None, (seq,))
    assert deviation.clause.section.startswith("2.6")


@pytest.mark.parametrize("ref", (V, S, C))
def test_counsellors_below_minimum_none_without_minimum(ref: str) -> None:
    """Only F requires authorised family counsellors."""
    given = Given(ref)
    given.then("StaffingChanged", "2025-02-01", planned=False, authorised_counsellors=0)
    assert deviations(given, "2025-05-01", "counsellors_below_minimum") == []


_MOVED = {"Skäggetorp": "0.5", "Berga": "1.5", "Ryd": "1.0", "Lambohov": "1.0", "Valla": "0.5",
          "Ljungsbro": "1.0", "Ekholmen": "1.0", "Tannefors": "1.0"}
_AGREED = {"Skäggetorp": "1.0", "Berga": "1.0", "Ryd": "1.0", "Lambohov": "1.0", "Valla": "0.5",
           "Ljungsbro": "1.0", "Ekholmen": "1.0", "Tannefors": "1.0"}


def test_fte_change_not_agreed_c() -> None:
    """C 2 Ersättning: "Bemanningsgrad per verksamhet kan i samråd med beställaren förändras"."""
    given = Given(C)
    seq = given.then("StaffingChanged", "2025-02-01", planned=True, fte_allocation=_MOVED)
    back = given.then("StaffingChanged", "2025-03-01", planned=True, fte_allocation=_AGREED)
    [deviation] = deviations(given, "2025-05-01", "fte_change_not_agreed")
    assert (deviation.since, deviation.until) == (d("2025-02-01"), d("2025-03-01"))
    assert deviation.seqs == (seq, back)
    assert "Skäggetorp 1→0.5" in deviation.explanation


def test_fte_change_agreed_is_no_deviation_c() -> None:
    """C 2: a change the beställare accepts is fine and becomes the agreed allocation."""
    given = Given(C)
    change = given.then("StaffingChanged", "2025-02-01", planned=True, fte_allocation=_MOVED)
    given.accept("2025-02-01", change)
    given.then("StaffingChanged", "2025-03-01", planned=True, fte_allocation=_MOVED)
    assert deviations(given, "2025-05-01", "fte_change_not_agreed") == []


@pytest.mark.parametrize("ref", (V, F, S))
def test_fte_change_none_without_allocation_clause(ref: str) -> None:
    """Only C has an FTE allocation."""
    given = Given(ref)
    given.then("StaffingChanged", "2025-02-01", planned=True, fte_allocation=_MOVED)
    assert deviations(given, "2025-05-01", "fte_change_not_agreed") == []


def test_staffing_notice_before_planned_change_s() -> None:
    """S Insyn: "Utföraren ska meddela beställaren om planerade förändringar …" — before the change."""
    given = Given(S)
    seq = given.then("StaffingChanged", "2025-08-18", planned=True, manager_changed=True)
    done = given.then("StaffingChangeNotified", "2025-08-18", change_seq=seq)
    [notice] = obligations(given, "2025-09-01", "staffing_notice")
    assert notice.id == f"staffing_notice:{seq}"
    assert notice.due == notice.arises_on == d("2025-08-18")
    assert notice.fulfilled_by_seq == done and not notice.fulfilled_late
    assert notice.clause.section.startswith("Insyn")


def test_staffing_notice_late_s() -> None:
    """S Insyn: notified the day after the change → overdue then, fulfilled late."""
    given = Given(S)
    seq = given.then("StaffingChanged", "2025-08-18", planned=True, socionomer=3)
    given.then("StaffingChangeNotified", "2025-08-19", change_seq=seq)
    [notice] = obligations(given, "2025-09-01", "staffing_notice")
    assert notice.status_on(d("2025-08-19")) == "fulfilled" and notice.fulfilled_late


def test_staffing_notice_only_for_planned_changes_s() -> None:
    """S Insyn concerns planned changes."""
    given = Given(S)
    given.then("StaffingChanged", "2025-08-18", planned=False, socionomer=3)
    assert obligations(given, "2025-09-01", "staffing_notice") == []


@pytest.mark.parametrize("ref", (V, F, C))
def test_staffing_notice_none_without_insyn(ref: str) -> None:
    """Only S has the insyn clause."""
    given = Given(ref)
    given.then("StaffingChanged", "2025-08-18", planned=True, manager_changed=True)
    assert obligations(given, "2025-09-01", "staffing_notice") == []
