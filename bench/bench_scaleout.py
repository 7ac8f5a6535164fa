"""Scale-out on PostgreSQL: two API processes + one projection worker vs one process.

    python -m bench.bench_scaleout [--contracts 300] [--connections 16] [--rounds 3] [--seconds 8]

Systems, each on its own database of the same throwaway PostgreSQL cluster (the suite's helper),
each seeded with ``--contracts`` registered contracts, driven in turn by ``bench/load.py`` with
the appends of ``bench_anchor`` (rounds in rotating order, medians compared):

* ``one``        ``ledger serve``: one process that also projects (``make run``)
* ``one+worker`` ``ledger serve --projector external`` + ``ledger project``
* ``two+worker`` ``ledger serve --workers 2 --projector external`` + ``ledger project``

Printed: appends/s and p99 per system, the scaling factor (two+worker / one), and how far the
read models are behind under that load, p99 in seconds, twice: as the API reports it
(``GET /health/ready`` → ``checks.read_models.behind_seconds``, polled every 100 ms) and as
the bench computes it from the store (the age of the oldest event the view has not applied).
Results with the machine: bench/results/scaleout-<time>.json|.txt. Bounded: about
(3 systems x rounds x seconds) plus a minute of setup.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx

from bench import ledgers, load
from bench.bench_anchor import System, _databases, _ledger

SYSTEMS = {"one": {}, "one+worker": {"external": True}, "two+worker": {"workers": 2}}


@contextmanager
def reported_lag(url: str) -> Iterator[list[float]]:
    """``behind_seconds`` as ``GET /health/ready`` reports it, every 100 ms while the block runs."""
    samples: list[float] = []
    stop = threading.Event()

    def poll() -> None:
        with httpx.Client(timeout=5) as client:
            while not stop.wait(0.1):
                try:
                    checks = client.get(f"{url}/health/ready").json().get("checks", {})
                    samples.append(float(checks.get("read_models", {}).get("behind_seconds", 0.0)))
                except (httpx.HTTPError, ValueError):
                    continue

    thread = threading.Thread(target=poll, daemon=True)
    thread.start()
    try:
        yield samples
    finally:
        stop.set()
        thread.join()


def _p99(samples: list[float]) -> float:
    # a lag is never negative; an interpolated percentile of zeros can print as -0.00
    return max(0.0, load.Load(latencies=samples).percentile(.99)) if samples else 0.0


def bench(contracts: int, connections: int, rounds: int, seconds: float, root: Path) -> dict:
    with ExitStack() as stack:
        urls = _databases("postgres", stack, root, list(SYSTEMS))
        systems: list[System] = [_ledger(stack, root, name, urls[name], contracts, **options)
                                 for name, options in SYSTEMS.items()]
        for system in systems:  # warm-up: imports, caches, the first snapshot reads
            load.run(system.url, connections, contracts * 2, 3.0, system.make)
        runs: dict[str, list[dict]] = {s.name: [] for s in systems}
        for r in range(rounds):
            for system in systems[r % len(systems):] + systems[:r % len(systems)]:
                with ExitStack() as sampling:
                    computed = sampling.enter_context(system.lag.sampled()) if system.lag else []
                    reported = sampling.enter_context(reported_lag(system.url))
                    measured = load.run(system.url, connections, 10**9, seconds, system.make)
                row = {"rate": measured.statuses.get(201, 0) / measured.seconds,  # appends that were made
                       "p50": measured.percentile(.5), "p99": measured.percentile(.99),
                       "lag_reported_p99_s": _p99(reported), "lag_computed_p99_s": _p99(computed),
                       "statuses": measured.statuses}
                runs[system.name].append(row)
                print(f"  round {r + 1} {system.name:11} {row['rate']:6.0f} appends/s  "
                      f"p99 {row['p99']:6.1f} ms  read models behind p99 {row['lag_reported_p99_s']:.2f} s "
                      f"(API) / {row['lag_computed_p99_s']:.2f} s (store)  {measured.statuses}", flush=True)
                if set(measured.statuses) != {201}:
                    print(f"  warning: not every append was made ({measured.statuses}); see {root}")
    keys = ("rate", "p50", "p99", "lag_reported_p99_s", "lag_computed_p99_s")
    return {name: {k: statistics.median(x[k] for x in rs) for k in keys} | {"rounds": rs}
            for name, rs in runs.items()}


def summary(results: dict) -> list[str]:
    one = results["one"]
    lines = [f"{name:11} {s['rate']:6.0f} appends/s  p99 {s['p99']:6.1f} ms  x{s['rate'] / one['rate']:.2f} "
             f"of one process; read models behind p99 {s['lag_reported_p99_s']:.2f} s as the API reports, "
             f"{s['lag_computed_p99_s']:.2f} s from the store" for name, s in results.items()]
    lines.append(f"scaling factor, two API processes + one worker vs one process (PostgreSQL): "
                 f"{results['two+worker']['rate'] / one['rate']:.2f}x")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--contracts", type=int, default=300)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=8.0, help="per round and system")
    args = parser.parse_args(argv)
    info = ledgers.machine()
    print(f"machine: {info['cpu']}, {info['cores']} cores; {info['uptime']}", flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-scaleout-") as tmp:
        results = bench(args.contracts, args.connections, args.rounds, args.seconds, Path(tmp))
    info["load_after"] = __import__("os").getloadavg()
    lines = summary(results)
    print("medians of rounds:\n" + "\n".join(lines))
    settings = {k: getattr(args, k) for k in ("contracts", "connections", "rounds", "seconds")}
    stamp = ledgers.write_results("scaleout", info, settings, results, lines)
    print(f"written: bench/results/scaleout-{stamp}.json, .txt")
    return 0


if __name__ == "__main__":
    sys.exit(main())
