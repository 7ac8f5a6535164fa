"""``ledger rebuild``: every read model again from the events, in batches.

The tables are dropped and created again (so a changed schema takes effect),
then the events are applied exactly as ``catch_up`` applies them: a few
thousand entries per transaction with one tracking row each, then each contract
judged once — by the same ``judge`` as the live projection — from the entries
kept in memory, so no contract is read back from the view.

Stop the API (its live projection) while rebuilding: it would resume from its
own position, not the rebuilt one.
"""

from __future__ import annotations

from datetime import date

from domain.ledger import Ledger
from domain.storage import Database
from projections.runner import BATCH, Progress, catch_up, close_view, open_view


def rebuild(database: Database, *, today: date, progress: Progress | None = None,
            batch_size: int = BATCH) -> int:
    """Drop and rebuild every read model; returns the number of entries applied."""
    view = open_view(database)
    ledger = Ledger.open(database)
    try:
        view.reset()
        return catch_up(view, ledger, today=today, batch_size=batch_size, progress=progress)
    finally:
        ledger.close()
        close_view(view)
