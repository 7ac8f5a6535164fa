"""The scale-out journey (issue 16, "Tests"), as plain processes on loopback: two API processes
(`ledger serve --projector external`) and a `ledger project` worker on the test's database
(the throwaway PostgreSQL, and SQLite). Writes through both, each read back at once from the
API that took it; the worker killed (-9) with a standby waiting: writes still answered (201,
or 503 saying the event was written), the standby takes over; then killed with none waiting:
writes 503 ``written: true`` within the bound, readiness reports the lag while reads still
answer, a new worker catches up. A `ledger rebuild` while writes go on through both APIs; in
the end every acknowledged event is stored once, none lost or doubled, the read models are
verified against the ledger, and what the APIs serve is unchanged by a second rebuild.

Every wait is bounded (``BOUND``) and fails naming what did not happen; nothing is timed.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from domain.storage import Database
from tests.support.postgres import free_port
from tests.test_scale_out import BOUND, LEDGER, REF, REPORT, _served, until

RYW_BOUND = 2  # LEDGER_READ_YOUR_WRITES_TIMEOUT here: a write waits this long for the worker


class Cluster:
    """The processes of one deployment, all in ``root`` (tokens, keys under ./var)."""

    def __init__(self, database: Database, root: Path) -> None:
        self.root = root
        self.env = {**os.environ, "LEDGER_DATABASE_URL": database.url, "LEDGER_TODAY": "2025-06-02",
                    "LEDGER_PROJECTOR": "external", "LEDGER_READ_YOUR_WRITES_TIMEOUT": str(RYW_BOUND),
                    "LEDGER_READY_MAX_LAG_SECONDS": "1"}
        self.processes: dict[str, subprocess.Popen[bytes]] = {}

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([LEDGER, *args], env=self.env, cwd=self.root, capture_output=True, text=True,
                              timeout=BOUND, check=False)

    def start(self, name: str, *args: str) -> subprocess.Popen[bytes]:
        with (self.root / f"{name}.log").open("wb") as out:
            process = subprocess.Popen([LEDGER, *args], env=self.env, cwd=self.root, stdout=out,
                                       stderr=subprocess.STDOUT, start_new_session=True)
        self.processes[name] = process
        return process

    def log(self, name: str) -> str:
        return (self.root / f"{name}.log").read_text(errors="replace")

    def kill(self, name: str) -> None:
        process = self.processes[name]
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(BOUND)

    def worker(self, name: str, *, projecting: bool = True) -> None:
        self.start(name, "project")
        state = "projector: projecting" if projecting else "projector: waiting"
        until(lambda: state in self.log(name), f"worker {name} prints '{state}'")

    def stop_all(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(BOUND)


@pytest.fixture
def cluster(database: Database, tmp_path: Path) -> Iterator[Cluster]:
    running = Cluster(database, tmp_path)
    try:
        yield running
    finally:
        running.stop_all()


def _get(url: str, **kwargs: Any) -> httpx.Response | None:
    try:
        return httpx.get(url, timeout=BOUND, **kwargs)
    except httpx.HTTPError:
        return None


def test_two_apis_a_killed_worker_a_standby_and_a_rebuild_lose_and_double_nothing(cluster: Cluster) -> None:
    for step in (("migrate",), ("seed",)):
        done = cluster.run(*step)
        assert done.returncode == 0, done.stderr
    cluster.worker("worker-1")
    apis = []
    for name in ("api-a", "api-b"):
        port = free_port()
        cluster.start(name, "serve", "--host", "127.0.0.1", "--port", str(port), "--projector", "external")
        apis.append(f"http://127.0.0.1:{port}")
    for base in apis:
        until(lambda base=base: (r := _get(f"{base}/health/ready")) is not None and r.status_code == 200,
              f"{base} is ready")
    token = cluster.run("token", "create", "--role", "utforare", "--name", "journey")
    assert token.returncode == 0, token.stderr
    auth = {"Authorization": f"Bearer {token.stdout.strip()}"}
    acknowledged: list[int] = []

    def write(base: str, *, bound_may_pass: bool = False) -> httpx.Response:
        answer = httpx.post(f"{base}/contracts/{REF}/events", json=REPORT, headers=auth, timeout=BOUND)
        if answer.status_code == 503 and bound_may_pass:
            body = answer.json()
            assert body["written"] is True and answer.headers["Retry-After"].isdigit(), answer.text
            acknowledged.append(int(body["seq"]))
            return answer
        assert answer.status_code == 201, answer.text
        acknowledged.append(int(answer.json()["seq"]))
        return answer

    def read_back(base: str, seq: int) -> None:
        page = httpx.get(f"{base}/contracts/{REF}/events", params={"after": seq - 1}, headers=auth,
                         timeout=BOUND)
        assert page.status_code == 200, page.text
        assert [e["seq"] for e in page.json()["events"]] == [seq], f"{base} does not show seq {seq}"

    # Writes through both APIs, each read back at once from the API that took it.
    for base in [*apis, *apis]:
        write(base)
        read_back(base, acknowledged[-1])

    # A standby waits; the worker is killed; writes are still answered; the standby takes over.
    cluster.worker("worker-2", projecting=False)
    cluster.kill("worker-1")
    write(apis[0], bound_may_pass=True)
    until(lambda: "projector: projecting" in cluster.log("worker-2"), "the standby worker takes over")
    for base in apis:
        write(base)
        read_back(base, acknowledged[-1])

    # No worker at all: a write is 503 "written" within the bound, readiness reports the lag,
    # reads still answer (from models that are behind).
    cluster.kill("worker-2")
    behind = write(apis[1], bound_may_pass=True)
    assert behind.status_code == 503, "a write with no worker is answered after the bound"
    for base in apis:
        lag = httpx.get(f"{base}/health/ready", timeout=BOUND).json()["checks"]["read_models"]
        assert lag["behind_entries"] >= 1, lag
        # Behind and not progressing past LEDGER_READY_MAX_LAG_SECONDS: not ready, saying why.
        not_ready = until(lambda base=base: (r := _get(f"{base}/health/ready")) is not None
                          and r.status_code == 503 and r, f"{base} reports that it is behind")
        assert not_ready.headers["Retry-After"].isdigit()
        assert not_ready.json()["checks"]["read_models"]["ok"] is False
    assert httpx.get(f"{apis[0]}/contracts/{REF}/events", headers=auth, timeout=BOUND).status_code == 200
    cluster.worker("worker-3")
    for base in apis:
        until(lambda base=base: (r := _get(f"{base}/health/ready")) is not None and r.status_code == 200,
              f"{base} is ready again once a worker projects")
        read_back(base, acknowledged[-1])

    # A rebuild while both APIs take writes.
    stop = threading.Event()
    failures: list[str] = []

    def keep_writing(base: str) -> None:
        while not stop.is_set():
            try:
                write(base, bound_may_pass=True)
            except AssertionError as error:  # reported below, not lost in the thread
                failures.append(str(error))
                return

    writers = [threading.Thread(target=keep_writing, args=(base,), daemon=True) for base in apis]
    for thread in writers:
        thread.start()
    rebuilt = cluster.run("rebuild")
    stop.set()
    for thread in writers:
        thread.join(BOUND)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert not failures, failures[0]

    # Nothing lost or doubled: every acknowledged seq is stored once, and nothing else was.
    last = max(acknowledged)
    for base in apis:
        until(lambda base=base: (r := _get(f"{base}/health/ready")) is not None and r.status_code == 200,
              f"{base} is ready after the rebuild")
        read_back(base, last)
    stored = httpx.get(f"{apis[0]}/contracts/{REF}/events", params={"limit": 1000}, headers=auth,
                       timeout=BOUND).json()["events"]
    assert sorted(acknowledged) == [e["seq"] for e in stored][1:] == list(range(2, last + 1))
    verified = cluster.run("verify", "--read-models")
    assert verified.returncode == 0, verified.stdout + verified.stderr

    # What the worker kept equals a rebuild of the same entries, served by either API.
    served = _served(apis[0], auth)
    again = cluster.run("rebuild")
    assert again.returncode == 0, again.stderr
    for base in apis:
        assert _served(base, auth) == served
