"""Read-your-writes: callers wait for a position, and only those it reaches are woken.

A condition's ``notify_all`` woke every waiting request on each settled burst, and those
whose position was still ahead took the lock and went back to sleep: under load a dozen
thread switches per burst, each needing the GIL, for nothing.
"""

from __future__ import annotations

import heapq
import itertools
import threading


class Settled:
    """The last settled position, and the callers waiting for later ones."""

    def __init__(self) -> None:
        self.position = 0
        self._lock = threading.Lock()
        self._waiting: list[tuple[int, int, threading.Event]] = []  # a heap, nearest first
        self._ids = itertools.count()
        self._closed = False

    def advance(self, position: int) -> None:
        """Settled up to ``position``: wake whoever waits for it or less."""
        with self._lock:
            self.position = max(self.position, position)
            while self._waiting and self._waiting[0][0] <= self.position:
                heapq.heappop(self._waiting)[2].set()

    def close(self) -> None:
        """Wake every waiter, and wait no more: each returns whether its position was reached."""
        with self._lock:
            self._closed = True
            for _, _, woken in self._waiting:
                woken.set()
            self._waiting.clear()

    def wait(self, position: int, timeout: float) -> bool:
        """Whether ``position`` was settled within ``timeout`` seconds (or before ``close``)."""
        if self.position >= position:
            return True
        woken = threading.Event()
        with self._lock:
            if self.position >= position or self._closed:
                return self.position >= position
            waiter = (position, next(self._ids), woken)
            heapq.heappush(self._waiting, waiter)
        if not woken.wait(timeout):
            with self._lock:
                if waiter in self._waiting:
                    self._waiting.remove(waiter)
                    heapq.heapify(self._waiting)
        return self.position >= position
