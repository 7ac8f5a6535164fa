"""Swedish working days and month arithmetic (DOMAIN.md §3)."""

from __future__ import annotations

import pytest

from domain.calendar import (
    add_months,
    add_working_days,
    explain_working_day,
    explain_working_days,
    holiday_name,
    is_working_day,
    next_working_day_after,
    on_or_next_working_day,
)
from tests.rules.builders import d


@pytest.mark.parametrize(("start", "months", "expected"), [
    ("2025-03-15", 12, "2026-03-15"),
    ("2025-01-31", 1, "2025-02-28"),
    ("2024-01-31", 1, "2024-02-29"),
    ("2024-02-29", 12, "2025-02-28"),
    ("2025-10-31", 3, "2026-01-31"),
    ("2025-11-30", 3, "2026-02-28"),
    ("2025-05-31", 1, "2025-06-30"),
])
def test_add_months_clamps_at_month_end(start: str, months: int, expected: str) -> None:
    assert add_months(d(start), months) == d(expected)


def test_easter_2025_skartorsdagen_to_tuesday() -> None:
    """Skärtorsdagen is a working day; långfredagen to annandag påsk are not."""
    assert is_working_day(d("2025-04-17"))
    assert [is_working_day(d(f"2025-04-{day}")) for day in (18, 19, 20, 21)] == [False] * 4
    assert next_working_day_after(d("2025-04-17")) == d("2025-04-22")
    assert explain_working_days(d("2025-04-17"), 1) == (
        "nästa arbetsdag efter 2025-04-17 (skärtorsdagen): 2025-04-22; 18–21 april är helg")


def test_midsommarafton_is_a_de_facto_holiday() -> None:
    """Policy: midsommarafton 2025-06-20 is not a working day."""
    assert not is_working_day(d("2025-06-20"))
    assert holiday_name(d("2025-06-20")) == "Midsommarafton"
    assert next_working_day_after(d("2025-06-19")) == d("2025-06-23")


def test_christmas_week_2025() -> None:
    """Julafton, juldagen, annandag jul (24–26 December 2025) and the weekend → 29 December."""
    assert next_working_day_after(d("2025-12-23")) == d("2025-12-29")
    assert on_or_next_working_day(d("2025-12-24")) == d("2025-12-29")
    assert not is_working_day(d("2025-12-31"))  # nyårsafton, de facto
    assert next_working_day_after(d("2025-12-30")) == d("2026-01-02")


def test_weekends_are_not_working_days_and_sundays_not_named_holidays() -> None:
    assert not is_working_day(d("2025-03-29")) and not is_working_day(d("2025-03-30"))
    assert holiday_name(d("2025-03-30")) is None
    assert add_working_days(d("2025-03-28"), 1) == d("2025-03-31")
    assert add_working_days(d("2025-03-28"), 0) == d("2025-03-28")


def test_31_march_2024_explained() -> None:
    """2024-03-31 is påskdagen (a Sunday) and 2024-04-01 annandag påsk → 2024-04-02."""
    assert on_or_next_working_day(d("2024-03-31")) == d("2024-04-02")
    assert "nästa arbetsdag är 2024-04-02" in explain_working_day(d("2024-03-31"))
    assert explain_working_day(d("2024-04-02")) == ""
