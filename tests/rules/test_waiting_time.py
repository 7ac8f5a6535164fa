"""Väntetider (F 2.3): persistent waits over 14 days → inform the förvaltning."""

from __future__ import annotations

import pytest

from tests.rules.builders import C, F, Given, S, V, d, obligations


def _report(given: Given, on: str, period: str, days: int) -> int:
    return given.then("WaitingTimeReported", on, period=period, longest_wait_days=days)


def test_waiting_time_notice_after_two_consecutive_reports_f() -> None:
    """F 2.3: "Om väntetider över 14 dagar uppstår under en längre tid ska …" — 2 reports in a row."""
    given = Given(F)
    _report(given, "2025-02-03", "2025-01", 20)
    second = _report(given, "2025-03-03", "2025-02", 15)
    [notice] = obligations(given, "2025-03-03", "waiting_time_notice")
    assert (notice.id, notice.created_by_seq, notice.due) == (
        f"waiting_time_notice:{second}", second, d("2025-03-10"))
    done = given.then("WaitingTimeNotified", "2025-03-07")
    [notice] = obligations(given, "2025-03-10", "waiting_time_notice")
    assert notice.fulfilled_by_seq == done


def test_waiting_time_not_consecutive_f() -> None:
    """F 2.3: a report within 14 days breaks the run; exactly 14 days is within."""
    given = Given(F)
    _report(given, "2025-02-03", "2025-01", 20)
    _report(given, "2025-03-03", "2025-02", 14)
    _report(given, "2025-04-01", "2025-03", 21)
    assert obligations(given, "2025-05-01", "waiting_time_notice") == []


@pytest.mark.parametrize("ref", (V, S, C))
def test_waiting_time_none_without_clause(ref: str) -> None:
    """Only F has the waiting-time clause."""
    given = Given(ref)
    _report(given, "2025-02-03", "2025-01", 40)
    _report(given, "2025-03-03", "2025-02", 40)
    assert obligations(given, "2025-05-01", "waiting_time_notice") == []
