"""Rebuild while the API serves: reads' p99 before and during ``ledger rebuild``, and the
rebuild's rate against the library's own decoded notification-log replay in the same run.

    python -m bench.bench_rebuild [--events 100000] [--contracts 1000] [--backends sqlite,postgres]
                                  [--connections 1] [--seconds 15]

On a cached ledger from ``bench.ledgers`` (a working copy), ``ledger serve`` (one process,
projecting in-process, as ``make run``) answers ``GET /contracts/{ref}/obligations`` from
``bench/load.py`` throughout three phases:

1. before: reads alone, ``--seconds``;
2. the library's replay, in its own process: the application's notification log read in pages
   of ``PAGE`` (``Ledger.recorder.select_notifications``; ``Ledger.notification_log.select`` is
   the same call capped at 10 a page) and every event decoded by the application's mapper
   (``Ledger.mapper.to_domain_event``), nothing else;
3. ``ledger rebuild`` through the CLI (how it builds and switches is its own business).

The replay and the rebuild each run under the same read load and each time themselves (the
rebuild's own "rebuilt: N entries in S s" line; wall time is printed beside it). Target
(issue 16): rebuild rate >= 0.3x the replay's. Every answer during the rebuild is counted by
status; after it, the answers of every contract are compared with those before.
Results with the machine: bench/results/rebuild-<time>.json|.txt. Bounded: the two timed
phases run as long as the replay and the rebuild (about 10 s and 30 s at 100 000 events here).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

import httpx

from bench import ledgers, load
from bench.bench_reads import serve

TARGET_RATIO = 0.3
PAGE = 1000


def replay(url: str) -> None:
    """The library's decoded replay of the whole notification log; prints 'N events in S s'."""
    from domain.ledger import Ledger
    from domain.storage import Database

    ledger = Ledger.open(Database.from_url(url))
    try:
        began = time.perf_counter()
        count, start = 0, 1
        while True:
            # The log's own select caps a page at its section size (10); its recorder is the same
            # log without the cap, as the library's subscriptions read it.
            page = ledger.recorder.select_notifications(start=start, limit=PAGE)
            for notification in page:
                ledger.mapper.to_domain_event(notification)
            count += len(page)
            if len(page) < PAGE:
                break
            start = page[-1].id + 1
        print(f"replayed: {count} entries in {time.perf_counter() - began:.3f} s", flush=True)
    finally:
        ledger.close()


def _while_running(command: list[str], env: dict[str, str], url: str, connections: int,
                   make: object) -> tuple[load.Load, str, float]:
    """Reads on ``url`` for as long as ``command`` runs; (the reads, its output, its wall time)."""
    reads = load.Load()
    began = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
        while process.poll() is None:
            chunk = load.run(url, connections, 10**9, 0.5, make)  # type: ignore[arg-type]
            reads.latencies += chunk.latencies
            reads.seconds += chunk.seconds
            for status, n in chunk.statuses.items():
                reads.statuses[status] = reads.statuses.get(status, 0) + n
        wall = time.perf_counter() - began
        out.seek(0)
        text = out.read().decode(errors="replace")
    if process.returncode:
        raise RuntimeError(f"{command[:3]} exited {process.returncode}: {text[-2000:]}")
    return reads, text, wall


def _rate(text: str, pattern: str) -> tuple[int, float]:
    match = re.search(pattern + r": (\d+) entries in ([\d.]+) s", text)
    if not match:
        raise RuntimeError(f"no '{pattern}' line in: {text[-500:]}")
    return int(match.group(1)), float(match.group(2))


def _answers(url: str, headers: dict[str, str], refs: list[str]) -> dict[str, object]:
    with httpx.Client(headers=headers, timeout=30) as client:
        return {ref: client.get(f"{url}/contracts/{ref}/obligations").json() for ref in refs}


def _figures(reads: load.Load) -> dict:
    return {"p50": reads.percentile(.5), "p99": reads.percentile(.99),
            "max": max(reads.latencies, default=0.0), "rate": reads.rate, "statuses": reads.statuses}


def bench(backend: str, server: object, events: int, contracts: int, connections: int,
          seconds: float, home: Path) -> dict:
    with ExitStack() as stack:
        if backend == "sqlite":
            url = ledgers.sqlite_copy(events, contracts, home)
        else:
            url = ledgers.postgres_copy(server, events, contracts, f"rebuild_work_{events}")
            stack.callback(ledgers.postgres_drop, server, f"rebuild_work_{events}")
        refs = ledgers.refs(contracts)
        env = {**os.environ, "LEDGER_DATABASE_URL": url, "LEDGER_TODAY": ledgers.TODAY.isoformat()}
        base, headers = serve(stack, home, url)
        prepared = [load.request("GET", f"{base}/contracts/{refs[(i * 7919) % len(refs)]}/obligations",
                                 headers) for i in range(len(refs))]

        def make(i: int) -> bytes:
            return prepared[i % len(prepared)]

        load.run(base, connections, len(refs), seconds, make)  # warm-up
        answers = _answers(base, headers, refs)
        before = load.run(base, connections, 10**9, seconds, make)
        code = f"from bench.bench_rebuild import replay; replay({url!r})"
        under_replay, text, replay_wall = _while_running([sys.executable, "-c", code], env, base,
                                                         connections, make)
        replayed, replay_s = _rate(text, "replayed")
        during, text, rebuild_wall = _while_running([ledgers.LEDGER, "rebuild"], env, base, connections, make)
        rebuilt, rebuild_s = _rate(text, "rebuilt")
        time.sleep(1.0)  # the serving process notices the switch (if it needs to) before we compare
        after = _answers(base, headers, refs)
    same = sum(answers[ref] == after[ref] for ref in refs)
    result = {
        "events": events, "connections": connections,
        "before": _figures(before), "during_replay": _figures(under_replay),
        "during_rebuild": _figures(during),
        "replay": {"entries": replayed, "seconds": replay_s, "wall_s": replay_wall,
                   "rate": replayed / replay_s},
        "rebuild": {"entries": rebuilt, "seconds": rebuild_s, "wall_s": rebuild_wall,
                    "rate": rebuilt / rebuild_s},
        "answers_same_after": f"{same}/{len(refs)}",
    }
    print(f"  {backend:8} reads p99 before {result['before']['p99']:.2f} ms, during the rebuild "
          f"{result['during_rebuild']['p99']:.2f} ms (max {result['during_rebuild']['max']:.0f} ms) "
          f"{during.statuses}; rebuild {result['rebuild']['rate']:,.0f}/s vs replay "
          f"{result['replay']['rate']:,.0f}/s; answers after = before for {same}/{len(refs)}", flush=True)
    return result


def summary(results: dict) -> list[str]:
    lines = []
    for backend, r in results.items():
        ratio = r["rebuild"]["rate"] / r["replay"]["rate"]
        lines += [
            f"{backend}, {r['events']:,} events, {r['connections']} connection(s) reading obligations:",
            f"  reads p99 before {r['before']['p99']:.2f} ms, during the replay "
            f"{r['during_replay']['p99']:.2f} ms, during the rebuild {r['during_rebuild']['p99']:.2f} ms "
            f"({r['during_rebuild']['p99'] / r['before']['p99']:.1f}x before), "
            f"max {r['during_rebuild']['max']:.0f} ms; statuses during {r['during_rebuild']['statuses']}",
            f"  rebuild {r['rebuild']['rate']:,.0f} events/s ({r['rebuild']['entries']:,} in "
            f"{r['rebuild']['seconds']:.1f} s; wall {r['rebuild']['wall_s']:.1f} s) vs the library's decoded "
            f"replay {r['replay']['rate']:,.0f} events/s ({r['replay']['seconds']:.1f} s): ratio {ratio:.2f} "
            f"(target >= {TARGET_RATIO})",
            f"  answers after the rebuild equal those before for {r['answers_same_after']} contracts"]
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--contracts", type=int, default=1000)
    parser.add_argument("--connections", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=15.0, help="reads before, and the warm-up cap")
    parser.add_argument("--backends", default="sqlite,postgres")
    args = parser.parse_args(argv)
    info = ledgers.machine()
    print(f"machine: {info['cpu']}, {info['cores']} cores; {info['uptime']}", flush=True)
    results = {}
    for backend in args.backends.split(","):
        with ExitStack() as stack, tempfile.TemporaryDirectory(prefix=f"bench-rebuild-{backend}-") as tmp:
            server = stack.enter_context(ledgers.postgres()) if backend == "postgres" else None
            results[backend] = bench(backend, server, args.events, args.contracts, args.connections,
                                     args.seconds, Path(tmp))
    info["load_after"] = os.getloadavg()
    lines = summary(results)
    print("\n".join(lines))
    settings = {k: getattr(args, k) for k in ("events", "contracts", "connections", "seconds")}
    stamp = ledgers.write_results("rebuild", info, settings, results, lines)
    print(f"written: bench/results/rebuild-{stamp}.json, .txt")
    return 0


if __name__ == "__main__":
    sys.exit(main())
