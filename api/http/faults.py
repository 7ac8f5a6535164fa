"""Storage trouble and late read models as 503 with ``Retry-After`` (API.md), and readiness.

A storage error anywhere in a request (PostgreSQL restarting, a pool or lock timeout,
a full disk under SQLite) is answered 503 within the storage timeouts
(``domain.storage``), never 500 and never a hang. A write whose read models cannot
catch up within ``LEDGER_READ_YOUR_WRITES_TIMEOUT`` is answered 503 too, and its body
says that the event *was* written (``written``, ``seq``, ``Location``): a client must
not retry a committed write blindly.
"""

from __future__ import annotations

import errno
import logging
import os
import sqlite3
import time
from typing import Any

import orjson
import psycopg
from eventsourcing.persistence import IntegrityError, PersistenceError
from fastapi import APIRouter, FastAPI, Request
from starlette.responses import Response

from api.http.problems import problem_response, responses
from domain import vocabulary
from domain.errors import LedgerError

log = logging.getLogger("ledger.http")

RETRY_AFTER = 2  # seconds a client should wait before asking again


def setting(name: str, default: float) -> float:
    """A positive number of seconds or entries from the environment."""
    raw = os.environ.get(name, "")
    try:
        value = float(raw) if raw else default
    except ValueError:
        value = default
    return value if value > 0 else default


def read_your_writes_timeout() -> float:
    return setting("LEDGER_READ_YOUR_WRITES_TIMEOUT", 5.0)


def ready_max_lag() -> tuple[float, float]:
    """(seconds, entries) the read models may be behind and the service still ready."""
    return (setting("LEDGER_READY_MAX_LAG_SECONDS", 10.0),
            setting("LEDGER_READY_MAX_LAG_ENTRIES", 10_000))


# --- what counts as storage trouble ----------------------------------------------------

_STORAGE_ERRNOS = {errno.ENOSPC, errno.EROFS, errno.EIO, errno.EACCES, errno.EPERM, errno.EDQUOT}


def is_storage_error(error: BaseException) -> bool:
    """Whether ``error`` means the store is unavailable now (worth a retry later), as opposed
    to a refusal or a bug. A lost race (``IntegrityError``) is not: the ledger maps it."""
    if isinstance(error, IntegrityError):
        return False
    if isinstance(error, PersistenceError | sqlite3.Error | psycopg.Error):
        return True
    return isinstance(error, OSError) and error.errno in _STORAGE_ERRNOS


class StorageUnavailable(Exception):
    """The store failed during a request; ``written`` says whether the event was written."""

    def __init__(self, cause: BaseException, *, written: bool | None = None) -> None:
        super().__init__(str(cause))
        self.cause = cause
        self.written = written


class WrittenButBehind(Exception):
    """The event was written, but the read models did not reflect it in time."""

    def __init__(self, *, ref: str, seq: int, version: int, cause: BaseException) -> None:
        super().__init__(str(cause))
        self.ref, self.seq, self.version, self.cause = ref, seq, version, cause


def _describe(error: BaseException) -> str:
    text = str(error).splitlines()[0][:200] if str(error) else ""
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def _storage_problem(request: Request, error: Exception) -> Response:
    cause = error.cause if isinstance(error, StorageUnavailable) else error
    written = error.written if isinstance(error, StorageUnavailable) else None
    if written is None and request.method not in ("GET", "HEAD", "OPTIONS"):
        written = False
    log.warning("503 in %s %s: %s", request.method, request.url.path,
                _describe(cause))
    rule = "storage_unavailable"
    detail = "the store is unavailable just now; retry after a moment"
    detail_sv = vocabulary.problem(rule)
    if isinstance(cause, LedgerError):  # a race lost again and again until the deadline
        rule = "write_contention"
        detail = ("nothing was written: the contract kept changing under this request; "
                  "retry after a moment")
        detail_sv = vocabulary.problem(rule)
    elif written is False:
        detail = ("nothing was written: the store is unavailable just now; retry after a "
                  "moment (with the same Idempotency-Key, to be sure of one event)")
        detail_sv = vocabulary.problem("storage_unavailable_not_written")
    extra: dict[str, Any] = {} if written is None else {"written": written}
    return problem_response(503, "Service unavailable", detail, rule=rule,
                            request=request, headers={"Retry-After": str(RETRY_AFTER)},
                            detail_sv=detail_sv, extra=extra)


def _behind_problem(request: Request, error: Exception) -> Response:
    assert isinstance(error, WrittenButBehind)
    log.warning("read models behind after a write to %s seq %s: %s", error.ref, error.seq,
                error.cause)
    location = f"/contracts/{error.ref}/events/{error.seq}"
    detail = (f"the event WAS written (seq {error.seq}, version {error.version}); do not send "
              "it again. The read models have not caught up yet: obligations and deviations "
              "will show it shortly")
    return problem_response(503, "Written; read models behind", detail, rule="read_models_behind",
                            request=request, detail_sv=vocabulary.problem(
                                "read_models_behind", seq=error.seq, version=error.version),
                            headers={"Retry-After": str(RETRY_AFTER), "Location": location,
                                     "ETag": f'"{error.version}"'},
                            extra={"written": True, "seq": error.seq, "version": error.version,
                                   "location": location})


def _os_error(request: Request, error: Exception) -> Response:
    if is_storage_error(error):
        return _storage_problem(request, error)
    if isinstance(error, TimeoutError):  # e.g. the read models behind a read: unavailable now
        return _storage_problem(request, error)
    from api.http.problems import HANDLERS

    return HANDLERS[Exception](request, error)


def install(app: FastAPI) -> None:
    """Register the 503 handlers and the readiness route on ``app``."""
    for kind in (StorageUnavailable, PersistenceError, sqlite3.Error, psycopg.Error):
        app.add_exception_handler(kind, _storage_problem)
    app.add_exception_handler(OSError, _os_error)
    app.add_exception_handler(WrittenButBehind, _behind_problem)
    app.include_router(router)


# --- readiness -------------------------------------------------------------------------

router = APIRouter(tags=["ledger"])


@router.get("/health/ready", responses=responses(503))
def ready(request: Request) -> Response:
    """Readiness (needs no token): 200 when the store answers and the read models are within
    their bound (``LEDGER_READY_MAX_LAG_SECONDS``/``_ENTRIES``), else 503 with ``Retry-After``."""
    services = request.app.state.services
    checks: dict[str, Any] = {}
    ready_now = True
    started = time.monotonic()
    try:
        head = services.ledger.recorder.max_notification_id() or 0
        checks["store"] = {"ok": True, "seconds": round(time.monotonic() - started, 3)}
    except Exception as error:  # any failure to answer means "not ready"
        if not is_storage_error(error):
            log.error("readiness: the store check failed: %s", _describe(error))
        checks["store"] = {"ok": False, "error": _describe(error)}
        head, ready_now = None, False
    runner = services.runner
    max_seconds, max_entries = ready_max_lag()
    if head is not None:
        lag = runner.lag(head)
        fresh = lag.failure is None and (lag.entries == 0 or (
            lag.entries <= max_entries and lag.seconds <= max_seconds))
        checks["read_models"] = {"ok": fresh, "position": runner.settled, "head": head,
                                 "behind_entries": lag.entries,
                                 "behind_seconds": round(lag.seconds, 1),
                                 **({"error": lag.failure.describe()} if lag.failure else {})}
        ready_now = ready_now and fresh
    tokens_problem = services.tokens.problem()
    checks["tokens"] = {"ok": tokens_problem is None,
                        **({"error": tokens_problem} if tokens_problem else {})}
    ready_now = ready_now and tokens_problem is None
    if ready_now:
        return Response(content=orjson.dumps({"status": "ready", "checks": checks}),
                        media_type="application/json")
    failing = ", ".join(name for name, check in checks.items() if not check["ok"])
    return problem_response(503, "Not ready", f"not ready: {failing}", rule="not_ready",
                            request=request,
                            detail_sv=vocabulary.problem("not_ready", failing=failing),
                            headers={"Retry-After": str(RETRY_AFTER)},
                            extra={"checks": checks})

