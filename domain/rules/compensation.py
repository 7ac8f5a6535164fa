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
* FTE basis (C): the amount corresponds to ``compensation.fte``; where an agreed
  allocation (a ``StaffingChanged`` agreed with the beställare) totals another
  FTE, the annual amount is amount / fte × agreed FTE, rounded to whole kronor.
* **Policy**: the terms and the agreed FTE used for year Y are those in force on
  1 January Y, the day each year's indexation takes effect.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from domain.contract import Entry
from domain.rules.history import History
from domain.rules.model import CompensationView, IndexationStep

_KRONA = Decimal("1")
_ORE = Decimal("0.01")
_HUNDRED = Decimal(100)

READS = frozenset({"IndexationApplied", "StaffingChanged"})
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
    amount = half_up(clause.amount, unit)
    steps: list[IndexationStep] = []
    missing: list[int] = []
    index = clause.indexation
    if index is not None:
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
    annual = monthly = rate = per_fte = agreed_fte = None
    if clause.basis == "hourly":
        rate = amount
    else:
        annual = amount
        if clause.basis == "fte" and clause.fte:
            agreed_fte = _agreed_fte(history, on) or clause.fte
            per_fte = half_up(amount / clause.fte, _ORE)
            if agreed_fte != clause.fte:
                annual = half_up(amount * agreed_fte / clause.fte, _KRONA)
        monthly = half_up(annual / 12, _ORE)
    return CompensationView(
        year=year, basis=clause.basis, base_amount=half_up(clause.amount, unit),
        price_year=clause.price_year, index=index.index if index else None, steps=steps,
        annual_amount=annual, monthly_amount=monthly, hourly_rate=rate, clause=clause.citation,
        fte=clause.fte, agreed_fte=agreed_fte, per_fte_amount=per_fte, missing_years=missing,
    )


def _agreed_fte(history: History, on: date) -> Decimal | None:
    agreed = None
    for entry in history.in_time_order("StaffingChanged"):
        if entry.effective_date > on:
            break
        raw = entry.data.get("fte_allocation")
        if raw is not None and entry.data.get("agreed_with_bestallare"):
            agreed = sum((Decimal(str(v)) for v in raw.values()), Decimal(0))
    return agreed
