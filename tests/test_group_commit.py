"""Group commit (domain.commit): concurrent appends to different contracts share a transaction,
each keeps its own version check, and each is acknowledged only once it is durable."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from domain.commit import GroupCommit, _Append
from domain.errors import StaleVersion
from domain.ledger import Ledger, Outcome
from domain.storage import Database
from tests.support.builders import ADMIN, actor, event, registered

ROOT = Path(__file__).resolve().parents[1]
UTFORARE = actor("utforare")
BOUND = 30.0  # seconds a test waits for threads at most; never a measured time


def register(ledger: Ledger, n: int, prefix: str = "gc") -> list[str]:
    refs = [f"{prefix}-{k:03d}" for k in range(n)]
    for ref in refs:
        ledger.register(registered("familjeradgivning").model_copy(update={"ref": ref}), ADMIN)
    return refs


def report() -> Any:
    return event("LexSarahReported", "2025-05-30")


class Gate:
    """Holds the first commit until ``ready()`` (e.g. the others have queued), so that what
    is shared is decided by the test, not by the scheduler."""

    def __init__(self, save: Callable[..., list[Any]], ready: Callable[[], bool]) -> None:
        self.save, self.ready = save, ready
        self.entered = threading.Event()
        self.calls: list[int] = []  # aggregates per call

    def __call__(self, *objs: Any) -> list[Any]:
        self.calls.append(sum(1 for o in objs if hasattr(o, "collect_events")))
        if not self.entered.is_set():
            self.entered.set()
            for _ in range(int(BOUND / 0.01)):
                if self.ready():
                    break
                threading.Event().wait(0.01)
            else:
                raise AssertionError("the other appends never queued")
        return self.save(*objs)


def in_threads(*calls: Callable[[], Outcome]) -> list[Outcome | BaseException]:
    results: list[Outcome | BaseException] = [RuntimeError("not run")] * len(calls)

    def run(i: int) -> None:
        try:
            results[i] = calls[i]()
        except BaseException as error:  # the test inspects each outcome
            results[i] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(BOUND)
    return results


def test_concurrent_appends_to_different_contracts_share_one_transaction(ledger: Ledger) -> None:
    refs = register(ledger, 8)
    gate = Gate(ledger.save, lambda: ledger.commits.queued == len(refs) - 1)
    ledger.commits = GroupCommit(gate)
    outcomes = in_threads(*[lambda ref=ref: ledger.record(ref, report(), UTFORARE) for ref in refs])
    assert all(isinstance(o, Outcome) for o in outcomes), outcomes
    # The first alone (nobody waiting yet), the seven that queued meanwhile in one transaction.
    assert gate.calls == [1, 7]
    assert (ledger.commits.transactions, ledger.commits.appends) == (2, 8)
    for ref, outcome in zip(refs, outcomes, strict=True):
        assert isinstance(outcome, Outcome)
        stored = ledger.entries(ref)
        assert [e.seq for e in stored] == [1, 2] and stored[-1].hash == outcome.entry.hash
    positions = [o.position for o in outcomes if isinstance(o, Outcome)]
    assert len(set(positions)) == 8  # each its own notification, each told its own


def test_a_stale_append_in_a_shared_transaction_fails_alone(database: Database) -> None:
    first, other = Ledger.open(database), Ledger.open(database)  # two API processes
    try:
        a, b, c = register(first, 3)
        # Another process appends to b; `first` still decides on the version it saved.
        other.record(b, report(), UTFORARE)
        gate = Gate(first.save, lambda: first.commits.queued == 2)
        first.commits = GroupCommit(gate)
        lead = in_threads_started(lambda: first.record(a, report(), UTFORARE))
        assert gate.entered.wait(BOUND)
        shared = in_threads(lambda: first.record(b, report(), UTFORARE),
                            lambda: first.record(c, report(), UTFORARE))
        lead_outcome = lead()
        assert gate.calls[:2] == [1, 2]  # a alone; b and c tried together, then each alone
        assert isinstance(lead_outcome, Outcome) and isinstance(shared[1], Outcome)
        assert isinstance(shared[0], StaleVersion)
        assert [e.seq for e in first.entries(c)] == [1, 2]
        assert [e.actor for e in first.entries(b)] == ["ledger-cli", UTFORARE.name]  # only other's
        # Refused once, the next decision is made on the store's version and succeeds.
        assert first.record(b, report(), UTFORARE).seq == 3
    finally:
        first.close()
        other.close()


def in_threads_started(call: Callable[[], Outcome]) -> Callable[[], Outcome | BaseException]:
    box: list[Outcome | BaseException] = []
    thread = threading.Thread(target=lambda: box.append(_catch(call)))
    thread.start()

    def result() -> Outcome | BaseException:
        thread.join(BOUND)
        return box[0]

    return result


def _catch(call: Callable[[], Outcome]) -> Outcome | BaseException:
    try:
        return call()
    except BaseException as error:  # inspected by the test
        return error


CHILD = """
import sys, threading
from domain.contract import Actor
from domain.events import parse_event
from domain.ledger import Ledger
from domain.storage import Database

ledger = Ledger.open(Database.from_url(sys.argv[1]))
who = Actor(name="kill-test", role="utforare")
lock = threading.Lock()

def append(ref):
    while True:
        outcome = ledger.record(ref, parse_event({"type": "LexSarahReported",
                                                 "effective_date": "2025-05-30"}), who)
        with lock:  # acknowledged: printed only after record returned, i.e. after the commit
            print(ref, outcome.seq, ledger.commits.transactions, ledger.commits.appends, flush=True)

for ref in sys.argv[2:]:
    threading.Thread(target=append, args=(ref,), daemon=True).start()
threading.Event().wait()
"""


def test_every_acknowledged_append_survives_kill_9(database: Database) -> None:
    ledger = Ledger.open(database)
    try:
        refs = register(ledger, 8, prefix="kill")
    finally:
        ledger.close()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen([sys.executable, "-c", CHILD, database.url, *refs], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    acked: list[tuple[str, int]] = []
    try:
        assert child.stdout is not None
        for line in child.stdout:
            ref, seq, _transactions, _appends = line.split()
            acked.append((ref, int(seq)))
            if len(acked) >= 300:
                break
    finally:
        child.send_signal(signal.SIGKILL)
        _, err = child.communicate(timeout=BOUND)
    assert len(acked) >= 300, err
    ledger = Ledger.open(database)
    try:
        for ref in refs:
            seqs = [e.seq for e in ledger.entries(ref)]
            assert seqs == list(range(1, len(seqs) + 1))  # no gap, nothing twice
            mine = {seq for r, seq in acked if r == ref}
            assert mine <= set(seqs), f"{ref}: acknowledged {sorted(mine - set(seqs))} lost"
    finally:
        ledger.close()


@pytest.mark.parametrize("max_batch", [1, 3])
def test_a_batch_holds_at_most_max_batch_appends_and_one_per_aggregate(max_batch: int) -> None:
    class Aggregate:
        def __init__(self, i: int, id: int) -> None:
            self.i, self.id = i, id

        def collect_events(self) -> list[Any]:
            return []

    batches: list[list[int]] = []
    committer = GroupCommit(lambda *objs: batches.append([o.i for o in objs]) or [], max_batch=max_batch)
    # Five appends queued behind a busy leader; 0, 1 and 2 are to one aggregate.
    committer._queue = [_Append([Aggregate(i, id=0 if i < 3 else i)]) for i in range(5)]
    while committer._queue:
        committer._flush(committer._take())
    assert sorted(i for batch in batches for i in batch) == [0, 1, 2, 3, 4]
    assert all(len(batch) <= max_batch for batch in batches)
    assert all(sum(1 for i in batch if i < 3) <= 1 for batch in batches)
    assert [min(batch) for batch in batches] == sorted(min(batch) for batch in batches)  # arrival order
