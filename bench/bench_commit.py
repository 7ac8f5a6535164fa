"""Group commit without HTTP: 16 threads appending with ``Ledger.record`` to 300 contracts,
group commit on vs off (LEDGER_GROUP_COMMIT=false), SQLite and PostgreSQL, medians of rounds."""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from contextlib import ExitStack
from pathlib import Path

from domain.commit import GroupCommit
from domain.contract import Actor
from domain.events import parse_event
from domain.ledger import Ledger
from domain.storage import Database

WHO = Actor(name="bench", role="utforare")
EVENT = parse_event({"type": "LexSarahReported", "effective_date": "2025-05-30"})


def run(ledger: Ledger, refs: list[str], threads: int, seconds: float) -> float:
    counts = [0] * threads
    stop = time.monotonic() + seconds

    def work(t: int) -> None:
        mine = refs[t::threads]
        i = 0
        while time.monotonic() < stop:
            ledger.record(mine[i % len(mine)], EVENT, WHO)
            counts[t] += 1
            i += 1

    began = time.perf_counter()
    workers = [threading.Thread(target=work, args=(t,)) for t in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return sum(counts) / (time.perf_counter() - began)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--contracts", type=int, default=300)
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--backends", default="sqlite,postgres")
    args = parser.parse_args(argv)
    from bench.bench_anchor import RESULTS, _databases, machine
    from tests.support.builders import ADMIN, registered

    lines = [f"{time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())} {machine()}", f"settings {vars(args)}"]

    for backend in args.backends.split(","):
        with ExitStack() as stack, tempfile.TemporaryDirectory() as tmp:
            url = _databases(backend, stack, Path(tmp), ["ledger"])["ledger"]
            ledger = Ledger.open(Database.from_url(url))
            stack.callback(ledger.close)
            refs = [f"c-{k:03d}" for k in range(args.contracts)]
            for ref in refs:
                ledger.register(registered("familjeradgivning").model_copy(update={"ref": ref}), ADMIN)
            group = GroupCommit(ledger.save)
            rates: dict[str, list[float]] = {"group": [], "alone": []}
            for _ in range(args.rounds):
                for mode in ("group", "alone"):
                    ledger.commits = group if mode == "group" else None
                    rates[mode].append(run(ledger, refs, args.threads, args.seconds))
            g, a = statistics.median(rates["group"]), statistics.median(rates["alone"])
            lines.append(f"{backend:8} Ledger.record, {args.threads} threads: group commit {g:6.0f}/s "
                         f"({group.appends / max(group.transactions, 1):.1f} appends per transaction), "
                         f"alone {a:6.0f}/s; ratio {g / a:.2f}")
            print(lines[-1], flush=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"commit-{time.strftime('%Y%m%dT%H%M%SZ', time.gmtime())}.txt"
    out.write_text("\n".join(lines) + "\n")
    print(f"written: {out.relative_to(RESULTS.parent.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
