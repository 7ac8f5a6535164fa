"""A lean HTTP/1.1 load generator for the benchmarks: keep-alive connections on one asyncio
loop, requests prepared as bytes beforehand, responses read by Content-Length.

A general client (httpx in threads) spends about a millisecond of CPU per request, and on
a 2-core machine it would take the server's second core and then some; this one spends a
few tens of microseconds, so what is measured is the server.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass
class Load:
    """What a run measured: per-request latencies (ms), statuses, requests per second."""

    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def request(method: str, url: str, headers: dict[str, str], body: bytes = b"") -> bytes:
    """One HTTP/1.1 request as bytes (keep-alive)."""
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    lines = [f"{method} {target} HTTP/1.1", f"Host: {parts.netloc}", "Connection: keep-alive",
             *(f"{name}: {value}" for name, value in headers.items())]
    if body or method in ("POST", "PUT", "PATCH"):
        lines += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def run(url: str, connections: int, count: int, seconds: float, make: Callable[[int], bytes]) -> Load:
    """``count`` requests (``make(i)`` gives the i-th) over ``connections`` keep-alive
    connections, or as many as fit in ``seconds``."""
    return asyncio.run(_run(url, connections, count, seconds, make))


async def _run(url: str, connections: int, count: int, seconds: float,
               make: Callable[[int], bytes]) -> Load:
    parts = urlsplit(url)
    load = Load()
    counter = iter(range(count))
    stop = time.monotonic() + seconds

    async def connection() -> None:
        reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
        try:
            for i in counter:
                if time.monotonic() > stop:
                    return
                payload = make(i)
                began = time.perf_counter()
                writer.write(payload)
                head = await reader.readuntil(b"\r\n\r\n")
                status = int(head[9:12])
                length = 0
                for line in head.split(b"\r\n")[1:]:
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value)
                if length:
                    await reader.readexactly(length)
                load.latencies.append((time.perf_counter() - began) * 1000)
                load.statuses[status] = load.statuses.get(status, 0) + 1
        finally:
            writer.close()

    began = time.perf_counter()
    await asyncio.gather(*(connection() for _ in range(connections)))
    load.seconds = time.perf_counter() - began
    return load
