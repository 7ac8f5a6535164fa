"""Large ledgers for the scaling benchmarks, built fast but honestly, and cached.

Every event is decided by the ``Contract`` aggregate (``Contract.record``: validation, the
write-side controls, the hash link) and stored by the application's own ``Ledger.save``, in
batches of about a thousand events, from a pool of forked worker processes that each own a
share of the contracts (the store takes their batches in turn). The read models are then made
by ``ledger rebuild`` (the real rebuild, through the CLI). Nothing is written around the
library.

A ledger of N events over C contracts gives each contract N/C entries: its registration, nine
duty entries (a lex Sarah report copied to the kommun, one left uncopied; a supervision
opened and reported; the yearly reports; a premises change notified), then counted lex Sarah
reports, which arise no obligation. So ``GET /contracts/{ref}/obligations`` answers the same
obligations at every size, and the curve measures the store's size, not the answer's.

Cache (``./var/bench/``), keyed by size, contracts and a hash of the code that decides what is
stored (``domain/``, ``projections/`` and this file): SQLite ``sqlite-<key>/``, and one
PostgreSQL data directory ``pg-<code>/`` (the suite's throwaway cluster helper, started on it
and stopped again, kept) holding a database ``reads_<size>_<contracts>`` per ledger. A ledger is
cached only once wholly built (SQLite: renamed into place; PostgreSQL: a ``ready`` row).
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from multiprocessing import get_context
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "var" / "bench"
RESULTS = ROOT / "bench" / "results"
LEDGER = str(Path(sys.executable).with_name("ledger"))
TODAY = date(2026, 6, 30)
BATCH = 1000  # events per save
DUTIES = 9  # duty entries after each registration (see the module docstring)


def code_version() -> str:
    """A short hash of what decides the stored events and the read models."""
    digest = hashlib.sha256()
    files = sorted([*(ROOT / "domain").rglob("*.py"), *(ROOT / "domain").rglob("*.json"),
                    *(ROOT / "projections").rglob("*.py"), Path(__file__)])
    for path in files:
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def machine() -> dict:
    """The machine a figure was measured on, with its load at the time."""
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True, check=False).stdout.strip()
    uptime = subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()
    return {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(),
            "platform": platform.platform(), "load": os.getloadavg(), "uptime": uptime,
            "commit": commit, "code": code_version()}


def write_results(name: str, info: dict, settings: dict, results: dict, lines: list[str]) -> str:
    """Keep one run's figures with its machine: bench/results/<name>-<stamp>.json and .txt (the
    printed summary); returns the stamp."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(tz=UTC).strftime("%Y%m%dT%H%M%SZ")
    (RESULTS / f"{name}-{stamp}.json").write_text(json.dumps(
        {"machine": info, "settings": settings, "results": results}, indent=2, default=str))
    (RESULTS / f"{name}-{stamp}.txt").write_text("\n".join(
        [f"{stamp} {info}", f"settings {settings}", *lines]) + "\n")
    return stamp


def entry(k: int, seq: int) -> tuple[object, dict]:
    """A contract's k-th entry after its registration (seq: its sequence number)."""
    from bench.bench_projections import START, UTFORARE, payload

    if k < DUTIES - 1:
        return payload(k, DUTIES - 1, seq)  # the duty mix of bench_projections, fulfilled
    if k == DUTIES - 1:
        return UTFORARE, {"type": "LexSarahNotifiedToIVO", "effective_date": date(2026, 3, 2)}
    return UTFORARE, {"type": "LexSarahReported", "effective_date": START + timedelta(days=k % 1900),
                      "count": 1}


def refs(contracts: int) -> list[str]:
    from domain.catalogue import load_catalogue

    catalogue = load_catalogue()
    return [f"{catalogue[i % len(catalogue)].description.ref}-{i:04d}" for i in range(contracts)]


def _register(url: str, contracts: int) -> None:
    from bench.bench_projections import ADMIN
    from domain.catalogue import load_catalogue
    from domain.contract import Contract
    from domain.events import ContractRegistered
    from domain.ledger import Ledger, now
    from domain.storage import Database

    catalogue = load_catalogue()
    ledger = Ledger.open(Database.from_url(url))
    try:
        pending = []
        for i, ref in enumerate(refs(contracts)):
            item = catalogue[i % len(catalogue)]
            description = item.description.model_copy(update={"ref": ref})
            registered = ContractRegistered(**description.model_dump(), terms=item.terms,
                                            effective_date=description.in_force_from.date)
            pending.append(Contract.register(registered, ADMIN, now()))
            if len(pending) >= 200:
                ledger.save(*pending)
                pending = []
        ledger.save(*pending)
    finally:
        ledger.close()


def _record(url: str, share: list[str], per_contract: int) -> int:
    """One worker: every entry of its contracts, round by round across them (so one contract's
    entries lie spread through the log), saved ``BATCH`` events at a time."""
    from domain.events import parse_event
    from domain.ledger import Ledger, now
    from domain.storage import Database

    # The parent made the tables; workers creating them again at once collide on PostgreSQL.
    ledger = Ledger.open(Database.from_url(url), CREATE_TABLE="false")
    recorded = 0
    try:
        for group in range(0, len(share), 100):  # a hundred contracts in memory at a time
            contracts = [ledger.contract(ref) for ref in share[group:group + 100]]
            touched, events = {}, 0
            for k in range(per_contract - 1):
                for contract in contracts:
                    who, data = entry(k, contract.version + 1)
                    contract.record(parse_event(data), who, now())
                    touched[contract.ref] = contract
                    events += 1
                    if events >= BATCH:
                        ledger.save(*touched.values())
                        recorded, touched, events = recorded + events, {}, 0
            ledger.save(*touched.values())
            recorded += events
    finally:
        ledger.close()
    return recorded


def build(url: str, events: int, contracts: int, *, workers: int | None = None) -> float:
    """Fill the empty ledger at ``url`` with ``events`` events and rebuild its read models
    through ``ledger rebuild``; returns the seconds taken."""
    began = time.perf_counter()
    per_contract = max(events // contracts, 1)
    _register(url, contracts)
    names = refs(contracts)
    workers = workers or os.cpu_count() or 1
    shares = [names[w::workers] for w in range(workers)]
    with ProcessPoolExecutor(workers, mp_context=get_context("fork")) as pool:
        recorded = sum(pool.map(_record, [url] * workers, shares, [per_contract] * workers))
    stored = time.perf_counter() - began
    env = {**os.environ, "LEDGER_DATABASE_URL": url, "LEDGER_TODAY": TODAY.isoformat()}
    subprocess.run([LEDGER, "rebuild"], env=env, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    seconds = time.perf_counter() - began
    print(f"    built {contracts + recorded} events over {contracts} contracts: stored in {stored:.0f} s, "
          f"read models rebuilt in {seconds - stored:.0f} s", flush=True)
    return seconds


def sqlite_ledger(events: int, contracts: int) -> Path:
    """The cached SQLite ledger of this size (built on first use): a directory holding
    ``ledger.db`` and whatever files beside it the ledger keeps (its read models)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"sqlite-{events}-{contracts}-{code_version()}"
    if not path.exists():
        building = path.with_name(path.name + ".building")
        shutil.rmtree(building, ignore_errors=True)
        building.mkdir()
        build(f"sqlite:///{building / 'ledger.db'}", events, contracts)
        _settle(building)
        building.rename(path)
    return path


def _settle(directory: Path) -> None:
    """Every WAL into its database file and no lock files left: the files alone are the ledger."""
    import sqlite3

    for database in directory.glob("*.db"):
        with sqlite3.connect(database) as connection:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for leftover in [*directory.glob("*-wal"), *directory.glob("*-shm"), *directory.glob("*.lock")]:
        leftover.unlink()


def sqlite_copy(events: int, contracts: int, into: Path) -> str:
    """A working copy of the cached ledger (the cache stays as built); its URL."""
    for source in sqlite_ledger(events, contracts).iterdir():
        shutil.copyfile(source, into / source.name)
    return f"sqlite:///{into / 'ledger.db'}"


@contextmanager
def postgres() -> Iterator[object]:
    """The cached PostgreSQL cluster, started for the duration (the suite's helper)."""
    from tests.support.postgres import Cluster

    class Kept(Cluster):
        """``Cluster`` on a kept directory: initdb only the first time, never removed."""

        def __init__(self, root: Path) -> None:
            fresh = not root.exists()
            root.mkdir(parents=True, exist_ok=True)
            super().__init__()
            shutil.rmtree(self.root, ignore_errors=True)
            self.root, self.data = root, root / "data"
            self.sockets, self.log = root / "sockets", root / "server.log"
            self.sockets.mkdir(exist_ok=True)
            if self._as_postgres:
                import pwd

                owner = pwd.getpwnam("postgres")
                for path in (self.root, self.sockets):
                    os.chown(path, owner.pw_uid, owner.pw_gid)
            self.fresh = fresh or not self.data.exists()

        def start(self) -> object:
            if self.fresh:
                return super().start()
            from tests.support.postgres import free_port

            for _ in range(5):
                self.port = free_port()
                if self._pg_ctl_start().returncode == 0:
                    self.started = True
                    return self.server
            raise RuntimeError(f"PostgreSQL did not start on {self.data}; see {self.log}")

        def stop(self) -> None:
            if self.started:
                self._run(str(Path(os.environ.get("LEDGER_TEST_POSTGRES_BIN", "/usr/local/bin")) / "pg_ctl"),
                          "stop", "-D", str(self.data), "-m", "fast", "-w", timeout=60)
                self.started = False

    CACHE.mkdir(parents=True, exist_ok=True)
    cluster = Kept(CACHE / f"pg-{code_version()}")
    server = cluster.start()
    try:
        yield server
    finally:
        cluster.stop()


def postgres_copy(server: object, events: int, contracts: int, name: str) -> str:
    """A working copy (``CREATE DATABASE … TEMPLATE``) of the cached PostgreSQL ledger of this
    size, built on first use; its URL."""
    from psycopg import sql

    cached = f"reads_{events}_{contracts}"
    with server.connect() as connection:  # type: ignore[attr-defined]
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (cached,)).fetchone()
        ready = False
        if exists:
            with _connect(server, cached) as db:
                ready = bool(db.execute("SELECT to_regclass('bench_ready')").fetchone()[0])
        if not ready:
            connection.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(cached)))
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(cached)))
            build(server.url(cached), events, contracts)  # type: ignore[attr-defined]
            with _connect(server, cached) as db:
                db.execute("VACUUM ANALYZE")
                db.execute("CREATE TABLE bench_ready (built_at timestamptz DEFAULT now())")
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        connection.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
            sql.Identifier(name), sql.Identifier(cached)))
    return server.url(name)  # type: ignore[attr-defined]


def _connect(server: object, dbname: str):  # a psycopg connection
    import psycopg

    return psycopg.connect(host=server.host, port=server.port, user=server.user,  # type: ignore[attr-defined]
                           password=server.password, dbname=dbname, autocommit=True)  # type: ignore[attr-defined]


def postgres_drop(server: object, name: str) -> None:
    """Drop a working copy made by ``postgres_copy``."""
    from tests.support.postgres import drop_database

    drop_database(server, name)  # type: ignore[arg-type]
