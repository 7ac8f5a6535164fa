"""Read models: rebuild throughput and read latencies, against the targets of issue 3.

    python -m bench.bench_projections [--contracts 1000] [--events 40] [--big 10000] [--rounds 3]
                                      [--four 50000]

Builds a temporary SQLite ledger of ``--contracts`` copies of the catalogue
contracts with ``--events`` entries each, plus one contract with ``--big``
entries, interleaved in recording order; then measures

* ``rebuild`` (target ≥ 50 000 events/s on SQLite), on that ledger and on one of
  just the four catalogue contracts with ``--four`` entries,
* as_of and known_at reads of the big contract (target ≤ 50 ms),
* the cross-contract open obligations query (target ≤ 20 ms with 1 000 contracts), as the
  API serves it (rows), as ``Obligation`` objects, and through the app (``GET /obligations``).

Figures and ratios are printed, never asserted.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from domain.catalogue import load_catalogue
from domain.contract import Actor, Contract
from domain.events import ContractRegistered, parse_event
from domain.ledger import Ledger
from domain.storage import Database
from projections.reads import ReadModels
from projections.rebuild import rebuild

ADMIN = Actor("bench", "admin")
UTFORARE = Actor("bench-utforare", "utforare")
BESTALLARE = Actor("bench-bestallare", "bestallare")
TODAY = date(2026, 11, 23)
START = date(2021, 1, 1)
SPAN_DAYS = 5 * 365
SAVE_BATCH = 500

REBUILD_TARGET = 50_000  # events/s
ONE_CONTRACT_TARGET = 0.050  # s
CROSS_CONTRACT_TARGET = 0.020  # s


def payload(k: int, total: int, seq: int) -> tuple[Actor, Any]:
    """The k-th entry of a contract (seq is its sequence number): a mix of duties and their
    fulfilments, some left open."""
    day = START + timedelta(days=k * SPAN_DAYS // max(total, 1))
    step = k % 8
    if step == 0:
        return UTFORARE, {"type": "LexSarahNotifiedToIVO", "effective_date": day}
    if step == 1 and k % 64 != 1:
        return UTFORARE, {"type": "LexSarahCopySent", "effective_date": day, "anmalan_seq": seq - 1}
    if step == 2:
        return BESTALLARE, {"type": "SupervisionOpened", "effective_date": day}
    if step == 3 and k % 96 != 3:
        return UTFORARE, {"type": "SupervisionReportedToBestallare", "effective_date": day,
                          "supervision_seq": seq - 1}
    if step == 5:
        return UTFORARE, {"type": "AnnualReportSubmitted", "effective_date": day, "year": day.year - 1}
    if step == 6:
        return UTFORARE, {"type": "PremisesChanged", "effective_date": day, "address": f"Gatan {k}",
                          "within_tatort": k % 3 != 0}
    if step == 7:
        return UTFORARE, {"type": "PremisesChangeNotified", "effective_date": day, "change_seq": seq - 1}
    if step == 4:
        return UTFORARE, {"type": "LexSarahSummarySubmitted", "effective_date": day, "year": day.year - 1}
    return UTFORARE, {"type": "LexSarahReported", "effective_date": day, "count": 1}


def populate(ledger: Ledger, contracts: int, events: int, big: int) -> tuple[int, str]:
    """Register the contracts and record their entries interleaved; (entries, big ref)."""
    catalogue = load_catalogue()
    refs, sizes = [], []
    base = datetime(2026, 1, 1, tzinfo=UTC)
    tick = 0
    pending: list[Contract] = []
    for i in range(contracts + (1 if big else 0)):
        item = catalogue[i % len(catalogue)]
        ref = f"{item.description.ref}-{i:04d}" if i < contracts else f"{item.description.ref}-big"
        description = item.description.model_copy(update={"ref": ref})
        registered = ContractRegistered(**description.model_dump(), terms=item.terms,
                                        effective_date=description.in_force_from.date)
        pending.append(Contract.register(registered, ADMIN, base + timedelta(microseconds=tick)))
        tick += 1
        refs.append(ref)
        sizes.append(events if i < contracts else big)
        if len(pending) >= SAVE_BATCH:
            ledger.save(*pending)
            pending = []
    ledger.save(*pending)
    contracts_by_ref = {ref: ledger.contract(ref) for ref in refs}
    size_of = dict(zip(refs, sizes, strict=True))
    counts = dict.fromkeys(refs, 0)
    schedule = [(k / size, ref) for ref, size in zip(refs, sizes, strict=True) for k in range(size)]
    schedule.sort()
    touched: dict[str, Contract] = {}
    for n, (_, ref) in enumerate(schedule, start=1):
        contract = contracts_by_ref[ref]
        k = counts[ref]
        counts[ref] += 1
        who, data = payload(k, size_of[ref], contract.version + 1)
        contract.record(parse_event(data), who, base + timedelta(microseconds=tick))
        tick += 1
        touched[ref] = contract
        if n % SAVE_BATCH == 0:
            ledger.save(*touched.values())
            touched = {}
    ledger.save(*touched.values())
    return len(refs) + len(schedule), refs[-1]


def timed(fn: Callable[[], Any], rounds: int) -> tuple[float, float]:
    """(median, best) seconds of ``rounds`` calls."""
    times = []
    for _ in range(rounds):
        began = time.perf_counter()
        fn()
        times.append(time.perf_counter() - began)
    return statistics.median(times), min(times)


def report(label: str, seconds: tuple[float, float], target: float) -> None:
    median, best = seconds
    print(f"  {label:<58} median {median * 1000:8.2f} ms  best {best * 1000:8.2f} ms  "
          f"target {target * 1000:.0f} ms  ratio {median / target:5.2f}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_projections")
    parser.add_argument("--contracts", type=int, default=1000)
    parser.add_argument("--events", type=int, default=40, help="entries per contract")
    parser.add_argument("--big", type=int, default=10_000, help="entries of the one big contract")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--four", type=int, default=50_000,
                        help="also rebuild a ledger of the four contracts with this many entries (0: skip)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        database = Database.from_url(f"sqlite:///{Path(tmp) / 'ledger.db'}")
        ledger = Ledger.open(database)
        began = time.perf_counter()
        total, big = populate(ledger, args.contracts, args.events, args.big)
        print(f"ledger: {args.contracts + 1} contracts, {total} entries "
              f"(one contract with {args.big + 1}) recorded in {time.perf_counter() - began:.1f} s")

        rebuild_rate(database, args.rounds, f"{args.contracts + 1} contracts")

        entries = ledger.entries(big)
        middle = entries[len(entries) // 2].recorded_at
        mid_day = entries[len(entries) // 2].effective_date
        rounds = max(args.rounds, 5)
        print(f"one contract with {len(entries)} entries ({big}):")
        with ReadModels(database, today=lambda: TODAY, ledger=ledger) as models:
            report("obligations as_of today (read model)",
                   timed(lambda: models.obligations(big, as_of=TODAY), rounds), ONE_CONTRACT_TARGET)
            report(f"obligations as_of {mid_day} (read model)",
                   timed(lambda: models.obligations(big, as_of=mid_day), rounds), ONE_CONTRACT_TARGET)
            report("deviations as_of today (read model)",
                   timed(lambda: models.deviations(big, as_of=TODAY), rounds), ONE_CONTRACT_TARGET)
            report("notice as_of today (rules over cached entries)",
                   timed(lambda: models.notice(big, as_of=TODAY), rounds), ONE_CONTRACT_TARGET)
            report("obligations known_at mid-history (warm: cached evaluation)",
                   timed(lambda: models.obligations(big, as_of=TODAY, known_at=middle), rounds),
                   ONE_CONTRACT_TARGET)
            report("events page of 100 known_at mid-history",
                   timed(lambda: models.events(big, known_at=middle, after=4000), rounds),
                   ONE_CONTRACT_TARGET)

        def cold(read: Callable[[ReadModels], Any]) -> Callable[[], Any]:
            def run() -> Any:
                with ReadModels(database, today=lambda: TODAY, ledger=ledger) as fresh:
                    return read(fresh)
            return run

        report("entries recorded by mid-history (cold: the load alone)",
               timed(cold(lambda m: m._load(m._stamp(big), middle)), rounds), ONE_CONTRACT_TARGET)
        report("obligations known_at mid-history (cold: load + rules)",
               timed(cold(lambda m: m.obligations(big, as_of=TODAY, known_at=middle)), rounds),
               ONE_CONTRACT_TARGET)
        report("notice as_of today (cold: load + rules)",
               timed(cold(lambda m: m.notice(big, as_of=TODAY)), rounds), ONE_CONTRACT_TARGET)
        report("obligations as_of beyond the horizon (cold: load + rules)",
               timed(cold(lambda m: m.obligations(big, as_of=date(2031, 6, 30))), rounds),
               ONE_CONTRACT_TARGET)

        with ReadModels(database, today=lambda: TODAY, ledger=ledger) as models:
            found = models.open_obligation_docs(as_of=TODAY)
            print(f"open obligations across {args.contracts + 1} contracts ({len(found)} open or overdue), "
                  "as GET /obligations serves them (open_obligation_docs):")
            report("all open or overdue", timed(lambda: models.open_obligation_docs(as_of=TODAY), rounds),
                   CROSS_CONTRACT_TARGET)
            report("status=open", timed(lambda: models.open_obligation_docs(as_of=TODAY, status="open"),
                                        rounds), CROSS_CONTRACT_TARGET)
            report("due_before=2026-12-31, holder=utforare",
                   timed(lambda: models.open_obligation_docs(as_of=TODAY, due_before=date(2026, 12, 31),
                                                             holder="utforare"), rounds),
                   CROSS_CONTRACT_TARGET)
            report("due_before=2025-01-01",
                   timed(lambda: models.open_obligation_docs(as_of=TODAY, due_before=date(2025, 1, 1)),
                         rounds), CROSS_CONTRACT_TARGET)
            report("all open or overdue as Obligation objects (open_obligations)",
                   timed(lambda: models.open_obligations(as_of=TODAY), rounds), CROSS_CONTRACT_TARGET)
        http_open_obligations(database, rounds)
        ledger.close()

        if args.four:
            database = Database.from_url(f"sqlite:///{Path(tmp) / 'four.db'}")
            ledger = Ledger.open(database)
            total, _ = populate(ledger, 4, args.four // 4, 0)
            ledger.close()
            rebuild_rate(database, args.rounds, f"the 4 catalogue contracts, {total} entries")
    return 0


def http_open_obligations(database: Database, rounds: int) -> None:
    """``GET /obligations`` through the whole app in process: ASGI, no socket, body read."""
    import asyncio
    import os

    import httpx

    from api import tokens
    from api.http import create_app

    async def measure(tmp: Path) -> None:
        token = tokens.create(tmp / "tokens.json", role="revisor", name="bench")
        headers = {"Authorization": f"Bearer {token}"}
        app = create_app(database, tokens_file=tmp / "tokens.json")
        async with app.router.lifespan_context(app), httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://bench") as client:
            async def get(path: str) -> bytes:
                response = await client.get(path, headers=headers)
                assert response.status_code == 200, response.text
                return response.content

            async def timed_get(path: str) -> tuple[float, float]:
                times = []
                for _ in range(rounds):
                    began = time.perf_counter()
                    await get(path)
                    times.append(time.perf_counter() - began)
                return statistics.median(times), min(times)

            size = len(await get("/obligations"))
            report(f"GET /obligations through the app ({size / 1e6:.1f} MB of JSON)",
                   await timed_get("/obligations"), CROSS_CONTRACT_TARGET)
            report("GET /obligations?due_before=2025-01-01",
                   await timed_get("/obligations?due_before=2025-01-01"), CROSS_CONTRACT_TARGET)
            report("GET /health (what the harness itself costs)", await timed_get("/health"),
                   CROSS_CONTRACT_TARGET)

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["LEDGER_TODAY"] = TODAY.isoformat()
        os.environ["LEDGER_SIGNING_KEY_FILE"] = str(Path(tmp) / "key.pem")
        asyncio.run(measure(Path(tmp)))


def rebuild_rate(database: Database, rounds: int, label: str) -> None:
    rates = []
    for _ in range(rounds):
        began = time.perf_counter()
        applied = rebuild(database, today=TODAY)
        rates.append(applied / (time.perf_counter() - began))
    median = statistics.median(rates)
    print(f"rebuild (SQLite, {label}): median {median:,.0f} events/s, best {max(rates):,.0f} events/s; "
          f"target {REBUILD_TARGET:,}/s, ratio {median / REBUILD_TARGET:.2f}")


if __name__ == "__main__":
    import sys

    sys.exit(main(sys.argv[1:]))
