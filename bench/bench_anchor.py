"""API appends against the naive anchor (../shared/bench/anchor_append_app.py), side by side.

Both servers run at once on the same database engine; the same client (bench/load.py) drives
one at a time with the same number of contracts and connections, in rounds whose order
rotates; medians of the rounds are compared. Systems:

* ``anchor``           FastAPI + eventsourcing save, nothing else (the target: ratio >= 1.0)
* ``ledger``           ``ledger serve``, one process projecting in-process (``make run``)
* ``ledger-alone``     the same with group commit off (LEDGER_GROUP_COMMIT=false): what it buys
* ``ledger-ext``       one API process + one ``ledger project`` worker (LEDGER_PROJECTOR=external)
* ``ledger-2w``        PostgreSQL: ``ledger serve --workers 2`` + one ``ledger project``

Results (with the machine) go to bench/results/anchor-<time>.json and .txt.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime
from pathlib import Path

import httpx
import orjson

from bench import load

ROOT = Path(__file__).resolve().parents[1]
ANCHOR_DIR = ROOT.parent / "shared" / "bench"
RESULTS = ROOT / "bench" / "results"
LEDGER = str(Path(sys.executable).with_name("ledger"))
NOTE = ("Rapport enligt avsnitt 3.0 om bemanning och kompetens; uppgifterna avser kvartalet. "
        "Utföraren ska ha socionomexamen eller motsvarande.")
# The ledger's nearest event to the anchor's body: a staffing report with units and a note.
# (familjeradgivning allocates no FTE per unit, and agreed_with_bestallare is refused since
# issue 11: either made every request a 422.)
LEDGER_BODY = orjson.dumps({
    "type": "StaffingChanged", "effective_date": "2025-06-30", "planned": True, "socionomer": 2,
    "document_ref": "SON 2025-0412", "note": NOTE})


def _free_port() -> int:
    from tests.support.postgres import free_port

    return free_port()


@contextmanager
def _process(args: list[str], env: dict[str, str], log: Path, cwd: Path) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("wb") as out:
        process = subprocess.Popen(args, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def _wait_up(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited; see {log}")
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError(f"server not up within 300 s; see {log}")


class Lag:
    """How far a ledger's read models are behind its event store, in seconds: the age of the
    oldest event not yet reflected, sampled every 100 ms while a round runs."""

    def __init__(self, stack: ExitStack, url: str) -> None:
        from domain.ledger import Ledger
        from domain.storage import Database
        from projections.runner import close_view, open_view

        database = Database.from_url(url)
        self.ledger = Ledger.open(database)
        self.view = open_view(database)
        stack.callback(self.ledger.close)
        stack.callback(close_view, self.view)

    def now(self) -> float:
        after = self.ledger.recorder.select_notifications(start=self.view.position(), limit=1,
                                                          inclusive_of_start=False)
        if not after:
            return 0.0
        recorded = self.ledger.mapper.to_domain_event(after[0]).timestamp
        return max(0.0, (datetime.now(tz=UTC) - recorded).total_seconds())

    @contextmanager
    def sampled(self) -> Iterator[list[float]]:
        samples: list[float] = []
        stop = threading.Event()

        def sample() -> None:
            while not stop.wait(0.1):
                samples.append(self.now())

        thread = threading.Thread(target=sample, daemon=True)
        thread.start()
        try:
            yield samples
        finally:
            stop.set()
            thread.join()


class System:
    """One server under test: a name, its URL, and the i-th request's bytes."""

    lag: Lag | None = None

    def __init__(self, name: str, url: str, contracts: int, headers: dict[str, str],
                 path: str, body: bytes) -> None:
        self.name, self.url = name, url
        self._requests = [load.request("POST", f"{url}{path.format(k=k)}", headers, body)
                          for k in range(contracts)]

    def make(self, i: int) -> bytes:
        return self._requests[i % len(self._requests)]


def _anchor(stack: ExitStack, root: Path, url: str, contracts: int) -> System:
    env = {**os.environ, "ANCHOR_DATABASE_URL": url, "PYTHONPATH": str(ANCHOR_DIR)}
    subprocess.run([sys.executable, "-c", f"import anchor_append_app as a; a.create_contracts({contracts})"],
                   env=env, cwd=ANCHOR_DIR, check=True)
    port = _free_port()
    log = root / "anchor.log"
    process = stack.enter_context(_process(
        [sys.executable, "-m", "uvicorn", "anchor_append_app:app", "--port", str(port), "--no-access-log",
         "--loop", "uvloop", "--http", "httptools"], env, log, ANCHOR_DIR))
    base = f"http://127.0.0.1:{port}"
    _wait_up(base, process, log)
    from anchor_append_app import BODY  # type: ignore[import-not-found]

    return System("anchor", base, contracts, {}, "/contracts/{k}/events", orjson.dumps(BODY))


def _ledger(stack: ExitStack, root: Path, name: str, url: str, contracts: int, *,
            workers: int = 1, external: bool = False, group_commit: bool = True) -> System:
    from api import tokens
    from domain.ledger import Ledger
    from domain.storage import Database
    from tests.support.builders import ADMIN, registered

    home = root / name
    home.mkdir()
    env = {**os.environ, "LEDGER_DATABASE_URL": url, "LEDGER_TOKENS_FILE": str(home / "tokens.json"),
           "LEDGER_TODAY": "2025-07-01", "LEDGER_SIGNING_KEY_FILE": str(home / "key.pem"),
           "LEDGER_GROUP_COMMIT": "true" if group_commit else "false"}
    ledger = Ledger.open(Database.from_url(url))
    try:
        template = registered("familjeradgivning")
        for k in range(contracts):
            ledger.register(template.model_copy(update={"ref": f"c-{k:03d}"}), ADMIN)
    finally:
        ledger.close()
    token = tokens.create(home / "tokens.json", role="utforare", name="bench")
    port = _free_port()
    args = [LEDGER, "serve", "--port", str(port)]
    if workers > 1:
        args += ["--workers", str(workers)]
    if external or workers > 1:
        env["LEDGER_PROJECTOR"] = "external"
        stack.enter_context(_process([LEDGER, "project"], env, home / "projector.log", home))
    process = stack.enter_context(_process(args, env, home / "server.log", home))
    base = f"http://127.0.0.1:{port}"
    _wait_up(base, process, home / "server.log")
    system = System(name, base, contracts, {"Authorization": f"Bearer {token}"},
                    "/contracts/c-{k:03d}/events", LEDGER_BODY)
    system.lag = Lag(stack, url)
    return system


def _databases(backend: str, stack: ExitStack, root: Path, names: list[str]) -> dict[str, str]:
    if backend == "sqlite":
        return {n: f"sqlite:///{root / n}.db" for n in names}
    from tests.support.postgres import Cluster, create_database

    external = os.environ.get("LEDGER_BENCH_POSTGRES_URL")
    if external:
        from tests.support.postgres import external_server

        server = external_server(external)
    else:
        cluster = Cluster()
        stack.callback(cluster.stop)
        server = cluster.start()
    return {n: server.url(create_database(server)) for n in names}


def bench_backend(backend: str, contracts: int, connections: int, rounds: int, seconds: float,
                  root: Path) -> dict:
    names = ["anchor", "ledger", "ledger-alone", "ledger-ext"]
    names += ["ledger-2w"] if backend == "postgres" else []
    with ExitStack() as stack:
        urls = _databases(backend, stack, root, names)
        systems = [_anchor(stack, root, urls["anchor"], contracts)]
        for name in names[1:]:
            systems.append(_ledger(stack, root, name, urls[name], contracts,
                                   workers=2 if name == "ledger-2w" else 1, external=name == "ledger-ext",
                                   group_commit=name != "ledger-alone"))
        for system in systems:  # warm-up: imports, caches, the first snapshot reads
            load.run(system.url, connections, contracts * 2, 3.0, system.make)
        runs: dict[str, list[dict]] = {s.name: [] for s in systems}
        for r in range(rounds):
            for system in systems[r % len(systems):] + systems[:r % len(systems)]:  # rotate the order
                with ExitStack() as sampling:
                    lags = sampling.enter_context(system.lag.sampled()) if system.lag else []
                    measured = load.run(system.url, connections, 10**9, seconds, system.make)
                lag = load.Load(latencies=lags).percentile(.99) if lags else 0.0
                runs[system.name].append({"rate": measured.rate, "p50": measured.percentile(.5),
                                          "p99": measured.percentile(.99), "lag_p99_s": lag,
                                          "statuses": measured.statuses})
                print(f"  {backend:8} round {r + 1} {system.name:13} {measured.rate:7.0f}/s  "
                      f"p50 {measured.percentile(.5):6.1f} ms  p99 {measured.percentile(.99):6.1f} ms  "
                      f"read models p99 {lag:5.2f} s behind  {measured.statuses}", flush=True)
    return {name: {key: statistics.median(x[key] for x in rs) for key in ("rate", "p50", "p99", "lag_p99_s")}
            | {"rounds": rs} for name, rs in runs.items()}


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True, check=False).stdout.strip()
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gb": round(os.sysconf("SC_PAGE_SIZE")
            * os.sysconf("SC_PHYS_PAGES") / 2**30, 1), "python": platform.python_version(),
            "platform": platform.platform(), "load_before": os.getloadavg(), "commit": commit}


def summary(results: dict) -> list[str]:
    lines = []
    for backend, systems in results.items():
        anchor = systems["anchor"]
        lines.append(f"{backend}: anchor {anchor['rate']:.0f} appends/s, p99 {anchor['p99']:.1f} ms")
        for name, s in systems.items():
            if name == "anchor":
                continue
            lines.append(f"  {name:13} {s['rate']:6.0f} appends/s  p99 {s['p99']:6.1f} ms   "
                         f"ratio {s['rate'] / anchor['rate']:.2f}x the anchor's appends/s (target >= 1.0), "
                         f"p99 {s['p99'] / anchor['p99']:.2f}x the anchor's (target <= 1.0); "
                         f"read models p99 {s['lag_p99_s']:.2f} s behind")
        if "ledger-2w" in systems:
            lines.append(f"  scaling, 2 API processes + 1 worker vs 1 process: "
                         f"{systems['ledger-2w']['rate'] / systems['ledger']['rate']:.2f}x")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--contracts", type=int, default=300)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=8.0, help="per round and system")
    parser.add_argument("--backends", default="sqlite,postgres")
    args = parser.parse_args(argv)
    if not (ANCHOR_DIR / "anchor_append_app.py").exists():
        print(f"bench_anchor: no anchor at {ANCHOR_DIR}; skipped")
        return 0
    sys.path.insert(0, str(ANCHOR_DIR))
    results: dict[str, dict] = {}
    info = machine()
    print(f"machine: {info['cpu']}, {info['cores']} cores, load {info['load_before']}")
    for backend in args.backends.split(","):
        with tempfile.TemporaryDirectory(prefix=f"bench-anchor-{backend}-") as tmp:
            results[backend] = bench_backend(backend, args.contracts, args.connections, args.rounds,
                                             args.seconds, Path(tmp))
    lines = summary(results)
    print("\n".join(["medians of rounds:", *lines]))
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(tz=UTC).strftime("%Y%m%dT%H%M%SZ")
    settings = {k: getattr(args, k) for k in ("contracts", "connections", "rounds", "seconds")}
    (RESULTS / f"anchor-{stamp}.json").write_text(json.dumps(
        {"machine": info, "settings": settings, "results": results}, indent=2, default=str))
    (RESULTS / f"anchor-{stamp}.txt").write_text("\n".join(
        [f"{stamp} {info}", f"settings {settings}", *lines]) + "\n")
    print(f"written: bench/results/anchor-{stamp}.json, .txt")
    return 0


if __name__ == "__main__":
    sys.exit(main())
