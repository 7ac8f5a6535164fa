"""Timdebitering (F 1.2): billable hours, the yearly cap and additional hours by written avrop.

* A session bills whole hours plus a quarter hour for every started quarter
  beyond (61 min → 1,25 h; 45 → 0,75; 60 → 1,0).
* A group session with at least ``group_min_participants`` (5) and lasting
  ``group_min_minutes``–``group_max_minutes`` (60–120) bills
  ``group_client_hours_per_hour`` (4) client hours per group hour, the hours
  counted by the same quarter rule (90 min, 6 participants → 4 × 1,5 = 6,0);
  otherwise it bills as ordinary time.
* Amount = hours × the hourly rate indexed for that year (see compensation),
  half-up to öre per month. Several reports for one month add up (a wrong
  report is corrected with ``EntryCorrected``).
* Hours above the cap are shown and **not priced** ("Maximal beställningsvolym …
  skriftligen avropa"): month by month, only the hours that still fit under the year's
  cap (base + every written avrop for the year known) are in ``amount``; the rest are
  the month's ``hours_above_cap``.
* Cap = ``volume.max_hours_per_year`` + every written ``AdditionalHoursOrdered``
  for the year (an unwritten order does not raise it). Judged in time order:
  when the year's hours exceed the cap → ``hours_above_cap`` from the effective
  date of the report that passed it, until a later written order covers them.
* Visitor fees (F 2.3, "200 kr per besök … tillfaller Social- och
  omsorgsförvaltningen"): **policy** each reported individual session is one
  visit (group sessions are not counted: the text prices a visit, not a
  participant); the fee is the one in the terms in force on the report's date
  (a yearly revision is an amendment). The month's fees are owed to the
  förvaltning and are not part of ``amount``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from domain.contract import Entry
from domain.rules import compensation
from domain.rules.compensation import compensation_for
from domain.rules.history import History, Standing, in_time
from domain.rules.model import BillingSummary, Deviation, MonthBilling
from domain.terms import HourlyBilling

READS = frozenset({"AdditionalHoursOrdered", "ServiceHoursReported"}) | compensation.READS
"""The entry types these rules read (``History.reading`` holds them to it)."""

_ORE = Decimal("0.01")
_QUARTER = Decimal("0.25")
_ZERO = Decimal(0)


def session_hours(minutes: int, clause: HourlyBilling) -> Decimal:
    """Billable hours of one session: whole hours plus every started quarter."""
    if not clause.started_quarter_rounding:
        return Decimal(minutes) / clause.minutes_per_hour
    return _quarters(minutes, clause.minutes_per_hour) * _QUARTER


def _quarters(minutes: int, per_hour: int) -> int:
    whole, rest = divmod(minutes, per_hour)
    return whole * 4 - (-rest * 4 // per_hour)


def group_hours(minutes: int, participants: int, clause: HourlyBilling) -> Decimal:
    """Billable client hours of one group session."""
    hours = session_hours(minutes, clause)
    if (participants >= clause.group_min_participants
            and clause.group_min_minutes <= minutes <= clause.group_max_minutes):
        return hours * clause.group_client_hours_per_hour
    return hours


def _sessions(sessions: Sequence[dict], clause: HourlyBilling) -> Decimal:
    # Whole quarters in integers, one Decimal per report: the hot path of a year of reports.
    if not clause.started_quarter_rounding:
        return sum((session_hours(s["minutes"], clause) for s in sessions), Decimal(0))
    per_hour = clause.minutes_per_hour
    quarters = 0
    for session in sessions:
        whole, rest = divmod(session["minutes"], per_hour)
        quarters += whole * 4 - (-rest * 4 // per_hour)
    return _quarter_hours(quarters)


@cache
def _quarter_hours(quarters: int) -> Decimal:
    # A report's hours are a handful of distinct values: make each Decimal once.
    return quarters * _QUARTER


def billing(entries: Sequence[Entry], year: int, *, as_of: date | None = None) -> BillingSummary | None:
    """A year's billing for an hourly contract; None where the contract has no billing clause."""
    history = History.build(entries, as_of)
    return billing_years(history, only=year).get(year) or _empty(history, year)


def _empty(history: History, year: int) -> BillingSummary | None:
    terms = history.terms_at(date(year, 1, 1))
    if terms.billing is None:
        return None
    volume = terms.volume
    rate = compensation_for(history, year).hourly_rate or Decimal(0)
    base = volume.max_hours_per_year if volume else None
    zero = Decimal("0.00")
    return BillingSummary(year=year, hourly_rate=rate, months=[], hours=zero, amount=zero,
                          base_cap=base, additional_hours=zero, cap=base, hours_above_cap=zero,
                          deviations=[], clause=terms.billing.citation)


def billing_years(history: History, only: int | None = None) -> dict[int, BillingSummary]:
    """Billing for every year with reported hours (or just ``only``)."""
    reports: dict[int, list[Entry]] = {}
    years: dict[str, int] = {}  # "2024-05" → 2024, parsed once a month rather than once a report
    for entry in history.of("ServiceHoursReported"):
        month = entry.data["month"]
        year = years.get(month)
        if year is None:
            year = years[month] = int(month[:4])
        if only is None or year == only:
            reports.setdefault(year, []).append(entry)
    orders: dict[int, list[Entry]] = {}
    for entry in history.of("AdditionalHoursOrdered"):
        orders.setdefault(entry.data["year"], []).append(entry)
    return {year: summary for year, entries in sorted(reports.items())
            if (summary := _year(history, year, entries, orders.get(year, []))) is not None}


def _year(history: History, year: int, reports: list[Entry], orders: list[Entry]) -> BillingSummary | None:
    clause = history.terms_at(date(year, 1, 1)).billing
    if clause is None:
        return None
    rate = compensation_for(history, year).hourly_rate or Decimal(0)
    # seq → (session hours, group hours), each report by the billing terms on its date;
    # month → (seqs, session hours, group hours) of its reports
    per_report: dict[int, tuple[Decimal, Decimal]] = {}
    months: dict[str, tuple[list[int], list[Decimal], list[Decimal]]] = {}
    visits: dict[str, tuple[int, Decimal]] = {}
    terms_at = history.terms_at
    for entry in reports:
        data = entry.data
        rules = terms_at(entry.effective_date).billing or clause
        single = _sessions(data.get("sessions", ()), rules)
        groups = data.get("group_sessions")
        group = sum((group_hours(g["minutes"], g["participants"], rules) for g in groups),
                    Decimal(0)) if groups else _ZERO
        per_report[entry.seq] = (single, group)
        in_month = months.get(data["month"])
        if in_month is None:
            in_month = months[data["month"]] = ([], [], [])
        in_month[0].append(entry.seq)
        in_month[1].append(single)
        in_month[2].append(group)
        count = len(data.get("sessions", ()))
        fee = (rules.visitor_fee or _ZERO) * count
        before = visits.get(data["month"], (0, _ZERO))
        visits[data["month"]] = (before[0] + count, before[1] + fee)
    written = [o for o in orders if o.data["written"]]
    additional = sum((Decimal(str(o.data["hours"])) for o in written), Decimal(0))
    year_volume = terms_at(date(year, 12, 31)).volume
    priced_cap = (year_volume.max_hours_per_year + additional) if year_volume is not None else None
    month_rows = []
    to_date = _ZERO
    for month in sorted(months):
        seqs, singles, grouped = months[month]
        single = sum(singles, Decimal(0))
        group = sum(grouped, Decimal(0))
        hours = single + group
        room = hours if priced_cap is None else max(_ZERO, min(hours, priced_cap - to_date))
        to_date += hours
        month_rows.append(MonthBilling(
            month=month, seqs=tuple(seqs), session_hours=single,
            group_hours=group, hours=hours,
            amount=(room * rate).quantize(_ORE, rounding=ROUND_HALF_UP),
            hours_above_cap=hours - room, year_to_date_hours=to_date,
            visits=visits[month][0], visitor_fees=visits[month][1].quantize(_ORE),
        ))
    total = sum((m.hours for m in month_rows), Decimal(0))

    above = Standing("hours_above_cap")
    base_cap: Decimal | None = None
    running = Decimal(0)
    extra = Decimal(0)
    capped_by = None  # the volume clause ``cap`` was computed from, for the current ``extra``
    cap = _ZERO
    for entry in sorted(reports + written, key=in_time):
        volume = terms_at(entry.effective_date).volume
        if entry.type == "ServiceHoursReported":
            running += sum(per_report[entry.seq])
        else:
            extra += Decimal(str(entry.data["hours"]))
            capped_by = None
        if volume is None:
            above.met(entry, "inget tak från")
            continue
        if volume is not capped_by:
            base_cap = volume.max_hours_per_year
            cap = base_cap + extra
            capped_by = volume
        if running > cap:
            above.unmet(entry, volume.citation, "" if above.is_open else (
                f"{year}: {running} debiterade timmar överstiger taket {cap} timmar "
                f"({base_cap} + {extra} genom skriftligt avrop)"))
        elif above.is_open:
            above.met(entry, f"taket höjt till {cap} timmar genom skriftligt avrop")
    volume = history.terms_at(date(year, 12, 31)).volume
    if base_cap is None and volume is not None:
        base_cap = volume.max_hours_per_year
    cap = base_cap + additional if base_cap is not None else None
    return BillingSummary(
        year=year, hourly_rate=rate, months=month_rows, hours=total,
        amount=sum((m.amount for m in month_rows), Decimal("0.00")),
        base_cap=base_cap, additional_hours=additional, cap=cap,
        hours_above_cap=max(total - cap, Decimal(0)) if cap is not None else Decimal(0),
        deviations=above.result(), clause=clause.citation,
        visitor_fees=sum((m.visitor_fees for m in month_rows), Decimal("0.00")),
    )


def month_billing(entries: Sequence[Entry], month: str, *, as_of: date | None = None
                  ) -> tuple[BillingSummary, MonthBilling] | None:
    """One month's billing (API: GET /contracts/{ref}/billing?month=YYYY-MM): the year's summary
    and the month (zero where nothing was reported); None without a billing clause."""
    summary = billing(entries, int(month[:4]), as_of=as_of)
    if summary is None:
        return None
    found = next((m for m in summary.months if m.month == month), None)
    if found is None:
        before = [m for m in summary.months if m.month < month]
        zero = Decimal("0.00")
        found = MonthBilling(month=month, seqs=(), session_hours=zero, group_hours=zero,
                             hours=zero, amount=zero, hours_above_cap=zero,
                             year_to_date_hours=before[-1].year_to_date_hours if before else zero)
    return summary, found


def rules(history: History) -> tuple[list, list[Deviation]]:
    deviations: list[Deviation] = []
    for summary in billing_years(history).values():
        deviations += summary.deviations
    return [], deviations
