"""Avstämning (V 1.2, S Ersättning): "Avstämning görs kvartalsvis".

One ``quarterly_reconciliation`` per calendar quarter the contract is in force
(from the quarter of its in-force date; the quarter in which it ends is the
last), arising the day after the quarter ends, held by the clause's ``holder``
and due ``due_days_after_quarter`` calendar days after the quarter's last day —
both **policy** (the text names neither who reconciles nor by when; the catalogue
flags them inferred). The period is "YYYY-Qn". The earliest ``QuarterReconciled``
for that quarter effective on or after the day it arises fulfils it (a quarter
cannot be reconciled before it has ended). See ``yearly`` for the weekend policy.
"""

from __future__ import annotations

from datetime import date, timedelta

from domain.calendar import explain_working_day
from domain.contract import Entry
from domain.rules.history import History, due_dates, in_time
from domain.rules.model import Deviation, Obligation

READS = frozenset({"QuarterReconciled"})
"""The entry types these rules read (``History.reading`` holds them to it)."""

_WHO = {"bestallare": "beställaren", "utforare": "utföraren"}


def quarter_of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarter_end(year: int, quarter: int) -> date:
    first_of_next = date(year + (quarter == 4), 1 if quarter == 4 else quarter * 3 + 1, 1)
    return first_of_next - timedelta(days=1)


def rules(history: History) -> tuple[list[Obligation], list[Deviation]]:
    through = history.through
    if through is None:
        return [], []
    done: dict[str, list[Entry]] = {}
    for entry in sorted(history.of("QuarterReconciled"), key=in_time):
        done.setdefault(entry.data["quarter"], []).append(entry)
    last_day = through if history.ends_on is None else min(through, history.ends_on)
    year, quarter = quarter_of(history.in_force_from)
    obligations = []
    while True:
        end = quarter_end(year, quarter)
        arises = end + timedelta(days=1)
        if arises > through or date(year, quarter * 3 - 2, 1) > last_day:
            break
        clause = history.terms_at(arises).quarterly_reconciliation
        if clause is not None:
            period = f"{year}-Q{quarter}"
            due, working = due_dates(end + timedelta(days=clause.due_days_after_quarter),
                                     history.terms_at(arises).policies)
            fulfilled = next((e for e in done.get(period, ()) if e.effective_date >= arises), None)
            tail = f"; {explain_working_day(due)}" if working != due else ""
            obligations.append(Obligation(
                id=f"quarterly_reconciliation:{period}", kind="quarterly_reconciliation",
                holder=clause.holder, clause=clause.citation, due=due, due_working_day=working,
                arises_on=arises, created_by_seq=None, period=period,
                explanation=(f"kvartalsvis avstämning av ersättningen för {period} "
                             f"({_WHO[clause.holder]}); senast {clause.due_days_after_quarter} "
                             f"dagar efter kvartalets slut: {due} (policy){tail}"),
                fulfilled_by_seq=fulfilled.seq if fulfilled else None,
                fulfilled_on=fulfilled.effective_date if fulfilled else None,
            ))
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return obligations, []
