"""API append throughput and latency next to direct ``Ledger.record``; GET obligations latency
with 100 000 events stored. Figures are printed against the targets, never asserted.

    python -m bench.bench_api [--appends 3000] [--threads 16] [--events 100000] [--seconds 30]

The server is ``ledger serve`` (uvicorn, one process) on 127.0.0.1 and a free port, started and
stopped by the bench on a throwaway SQLite database; the client is ``bench.load`` (keep-alive
connections on one asyncio loop, a few tens of µs per request), so the server's cost is what
is measured, and its CPU per append is printed. Every loop is bounded in count and in time.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import orjson

from api import tokens
from bench import load
from domain.contract import Actor
from domain.events import parse_event
from domain.ledger import Ledger, now
from domain.storage import Database

REFS = ("vald-i-nara-relation", "familjeradgivning", "skolsocialt-team", "familjecentraler")
TARGET_APPENDS, TARGET_APPEND_P99_MS, TARGET_READ_P99_MS = 1500.0, 20.0, 5.0
UTFORARE = Actor(name="bench", role="utforare")


def _event(i: int) -> dict:
    # Mostly counted reports; every 10th opens an obligation (a lex Sarah copy is due).
    kind = "LexSarahNotifiedToIVO" if i % 10 == 0 else "LexSarahReported"
    return {"type": kind, "effective_date": "2025-05-30"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def _seeded(root: Path) -> Database:
    from tests.support.builders import seed

    database = Database.from_url(f"sqlite:///{root / 'ledger.db'}")
    ledger = Ledger.open(database)
    try:
        seed(ledger)
    finally:
        ledger.close()
    return database


@contextmanager
def _server(root: Path, database: Database, token_file: Path) -> Iterator[tuple[str, int]]:
    port = _free_port()
    env = {**os.environ, "LEDGER_DATABASE_URL": database.url, "LEDGER_TOKENS_FILE": str(token_file),
           "LEDGER_TODAY": "2025-06-02", "LEDGER_SIGNING_KEY_FILE": str(root / "key.pem")}
    log = (root / "server.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-c", "from api.cli import main; main()", "serve", "--port", str(port)],
        env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"server exited: see {root / 'server.log'}")
            try:
                if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            raise RuntimeError("server did not start within 600 s")
        yield url, process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def bench_appends(root: Path, appends: int, threads: int, seconds: float) -> None:
    token_file = root / "tokens.json"
    token = tokens.create(token_file, role="utforare", name="bench")
    headers = {"Authorization": f"Bearer {token}"}

    # Direct: the application's own record-and-save, one thread, the same events.
    (root / "direct").mkdir()
    ledger = Ledger.open(_seeded(root / "direct"))
    events = [parse_event(_event(i)) for i in range(appends)]
    began = time.perf_counter()
    direct_latencies = []
    for i, event in enumerate(events):
        start = time.perf_counter()
        ledger.record(REFS[i % len(REFS)], event, UTFORARE)
        direct_latencies.append((time.perf_counter() - start) * 1000)
        if time.perf_counter() - began > seconds:
            break
    direct_rate = len(direct_latencies) / (time.perf_counter() - began)
    ledger.close()

    database = _seeded(root)
    with _server(root, database, token_file) as (url, pid):
        def post(i: int) -> bytes:
            return load.request("POST", f"{url}/contracts/{REFS[i % len(REFS)]}/events", headers,
                                orjson.dumps(_event(i)))

        cpu = _cpu_seconds(pid)
        appended = load.run(url, threads, appends, seconds, post)
        cpu = _cpu_seconds(pid) - cpu

    n = len(appended.latencies)
    print(f"appends: {n} over HTTP on {threads} keep-alive connections, statuses {appended.statuses}")
    print(f"  API     {appended.rate:8.0f} appends/s  p50 {appended.percentile(.5):6.1f} ms  "
          f"p99 {appended.percentile(.99):6.1f} ms   target >= {TARGET_APPENDS:.0f}/s, "
          f"p99 <= {TARGET_APPEND_P99_MS:.0f} ms  (ratio {appended.rate / TARGET_APPENDS:.2f})")
    print(f"          server CPU {cpu / max(n, 1) * 1000:.2f} ms per append")
    print(f"  direct  {direct_rate:8.0f} records/s  p50 {_percentile(direct_latencies, .5):6.2f} ms  "
          f"p99 {_percentile(direct_latencies, .99):6.2f} ms   (Ledger.record, one thread)")
    print(f"  ratio API/direct throughput: {appended.rate / direct_rate:.2f}")


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def bench_reads(root: Path, events: int, threads: int, requests: int, seconds: float) -> None:
    token_file = root / "tokens.json"
    token = tokens.create(token_file, role="revisor", name="bench")
    headers = {"Authorization": f"Bearer {token}"}
    database = _seeded(root)
    ledger = Ledger.open(database)
    began = time.perf_counter()
    # Decided one by one by the aggregate, saved in batches: a fast way to a large history.
    report, notified = parse_event(_event(1)), parse_event(_event(0))
    for n, ref in enumerate(REFS):
        share = events // len(REFS) + (1 if n < events % len(REFS) else 0)
        for start in range(0, share, 1000):
            contract = ledger.contract(ref)
            for i in range(start, min(share, start + 1000)):
                contract.record(notified if i % 1000 == 0 else report, UTFORARE, now())
            ledger.save(contract)
    print(f"reads: stored {events} events in {time.perf_counter() - began:.1f} s "
          f"(one obligation-opening event per 1000)")
    ledger.close()
    began = time.perf_counter()
    with _server(root, database, token_file) as (url, _pid):
        print(f"  server up (read models caught up) in {time.perf_counter() - began:.1f} s")

        def get(i: int) -> bytes:
            return load.request("GET", f"{url}/contracts/{REFS[i % len(REFS)]}/obligations", headers)

        load.run(url, 1, 200, seconds, get)  # warm up
        for connections in (1, threads):
            read = load.run(url, connections, requests, seconds, get)
            print(f"  GET obligations, {connections:>2} connection(s): {read.rate:6.0f}/s  "
                  f"p50 {read.percentile(.5):6.2f} ms  p99 {read.percentile(.99):6.2f} ms   "
                  f"target p99 <= {TARGET_READ_P99_MS:.0f} ms (ratio "
                  f"{read.percentile(.99) / TARGET_READ_P99_MS:.2f})  {read.statuses}")
        sizes = [len(httpx.get(f"{url}/contracts/{ref}/obligations", headers=headers).json()
                     ["obligations"]) for ref in REFS]
        print(f"  obligations per contract: {sizes}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--appends", type=int, default=3000)
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--reads", type=int, default=2000)
    parser.add_argument("--seconds", type=float, default=30.0, help="time cap of each phase")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-api-") as tmp:
        root = Path(tmp)
        (root / "appends").mkdir()
        (root / "reads").mkdir()
        if args.appends:
            bench_appends(root / "appends", args.appends, args.threads, args.seconds)
        if args.events:
            bench_reads(root / "reads", args.events, args.threads, args.reads, args.seconds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
