"""Swedish working days and calendar-month arithmetic (DOMAIN.md §3).

**Policy — which days are working days.** Saturdays and Sundays are never
working days. Of the maintained ``holidays.Sweden`` calendar we use the
``public`` category (the real allmänna helgdagar, without the Sundays some
versions add) and the ``de_facto`` category: midsommarafton, julafton and
nyårsafton are not public holidays in law but are de-facto non-working days in
the municipality and at Leanlink, so a deadline never lands on them. Half days
("från kl. 14.00", e.g. skärtorsdagen, valborgsmässoafton) are working days;
their names are only used to explain a date.

Month arithmetic is calendar months clamped at month end: 2025-01-31 + 1 month
is 2025-02-28. Every function is pure ("today" is always a parameter), so the
working-day functions are memoised: the rules ask about the same days again and
again, and the distinct days of a ledger are few.
"""

from __future__ import annotations

import calendar as _calendar
from datetime import date, timedelta
from functools import cache

import holidays

_DAY = timedelta(days=1)
_MONTHS_SV = (
    "", "januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
    "september", "oktober", "november", "december",
)
_WEEKDAYS_SV = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")


@cache
def _non_working(year: int) -> dict[date, str]:
    """Public and de-facto holidays of ``year``: date → Swedish name."""
    days = holidays.Sweden(years=year, language="sv", categories=("public", "de_facto"))
    # Some versions of the package list every Sunday as a holiday; weekends are
    # handled by weekday, so keep only the named holidays.
    return {day: name for day, name in days.items() if name.lower() != "söndag"}


@cache
def _named_days(year: int) -> dict[date, str]:
    """Every named day of ``year`` (holidays, eves and half days), for explanations."""
    names: dict[date, str] = {}
    for category in ("optional", "bank", "de_facto", "public"):
        for day, name in holidays.Sweden(years=year, language="sv", categories=category).items():
            if name.lower() == "söndag":
                continue
            names[day] = name.split(" (")[0].split(";")[0].strip()
    return names


def holiday_name(d: date) -> str | None:
    """The Swedish name of a public or de-facto holiday on ``d``, else None."""
    return _non_working(d.year).get(d)


def day_name(d: date) -> str | None:
    """A name for ``d`` in lower case ('skärtorsdagen'), or None for an ordinary day."""
    name = _named_days(d.year).get(d)
    return name[0].lower() + name[1:] if name else None


def is_working_day(d: date) -> bool:
    """Monday to Friday and neither a public nor a de-facto holiday."""
    return d.weekday() < 5 and d not in _non_working(d.year)


def next_working_day_after(d: date) -> date:
    """The first working day strictly after ``d``."""
    d += _DAY
    while not is_working_day(d):
        d += _DAY
    return d


@cache
def on_or_next_working_day(d: date) -> date:
    """``d`` itself when it is a working day, else the next working day."""
    while not is_working_day(d):
        d += _DAY
    return d


@cache
def add_working_days(d: date, n: int) -> date:
    """The ``n``-th working day after ``d`` (``n`` ≥ 0; 0 gives ``d`` itself)."""
    if n < 0:
        raise ValueError("add_working_days counts forwards only")
    for _ in range(n):
        d = next_working_day_after(d)
    return d


def add_months(d: date, n: int) -> date:
    """``d`` plus ``n`` calendar months, clamped at month end (2025-01-31 + 1 → 2025-02-28)."""
    index = d.year * 12 + (d.month - 1) + n
    year, month = divmod(index, 12)
    return clamped_date(year, month + 1, d.day)


@cache
def clamped_date(year: int, month: int, day: int) -> date:
    """``date(year, month, day)`` with the day clamped to the month's last day."""
    return date(year, month, min(day, _calendar.monthrange(year, month)[1]))


@cache
def iso(d: date) -> str:
    """``d.isoformat()``, made once per date: explanations repeat the same few dates."""
    return d.isoformat()


def swedish_date(d: date) -> str:
    """'31 mars 2025'."""
    return f"{d.day} {_MONTHS_SV[d.month]} {d.year}"


def day_and_month(day: int, month: int) -> str:
    """'31 mars'."""
    return f"{day} {_MONTHS_SV[month]}"


def _describe(d: date) -> str:
    return f"{d.isoformat()} ({day_name(d) or _WEEKDAYS_SV[d.weekday()]})"


def _span(first: date, last: date) -> str:
    if first == last:
        return f"{first.day} {_MONTHS_SV[first.month]} är helg"
    if first.month == last.month:
        return f"{first.day}–{last.day} {_MONTHS_SV[first.month]} är helg"
    return f"{first.day} {_MONTHS_SV[first.month]}–{last.day} {_MONTHS_SV[last.month]} är helg"


def non_working_spans(start: date, end: date) -> list[tuple[date, date]]:
    """Runs of non-working days strictly between ``start`` and ``end``."""
    spans: list[tuple[date, date]] = []
    d = start + _DAY
    while d < end:
        if not is_working_day(d):
            first = d
            while d + _DAY < end and not is_working_day(d + _DAY):
                d += _DAY
            spans.append((first, d))
        d += _DAY
    return spans


@cache
def explain_working_days(start: date, n: int) -> str:
    """Plain Swedish for ``add_working_days(start, n)``, naming the holidays skipped.

    e.g. 'nästa arbetsdag efter 2025-04-17 (skärtorsdagen); 18–21 april är helg'.
    """
    end = add_working_days(start, n)
    head = (f"nästa arbetsdag efter {_describe(start)}" if n == 1
            else f"{n} arbetsdagar efter {_describe(start)}")
    holidays_between = [s for s in non_working_spans(start, end) if _is_holiday_span(*s)]
    tail = "".join(f"; {_span(*s)}" for s in holidays_between)
    return f"{head}: {end.isoformat()}{tail}"


@cache
def explain_working_day(due: date) -> str:
    """Plain Swedish for a deadline that is not a working day, or '' when it is one."""
    if is_working_day(due):
        return ""
    moved = on_or_next_working_day(due)
    spans = non_working_spans(due - _DAY, moved)
    return (f"{_describe(due)} är ingen arbetsdag; nästa arbetsdag är {moved.isoformat()}"
            + "".join(f"; {_span(*s)}" for s in spans if _is_holiday_span(*s)))


def _is_holiday_span(first: date, last: date) -> bool:
    # An ordinary weekend needs no mention; a run containing a holiday does.
    d = first
    while d <= last:
        if d in _non_working(d.year):
            return True
        d += _DAY
    return False


@cache
def on_or_previous_working_day(d: date) -> date:
    """``d`` itself when it is a working day, else the working day before it (a deadline that
    falls *before* something, "senast en vecka före", may not move past it)."""
    while not is_working_day(d):
        d -= _DAY
    return d
