"""docker-compose.yml's services, run in compose order as plain processes (no container engine
here) against the throwaway database: migrate, seed (twice: idempotent), the projector, the API
with its workers; then writes through the API read back at once, a second projector waiting,
the first killed (-9) and the second taking over, and the read models equal to a rebuild."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from domain.storage import Database
from tests.support.postgres import free_port
from tests.test_deployment import order

ROOT = Path(__file__).resolve().parents[1]
LEDGER = str(Path(sys.executable).with_name("ledger"))
BOUND = 60.0  # seconds any one step may take at most; never a measured time
REF = "familjeradgivning"
REPORT = {"type": "LexSarahReported", "effective_date": "2025-05-30"}


def interpolate(value: str, env: dict[str, str]) -> str:
    """Compose's ${VAR}, ${VAR:-default} and ${VAR:?error} (and $$), from ``env``."""
    def one(match: re.Match[str]) -> str:
        name, op, arg = match.group(1), match.group(2) or "", match.group(3) or ""
        value = env.get(name, "")
        if op == ":?" and not value:
            raise AssertionError(f"compose would refuse: {arg}")
        return value or (arg if op == ":-" else "")

    return re.sub(r"\$\{(\w+)(:[-?])?([^}]*)\}", one, value).replace("$$", "$")


class Deployment:
    """The compose services as processes: each with the service's environment, the database
    URL pointed at the test's database and /run/ledger at a temporary directory."""

    def __init__(self, compose: dict[str, Any], database: Database, root: Path) -> None:
        self.compose, self.database, self.root = compose, database, root
        self.run_dir = root / "run"
        self.run_dir.mkdir(mode=0o700)
        example = dict(line.split("=", 1) for line in (ROOT / ".env.example").read_text().splitlines()
                       if line and not line.startswith("#"))
        self.dotenv = {**example, "POSTGRES_PASSWORD": "set-in-dotenv"}
        self.port = free_port()
        self.processes: list[subprocess.Popen[bytes]] = []

    def env(self, service: str) -> dict[str, str]:
        env = {k: interpolate(str(v), self.dotenv)
               for k, v in self.compose["services"][service]["environment"].items()}
        assert env["LEDGER_DATABASE_URL"].endswith("@db:5432/ledger")
        env["LEDGER_DATABASE_URL"] = self.database.url
        env = {k: v.replace("/run/ledger", str(self.run_dir)) for k, v in env.items()}
        return {**os.environ, **env, "LEDGER_TODAY": "2025-06-02"}

    def command(self, service: str, *, workers: int | None = None) -> list[str]:
        args = [interpolate(str(a), self.dotenv) for a in self.compose["services"][service]["command"]]
        assert args[0] == "ledger"
        if "--port" in args:  # the container's port, published on loopback here
            args[args.index("--port") + 1] = str(self.port)
            args[args.index("--host") + 1] = "127.0.0.1"
        if workers is not None and "--workers" in args:
            args[args.index("--workers") + 1] = str(workers)
        return [LEDGER, *args[1:]]

    def run(self, service: str, *extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*self.command(service), *extra], env=self.env(service), cwd=self.root,
                              capture_output=True, text=True, timeout=BOUND, check=False)

    def run_args(self, service: str, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([LEDGER, *args], env=self.env(service), cwd=self.root,
                              capture_output=True, text=True, timeout=BOUND, check=False)

    def start(self, service: str, log: str, *, workers: int | None = None) -> subprocess.Popen[bytes]:
        with (self.root / log).open("wb") as out:
            process = subprocess.Popen(self.command(service, workers=workers), env=self.env(service),
                                       cwd=self.root, stdout=out, stderr=subprocess.STDOUT,
                                       start_new_session=True)
        self.processes.append(process)
        return process

    def log(self, name: str) -> str:
        return (self.root / name).read_text(errors="replace")

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(BOUND)


def until(condition: Any, what: str) -> Any:
    deadline = time.monotonic() + BOUND
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.1)
    raise AssertionError(f"not within {BOUND:.0f} s: {what}")


def healthcheck(deployment: Deployment, service: str) -> bool:
    """The service's compose healthcheck, run here (the API's against the published port)."""
    test = deployment.compose["services"][service]["healthcheck"]["test"]
    if service == "api":
        url = re.search(r"http://[^']+", " ".join(test)).group(0)  # type: ignore[union-attr]
        url = url.replace("127.0.0.1:8000", f"127.0.0.1:{deployment.port}")
        try:
            return httpx.get(url, timeout=3).status_code == 200
        except httpx.HTTPError:
            return False
    assert test[:2] == ["CMD", "ledger"]
    return deployment.run_args(service, *test[2:]).returncode == 0


@pytest.fixture
def deployment(database: Database, tmp_path: Path) -> Iterator[Deployment]:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    running = Deployment(compose, database, tmp_path)
    try:
        yield running
    finally:
        running.stop_all()


def test_the_compose_services_in_compose_order_give_a_working_ledger(deployment: Deployment) -> None:
    engine = deployment.database.engine
    sequence = [s for s in order(deployment.compose) if s != "db"]
    assert sequence == ["migrate", "projector", "seed", "api"]
    api_workers = None if engine == "postgres" else 1  # SQLite: one API process beside the worker
    for service in sequence:
        if service in ("migrate", "seed"):
            done = deployment.run(service)
            assert done.returncode == 0, done.stderr
            if service == "seed":
                again = deployment.run(service)  # one-shot and idempotent: a rerun registers nothing
                assert again.returncode == 0 and again.stdout.count("redan registrerat") == 4
        elif service == "projector":
            deployment.start(service, "projector-1.log")
            until(lambda: healthcheck(deployment, "projector"), "the projector's healthcheck passes")
        else:
            deployment.start(service, "api.log", workers=api_workers)
            until(lambda: _up(deployment), "the API answers /health")

    until(lambda: healthcheck(deployment, "api"), "the API's readiness healthcheck passes")
    token = deployment.run_args("api", "token", "create", "--role", "utforare", "--name", "compose")
    assert token.returncode == 0, token.stderr
    auth = {"Authorization": f"Bearer {token.stdout.strip()}"}
    base = f"http://127.0.0.1:{deployment.port}"

    def write_and_read() -> int:
        # A new connection each time: with several API workers, any of them may answer.
        created = httpx.post(f"{base}/contracts/{REF}/events", json=REPORT, headers=auth, timeout=BOUND)
        assert created.status_code == 201, created.text
        seq = created.json()["seq"]
        page = httpx.get(f"{base}/contracts/{REF}/events", params={"after": seq - 1},
                         headers=auth, timeout=BOUND)
        assert [e["seq"] for e in page.json()["events"]] == [seq]  # read-your-writes
        return int(seq)

    seqs = [write_and_read() for _ in range(4)]

    # A second worker waits while the first holds the lock; kill -9 the first, the second takes over.
    second = deployment.start("projector", "projector-2.log")
    until(lambda: "projector: waiting" in deployment.log("projector-2.log"), "the second worker waits")
    first = deployment.processes[0]
    os.killpg(first.pid, signal.SIGKILL)
    first.wait(BOUND)
    until(lambda: "projector: projecting" in deployment.log("projector-2.log"), "the second takes over")
    seqs += [write_and_read() for _ in range(3)]
    assert seqs == list(range(2, 9))  # nothing lost, nothing doubled

    # What the worker kept equals a rebuild of the same entries.
    served = _served(base, auth)
    second.send_signal(signal.SIGTERM)
    assert second.wait(BOUND) == 0
    rebuilt = deployment.run_args("projector", "rebuild")
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert _served(base, auth) == served


def _up(deployment: Deployment) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{deployment.port}/health", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def _served(base: str, auth: dict[str, str]) -> list[Any]:
    paths = [f"/contracts/{REF}/events", f"/contracts/{REF}/obligations", f"/contracts/{REF}/deviations",
             "/contracts", "/obligations"]
    served = [httpx.get(base + path, headers=auth, timeout=BOUND).json() for path in paths]
    served[3]["contracts"].sort(key=lambda c: c["ref"])  # the list's order is the table's, unspecified
    return served
