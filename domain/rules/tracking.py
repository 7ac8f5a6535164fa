"""Bokförs från: duties that fell due before the ledger tracked the contract.

A contract registered years after it came into force would otherwise show every yearly
report since then as overdue, though nobody recorded what happened before the ledger
existed. A periodic duty (one no event created) due before the tracking start and not
fulfilled by a recorded event is ``before_tracking`` ("före bokföringen"), from the day
it arose; an event that records it (a late ``AnnualReportSubmitted``) still fulfils it.
The start is ``ContractRegistered.tracked_from``, moved by ``TrackingStartChanged``.
"""

from __future__ import annotations

from datetime import date

from domain.rules.history import History
from domain.rules.model import BEFORE_TRACKING, Obligation

READS = frozenset({"TrackingStartChanged"})


def tracked_from(history: History) -> date | None:
    """The day the ledger tracks the contract from, as of the history's last day."""
    changes = history.by_type.get("TrackingStartChanged")
    if changes:
        return date.fromisoformat(str(changes[-1].data["tracked_from"]))
    return history.registration.tracked_from


def before_tracking(obligations: list[Obligation], start: date | None) -> list[Obligation]:
    """``obligations`` with the untracked periodic duties marked ``before_tracking``."""
    if start is None:
        return obligations
    return [_untracked(o) if (o.created_by_seq is None and o.due is not None and o.due < start
                              and o.void_on is None) else o for o in obligations]


def _untracked(o: Obligation) -> Obligation:
    return Obligation(
        id=o.id, kind=o.kind, holder=o.holder, clause=o.clause, due=o.due,
        due_working_day=o.due_working_day, arises_on=o.arises_on, created_by_seq=o.created_by_seq,
        explanation=o.explanation, period=o.period, fulfilled_by_seq=o.fulfilled_by_seq,
        fulfilled_on=o.fulfilled_on, void_on=o.arises_on, void_reason=BEFORE_TRACKING)
