"""``make soak``: kill -9 the API under load, again and again, then check nothing was lost or doubled.

Each cycle starts ``ledger serve``, lets writers append events (each with a unique
note and Idempotency-Key, retried with the same key on a connection error or a 503),
kills the server with SIGKILL at a random moment, and starts the next cycle. At the
end the server runs once more until it is ready, and the checks are:

* every acknowledged event (201) is in the ledger exactly once, and no event twice;
* ``ledger verify --read-models``: hash links, the read models and snapshots agree;
* the read models caught up (``/health/ready``) without a rebuild.

The report goes to ``bench/results/soak-<backend>-<UTC time>.md``. PostgreSQL runs on a
throwaway cluster (``tests/support/postgres.py``) where the machine has the binaries.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
REF = "familjeradgivning"
LEDGER = [sys.executable, "-c", "from api.cli import main; main()"]


@dataclass
class Tally:
    acknowledged: dict[str, int] = field(default_factory=dict)  # note → seq
    refused: Counter[int] = field(default_factory=Counter)
    unreachable: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def ledger(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*LEDGER, *args], env=env, cwd=ROOT, capture_output=True, text=True,
                          timeout=600, check=False)


def request(port: int, method: str, path: str, body: dict | None = None,
            headers: dict[str, str] | None = None) -> tuple[int, dict]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        payload = json.dumps(body).encode() if body is not None else None
        connection.request(method, path, body=payload,
                           headers={"Content-Type": "application/json", **(headers or {})})
        response = connection.getresponse()
        data = response.read()
        return response.status, (json.loads(data) if data else {})
    finally:
        connection.close()


def wait_ready(port: int, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if request(port, "GET", "/health/ready")[0] == 200:
                return True
        except OSError:
            pass
        time.sleep(0.1)
    return False


def writer(port: int, token: str, tally: Tally, stop: threading.Event) -> None:
    pending: tuple[str, str] | None = None
    while not stop.is_set():
        note, key = pending or (f"soak {uuid.uuid4().hex}", uuid.uuid4().hex)
        body = {"type": "WaitingTimeReported", "effective_date": "2025-05-02", "period": "2025-05",
                "longest_wait_days": 3, "note": note}
        try:
            status, answer = request(port, "POST", f"/contracts/{REF}/events", body,
                                     {"Authorization": f"Bearer {token}", "Idempotency-Key": key})
        except OSError:
            with tally.lock:
                tally.unreachable += 1
            pending = (note, key)  # maybe written: the same key again, never a new event
            time.sleep(0.05)
            continue
        with tally.lock:
            if status == 201:
                tally.acknowledged[note] = answer["seq"]
                pending = None
            else:
                tally.refused[status] += 1
                pending = (note, key) if status == 503 else None


def cycle(env: dict[str, str], port: int, token: str, tally: Tally, writers: int,
          kill_after: float) -> bool:
    server = subprocess.Popen([*LEDGER, "serve", "--port", str(port)], env=env, cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        started = wait_ready(port)
        stop = threading.Event()
        threads = [threading.Thread(target=writer, args=(port, token, tally, stop), daemon=True)
                   for _ in range(writers)]
        for thread in threads:
            thread.start()
        time.sleep(kill_after)
        server.send_signal(signal.SIGKILL)
        server.wait(timeout=30)
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
        return started
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()


def soak(backend: str, url: str, cycles: int, writers: int, seed: int) -> dict:
    random.seed(seed)
    work = Path(tempfile.mkdtemp(prefix=f"ledger-soak-{backend}-"))
    env = {**os.environ, "LEDGER_DATABASE_URL": url, "LEDGER_TOKENS_FILE": str(work / "tokens.json"),
           "LEDGER_SIGNING_KEY_FILE": str(work / "key.pem"), "LEDGER_TODAY": "2025-06-02",
           "LEDGER_STORAGE_TIMEOUT": "5"}
    for step in (["seed"],):
        done = ledger(env, *step)
        if done.returncode != 0:
            raise SystemExit(f"ledger {' '.join(step)}: {done.stderr}")
    token = ledger(env, "token", "create", "--role", "utforare", "--name", "soak").stdout.strip()
    port = free_port()
    tally = Tally()
    started = time.monotonic()
    ready_every_time = all(cycle(env, port, token, tally, writers, random.uniform(0.5, 2.0))
                           for _ in range(cycles))
    # Once more, to the end: the read models must catch up by themselves.
    server = subprocess.Popen([*LEDGER, "serve", "--port", str(port)], env=env, cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        caught_up = wait_ready(port)
        status, page = request(port, "GET", "/ledger/verify?read_models=true",
                               headers={"Authorization": f"Bearer {token}"})
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    entries = json.loads(ledger(env, "events", REF, "--json").stdout)["events"]
    notes = Counter(e["data"].get("note") for e in entries
                    if str(e["data"].get("note", "")).startswith("soak "))
    lost = [n for n in tally.acknowledged if notes[n] != 1]
    doubled = [n for n, count in notes.items() if count > 1]
    verify = ledger(env, "verify", "--read-models")
    return {
        "backend": backend, "cycles": cycles, "writers": writers, "seed": seed,
        "seconds": round(time.monotonic() - started, 1),
        "acknowledged": len(tally.acknowledged), "written": sum(notes.values()),
        "refused": dict(tally.refused), "connection_errors": tally.unreachable,
        "lost": len(lost), "doubled": len(doubled), "ready_after_every_start": ready_every_time,
        "caught_up_without_rebuild": caught_up,
        "verify_read_models": verify.returncode == 0 and status == 200 and page.get("ok") is True,
        "verify_output": (verify.stdout + verify.stderr).strip()[-400:],
    }


def report(results: list[dict]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(tz=UTC).strftime("%Y%m%dT%H%M%SZ")
    path = RESULTS / f"soak-{stamp}.md"
    lines = [f"# Soak: kill -9 under load ({stamp})", "",
             "| backend | cycles | acknowledged | written | lost | doubled | verify --read-models "
             "| caught up | 503s | seconds |", "|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        lines.append(f"| {r['backend']} | {r['cycles']} | {r['acknowledged']} | {r['written']} | "
                     f"{r['lost']} | {r['doubled']} | {'ok' if r['verify_read_models'] else 'FAILED'} "
                     f"| {'yes' if r['caught_up_without_rebuild'] else 'NO'} | "
                     f"{r['refused'].get(503, 0)} | {r['seconds']} |")
    lines += ["", "```json", json.dumps(results, indent=2), "```", ""]
    path.write_text("\n".join(lines))
    return path


def ok(result: dict) -> bool:
    return (result["lost"] == 0 and result["doubled"] == 0 and result["verify_read_models"]
            and result["caught_up_without_rebuild"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cycles", type=int, default=20, help="kill -9 cycles per backend")
    parser.add_argument("--writers", type=int, default=4, help="concurrent writers")
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    args = parser.parse_args()
    results = []
    if args.backend in ("sqlite", "both"):
        work = Path(tempfile.mkdtemp(prefix="ledger-soak-db-"))
        results.append(soak("sqlite", f"sqlite:///{work / 'ledger.db'}", args.cycles, args.writers,
                            args.seed))
    if args.backend in ("postgres", "both"):
        sys.path.insert(0, str(ROOT))
        from tests.support.postgres import Cluster, ClusterError, create_database

        cluster = Cluster()
        try:
            server = cluster.start()
            url = server.url(create_database(server))
            results.append(soak("postgres", url, args.cycles, args.writers, args.seed))
        except ClusterError as error:
            print(f"postgres skipped: {str(error).splitlines()[0]}", file=sys.stderr)
        finally:
            cluster.stop()
    path = report(results)
    for r in results:
        print(f"{r['backend']}: {r['cycles']} cycles, {r['acknowledged']} acknowledged, "
              f"{r['lost']} lost, {r['doubled']} doubled, verify --read-models "
              f"{'ok' if r['verify_read_models'] else 'FAILED'}")
    print(f"report: {path.relative_to(ROOT)}")
    if not all(ok(r) for r in results):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
