"""The reads scaling curve: ``GET /contracts/{ref}/obligations`` p99 with 10 000, 100 000 and
1 000 000 stored events over 1 000 contracts, on SQLite and PostgreSQL.

    python -m bench.bench_reads [--sizes 10000,100000,1000000] [--contracts 1000]
                                [--requests 3000] [--rounds 3] [--seconds 20]
                                [--backends sqlite,postgres]

Targets (issue 16): p99 <= 5 ms, and p99 at the largest size <= 1.5x the smallest's. Each
ledger comes from ``bench.ledgers`` (built once, cached under ./var/bench/); a working copy is
served by ``ledger serve`` (one process projecting in-process, as ``make run``) and read through
the real HTTP stack by the same client as the other benches (``bench/load.py``): one connection
(the latency of a read) and 16 (the same under concurrency), each request a different contract
in turn; p99 is the median of ``--rounds`` rounds' p99s. Results with the machine:
bench/results/reads-<time>.json|.txt and reads-scaling.png.
Bounded: every phase stops after ``--seconds``; building the 1M ledgers the first time takes
some minutes per engine, a cached rerun about a minute per size.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

import httpx

from bench import ledgers, load

TARGET_P99_MS, TARGET_GROWTH = 5.0, 1.5
CONNECTIONS = (1, 16)


def serve(stack: ExitStack, home: Path, url: str, role: str = "revisor",
          extra_env: dict[str, str] | None = None, args: list[str] | None = None,
          ) -> tuple[str, dict[str, str]]:
    """``ledger serve`` on ``url`` until the stack closes; (base URL, auth headers)."""
    from api import tokens
    from bench.bench_anchor import _free_port, _process, _wait_up

    env = {**os.environ, "LEDGER_DATABASE_URL": url, "LEDGER_TOKENS_FILE": str(home / "tokens.json"),
           "LEDGER_TODAY": ledgers.TODAY.isoformat(), "LEDGER_SIGNING_KEY_FILE": str(home / "key.pem"),
           **(extra_env or {})}
    token = tokens.create(home / "tokens.json", role=role, name="bench")
    port = _free_port()
    log = home / f"server-{port}.log"
    process = stack.enter_context(_process([ledgers.LEDGER, "serve", "--port", str(port), *(args or [])],
                                           env, log, home))
    base = f"http://127.0.0.1:{port}"
    _wait_up(base, process, log)
    return base, {"Authorization": f"Bearer {token}"}


def measure(url: str, headers: dict[str, str], refs: list[str], requests: int, seconds: float,
            rounds: int) -> dict:
    """Warm up, then for each number of connections ``rounds`` runs of ``requests`` reads:
    the medians of the rounds' p50 and p99."""
    stride = 7919  # a prime: consecutive requests read contracts far apart in the store
    prepared = [load.request("GET", f"{url}/contracts/{refs[(i * stride) % len(refs)]}/obligations", headers)
                for i in range(len(refs))]

    def make(i: int) -> bytes:
        return prepared[i % len(prepared)]

    load.run(url, 1, len(refs), seconds, make)  # warm-up: every contract read once
    out: dict = {}
    for connections in CONNECTIONS:
        runs = [load.run(url, connections, requests, seconds, make) for _ in range(rounds)]
        statuses: dict[int, int] = {}
        for run in runs:
            for status, n in run.statuses.items():
                statuses[status] = statuses.get(status, 0) + n
        out[str(connections)] = {"requests": sum(len(r.latencies) for r in runs),
                                 "rate": statistics.median(r.rate for r in runs),
                                 "p50": statistics.median(r.percentile(.5) for r in runs),
                                 "p99": statistics.median(r.percentile(.99) for r in runs),
                                 "p99_rounds": [r.percentile(.99) for r in runs], "statuses": statuses}
    return out


def bench_size(backend: str, server: object, events: int, contracts: int, requests: int,
               seconds: float, rounds: int, home: Path) -> dict:
    began = time.perf_counter()
    with ExitStack() as inner:
        if backend == "sqlite":
            url = ledgers.sqlite_copy(events, contracts, home)
        else:
            url = ledgers.postgres_copy(server, events, contracts, f"reads_work_{events}")
            inner.callback(ledgers.postgres_drop, server, f"reads_work_{events}")
        ready = time.perf_counter() - began
        began = time.perf_counter()
        base, headers = serve(inner, home, url)
        up = time.perf_counter() - began
        ready_check = httpx.get(f"{base}/health/ready").json()["checks"]["read_models"]
        answer = httpx.get(f"{base}/contracts/{ledgers.refs(contracts)[0]}/obligations", headers=headers)
        found = measure(base, headers, ledgers.refs(contracts), requests, seconds, rounds)
    found |= {"ledger_copy_s": ready, "server_up_s": up, "read_models_at_start": ready_check,
              "obligations_in_answer": len(answer.json()["obligations"]), "answer_bytes": len(answer.content)}
    one, many = found["1"], found["16"]
    print(f"  {backend:8} {events:>9} events: 1 connection p50 {one['p50']:5.2f} ms p99 {one['p99']:6.2f} ms "
          f"({one['rate']:.0f}/s)   16 connections p99 {many['p99']:6.1f} ms ({many['rate']:.0f}/s)   "
          f"{found['obligations_in_answer']} obligations ({found['answer_bytes']} B) per answer; "
          f"server up in {up:.1f} s, read models {ready_check['behind_entries']} behind  {one['statuses']}",
          flush=True)
    return found


def summary(results: dict, sizes: list[int]) -> list[str]:
    lines = []
    small, large = str(sizes[0]), str(sizes[-1])
    for backend, by_size in results.items():
        for connections in CONNECTIONS:
            c = str(connections)
            p99s = "  ".join(f"{int(s):>9,}: {r[c]['p99']:6.2f} ms" for s, r in by_size.items())
            lines.append(f"{backend:8} {connections:>2} conn p99  {p99s}")
            if large in by_size and small in by_size:
                growth = by_size[large][c]["p99"] / by_size[small][c]["p99"]
                worst = max(r[c]["p99"] for r in by_size.values())
                lines.append(f"{'':8}         growth {int(small):,} -> {int(large):,}: {growth:.2f}x "
                             f"(target <= {TARGET_GROWTH}x, ratio {growth / TARGET_GROWTH:.2f}); "
                             f"worst p99 {worst:.2f} ms (target <= {TARGET_P99_MS:.0f} ms, "
                             f"ratio {worst / TARGET_P99_MS:.2f})")
    return lines


def plot(results: dict, path: Path, info: dict) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(9, 4.2), dpi=110)
    colors = ("tab:blue", "tab:orange", "tab:green")
    for (backend, by_size), color in zip(results.items(), colors, strict=False):
        sizes = [int(s) for s in by_size]
        for connections, style in zip(CONNECTIONS, ("-o", "--s"), strict=True):
            axes.plot(sizes, [r[str(connections)]["p99"] for r in by_size.values()], style, color=color,
                      label=f"{backend}, p99, {connections} connection{'s' if connections > 1 else ''}")
        axes.plot(sizes, [r["1"]["p50"] for r in by_size.values()], ":", color=color, alpha=0.6,
                  label=f"{backend}, p50, 1 connection")
    axes.axhline(TARGET_P99_MS, color="grey", linestyle="-.", label=f"target p99 {TARGET_P99_MS:.0f} ms")
    axes.set_xscale("log")
    ticks = sorted({int(s) for by_size in results.values() for s in by_size})
    axes.set_xticks(ticks, [f"{t / 1e6:g}M" if t >= 1e6 else f"{t / 1e3:g}k" for t in ticks])
    axes.minorticks_off()
    axes.set_yscale("log")
    axes.set_xlabel("stored events (1 000 contracts)")
    axes.set_ylabel("GET /contracts/{ref}/obligations p99 (ms)")
    axes.set_title(f"Reads scaling, {info['cores']} cores, load {info['load'][0]:.1f} "
                   f"({info['commit']})", fontsize=10)
    axes.grid(True, which="both", alpha=0.3)
    axes.legend(fontsize=8, loc="center left", bbox_to_anchor=(1.01, 0.5))
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--contracts", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=3000, help="per round")
    parser.add_argument("--rounds", type=int, default=3, help="per size and number of connections")
    parser.add_argument("--seconds", type=float, default=20.0, help="time cap of each phase")
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--no-plot", action="store_true")
    parser.add_argument("--plot-from", default="", metavar="JSON,...",
                        help="only plot: the results of earlier runs (e.g. one per engine), merged")
    args = parser.parse_args(argv)
    if args.plot_from:
        runs = [json.loads(Path(name).read_text()) for name in args.plot_from.split(",")]
        plot({b: r for run in runs for b, r in run["results"].items()}, ledgers.RESULTS / "reads-scaling.png",
             runs[-1]["machine"])
        print("written: bench/results/reads-scaling.png")
        return 0
    sizes = [int(s) for s in args.sizes.split(",")]
    info = ledgers.machine()
    print(f"machine: {info['cpu']}, {info['cores']} cores; {info['uptime']}", flush=True)
    results: dict[str, dict] = {}
    for backend in args.backends.split(","):
        with ExitStack() as stack:
            server = stack.enter_context(ledgers.postgres()) if backend == "postgres" else None
            results[backend] = {}
            for events in sizes:
                with tempfile.TemporaryDirectory(prefix=f"bench-reads-{backend}-") as tmp:
                    results[backend][str(events)] = bench_size(backend, server, events, args.contracts,
                                                               args.requests, args.seconds, args.rounds,
                                                               Path(tmp))
    info["load_after"] = os.getloadavg()
    lines = summary(results, sizes)
    print("\n".join(lines))
    settings = {"sizes": sizes, "contracts": args.contracts, "requests": args.requests, "rounds": args.rounds}
    stamp = ledgers.write_results("reads", info, settings, results, lines)
    if not args.no_plot:
        plot(results, ledgers.RESULTS / "reads-scaling.png", info)
    plotted = "" if args.no_plot else ", reads-scaling.png"
    print(f"written: bench/results/reads-{stamp}.json, .txt{plotted}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
