"""Tillsyn: the utförare informs the beställare on its own initiative (policy: 5 working days)."""

from __future__ import annotations

import pytest

from tests.rules.builders import C, F, Given, S, V, d, obligations


@pytest.mark.parametrize("ref", (V, F, S))
def test_supervision_report_five_working_days(ref: str) -> None:
    """V/S Tillsyn, F 4.4: "… ska utföraren på eget initiativ informera …" — 5 working days."""
    given = Given(ref)
    seq = given.then("SupervisionOpened", "2025-04-17", ivo_diarienummer="3.5.1-999/2025")
    [report] = obligations(given, "2025-04-17", "supervision_report")
    assert (report.id, report.holder, report.created_by_seq) == (f"supervision_report:{seq}", "utforare", seq)
    assert report.due == d("2025-04-28")  # 22, 23, 24, 25, 28 April
    assert "5 arbetsdagar efter 2025-04-17" in report.explanation
    assert "Tillsyn" in report.clause.section


def test_supervision_report_christmas_v() -> None:
    """V Tillsyn: opened 2025-12-22 → 23, 29, 30 Dec, 2 and 5 Jan (6 Jan is trettondedag jul)."""
    given = Given(V)
    given.then("SupervisionOpened", "2025-12-22")
    [report] = obligations(given, "2025-12-22", "supervision_report")
    assert report.due == d("2026-01-05")


def test_supervision_report_fulfilled_f() -> None:
    """F 4.4: SupervisionReportedToBestallare fulfils it."""
    given = Given(F)
    seq = given.then("SupervisionOpened", "2025-04-17")
    done = given.then("SupervisionReportedToBestallare", "2025-04-30", supervision_seq=seq)
    [report] = obligations(given, "2025-05-01", "supervision_report")
    assert report.fulfilled_by_seq == done
    assert report.fulfilled_late
    assert report.status_on(d("2025-04-29")) == "overdue"
    assert report.status_on(d("2025-04-30")) == "fulfilled"


def test_supervision_report_none_without_clause_c() -> None:
    """C has no tillsyn clause."""
    given = Given(C)
    given.then("SupervisionOpened", "2025-04-17")
    assert obligations(given, "2025-06-01", "supervision_report") == []
