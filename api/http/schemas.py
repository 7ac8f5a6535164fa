"""Response models: what every route answers, as API.md names it.

Money is a decimal string with two decimals, dates ``YYYY-MM-DD``, instants
ISO 8601 with offset. Values from the rules and read models are validated in
(``from_attributes``) and serialised by pydantic-core, except the obligation
lists (``obligations_json``, ``open_obligations_json``): the longest answers,
written straight to JSON, byte for byte what their models give.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Annotated, Any, Literal

import orjson
from fastapi import Response
from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    TypeAdapter,
    WithJsonSchema,
)

from domain.rules.model import NoticeJudgement, Obligation
from domain.terms import Citation, Terms

_CENT = Decimal("0.01")


def _kronor(value: Decimal) -> str:
    return str(value.quantize(_CENT, rounding=ROUND_HALF_UP))


Money = Annotated[
    Decimal,
    PlainSerializer(_kronor, return_type=str),
    WithJsonSchema({"type": "string", "pattern": r"^-?\d+\.\d{2}$", "examples": ["4093284.00"]},
                   mode="serialization"),
]
Instant = Annotated[AwareDatetime, Field(examples=["2025-03-17T08:30:00.123456+00:00"])]
Holder = Literal["bestallare", "utforare"]
ObligationStatus = Literal["open", "fulfilled", "overdue", "void"]


class Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class Health(Out):
    status: Literal["ok"] = "ok"


# --- contracts ----------------------------------------------------------------------------


class ContractSummary(Out):
    ref: str
    title: str
    diarienummer: str | None
    status: str = Field(description="running, under_notice or ended")
    version: int = Field(description="Number of entries; send it back as If-Match")


class ContractList(Out):
    contracts: list[ContractSummary]


class ContractDetail(ContractSummary):
    as_of: date
    known_at: Instant | None
    terms: Terms = Field(description="The terms in force as of the date, each clause with its citation")


class Registered(Out):
    ref: str
    seq: int
    version: int


# --- events -------------------------------------------------------------------------------


class EventOut(Out):
    seq: int
    type: str
    effective_date: date
    recorded_at: Instant
    actor: str
    role: str
    data: dict[str, Any] = Field(description="The event's fields exactly as recorded")
    hash: str
    prev_hash: str


class EventPage(Out):
    events: list[EventOut]
    next_after: int | None = Field(description="Pass as `after` for the next page; null at the end")


class ClauseOut(Out):
    # In Citation's order: the read models store citations as they serve them.
    document: str
    section: str
    quote: str
    inferred: bool = False


class ObligationOut(Out):
    id: str
    kind: str
    holder: Holder
    clause: ClauseOut
    due: date | None
    due_working_day: date | None = Field(description="The next Swedish working day, if `due` is not one")
    status: ObligationStatus
    created_by_seq: int | None
    fulfilled_by_seq: int | None
    period: str | None = None
    explanation: str = ""


class ContractObligationOut(ObligationOut):
    contract: str


class DeviationOut(Out):
    kind: str
    clause: ClauseOut
    since: date
    until: date | None
    seqs: list[int]
    open: bool = Field(description="Whether it is still open on the day asked about")
    explanation: str = ""


class Effect(Out):
    """One consequence of an event: an obligation opened, fulfilled or voided, or a notice effect."""

    effect: Literal["opens", "fulfils", "voids", "notice", "withdraws_notice"]
    summary: str = Field(examples=["ends_on 2026-03-15"])
    obligation: ObligationOut | None = None
    ends_on: date | None = None


class RecordOutcome(Out):
    seq: int
    version: int
    effects: list[Effect]
    deviations: list[DeviationOut]
    dry_run: bool = Field(False, description="True: nothing was written")


class ObligationList(Out):
    as_of: date
    known_at: Instant | None
    obligations: list[ObligationOut]


class OpenObligationList(Out):
    as_of: date
    obligations: list[ContractObligationOut]


class DeviationList(Out):
    as_of: date
    known_at: Instant | None = None
    deviations: list[DeviationOut]


class NoticePosition(Out):
    as_of: date
    status: Literal["running", "under_notice", "ended"]
    notice_months: int | None
    ends_on: date | None
    end_if_notice_today: date | None
    notices: list[NoticeJudgement]


class IndexationStep(Out):
    year: int
    index: str
    percent: Decimal
    amount_before: Money
    amount_after: Money
    seq: int = Field(description="The IndexationApplied entry")
    kind: Literal["index", "back_adjustment"] = "index"
    preliminary: bool = False
    replaced_percent: Decimal | None = None


class CompensationOut(Out):
    """Annual and FTE bases give annual and monthly amounts; an hourly basis gives the hourly rate."""

    year: int
    basis: Literal["annual", "hourly", "fte"]
    base_amount: Money
    price_year: int
    index: str | None
    steps: list[IndexationStep]
    annual_amount: Money | None
    monthly_amount: Money | None
    hourly_rate: Money | None
    clause: ClauseOut
    fte: Decimal | None = None
    agreed_fte: Decimal | None = None
    per_fte_amount: Money | None = None
    missing_years: list[int] = Field(default_factory=list,
                                     description="Years with no indexation recorded yet")


# --- verification ---------------------------------------------------------------------------


class BadEntryOut(Out):
    contract: str | None
    seq: int | None
    notification_id: int | None
    kind: str
    detail: str


class ReadModelsCheck(Out):
    ok: bool
    contracts: int
    snapshots: int
    pending: int
    problem: str | None = None


class Verification(Out):
    ok: bool
    events: int
    head: str | None
    first_bad_entry: BadEntryOut | None = None
    read_models: ReadModelsCheck | None = None


class Checkpoint(Out):
    events: int
    head: str
    signed_at: str = Field(description="ISO 8601 UTC instant, exactly as signed",
                           examples=["2026-03-17T08:30:00Z"])
    signature: str
    public_key: str



# --- obligation lists, straight to JSON -------------------------------------------------------
#
# Validating every obligation into ObligationOut, and FastAPI validating the list again before
# pydantic dumps it, costs far more than reading the rows. These write the same bytes with
# orjson (the models stay the routes' response_model, for the schema); tests/api/test_reads.py
# holds them to ``Model.model_validate(...).model_dump_json()``.


class JSONBytes(Response):
    """A body already serialised as JSON."""

    media_type = "application/json"


_INSTANT = TypeAdapter(Instant | None)


@lru_cache(maxsize=4096)
def _clause(citation: Citation) -> orjson.Fragment:
    return orjson.Fragment(ClauseOut.model_validate(citation).model_dump_json())


def obligations_json(as_of: date, known_at: datetime | None,
                     found: Iterable[tuple[Obligation, str]]) -> bytes:
    """ObligationList of (obligation, status) pairs."""
    clause = _clause
    return orjson.dumps({"as_of": as_of, "known_at": orjson.Fragment(_INSTANT.dump_json(known_at)),
                         "obligations": [
        {"id": o.id, "kind": o.kind, "holder": o.holder, "clause": clause(o.clause), "due": o.due,
         "due_working_day": o.due_working_day, "status": status, "created_by_seq": o.created_by_seq,
         "fulfilled_by_seq": o.fulfilled_by_seq, "period": o.period, "explanation": o.explanation}
        for o, status in found]})


def open_obligations_json(as_of: date, docs: Iterable[bytes]) -> bytes:
    """OpenObligationList of the documents ``ReadModels.open_obligation_docs`` gives."""
    return b'{"as_of":"%s","obligations":[%s]}' % (as_of.isoformat().encode(), b",".join(docs))
