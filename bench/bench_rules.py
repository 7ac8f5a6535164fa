"""The pure rules: ``domain.rules.evaluate`` on one long history and on many short ones.

    python -m bench.bench_rules [--big 10000] [--contracts 1000] [--events 40] [--rounds 5]

* one familjerådgivning contract with ``--big`` entries (a quarter each of
  LexSarahNotifiedToIVO, LexSarahCopySent, ServiceHoursReported and
  StaffingChanged, as in tests/rules/test_evaluate.py), target ≤ 30 ms;
* ``--contracts`` short histories (the four catalogue contracts in turn, each
  with its own ref and ``--events`` mixed entries), target well under 0.5 ms per
  contract. The first round is shown separately: it parses every registration.

Every round builds fresh ``Entry`` objects (no cached ``.event``), through
2028-12-31. Figures and ratios are printed, never asserted.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from domain.catalogue import catalogue_entry
from domain.contract import Entry
from domain.events import ContractRegistered, parse_event
from domain.rules import evaluate

THROUGH = date(2028, 12, 31)
START = date(2021, 1, 1)
SPAN_DAYS = 5 * 365
REFS = ("vald-i-nara-relation", "familjeradgivning", "skolsocialt-team", "familjecentraler")
ROLES = {"ContractRegistered": "admin", "SupervisionOpened": "bestallare"}

BIG_TARGET = 0.030  # s for the 10 000-entry contract
PER_CONTRACT_TARGET = 0.0005  # s per short contract ("well under")

Row = tuple[str, date, dict[str, Any]]  # (type, effective date, validated JSON data)


def _row(data: dict[str, Any]) -> Row:
    dumped = parse_event(data).model_dump(mode="json")
    return dumped["type"], date.fromisoformat(dumped["effective_date"]), dumped


def registration(ref: str, as_ref: str) -> Row:
    item = catalogue_entry(ref)
    description = item.description.model_copy(update={"ref": as_ref})
    event = ContractRegistered(**description.model_dump(), terms=item.terms,
                               effective_date=description.in_force_from.date)
    dumped = event.model_dump(mode="json")
    return "ContractRegistered", date.fromisoformat(dumped["effective_date"]), dumped


def big_history(size: int) -> list[Row]:
    """The long familjerådgivning history of test_ten_thousand_entries_in_one_pass."""
    rows = [registration("familjeradgivning", "familjeradgivning")]
    day = date(2022, 1, 3)
    for i in range(size // 4):
        on = day + timedelta(days=i // 2)
        seq = len(rows) + 1
        rows.append(_row({"type": "LexSarahNotifiedToIVO", "effective_date": on}))
        rows.append(_row({"type": "LexSarahCopySent", "effective_date": on, "anmalan_seq": seq}))
        rows.append(_row({"type": "ServiceHoursReported", "effective_date": on,
                          "month": f"{on:%Y-%m}", "sessions": [{"minutes": 50}]}))
        rows.append(_row({"type": "StaffingChanged", "effective_date": on, "planned": False,
                          "authorised_counsellors": i % 2}))
    return rows


def payload(k: int, total: int, seq: int) -> dict[str, Any]:
    """The k-th entry of a short history (cf. bench_projections.payload): duties, their
    fulfilments (some left open), hours, staffing."""
    day = START + timedelta(days=k * SPAN_DAYS // max(total, 1))
    step = k % 10
    if step == 0:
        return {"type": "LexSarahNotifiedToIVO", "effective_date": day}
    if step == 1 and k % 64 != 1:
        return {"type": "LexSarahCopySent", "effective_date": day, "anmalan_seq": seq - 1}
    if step == 2:
        return {"type": "SupervisionOpened", "effective_date": day}
    if step == 3 and k % 96 != 3:
        return {"type": "SupervisionReportedToBestallare", "effective_date": day,
                "supervision_seq": seq - 1}
    if step == 4:
        return {"type": "LexSarahSummarySubmitted", "effective_date": day, "year": day.year - 1}
    if step == 5:
        return {"type": "AnnualReportSubmitted", "effective_date": day, "year": day.year - 1}
    if step == 6:
        return {"type": "PremisesChanged", "effective_date": day, "address": f"Gatan {k}",
                "within_tatort": k % 3 != 0}
    if step == 7:
        return {"type": "PremisesChangeNotified", "effective_date": day, "change_seq": seq - 1}
    if step == 8:
        return {"type": "ServiceHoursReported", "effective_date": day, "month": f"{day:%Y-%m}",
                "sessions": [{"minutes": 50}, {"minutes": 75}]}
    if step == 9:
        return {"type": "StaffingChanged", "effective_date": day, "planned": k % 20 == 9,
                "socionomer": k % 4, "authorised_counsellors": k % 3}
    return {"type": "LexSarahReported", "effective_date": day, "count": 1}


def short_histories(contracts: int, events: int) -> list[list[Row]]:
    histories = []
    for i in range(contracts):
        ref = REFS[i % len(REFS)]
        rows = [registration(ref, f"{ref}-{i:04d}")]
        for k in range(events):
            rows.append(_row(payload(k, events, len(rows) + 1)))
        histories.append(rows)
    return histories


def entries(ref: str, rows: list[Row]) -> list[Entry]:
    """Fresh Entry objects (nothing cached on them) for one contract."""
    base = datetime(2026, 1, 1, tzinfo=UTC)
    return [Entry(contract=ref, seq=seq, type=type_, effective_date=effective,
                  recorded_at=base + timedelta(minutes=seq), actor="bench",
                  role=ROLES.get(type_, "utforare"), data=data, prev_hash=f"h{seq - 1}",
                  hash=f"h{seq}")
            for seq, (type_, effective, data) in enumerate(rows, start=1)]


def timed(fn: Callable[[], float], rounds: int) -> list[float]:
    """Seconds of ``rounds`` calls; ``fn`` returns the seconds it counts itself."""
    return [fn() for _ in range(rounds)]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_rules")
    parser.add_argument("--big", type=int, default=10_000, help="entries of the long history")
    parser.add_argument("--contracts", type=int, default=1000)
    parser.add_argument("--events", type=int, default=40, help="entries per short history")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)

    big = big_history(args.big)
    shorts = short_histories(args.contracts, args.events)

    def run_big() -> float:
        fresh = entries("familjeradgivning", big)
        began = time.perf_counter()
        evaluate(fresh, through=THROUGH)
        return time.perf_counter() - began

    def run_shorts() -> float:
        fresh = [entries(rows[0][2]["ref"], rows) for rows in shorts]
        began = time.perf_counter()
        for contract in fresh:
            evaluate(contract, through=THROUGH)
        return time.perf_counter() - began

    # One contract of its own first: the process-wide caches (holiday calendars, deadlines)
    # fill once, so the first round below shows what a new registration costs.
    began = time.perf_counter()
    for ref in REFS:
        evaluate(entries(ref, [registration(ref, f"{ref}-warm"), *big[1:400]]), through=THROUGH)
    print(f"warm-up (holiday calendars, deadlines: once a process) "
          f"{(time.perf_counter() - began) * 1000:.1f} ms")

    # Short histories before the long one, so their first round really is the first for
    # every registration.
    times = timed(run_shorts, args.rounds + 1)
    first, rest = times[0], times[1:]
    count = len(shorts)
    n_short = sum(len(rows) for rows in shorts)
    median = statistics.median(rest)
    print(f"{count} short histories ({n_short} entries, {args.events} + registration each), "
          f"through {THROUGH}:")
    print(f"  first round (parses registrations) {first * 1000:9.1f} ms  "
          f"{first / count * 1e6:7.1f} µs/contract  ratio {first / count / PER_CONTRACT_TARGET:5.2f}")
    print(f"  median of {args.rounds:<2}                        {median * 1000:9.1f} ms  "
          f"{median / count * 1e6:7.1f} µs/contract  {median / n_short * 1e6:6.2f} µs/entry  "
          f"target {PER_CONTRACT_TARGET * 1e6:.0f} µs/contract  "
          f"ratio {median / count / PER_CONTRACT_TARGET:5.2f}")

    times = timed(run_big, args.rounds)
    median, best = statistics.median(times), min(times)
    print(f"one history of {len(big)} entries (familjerådgivning), through {THROUGH}:")
    print(f"  median of {args.rounds:<2}                        {median * 1000:9.1f} ms  "
          f"best {best * 1000:.1f} ms  {median / len(big) * 1e6:6.2f} µs/entry  "
          f"target {BIG_TARGET * 1000:.0f} ms  ratio {median / BIG_TARGET:5.2f}")

    # Incremental judging: the next entry of that history judged from the evaluation before
    # it (what the live projection and the API's effects do), by the kind of entry.
    fresh = entries("familjeradgivning", big)
    whole = evaluate(fresh[:-1], through=THROUGH)
    print(f"the next entry after {len(big) - 1}, judged from the evaluation before it "
          f"(evaluate(previous=)), against judging all {len(big)}:")
    for kind in ("LexSarahNotifiedToIVO", "LexSarahCopySent", "ServiceHoursReported", "StaffingChanged"):
        last = next(e for e in reversed(fresh) if e.type == kind)
        step = [*fresh[:-1], Entry(contract=last.contract, seq=len(fresh), type=last.type,
                                   effective_date=last.effective_date, recorded_at=last.recorded_at,
                                   actor=last.actor, role=last.role, data=last.data,
                                   prev_hash=fresh[-2].hash, hash=f"next-{kind}")]
        def run_step(step: list[Entry] = step) -> float:
            began = time.perf_counter()
            evaluate(step, through=THROUGH, previous=whole)
            return time.perf_counter() - began
        times = timed(run_step, args.rounds)
        median = statistics.median(times)
        print(f"  {kind:<24} median {median * 1000:8.2f} ms  "
              f"({median / statistics.median(timed(run_big, 1)) * 100:5.1f} % of judging all)")
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(main(sys.argv[1:]))
