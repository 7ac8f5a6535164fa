"""Read-your-writes waiters: woken when their position is settled, and only then."""

from __future__ import annotations

import threading

from projections.settled import Settled


def _waiting(settled: Settled, position: int, results: dict[int, bool]) -> threading.Thread:
    thread = threading.Thread(target=lambda: results.__setitem__(position, settled.wait(position, 30)))
    thread.start()
    return thread


def _queued(settled: Settled, count: int) -> None:
    while len(settled._waiting) < count:  # the waiters are in the heap before we advance
        threading.Event().wait(0.001)


def test_a_settled_position_wakes_its_waiters_and_no_others() -> None:
    settled, results = Settled(), {}
    threads = {p: _waiting(settled, p, results) for p in (3, 5, 9)}
    _queued(settled, 3)
    settled.advance(5)
    threads[3].join()
    threads[5].join()
    assert results == {3: True, 5: True}
    assert [w[0] for w in settled._waiting] == [9]  # still asleep, never woken
    settled.advance(4)  # an older position does not move it back
    assert settled.position == 5
    settled.advance(9)
    threads[9].join()
    assert results[9] is True


def test_reached_before_waiting_returns_at_once_and_a_timeout_leaves_no_waiter() -> None:
    settled = Settled()
    settled.advance(7)
    assert settled.wait(7, 0) is True
    assert settled.wait(8, 0.01) is False
    assert settled._waiting == []


def test_close_wakes_every_waiter_with_what_was_reached() -> None:
    settled, results = Settled(), {}
    threads = [_waiting(settled, p, results) for p in (2, 4)]
    _queued(settled, 2)
    settled.advance(2)
    threads[0].join()
    settled.close()
    threads[1].join()
    assert results == {2: True, 4: False}
    assert settled.wait(10, 30) is False  # closed: no more waiting
