"""The audit trail of a contract, and recording an event on it."""

from __future__ import annotations

import itertools
import time
from typing import Annotated

from fastapi import APIRouter, Body, Path, Query, Response

from api import settings
from api.http.deps import (
    App,
    Caller,
    ExpectedVersion,
    IdempotencyKey,
    KnownAt,
    Recorder,
    Ref,
    Services,
)
from api.http.effects import consequences
from api.http.examples import event_examples
from api.http.faults import StorageUnavailable, WrittenButBehind, is_storage_error
from api.http.problems import responses
from api.http.schemas import EventOut, EventPage, RecordOutcome
from domain.contract import Actor, Entry
from domain.errors import StaleVersion
from domain.events import AnyEvent, Event
from domain.retry import Backoff

router = APIRouter(tags=["events"], responses=responses(401, 404, 422))

RACE_DEADLINE = 3.0  # seconds a write without If-Match keeps retrying a lost race
RACE_BACKOFF = Backoff(first=0.005, most=0.2)
Seq = Annotated[int, Path(ge=1, le=2**31 - 1, description="The entry's sequence number")]


@router.get("/contracts/{ref}/events", response_model=EventPage)
def list_events(
    app: App, _actor: Caller, ref: Ref, known_at: KnownAt = None,
    after: Annotated[int, Query(ge=0, le=2**31 - 1, description="Entries after this seq")] = 0,
    limit: Annotated[int, Query(ge=1, le=1000, description="At most this many entries")] = 100,
) -> EventPage:
    """Every entry in order with both times, who recorded it, its payload and hash link."""
    entries = app.reads.events(ref, known_at=known_at, after=after, limit=limit + 1)
    page = [EventOut.model_validate(e) for e in entries[:limit]]
    return EventPage(events=page, next_after=page[-1].seq if len(entries) > limit else None)


@router.get("/contracts/{ref}/events/{seq}", response_model=EventOut)
def get_event(app: App, _actor: Caller, ref: Ref, seq: Seq) -> EventOut:
    """One entry of the audit trail."""
    return EventOut.model_validate(app.ledger.entry(ref, seq))


@router.post("/contracts/{ref}/events", status_code=201, response_model=RecordOutcome,
             responses={200: {"model": RecordOutcome, "description": "dry_run: what the event "
                              "would cause; nothing written"}, **responses(403, 409, 413, 503)})
def record_event(
    app: App, actor: Recorder, ref: Ref,
    event: Annotated[AnyEvent, Body(openapi_examples=event_examples())],
    expected: ExpectedVersion = None, idempotency_key: IdempotencyKey = None,
    dry_run: Annotated[bool, Query(description="Answer what it would cause; write nothing")] = False,
) -> Response:
    """Record an event: 201 with its seq, the new version, its effects and any deviations."""
    body, headers = record(app, actor, ref, event, expected=expected,
                           idempotency_key=idempotency_key, dry_run=dry_run)
    # Validated once (in ``record``) and answered as it is: through response_model FastAPI would
    # validate it again and encode it with json.dumps (about 6 % of an append's GIL time).
    return Response(body.model_dump_json().encode(), status_code=200 if dry_run else 201,
                    media_type="application/json", headers=headers)


def record(app: Services, actor: Actor, ref: str, event: Event, *, expected: int | None = None,
           idempotency_key: str | None = None, dry_run: bool = False) -> tuple[RecordOutcome, dict[str, str]]:
    """What POST /contracts/{ref}/events does (the web page's Spara and Förhandsgranska too):
    the outcome and the response's headers."""
    history = app.history
    before: tuple[Entry, ...] = ()

    def respond(entry: Entry) -> dict:
        nonlocal before
        before = history.before(entry)
        return {"seq": entry.seq, "version": entry.seq,
                **consequences(before, entry, today=settings.today(), evaluations=app.evaluations,
                               dry_run=dry_run)}

    deadline = time.monotonic() + RACE_DEADLINE
    for attempt in itertools.count(1):
        try:
            with app.write_lock(ref):
                outcome = app.ledger.record(ref, event, actor, expected_version=expected,
                                            idempotency_key=idempotency_key, dry_run=dry_run,
                                            respond=respond)
            break
        except StaleVersion as error:
            # Without If-Match the caller asked for no particular version: a lost race (to
            # another process) is decided again on the new history, after a jittered pause
            # so that the racers spread out, until the deadline.
            if expected is not None:
                raise
            pause = RACE_BACKOFF.delay(attempt)
            if time.monotonic() + pause > deadline:
                raise StorageUnavailable(error, written=False) from None
            time.sleep(pause)
        except Exception as error:
            if is_storage_error(error):
                raise StorageUnavailable(error, written=False) from error
            raise
    body = RecordOutcome.model_validate({**(outcome.response or {}), "dry_run": dry_run})
    if dry_run:
        return body, {}
    headers = {"ETag": f'"{outcome.version}"', "Location": f"/contracts/{outcome.ref}/events/{outcome.seq}"}
    if outcome.written:
        history.written(outcome.entry, before)
        try:
            app.read_your_write(outcome.position)
        except TimeoutError as error:
            raise WrittenButBehind(ref=outcome.ref, seq=outcome.seq, version=outcome.version,
                                   cause=error) from None
    else:
        headers["Idempotent-Replayed"] = "true"
    return body, headers

