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
from typing import Annotated, Any, ClassVar, Literal

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
    model_validator,
)

from domain import vocabulary as sv
from domain.rules.model import Obligation
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
ObligationStatus = Literal["open", "fulfilled", "overdue", "void", "suspended", "before_tracking"]


class Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


SV_DESCRIPTION = ("For people: the Swedish name of each code in this object (the same keys), "
                  "from one vocabulary (domain/vocabulary/); the codes themselves stay as API.md "
                  "fixes them")
SvLabels = Annotated[dict[str, str], Field(
    default_factory=dict, description=SV_DESCRIPTION,
    examples=[{"kind": "Verksamhetsberättelse", "holder": "utföraren", "status": "försenad"}])]

# Which field of an object holds a code of which vocabulary category.
_CODED = {"kind": None, "holder": "party", "status": "status", "type": "event", "role": "role",
          "by": "party", "effect": "effect"}


def sv_labels(values: dict[str, Any], *, kind: str | None = None) -> dict[str, str]:
    """The ``sv`` block of an object: its coded fields in Swedish (``kind`` names the category
    of its ``kind`` field: obligation, deviation or notice_kind)."""
    labels = {}
    for name, category in _CODED.items():
        code = values.get(name)
        if isinstance(code, str):
            labels[name] = sv.label(category or kind or "obligation", code)
    return labels


class Labelled(Out):
    """An object people read: ``sv`` carries the Swedish of its codes."""

    sv: SvLabels
    _kind: ClassVar[str | None] = None

    @model_validator(mode="after")
    def _label(self) -> Labelled:
        if not self.sv:
            self.sv = sv_labels(self.__dict__, kind=self._kind)
        return self


class Health(Out):
    status: Literal["ok"] = "ok"


# --- contracts ----------------------------------------------------------------------------


class LegalReferenceOut(Out):
    reference: str
    status: Literal["current", "superseded", "renamed"]
    successor: str | None
    since: date | None
    checked_on: date
    note: str | None
    stale: bool = Field(description="Needs a pass in the next amendment")
    clauses: list[ClauseOut]


class LegalBasisOut(Out):
    ref: str
    references: list[LegalReferenceOut]


class ContractSummary(Labelled):
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
    # issue 12: the legal frame, in plain Swedish
    parties: dict[str, str] = Field(default_factory=dict,
                                    description="The parties' names in force on as_of (bestallare, utforare)")
    frame: str = Field("", description="What kind of agreement this is and who decides disputes")
    incorporated_documents: list[str] = Field(
        default_factory=list, description="Documents the contract incorporates that the ledger does not hold")
    stale_references: list[LegalReferenceOut] = Field(
        default_factory=list, description="Cited law or bodies superseded, renamed or with a successor")


class Registered(Out):
    ref: str
    seq: int
    version: int


# --- events -------------------------------------------------------------------------------


class EventOut(Labelled):
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


class ObligationOut(Labelled):
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


class DeviationOut(Labelled):
    _kind: ClassVar[str | None] = "deviation"
    kind: str
    clause: ClauseOut
    since: date
    until: date | None
    seqs: list[int]
    open: bool = Field(description="Whether it is still open on the day asked about")
    explanation: str = ""


class Effect(Labelled):
    """One consequence of an event: an obligation opened, fulfilled or voided, or a notice effect."""

    effect: Literal["opens", "fulfils", "voids", "notice", "withdraws_notice", "awaits_acceptance",
                    "accepts", "no_effect", "recorded", "suspends"]
    summary: str = Field(description="What it does, in Swedish",
                         examples=["uppsägningen gäller: uppdraget upphör 2026-03-15"])
    obligation: ObligationOut | None = None
    ends_on: date | None = None
    clause: ClauseOut | None = Field(None, description=(
        "The clause that gives the act this effect, or a citation of the clause it lacks"))


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


class DisputeOut(Labelled):
    ref: str = Field(description="The contract")
    seq: int = Field(description="The DisputeRaised entry")
    subject: str
    by: Holder = Field(description="The party that raised it")
    raised_on: date
    status: Literal["raised", "dialogue_held", "referred", "decided", "withdrawn"]
    dossier: str = Field(description="The dossier's path (HTML, or PDF with Accept: application/pdf)")
    decided_on: date | None = None
    paragraph: str | None = None
    justerat_on: date | None = None
    anslaget_on: date | None = None
    appeal_window_ends: date | None = Field(
        None, description="anslaget_on + three weeks (kommunallagen 13 kap. 5 §)")
    appealable_until: date | None = Field(
        None, description="The last day an appeal may come in: the window's end, or the next "
                          "working day where it ends on a non-working day")
    appealable: bool | None = Field(None, description="Whether the decision may still be appealed today")


class DisputeList(Out):
    disputes: list[DisputeOut]


class NoticeOut(Labelled):
    """One notice and the effect the rules gave it."""

    _kind: ClassVar[str | None] = "notice_kind"
    seq: int
    kind: Literal["ordinary", "early"]
    by: str
    given_on: date
    effective: bool
    ends_on: date | None
    reason: str
    withdrawn_on: date | None = None


class NoticePosition(Labelled):
    as_of: date
    status: Literal["running", "under_notice", "ended"]
    notice_months: int | None
    ends_on: date | None
    end_if_notice_today: date | None
    notices: list[NoticeOut]


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


class MonthAmountOut(Out):
    month: str
    annual_rate: Money
    amount: Money
    fte: Decimal | None = None


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
    months: list[MonthAmountOut] = Field(default_factory=list, description=(
        "Each month's 1/12 of the annual rate in force in it (terms and agreed FTE)"))


class PendingAcceptance(Out):
    seq: int
    type: str
    recorded_by: Holder
    awaiting: Holder
    effective_date: date


class AcceptanceList(Out):
    """Two-party acts awaiting the other party's ``AgreementAccepted`` (DOMAIN.md §2.3)."""

    pending: list[PendingAcceptance]


class MonthBillingOut(Out):
    """F's hourly billing for a month; hours above the cap are shown and not in ``amount``."""

    month: str
    client_hours: Decimal
    amount: Money
    hours_above_cap: Decimal
    year_to_date_hours: Decimal
    cap_hours: Decimal | None
    hourly_rate: Money


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
        {"sv": obligation_sv(o.kind, o.holder, status),
         "id": o.id, "kind": o.kind, "holder": o.holder, "clause": clause(o.clause), "due": o.due,
         "due_working_day": o.due_working_day, "status": status, "created_by_seq": o.created_by_seq,
         "fulfilled_by_seq": o.fulfilled_by_seq, "period": o.period, "explanation": o.explanation}
        for o, status in found]})


@lru_cache(maxsize=1024)
def obligation_sv(kind: str, holder: str, status: str) -> dict[str, str]:
    return {"kind": sv.label("obligation", kind), "holder": sv.label("party", holder),
            "status": sv.label("status", status)}


def with_sv(doc: bytes) -> bytes:
    """A stored obligation document (``rows.open_doc``) with its ``sv`` block (first, as the
    model has it): the stored bytes stay as they are."""
    value = orjson.loads(doc)
    return b'{"sv":%s,%s' % (orjson.dumps(obligation_sv(value["kind"], value["holder"],
                                                       value["status"])), doc[1:])


def open_obligations_json(as_of: date, docs: Iterable[bytes]) -> bytes:
    """OpenObligationList of the documents ``ReadModels.open_obligation_docs`` gives."""
    return b'{"as_of":"%s","obligations":[%s]}' % (as_of.isoformat().encode(),
                                                    b",".join(map(with_sv, docs)))
