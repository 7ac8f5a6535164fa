"""Helpers for the read-model tests: recording a history, and comparing views."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from domain.errors import LedgerError
from domain.ledger import Ledger
from domain.storage import Database
from projections.judgement import judge
from projections.runner import close_view, open_view
from projections.views import ReadModelView
from tests.support.history import HISTORY, REF

TODAY = date(2026, 11, 23)
EVERYTHING = date(9999, 12, 31)


def today() -> date:
    return TODAY


def record_history(ledger: Ledger, steps: list[Any] | None = None) -> int:
    """Record ``steps`` (default: one of every event type on ``REF``); the last notification id."""
    for who, event in HISTORY if steps is None else steps:
        ledger.record(REF, event, who)
    return ledger.recorder.max_notification_id() or 0


def try_record(ledger: Ledger, ref: str, who: Any, event: Any) -> bool:
    """Record if the ledger accepts it (a refused act writes nothing)."""
    try:
        ledger.record(ref, event, who)
    except LedgerError:
        return False
    return True


@contextmanager
def opened(database: Database) -> Iterator[ReadModelView]:
    """The view of ``database``, closed afterwards."""
    view = open_view(database)
    try:
        yield view
    finally:
        close_view(view)


def snapshot(view: ReadModelView) -> dict[str, Any]:
    """Everything the view holds, comparable with ``==``."""
    rows = sorted(view.contract_rows(), key=lambda r: r.ref)
    return {
        "position": view.position(),
        "head": view.head(),
        "contracts": rows,
        "entries": {r.ref: view.entries(r.ref) for r in rows},
        "obligations": {r.ref: view.obligations(r.ref, arisen_by=EVERYTHING) for r in rows},
        "deviations": {r.ref: view.deviations(r.ref, since_by=EVERYTHING) for r in rows},
    }


def by_rules(ledger: Ledger, ref: str) -> dict[str, Any]:
    """What the pure rules say about ``ref`` from the event store (no read model)."""
    judgement = judge(ledger.entries(ref), today=TODAY)
    return {
        "contract": judgement.contract,
        "obligations": sorted(judgement.obligations, key=_order),
        "deviations": judgement.deviations,
    }


def from_view(view: ReadModelView, ref: str) -> dict[str, Any]:
    return {
        "contract": view.contract_row(ref),
        "obligations": sorted(view.obligations(ref, arisen_by=EVERYTHING), key=_order),
        "deviations": view.deviations(ref, since_by=EVERYTHING),
    }


def _order(obligation: Any) -> tuple[date, str]:
    return obligation.due or date.max, obligation.id
