"""Parsing ``--as-of`` dates and ``--known-at`` instants for the CLI."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from domain.errors import InvalidEvent

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def parse_instant(text: str) -> datetime:
    """ISO 8601 with offset, as the API's ``known_at``; a bare date means the end of that day
    in Stockholm (the ledger's dates are Stockholm calendar dates, DOMAIN.md §3)."""
    try:
        if len(text) == 10:
            end = datetime.combine(date.fromisoformat(text), datetime.max.time(), tzinfo=STOCKHOLM)
            return end.astimezone(UTC)
        value = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidEvent(f"--known-at: '{text}' is not an ISO 8601 instant",
                           field="known_at", rule="iso_instant") from None
    if value.tzinfo is None:
        raise InvalidEvent(f"--known-at: '{text}' needs a UTC offset, e.g. {text}+00:00",
                           field="known_at", rule="instant_has_offset")
    return value.astimezone(UTC)


def parse_date(text: str, field: str = "as_of") -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidEvent(f"--{field.replace('_', '-')}: '{text}' is not a date (YYYY-MM-DD)",
                           field=field, rule="iso_date") from None


def parse_month(text: str) -> str:
    """A month YYYY-MM."""
    try:
        date.fromisoformat(f"{text}-01")
        if len(text) != 7:
            raise ValueError
    except ValueError:
        raise InvalidEvent(f"--month: '{text}' is not a month (YYYY-MM)",
                           field="month", rule="iso_month") from None
    return text
