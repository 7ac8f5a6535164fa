"""Verification throughput and the cost of the hash link on append.

    python -m bench.bench_verify [N] [--appends M] [--rounds R]

* records N events (default 20 000) over the four catalogue contracts into a
  temporary SQLite ledger, many events per ``save``;
* times ``verify`` over them (target: ≥ 100 000 events/s) and, for comparison,
  the raw read of the same rows;
* times appending with and without the hash link computation (``entry_body`` +
  ``link`` replaced by a constant), one ``save`` per event as the API does and
  also batched, on two fresh ledgers fed in alternating blocks so both see the
  same machine load; prints the ratio of the totals (target: ≤ 1.10) and the
  cost of one link alone.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import domain.contract as contract_module
from domain.catalogue import load_catalogue
from domain.contract import Actor
from domain.events import ContractRegistered, parse_event
from domain.hashing import GENESIS
from domain.ledger import CONTRACT_TOPICS, Ledger
from domain.storage import Database
from domain.verification import verify_application

ADMIN = Actor("bench", "admin")
UTFORARE = Actor("bench-utforare", "utforare")
BATCH = 500


def open_ledger(path: Path) -> tuple[Ledger, list[str]]:
    ledger = Ledger.open(Database.from_url(f"sqlite:///{path}"))
    refs = []
    for item in load_catalogue():
        ledger.register(ContractRegistered(**item.description.model_dump(), terms=item.terms,
                                           effective_date=item.description.in_force_from.date),
                        ADMIN)
        refs.append(item.description.ref)
    return ledger, refs


def events(n: int) -> list[Any]:
    out = []
    for i in range(n):
        month = f"{2020 + (i // 12) % 30}-{i % 12 + 1:02d}"
        out.append(parse_event({"type": "WaitingTimeReported", "effective_date": f"{month}-28",
                                "period": month, "longest_wait_days": i % 90,
                                "note": f"bench entry {i}"}))
    return out


def record_batched(ledger: Ledger, refs: list[str], payloads: list[Any],
                   clock: Any = time.perf_counter) -> float:
    """Append ``payloads`` round-robin over the contracts, BATCH events per save; seconds
    (of ``clock``)."""
    contracts = [ledger.contract(ref) for ref in refs]
    start = datetime.now(tz=UTC)
    began = clock()
    for offset in range(0, len(payloads), BATCH):
        for i, payload in enumerate(payloads[offset:offset + BATCH], start=offset):
            contracts[i % len(contracts)].record(payload, UTFORARE, start + timedelta(microseconds=i))
        ledger.save(*contracts)
    return clock() - began


def record_one_by_one(ledger: Ledger, refs: list[str], payloads: list[Any],
                      clock: Any = time.perf_counter) -> float:
    """Append each payload with its own ``record`` + ``save`` (the API's path); seconds."""
    began = clock()
    for i, payload in enumerate(payloads):
        ledger.record(refs[i % len(refs)], payload, UTFORARE)
    return clock() - began


class NoLink:
    """Within: appends compute no hash link (the baseline for the link's cost)."""

    def __enter__(self) -> None:
        self.saved = contract_module.entry_body, contract_module.link, contract_module._versioned
        contract_module.entry_body = lambda **_: None  # type: ignore[assignment]
        contract_module.link = lambda prev, body: GENESIS  # type: ignore[assignment]
        contract_module._versioned = lambda entry, version: {}  # no payload digest either

    def __exit__(self, *exc: object) -> None:
        contract_module.entry_body, contract_module.link, contract_module._versioned = self.saved


def time_append(directory: Path, how: Any, payloads: list[Any], blocks: int, tag: str,
                clock: Any) -> tuple[float, float, list[float]]:
    """Append ``payloads`` to two fresh ledgers, one with and one without the hash link,
    in alternating blocks so both see the same machine load; total seconds of each and
    the per-block ratios."""
    with_link, _ = open_ledger(directory / f"append-{tag}-link.db")
    without, refs = open_ledger(directory / f"append-{tag}-nolink.db")
    size = max(1, len(payloads) // blocks)
    totals = [0.0, 0.0]
    ratios = []
    try:
        for offset in range(0, len(payloads), size):
            block = payloads[offset:offset + size]
            with NoLink():
                bare = how(without, refs, block, clock)
            linked = how(with_link, refs, block, clock)
            totals[0] += linked
            totals[1] += bare
            ratios.append(linked / bare)
    finally:
        with_link.close()
        without.close()
    return totals[0], totals[1], ratios


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_verify")
    parser.add_argument("n", nargs="?", type=int, default=20_000, help="events to verify")
    parser.add_argument("--appends", type=int, default=2_000,
                        help="events per round of the one-save-per-event append timing")
    parser.add_argument("--rounds", type=int, default=5,
                        help="alternating blocks per variant (twice this many blocks)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        ledger, refs = open_ledger(directory / "verify.db")
        payloads = events(args.n)
        seconds = record_batched(ledger, refs, payloads)
        total = args.n + len(refs)
        print(f"recorded {args.n} events in {seconds:.2f} s ({args.n / seconds:,.0f}/s, "
              f"{BATCH} per save)")

        read_times, decoded_times, verify_times, verify_cpu = [], [], [], []
        for _ in range(5):
            for decode, times in ((False, read_times), (True, decoded_times)):
                began = time.perf_counter()
                count, start = 0, 0
                while True:
                    rows = ledger.recorder.select_notifications(
                        start=start, limit=5000, topics=CONTRACT_TOPICS, inclusive_of_start=False)
                    if not rows:
                        break
                    if decode:
                        for row in rows:
                            ledger.mapper.to_domain_event(row)
                    count += len(rows)
                    start = rows[-1].id
                times.append(time.perf_counter() - began)
                assert count == total
            began, cpu = time.perf_counter(), time.process_time()
            report = verify_application(ledger)
            verify_times.append(time.perf_counter() - began)
            verify_cpu.append(time.process_time() - cpu)
            assert report.ok and report.events == total, report
        ledger.close()
        best = min(verify_times)
        print(f"for comparison, the library reading the same rows: select_notifications "
              f"{total / min(read_times):,.0f} rows/s; decoded to events "
              f"{total / min(decoded_times):,.0f} events/s")
        print(f"verify {total} events: {best:.3f} s = {total / best:,.0f} events/s wall, "
              f"{total / min(verify_cpu):,.0f} events/s CPU (best of {len(verify_times)}; "
              f"target ≥ 100,000/s) head {report.head[:16]}…")

        for name, how, count in (("one save per event", record_one_by_one, args.appends),
                                 (f"{BATCH} events per save", record_batched, args.appends * 5)):
            for clock_name, clock in (("wall", time.perf_counter), ("CPU", time.process_time)):
                linked, bare, ratios = time_append(directory, how, events(count),
                                                   args.rounds * 2, name[:3] + clock_name, clock)
                print(f"append, {name}, {clock_name} time: {linked / count * 1e6:.1f} µs/event "
                      f"with the hash link, {bare / count * 1e6:.1f} without; ratio "
                      f"{linked / bare:.3f} (target ≤ 1.10; blocks: median "
                      f"{statistics.median(ratios):.3f}, {min(ratios):.3f}–{max(ratios):.3f})")

        entry = payloads[0].model_dump(mode="json")
        recorded_at = datetime.now(tz=UTC)
        began = time.perf_counter()
        for _ in range(100_000):
            contract_module.link(GENESIS, contract_module.entry_body(
                contract="familjeradgivning", seq=2, recorded_at=recorded_at, actor="bench",
                role="utforare", event=entry))
        print(f"entry_body + link alone: {(time.perf_counter() - began) * 10:.2f} µs/event")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
