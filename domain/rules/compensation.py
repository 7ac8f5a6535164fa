"""Ersättning och indexering (V/S 1.2, F 1.2, C 2): the indexed amount for a year.

* The base amount is in the clause's price year; each later year (from the
  index clause's ``from_year``) is indexed by the ``IndexationApplied`` for that
  year: amount × (1 + percent/100), rounded half-up at each step — to whole
  kronor for annual and FTE amounts, to öre for an hourly rate.
* A later ``IndexationApplied`` for the same year (by effective date, then seq)
  supersedes the earlier (e.g. preliminary) one: the year is recomputed from the
  same starting amount with the new percent and the difference shows as a
  ``back_adjustment`` step carrying both percents. A year with no
  ``IndexationApplied`` carries the amount unchanged and is listed in
  ``missing_years``.
* monthly = annual / 12, half-up to öre.
* FTE basis (C): the amount corresponds to ``compensation.fte``; where the agreed
  allocation (a ``StaffingChanged`` the beställare accepted, ``staffing.allocations``)
  totals another FTE, the annual rate is amount / fte × agreed FTE, rounded to whole
  kronor.
* **Money follows the month** (C 2 "månadsvis … för avtalade antal årsarbetare"): each
  month is paid 1/12 of the annual rate in force in it, by the terms and the agreed FTE
  in force on the month's last day, so an amendment or an accepted change counts from
  the month it takes effect. The yearly amount is the sum of its months; where every
  month is the same it is the annual rate itself (whole kronor), and ``monthly_amount``
  is the year's last month. Indexation steps are shown for the terms of 1 January.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from domain.calendar import clamped_date
from domain.contract import Entry
from domain.rules import agreement, staffing
from domain.rules.history import History
from domain.rules.model import CompensationView, IndexationStep, MonthAmount
from domain.terms import Compensation

_KRONA = Decimal("1")
_ORE = Decimal("0.01")
_HUNDRED = Decimal(100)

READS = frozenset({"IndexationApplied", "StaffingChanged"}) | agreement.READS
"""The entry types these rules read (billing reads them through ``compensation_for``)."""


def half_up(value: Decimal, unit: Decimal) -> Decimal:
    """``value`` rounded half-up to ``unit``, shown with two decimals."""
    return value.quantize(unit, rounding=ROUND_HALF_UP).quantize(_ORE)


def compensation(entries: Sequence[Entry], year: int, *, as_of: date | None = None) -> CompensationView:
    """The compensation for ``year`` (DOMAIN.md §6 Compensation), from entries effective by ``as_of``."""
    return compensation_for(History.build(entries, as_of), year)


def compensation_for(history: History, year: int) -> CompensationView:
    on = date(year, 1, 1)
    clause = history.terms_at(on).compensation
    unit = _ORE if clause.basis == "hourly" else _KRONA
    amount, steps, missing = _indexed(history, clause, year)
    index = clause.indexation
    if clause.basis == "hourly":
        return CompensationView(
            year=year, basis=clause.basis, base_amount=half_up(clause.amount, unit),
            price_year=clause.price_year, index=index.index if index else None, steps=steps,
            annual_amount=None, monthly_amount=None, hourly_rate=amount, clause=clause.citation,
            fte=clause.fte, missing_years=missing)
    agreed = staffing.allocations(history) if clause.basis == "fte" else []
    months: list[MonthAmount] = []
    for month in range(1, 13):
        last_day = clamped_date(year, month, 31)
        in_force = history.terms_at(last_day).compensation
        rate = amount if in_force is clause else _indexed(history, in_force, year)[0]
        fte = None
        if in_force.basis == "fte" and in_force.fte:
            fte = _fte_on(agreed, last_day) or in_force.fte
            if fte != in_force.fte:
                rate = half_up(rate * fte / in_force.fte, _KRONA)
        months.append(MonthAmount(month=f"{year}-{month:02d}", annual_rate=rate,
                                  amount=half_up(rate / 12, _ORE), fte=fte))
    uniform = len({m.annual_rate for m in months}) == 1
    annual = months[0].annual_rate if uniform else sum((m.amount for m in months), Decimal("0.00"))
    per_fte = half_up(amount / clause.fte, _ORE) if clause.basis == "fte" and clause.fte else None
    return CompensationView(
        year=year, basis=clause.basis, base_amount=half_up(clause.amount, unit),
        price_year=clause.price_year, index=index.index if index else None, steps=steps,
        annual_amount=annual, monthly_amount=months[-1].amount, hourly_rate=None,
        clause=clause.citation, fte=clause.fte, agreed_fte=months[-1].fte,
        per_fte_amount=per_fte, missing_years=missing, months=months,
    )


def _indexed(history: History, clause: Compensation, year: int
             ) -> tuple[Decimal, list[IndexationStep], list[int]]:
    """The clause's amount indexed through ``year``: (amount, steps, years without an index)."""
    unit = _ORE if clause.basis == "hourly" else _KRONA
    amount = half_up(clause.amount, unit)
    steps: list[IndexationStep] = []
    missing: list[int] = []
    index = clause.indexation
    if index is None:
        return amount, steps, missing
    first = max(clause.price_year + 1, index.from_year or 0)
    by_year: dict[int, list[Entry]] = {}
    for entry in history.in_time_order("IndexationApplied"):
        if first <= entry.data["year"] <= year:
            by_year.setdefault(entry.data["year"], []).append(entry)
    for indexed_year in range(first, year + 1):
        applied = by_year.get(indexed_year)
        if not applied:
            missing.append(indexed_year)
            continue
        start = amount
        previous: IndexationStep | None = None
        for entry in applied:
            percent = Decimal(str(entry.data["percent"]))
            after = half_up(start * (1 + percent / _HUNDRED), unit)
            step = IndexationStep(
                year=indexed_year, index=entry.data["index"], percent=percent,
                amount_before=start if previous is None else previous.amount_after,
                amount_after=after, seq=entry.seq,
                kind="index" if previous is None else "back_adjustment",
                preliminary=bool(entry.data.get("preliminary", False)),
                replaced_percent=None if previous is None else previous.percent,
            )
            steps.append(step)
            previous = step
        assert previous is not None
        amount = previous.amount_after
    return amount, steps, missing


def _fte_on(agreed: list[tuple[date, int, dict[str, Decimal]]], day: date) -> Decimal | None:
    """The agreed FTE in force on ``day`` (None: the contract's own)."""
    found = None
    for start, _seq, allocation in agreed:
        if start > day:
            break
        found = allocation
    return sum(found.values(), Decimal(0)) if found is not None else None
