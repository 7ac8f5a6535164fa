"""What routes depend on: the process's services, the caller, and the shared parameters.

The dependencies are ``async def``: none of them blocks (the token store stats its file
at most every half second), and FastAPI runs a plain ``def`` dependency in the thread
pool, one thread hop each. Only the endpoints, which query the database, are ``def``.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import Depends, Header, Path, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import AfterValidator, AwareDatetime

from api import settings
from api.http.auth import RECORDING_ROLES, REGISTERING_ROLES, TokenStore, require_role
from api.http.effects import Evaluations, History
from api.http.faults import read_your_writes_timeout
from api.http.problems import InvalidRequest
from domain.contract import Actor
from domain.errors import UnknownContract
from domain.ledger import Ledger
from domain.personal_data import find_personnummer
from domain.terms import ContractDescription


@dataclass
class Services:
    """One ledger, one set of read models and their runner, per process."""

    ledger: Ledger
    reads: Any
    runner: Any
    tokens: TokenStore
    history: History
    evaluations: Evaluations
    # Writers to one contract in this process take turns (striped by ref): a lost race
    # would cost a whole decision and evaluation again. Other processes still race, and
    # the ledger's optimistic check decides those.
    _write_locks: tuple[threading.Lock, ...] = field(
        default_factory=lambda: tuple(threading.Lock() for _ in range(64)))

    def write_lock(self, ref: str) -> threading.Lock:
        return self._write_locks[hash(ref) % len(self._write_locks)]

    def read_your_write(self, notification_id: int | None = None,
                        timeout: float | None = None) -> None:
        """Wait until the read models reflect ``notification_id`` (default: every event this
        ledger has stored); ``ReadModelsBehind`` (a ``TimeoutError``) after ``timeout``
        seconds (``LEDGER_READ_YOUR_WRITES_TIMEOUT``).

        The runner signals a condition when its view settles (every contract judged up
        to a position), so this returns as soon as the projection has landed.
        """
        if notification_id is None:
            notification_id = self.ledger.recorder.max_notification_id()
        self.runner.wait(notification_id, read_your_writes_timeout() if timeout is None else timeout)


async def services(request: Request) -> Services:
    return request.app.state.services  # type: ignore[no-any-return]


App = Annotated[Services, Depends(services)]

# Declares the scheme in OpenAPI; the header itself is checked by the token store.
_bearer = HTTPBearer(auto_error=False, description="A token from `ledger token create`")


async def caller(request: Request, app: App,
           _credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> Actor:
    """The authenticated caller; 401 without a valid bearer token."""
    return app.tokens.actor(request.headers.get("authorization"))


Caller = Annotated[Actor, Depends(caller)]


async def recorder(actor: Caller) -> Actor:
    """A caller whose role may record some event (not revisor)."""
    return require_role(actor, RECORDING_ROLES, "record events (read only)")


async def registrar(actor: Caller) -> Actor:
    """A caller who may register contracts (admin)."""
    return require_role(actor, REGISTERING_ROLES, "register contracts")


Recorder = Annotated[Actor, Depends(recorder)]
Registrar = Annotated[Actor, Depends(registrar)]


# --- parameters -----------------------------------------------------------------------------

EARLIEST, LATEST = date(1900, 1, 1), date(2199, 12, 31)


def _sane_date(value: date) -> date:
    if not EARLIEST <= value <= LATEST:
        raise ValueError(f"must be a date between {EARLIEST} and {LATEST}")
    return value


Day = Annotated[date, AfterValidator(_sane_date)]
AsOf = Annotated[Day | None, Query(description="Valid time (YYYY-MM-DD); default today in Stockholm")]
def _sane_instant(value: datetime) -> datetime:
    # Checked on the fields as written, before any conversion: 0001-01-01T00:00+14:00 in UTC
    # is before the calendar begins.
    if not EARLIEST.year <= value.year <= LATEST.year:
        raise ValueError(f"must be an instant from {EARLIEST.year} to {LATEST.year}")
    return value


KnownAt = Annotated[Annotated[AwareDatetime, AfterValidator(_sane_instant)] | None, Query(
    description="Transaction time: what the ledger knew at this instant (ISO 8601 with offset)")]


def as_of_or_today(as_of: date | None) -> date:
    return as_of or settings.today()


_IF_MATCH = re.compile(r'^\s*(?:"(\d{1,9})"|(\d{1,9})|(\*))\s*$')


async def expected_version(
    if_match: Annotated[str | None, Header(
        alias="If-Match", max_length=100,
        description='The version you read, quoted or bare: "3"; a stale one is refused with 409')] = None,
) -> int | None:
    """The version ``If-Match`` names (``*`` or absent: any)."""
    if if_match is None:
        return None
    match = _IF_MATCH.match(if_match)
    if not match:
        raise InvalidRequest(f"If-Match: '{if_match[:40]}' is not a version; send the ETag you "
                             'read, e.g. If-Match: "3"', field="If-Match", rule="if_match_version")
    number = match.group(1) or match.group(2)
    return int(number) if number else None


ExpectedVersion = Annotated[int | None, Depends(expected_version)]
def _no_personnummer(value: str | None) -> str | None:
    # The key is stored with the event's idempotency record, for ever (DOMAIN.md §7).
    if value is not None and find_personnummer(value):
        raise ValueError("contains a Swedish personnummer or samordningsnummer; the ledger "
                         "stores this key for ever: use a random key")
    return value


IdempotencyKey = Annotated[str | None, Header(
    alias="Idempotency-Key", min_length=1, max_length=200, pattern=r"^[\x21-\x7e]+$",
    description="Send the same key with the same body to retry safely; one event is written"),
    AfterValidator(_no_personnummer)]


# --- query parameters: none unknown -----------------------------------------------------------

_ALLOWED: dict[int, frozenset[str]] = {}


def _allowed(route: Any) -> frozenset[str] | None:
    dependant = getattr(route, "dependant", None)
    # The API's endpoints (those in the OpenAPI schema); the web pages read their forms' own
    # fields and carry where to go after sign-in, and answer a person, not a client.
    if dependant is None or not getattr(route, "include_in_schema", True):
        return None
    found = _ALLOWED.get(id(route))
    if found is None:
        names: set[str] = set()
        stack = [dependant]
        while stack:
            current = stack.pop()
            names |= {p.alias for p in current.query_params}
            stack.extend(current.dependencies)
        found = _ALLOWED[id(route)] = frozenset(names)
    return found


async def known_query(request: Request) -> None:
    """422 for a query parameter the endpoint does not take (a misspelt filter would otherwise
    be ignored silently, and an answer look complete that is not)."""
    allowed = _allowed(request.scope.get("route"))
    if allowed is None:
        return
    for name in request.query_params:
        if name not in allowed:
            takes = ", ".join(sorted(allowed)) or "none"
            raise InvalidRequest(f"unknown query parameter '{name[:40]}'; this endpoint takes: {takes}",
                                 field=name[:40], rule="unknown_query_parameter")


# --- what the ledger can store -------------------------------------------------------------

# --- contract references ----------------------------------------------------------------------

_REF = re.compile(next(m.pattern for m in ContractDescription.model_fields["ref"].metadata
                       if getattr(m, "pattern", None)))


def known_ref(ref: str, field: str = "ref") -> str:
    """404 at once for a ref no contract can have (ContractDescription.ref), before any query."""
    if not _REF.match(ref):
        raise UnknownContract(f"no contract with ref '{ref[:80]}'", field=field,
                              rule="contract_must_exist")
    return ref


async def contract_ref(
        ref: Annotated[str, Path(description="The contract's ref, e.g. familjeradgivning")]) -> str:
    return known_ref(ref)


Ref = Annotated[str, Depends(contract_ref)]
