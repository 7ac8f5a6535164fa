"""Verification throughput and the cost of the hash link on append.

    python -m bench.bench_verify [N] [--appends M] [--rounds R]

* records N events (default 20 000) over the four catalogue contracts into a
  temporary SQLite ledger, many events per ``save``;
* times ``verify`` over them (target: ≥ 100 000 events/s) and, for comparison,
  the raw read of the same rows;
* times appending with and without the hash link computation (``entry_body`` +
  ``link`` replaced by a constant), one ``save`` per event as the API does and
  also batched, alternating the two variants over R rounds on fresh ledgers;
  prints the median ratio (target: ≤ 1.10).
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


def record_batched(ledger: Ledger, refs: list[str], payloads: list[Any]) -> float:
    """Append ``payloads`` round-robin over the contracts, BATCH events per save; seconds."""
    contracts = [ledger.contract(ref) for ref in refs]
    start = datetime.now(tz=UTC)
    began = time.perf_counter()
    for offset in range(0, len(payloads), BATCH):
        for i, payload in enumerate(payloads[offset:offset + BATCH], start=offset):
            contracts[i % len(contracts)].record(payload, UTFORARE, start + timedelta(microseconds=i))
        ledger.save(*contracts)
    return time.perf_counter() - began


def record_one_by_one(ledger: Ledger, refs: list[str], payloads: list[Any]) -> float:
    """Append each payload with its own ``record`` + ``save`` (the API's path); seconds."""
    began = time.perf_counter()
    for i, payload in enumerate(payloads):
        ledger.record(refs[i % len(refs)], payload, UTFORARE)
    return time.perf_counter() - began


class NoLink:
    """Within: appends compute no hash link (the baseline for the link's cost)."""

    def __enter__(self) -> None:
        self.saved = contract_module.entry_body, contract_module.link
        contract_module.entry_body = lambda **_: None  # type: ignore[assignment]
        contract_module.link = lambda prev, body: GENESIS  # type: ignore[assignment]

    def __exit__(self, *exc: object) -> None:
        contract_module.entry_body, contract_module.link = self.saved


def time_append(directory: Path, how: Any, payloads: list[Any], with_link: bool, tag: str) -> float:
    ledger, refs = open_ledger(directory / f"append-{tag}.db")
    try:
        if with_link:
            return how(ledger, refs, payloads)
        with NoLink():
            return how(ledger, refs, payloads)
    finally:
        ledger.close()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_verify")
    parser.add_argument("n", nargs="?", type=int, default=20_000, help="events to verify")
    parser.add_argument("--appends", type=int, default=2_000,
                        help="events per round of the one-save-per-event append timing")
    parser.add_argument("--rounds", type=int, default=5, help="alternating rounds per variant")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        ledger, refs = open_ledger(directory / "verify.db")
        payloads = events(args.n)
        seconds = record_batched(ledger, refs, payloads)
        total = args.n + len(refs)
        print(f"recorded {args.n} events in {seconds:.2f} s ({args.n / seconds:,.0f}/s, "
              f"{BATCH} per save)")

        read_times, verify_times = [], []
        for _ in range(3):
            began = time.perf_counter()
            count, start = 0, 0
            while True:
                rows = ledger.recorder.select_notifications(
                    start=start, limit=5000, topics=CONTRACT_TOPICS, inclusive_of_start=False)
                if not rows:
                    break
                count += len(rows)
                start = rows[-1].id
            read_times.append(time.perf_counter() - began)
            assert count == total
            began = time.perf_counter()
            report = verify_application(ledger)
            verify_times.append(time.perf_counter() - began)
            assert report.ok and report.events == total, report
        ledger.close()
        best = min(verify_times)
        print(f"raw read of {total} rows: {total / min(read_times):,.0f} rows/s")
        print(f"verify {total} events: {best:.3f} s = {total / best:,.0f} events/s "
              f"(target ≥ 100,000/s) head {report.head[:16]}…")

        for name, how, count in (("one save per event", record_one_by_one, args.appends),
                                 (f"{BATCH} events per save", record_batched, args.appends * 5)):
            work = events(count)
            with_link, without = [], []
            for r in range(args.rounds):
                without.append(time_append(directory, how, work, False, f"{name[:3]}-{r}-a"))
                with_link.append(time_append(directory, how, work, True, f"{name[:3]}-{r}-b"))
            ratios = [w / o for w, o in zip(with_link, without, strict=True)]
            per_with = statistics.median(with_link) / count * 1e6
            per_without = statistics.median(without) / count * 1e6
            print(f"append, {name}: {per_with:.1f} µs/event with the hash link, "
                  f"{per_without:.1f} µs/event without; ratio median "
                  f"{statistics.median(ratios):.3f} (rounds: "
                  f"{', '.join(f'{x:.3f}' for x in ratios)}; target ≤ 1.10)")

        body = {"contract": "familjeradgivning", "seq": 2, "recorded_at":
                "2026-03-02T09:00:00.000000+00:00", "actor": "bench", "role": "utforare",
                "event": payloads[0].model_dump(mode="json")}
        began = time.perf_counter()
        for _ in range(100_000):
            contract_module.link(GENESIS, body)
        print(f"one link alone: {(time.perf_counter() - began) * 10:.2f} µs")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
