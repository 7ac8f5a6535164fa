"""Where an append's time goes: `ledger serve` (or the anchor) sampled by py-spy under bench load.

    python -m bench.profile_append [ledger|ledger-ext|anchor ...] [--seconds 12]

Each system is served as bench_anchor serves it (SQLite, 300 contracts, 16 connections), warmed
up, then driven for ``--seconds`` while ``py-spy record --gil`` samples the server: only the
thread holding the GIL, so the samples are the interpreter's time. The samples are sorted into
the costs of an append (the first matching row below) and printed per append, beside each other.

py-spy is a profiling tool, not a dependency of the ledger: install it beside (e.g.
``python3 -m venv /tmp/tools && /tmp/tools/bin/pip install py-spy``) and put it on PATH or
name it with PY_SPY. Under a loaded machine a thread holding the GIL may be off its core, so
compare the systems of one run, not runs.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from contextlib import ExitStack
from pathlib import Path

from bench import bench_anchor, load

RATE = 200  # samples per second
# (cost, markers): a sample goes to the first row one of whose markers is in its stack.
COSTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("projection: judging (the rules again)", ("projections/judgement.py",)),
    ("projection: view rows, tracking, memo", ("projections/",)),
    ("read-your-writes wait", ("ReadModelRunner.wait", "read_your_write", "projections/settled.py")),
    ("rules: the append's effects (dry run)", ("respond (api/http/routes/events.py", "api/http/effects.py")),
    ("group commit + save to the event store", ("domain/commit.py", "Ledger.save", "Application.save")),
    ("decide: contract, version, hash link, idempotency", ("domain/ledger.py", "domain/contract.py")),
    ("body validation (pydantic; personnummer)", ("_validate_value_with_model_field", "request_body_to_args",
                                                  "domain/events.py")),
    ("FastAPI dependencies (token, headers, query)", ("solve_dependencies",)),
    ("response encoding", ("serialize_response", "model_dump_json", "RecordOutcome")),
    ("endpoint, the rest", ("record_event (", "append (anchor")),
    ("subscription threads (pull, poll, nudge)", ("eventsourcing/persistence.py", "domain/polling.py",
                                                  "_nudge")),
)
# The rest by the frame nearest the leaf naming one of these.
LEAFWARD: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ledger middleware: access log", ("logging/",)),
    ("threadpool hop (anyio) and thread signals", ("anyio/", "queue.py", "threading.py", "concurrency.py")),
    ("ledger middleware: limits, request id", ("api/http/limits.py", "api/http/problems.py")),
    ("HTTP server, framework routing and middleware", ("uvicorn/", "starlette/", "fastapi/", "asyncio",
                                                       "uvloop")),
)


def attribute(collapsed: Path) -> Counter[str]:
    """py-spy's raw output (one stack per line, its sample count last) sorted into COSTS."""
    found: Counter[str] = Counter()
    for line in collapsed.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        cost = next((name for name, marks in COSTS if any(m in stack for m in marks)), None)
        if cost is None:
            cost = next((name for frame in reversed(stack.split(";")) for name, marks in LEAFWARD
                         if any(m in frame for m in marks)), "other")
        found[cost] += int(count)
    return found


def profile(name: str, seconds: float, root: Path, spy: str) -> tuple[Counter[str], int]:
    with ExitStack() as stack:
        url = f"sqlite:///{root / name}.db"
        system = (bench_anchor._anchor(stack, root, url, 300) if name == "anchor" else
                  bench_anchor._ledger(stack, root, name, url, 300, external=name == "ledger-ext"))
        load.run(system.url, 16, 600, 3.0, system.make)
        out = root / f"{name}.txt"
        sampler = subprocess.Popen([spy, "record", "--gil", "-p", str(system.pids[-1]), "-r", str(RATE),
                                    "-d", str(int(seconds) + 1), "-f", "raw", "-o", str(out)],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(1)
        measured = load.run(system.url, 16, 10**9, seconds, system.make)
        sampler.wait()
        print(f"  {name}: {measured.rate:.0f} appends/s while sampled, {measured.statuses}", flush=True)
        return attribute(out), len(measured.latencies)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("systems", nargs="*", default=["anchor", "ledger"])
    parser.add_argument("--seconds", type=float, default=12.0)
    args = parser.parse_args(argv)
    spy = os.environ.get("PY_SPY") or shutil.which("py-spy")
    if not spy:
        print("profile_append: py-spy not found (PY_SPY or PATH); see this module's docstring")
        return 2
    sys.path.insert(0, str(bench_anchor.ANCHOR_DIR))
    print(f"load {os.getloadavg()}")
    with tempfile.TemporaryDirectory(prefix="profile-append-") as tmp:
        results = {name: profile(name, args.seconds, Path(tmp), spy) for name in args.systems}
    names = [n for n, _ in COSTS] + [n for n, _ in LEAFWARD] + ["other"]
    print("\n| ms of GIL per append | " + " | ".join(results) + " |")
    print("|---|" + "---:|" * len(results))
    for cost in names:
        print(f"| {cost} | " + " | ".join(f"{found[cost] * 1000 / RATE / appends:.3f}"
                                          for found, appends in results.values()) + " |")
    print("| **total** | " + " | ".join(f"**{sum(found.values()) * 1000 / RATE / appends:.3f}**"
                                        for found, appends in results.values()) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
