"""Yearly duties due on a fixed day of the following year ("senast 31 mars varje år").

One obligation per calendar year Y the contract is in force (from its in-force
date; the year it ends is the last), arising on 1 January Y+1 and due on the
clause's day in Y+1, judged by the terms in force on that due date. The period
is "Y". It is fulfilled by the earliest submission for Y effective on or after
1 January Y+1 (**policy**: a year cannot be reported on before it has ended, so
an earlier submission does not count).

**Policy** (``weekend_deadline_moves``): by default the due date stays on
a weekend or holiday and ``due_working_day`` shows the next working day.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import cache

from domain.calendar import clamped_date, day_and_month, explain_working_day
from domain.contract import Entry
from domain.rules.history import History, due_dates, in_time
from domain.rules.model import Obligation
from domain.terms import DueByDate, Terms


def yearly(history: History, *, kind: str, clause_of: Callable[[Terms], DueByDate | None],
           fulfilments: dict[int, list[Entry]], duty: Callable[[int], str]) -> list[Obligation]:
    """The yearly obligations of ``kind`` that have arisen up to ``history.through``."""
    through = history.through or date.max
    first = history.in_force_from.year
    last = through.year - 1
    if history.ends_on is not None:
        last = min(last, history.ends_on.year)
    terms_at = history.terms_at
    found = []
    for year in range(first, last + 1):
        arises = date(year + 1, 1, 1)
        clause = clause_of(terms_at(arises))
        if clause is None:
            continue
        due = clamped_date(year + 1, clause.month, clause.day)
        on_due = terms_at(due)
        if (later := clause_of(on_due)) is not clause:  # amended between 1 January and the due day
            clause = later
            if clause is None:
                continue
            due = clamped_date(year + 1, clause.month, clause.day)
            on_due = terms_at(due)
        due, working = due_dates(due, on_due.policies)
        done = None
        for entry in fulfilments.get(year, ()):
            if entry.effective_date >= arises:
                done = entry
                break
        found.append(Obligation(
            id=f"{kind}:{year}", kind=kind, holder="utforare", clause=clause.citation, due=due,
            due_working_day=working, arises_on=arises, created_by_seq=None,
            explanation=f"{duty(year)}; {_deadline(clause.day, clause.month, year, due, working)}",
            period=str(year), fulfilled_by_seq=done.seq if done else None,
            fulfilled_on=done.effective_date if done else None,
        ))
    return found


@cache
def _deadline(day: int, month: int, year: int, due: date, working: date) -> str:
    # The same few deadlines recur in every contract: format each once.
    text = f"senast {day_and_month(day, month)} året efter {year}: {due}"
    return f"{text}; {explain_working_day(due)}" if working != due else text


def by_year(entries: list[Entry]) -> dict[int, list[Entry]]:
    """Year → the entries submitted for that year, by effective date then seq."""
    found: dict[int, list[Entry]] = {}
    for entry in sorted(entries, key=in_time):
        found.setdefault(entry.data["year"], []).append(entry)
    return found
