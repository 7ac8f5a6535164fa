"""The one path by which events reach a view: ``step`` (a batch after the view's position, applied
in one transaction with its tracking row) and ``catch_up`` (steps until the ledger's last
notification, then each touched contract judged once).

The live worker (``runner.ReadModelRunner``) catches up when it starts and after any error,
then steps as events arrive; ``rebuild`` catches a fresh view up from zero. Nothing else
writes a view.
"""

from __future__ import annotations

import gc
from datetime import date
from functools import partial

from eventsourcing.persistence import Tracking

from domain.ledger import Ledger
from projections.audit_trail import EntriesMemo
from projections.judgement import judge
from projections.source import read_batch
from projections.views import Progress, ReadModelView

BATCH = 20_000  # entries per catch-up transaction: larger runs of audit rows insert in key order
ANALYZE_AFTER = 10_000  # entries applied by one catch-up
MEMO_CONTRACTS = 100_000  # a catch-up keeps the entries it reads, to judge without reading back


def step(view: ReadModelView, ledger: Ledger, position: int, *, today: date, memo: EntriesMemo,
         limit: int, settle_at: int | None = None) -> tuple[int, int | None]:
    """Apply the events after ``position`` (at most ``limit``) to ``view`` in one transaction.
    The contracts they touch are marked pending, unless the batch reaches ``settle_at`` (the
    live worker: the ledger's head when it looked): then they and every pending contract are
    judged in the same transaction. Returns the position reached (the view's, if another
    writer got further) and the entries applied (None: the view was already there)."""
    batch, last = read_batch(ledger, position, limit)
    if last == position:
        return position, 0
    settle = settle_at is not None and last >= settle_at
    judge_on_today = partial(judge, today=today)
    done = view.process(batch, Tracking(view.application, last), judge_on_today, memo,
                        defer=not settle, settle=settle)
    if done is None:
        if settle:  # another writer got there first, and may have left contracts pending
            view.judge_pending(judge_on_today, memo)
        return view.position(), None
    return last, done


def catch_up(view: ReadModelView, ledger: Ledger, *, today: date, batch_size: int = BATCH,
             progress: Progress | None = None, memo: EntriesMemo | None = None,
             judging: Progress | None = None) -> int:
    """Bring the view up to the ledger's last notification; returns the entries applied.

    Entries go in batches (audit rows, head and tracking: one transaction each) and the
    contracts they touch are marked pending; then each pending contract is judged once.
    A crash in between leaves the pending marks, and the next catch-up judges them.
    Safe beside a running projection or another catch-up: what the view has already
    passed is skipped, never doubled."""
    memo = memo if memo is not None else EntriesMemo(max_contracts=MEMO_CONTRACTS, judgements=False)
    applied = 0
    position = view.position()
    end = ledger.recorder.max_notification_id() or 0
    try:
        while position < end:
            reached, done = step(view, ledger, position, today=today, memo=memo, limit=batch_size)
            if reached == position and done == 0:
                break
            applied += done or 0
            position = reached
            end = max(end, position)
            # The entries kept in the memo live until the end: frozen, no collection traverses
            # them again (each did, a tenth of a long catch-up).
            gc.freeze()
            if progress:
                progress(position, end)
        view.judge_pending(partial(judge, today=today), memo, progress=judging)
    finally:
        gc.unfreeze()
    if applied >= ANALYZE_AFTER:
        view.analyze()
    return applied
