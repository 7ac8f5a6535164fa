"""Timdebitering (F 1.2): quarter hours, group hours, the 2 590-hour cap and written avrop."""

from __future__ import annotations

from decimal import Decimal

import pytest

from domain.catalogue import catalogue_entry
from domain.rules.billing import billing, group_hours, session_hours
from tests.rules.builders import C, F, Given, S, V, d, deviations

RULES = catalogue_entry(F).terms.billing
assert RULES is not None


@pytest.mark.parametrize(("minutes", "hours"), [
    (61, "1.25"), (45, "0.75"), (60, "1.0"), (1, "0.25"), (15, "0.25"), (16, "0.5"), (120, "2.0"),
    (135, "2.25"), (136, "2.5"),
])
def test_session_hours_started_quarters(minutes: int, hours: str) -> None:
    """F 1.2: "… betalas en kvarts timme för varje påbörjad kvart …" (DOMAIN.md §4)."""
    assert session_hours(minutes, RULES) == Decimal(hours)


@pytest.mark.parametrize(("minutes", "participants", "hours"), [
    (90, 6, "6.0"),    # 4 × 1,5
    (90, 4, "1.5"),    # fewer than 5: ordinary time
    (60, 5, "4.0"),
    (120, 5, "8.0"),
    (121, 8, "2.25"),  # outside 1–2 hours: ordinary time
    (59, 8, "1.0"),
])
def test_group_hours(minutes: int, participants: int, hours: str) -> None:
    """F 1.2: "… fyra klienttimmar per genomförd grupptimme …" with at least 5 participants, 1–2 h."""
    assert group_hours(minutes, participants, RULES) == Decimal(hours)


def test_billing_month_and_year_f() -> None:
    """F 1.2: 605 kr per hour in 2022 prices; a month's hours × rate."""
    given = Given(F)
    seq = given.then("ServiceHoursReported", "2022-02-03", month="2022-01",
                     sessions=[{"minutes": 61}, {"minutes": 45}, {"minutes": 60}],
                     group_sessions=[{"minutes": 90, "participants": 6}, {"minutes": 90, "participants": 4}])
    summary = billing(given.entries, 2022)
    assert summary is not None
    [month] = summary.months
    assert (month.month, month.seqs) == ("2022-01", (seq,))
    assert (month.session_hours, month.group_hours, month.hours) == (
        Decimal("3.0"), Decimal("7.5"), Decimal("10.5"))
    assert summary.hourly_rate == Decimal("605.00")
    assert month.amount == Decimal("6352.50")
    assert (summary.hours, summary.cap, summary.hours_above_cap) == (Decimal("10.5"), Decimal(2590), 0)
    assert summary.deviations == []


def test_billing_indexed_rate_f() -> None:
    """F 1.2: "Uppräkning av ersättningen sker enligt kommunens uppräkningsmodell" — 2023 rate."""
    given = Given(F)
    given.then("IndexationApplied", "2023-01-15", year=2023, index="kommunens uppräkningsmodell",
               percent="3.1")
    given.then("ServiceHoursReported", "2023-02-03", month="2023-01", sessions=[{"minutes": 60}])
    summary = billing(given.entries, 2023)
    assert summary is not None
    assert summary.hourly_rate == Decimal("623.76")  # 605 × 1,031 = 623,755
    assert summary.amount == Decimal("623.76")


def test_hours_above_cap_until_written_avrop_f() -> None:
    """F 1.2: "… max 2 590 timmar per år …"; more only by written avrop."""
    given = Given(F)
    first = given.then("ServiceHoursReported", "2024-07-05", month="2024-06",
                       sessions=[{"minutes": 600}] * 200)  # 2 000 h
    over = given.then("ServiceHoursReported", "2024-08-05", month="2024-07",
                      sessions=[{"minutes": 600}] * 60)  # 600 h
    given.then("AdditionalHoursOrdered", "2024-08-20", year=2024, hours="100", written=False)
    order = given.then("AdditionalHoursOrdered", "2024-09-01", year=2024, hours="100", written=True)
    [deviation] = deviations(given, "2024-12-31", "hours_above_cap")
    assert (deviation.since, deviation.until) == (d("2024-08-05"), d("2024-09-01"))
    assert deviation.seqs == (over, order)
    assert first not in deviation.seqs
    summary = billing(given.entries, 2024)
    assert summary is not None
    assert (summary.hours, summary.base_cap, summary.additional_hours) == (2600, 2590, 100)
    assert (summary.cap, summary.hours_above_cap) == (2690, 0)


def test_hours_above_cap_open_f() -> None:
    """F 1.2: without a written avrop the excess stays a deviation."""
    given = Given(F)
    given.then("ServiceHoursReported", "2024-12-31", month="2024-12",
               sessions=[{"minutes": 600}] * 259 + [{"minutes": 60}])
    [deviation] = deviations(given, "2025-01-31", "hours_above_cap")
    assert deviation.until is None
    summary = billing(given.entries, 2024)
    assert summary is not None and summary.hours_above_cap == Decimal(1)


@pytest.mark.parametrize("ref", (V, S, C))
def test_billing_none_without_hourly_clause(ref: str) -> None:
    """V, S and C are paid per year or per FTE."""
    given = Given(ref)
    given.then("ServiceHoursReported", "2024-12-31", month="2024-12", sessions=[{"minutes": 600}] * 300)
    assert billing(given.entries, 2024) is None
    assert deviations(given, "2025-01-31", "hours_above_cap") == []
