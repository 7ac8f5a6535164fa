"""Shorter garbage-collection pauses in the long-running processes (``ledger serve``, ``ledger project``).

CPython's full collection walks every object it tracks, and a server keeping its working set
(contracts, their entries and evaluations, the projection's memo) holds millions: measured
under the append bench, pauses of 130–500 ms every few seconds that found nothing to collect,
and they were the appends' p99. After each full collection its survivors are frozen
(``gc.freeze``): the next one walks only what is newer. Frozen objects are still freed by
reference counting (as the caches' evicted entries are); only garbage *cycles* among them
would be kept, so every ``THAW_EVERY``-th full collection first thaws everything and walks it all.
Not installed by ``create_app`` itself: a test process building hundreds of apps would keep
their cycles between thaws.
"""

from __future__ import annotations

import gc
from typing import Any

THAW_EVERY = 16


class FreezeSurvivors:
    """A ``gc.callbacks`` entry: freeze after each full collection, thaw before every 16th."""

    def __init__(self) -> None:
        self.full = 0

    def __call__(self, phase: str, info: dict[str, Any]) -> None:
        if info["generation"] != 2:
            return
        if phase == "start":
            self.full += 1
            if self.full % THAW_EVERY == 0:
                gc.unfreeze()
        else:
            gc.freeze()


_callback = FreezeSurvivors()


def install() -> None:
    """Freeze survivors of full collections in this process (once, however often called)."""
    if _callback not in gc.callbacks:
        gc.callbacks.append(_callback)


def uninstall() -> None:
    """Undo ``install`` and thaw what it froze (for tests)."""
    if _callback in gc.callbacks:
        gc.callbacks.remove(_callback)
    gc.unfreeze()
