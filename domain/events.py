"""The ledger's vocabulary: every event of DOMAIN.md §5, as a frozen, validated payload.

One model per event type, discriminated on ``type``. The same models validate
input from the API and the CLI and re-type stored events on the way back
(dates as ``date``, money as ``Decimal``), so a stored fact reads back exactly.
The aggregate wraps a payload in its ``Recorded`` envelope (actor, role, hash
link); the library's timestamp on the envelope is the recording time.
"""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal, Union

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    TypeAdapter,
    ValidationInfo,
    model_validator,
)

from domain.bounds import (
    EARLIEST_DATE,
    LATEST_DATE,
    MAX_LIST_ITEMS,
    MAX_MAP_ITEMS,
    BoundedJson,
    Day,
    Flag,
    StrictInt,
)
from domain.personal_data import find_personnummer
from domain.terms import ContractDescription, Party, Terms

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Seq = Annotated[StrictInt, Field(ge=1, le=2**31 - 1,
                                 description="Sequence number of an earlier entry in this contract")]
Year = Annotated[StrictInt, Field(ge=2000, le=2200)]
Count = Annotated[StrictInt, Field(ge=0, le=100_000)]
Money = Annotated[Decimal, Field(ge=0, max_digits=15, decimal_places=2)]
Month = Annotated[str, StringConstraints(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]
Role = Literal["admin", "bestallare", "utforare", "revisor", "kommunstyrelsen"]


class Event(BaseModel):
    """Fields every event has besides its type (DOMAIN.md §5)."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    effective_date: Day = Field(description="When it happened in the world (Stockholm date)")
    document_ref: ShortText | None = Field(None, description="Diarienummer of the letter")
    note: Text | None = None

    @model_validator(mode="after")
    def _storable_and_free_of_personal_data(self, info: ValidationInfo) -> Event:
        # Entries read back from storage were checked when recorded.
        if info.context and info.context.get("stored"):
            return self
        for path, value in _leaves(self.model_dump(exclude={"type"}), ()):
            field = ".".join(str(p) for p in path) or "body"
            if isinstance(value, str):
                if "\x00" in value:
                    raise ValueError(f"field '{field}' contains a NUL character, which no store keeps")
                # An append-only ledger cannot erase personal data later (DOMAIN.md §7).
                if find_personnummer(value):
                    raise ValueError(
                        f"field '{field}' contains a Swedish personnummer or samordningsnummer; "
                        "the ledger records contracts, not persons, and an append-only ledger "
                        "cannot erase it later (DOMAIN.md §7)")
            elif isinstance(value, int) and not -_INT64 - 1 <= value <= _INT64:
                # Canonical JSON (the hash links) holds 64-bit integers.
                raise ValueError(f"field '{field}' is too large a number to record")
            elif isinstance(value, float) and not math.isfinite(value):
                raise ValueError(f"field '{field}' must be a finite number")
            elif isinstance(value, date) and not EARLIEST_DATE <= value <= LATEST_DATE:
                # Every date, the registered terms' too (domain.bounds).
                raise ValueError(f"field '{field}' must be a date from {EARLIEST_DATE} to {LATEST_DATE}")
        return self

    @property
    def type_name(self) -> str:
        return self.type  # type: ignore[attr-defined, no-any-return]


_INT64 = 2**63 - 1


def _leaves(value: Any, path: tuple) -> list[tuple[tuple, Any]]:
    """Every scalar in a JSON-like value (dict keys included), with its path."""
    if isinstance(value, dict):
        return [hit for key, item in value.items()
                for hit in [*_leaves(key, (*path, key)), *_leaves(item, (*path, key))]]
    if isinstance(value, list | tuple):
        return [hit for i, item in enumerate(value) for hit in _leaves(item, (*path, i))]
    return [] if isinstance(value, bool) else [(path, value)]


class Signatory(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    party: Party
    name: ShortText
    authorised: Flag


class Session(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    minutes: StrictInt = Field(ge=1, le=24 * 60)


class GroupSession(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    minutes: StrictInt = Field(ge=1, le=24 * 60)
    participants: StrictInt = Field(ge=1, le=1000)


# --- the contract ---------------------------------------------------------------


class ContractRegistered(Event, ContractDescription):
    type: Literal["ContractRegistered"] = "ContractRegistered"
    terms: Terms


class AmendmentSigned(Event):
    type: Literal["AmendmentSigned"] = "AmendmentSigned"
    changes: BoundedJson = Field(
        description="JSON merge patch on the terms in force", max_length=MAX_MAP_ITEMS)
    signatories: list[Signatory] = Field(min_length=2, max_length=20)

    @model_validator(mode="after")
    def _signed_by_both_parties(self) -> AmendmentSigned:
        # Only written amendments signed by both parties' authorised representatives.
        signed = {s.party for s in self.signatories if s.authorised}
        missing = {"bestallare", "utforare"} - signed
        if missing:
            raise ValueError(
                "signatories: an amendment needs an authorised signatory of both parties; "
                f"missing: {', '.join(sorted(missing))}"
            )
        if not self.changes:
            raise ValueError("changes: an amendment must change at least one term")
        return self


# --- termination ----------------------------------------------------------------


class TerminationNoticeGiven(Event):
    type: Literal["TerminationNoticeGiven"] = "TerminationNoticeGiven"
    by: Party
    written: Flag
    agreed_months: StrictInt | None = Field(None, ge=0, le=120)


class TerminationNoticeWithdrawn(Event):
    type: Literal["TerminationNoticeWithdrawn"] = "TerminationNoticeWithdrawn"
    notice_seq: Seq
    agreed_by_both: bool = True


class BreachNoticeIssued(Event):
    type: Literal["BreachNoticeIssued"] = "BreachNoticeIssued"
    written: Flag
    breaches: list[Text] = Field(min_length=1, max_length=100)


class BreachRemedied(Event):
    type: Literal["BreachRemedied"] = "BreachRemedied"
    breach_notice_seq: Seq


class EarlyTerminationGiven(Event):
    type: Literal["EarlyTerminationGiven"] = "EarlyTerminationGiven"
    breach_notice_seq: Seq
    written: Flag = True


# --- lex Sarah and IVO ------------------------------------------------------------


class LexSarahReported(Event):
    type: Literal["LexSarahReported"] = "LexSarahReported"
    count: StrictInt = Field(1, ge=1, le=10_000, description="Internal rapporter; no case details")


class LexSarahNotifiedToIVO(Event):
    type: Literal["LexSarahNotifiedToIVO"] = "LexSarahNotifiedToIVO"
    ivo_diarienummer: ShortText | None = None


class LexSarahCopySent(Event):
    type: Literal["LexSarahCopySent"] = "LexSarahCopySent"
    anmalan_seq: Seq


class LexSarahSummarySubmitted(Event):
    type: Literal["LexSarahSummarySubmitted"] = "LexSarahSummarySubmitted"
    year: Year


class SupervisionOpened(Event):
    type: Literal["SupervisionOpened"] = "SupervisionOpened"
    ivo_diarienummer: ShortText | None = None


class SupervisionReportedToBestallare(Event):
    type: Literal["SupervisionReportedToBestallare"] = "SupervisionReportedToBestallare"
    supervision_seq: Seq


class SupervisionClosed(Event):
    type: Literal["SupervisionClosed"] = "SupervisionClosed"
    supervision_seq: Seq
    outcome: Text


# --- premises and staffing --------------------------------------------------------


class PremisesChanged(Event):
    type: Literal["PremisesChanged"] = "PremisesChanged"
    address: Text
    within_tatort: Flag


class PremisesChangeNotified(Event):
    type: Literal["PremisesChangeNotified"] = "PremisesChangeNotified"
    change_seq: Seq


class StaffingChanged(Event):
    type: Literal["StaffingChanged"] = "StaffingChanged"
    planned: Flag
    fte_allocation: dict[ShortText, Annotated[Decimal, Field(ge=0, le=1000, decimal_places=2)]] | None \
        = Field(None, max_length=MAX_MAP_ITEMS)
    socionomer: Count | None = None
    authorised_counsellors: Count | None = None
    manager_changed: Flag = False
    agreed_with_bestallare: bool = False


class StaffingChangeNotified(Event):
    type: Literal["StaffingChangeNotified"] = "StaffingChangeNotified"
    change_seq: Seq


# --- reporting, money, insurance ------------------------------------------------


class AnnualReportSubmitted(Event):
    type: Literal["AnnualReportSubmitted"] = "AnnualReportSubmitted"
    year: Year
    outcomes: dict[ShortText, Annotated[Decimal, Field(ge=0, le=100, decimal_places=2)]] = Field(
        default_factory=dict, description="Target id → achieved percent", max_length=MAX_MAP_ITEMS
    )


class IndexationApplied(Event):
    type: Literal["IndexationApplied"] = "IndexationApplied"
    year: Year
    index: ShortText
    percent: Annotated[Decimal, Field(ge=-50, le=100, decimal_places=4)]
    preliminary: Flag = False


class InsuranceProofSubmitted(Event):
    type: Literal["InsuranceProofSubmitted"] = "InsuranceProofSubmitted"
    insurer: ShortText
    amount: Money
    expires_on: Day


class WaitingTimeReported(Event):
    type: Literal["WaitingTimeReported"] = "WaitingTimeReported"
    period: Month
    longest_wait_days: Count


class WaitingTimeNotified(Event):
    type: Literal["WaitingTimeNotified"] = "WaitingTimeNotified"


class ServiceHoursReported(Event):
    type: Literal["ServiceHoursReported"] = "ServiceHoursReported"
    month: Month
    sessions: list[Session] = Field(default_factory=list, max_length=10_000)
    group_sessions: list[GroupSession] = Field(default_factory=list, max_length=MAX_LIST_ITEMS)


class AdditionalHoursOrdered(Event):
    type: Literal["AdditionalHoursOrdered"] = "AdditionalHoursOrdered"
    year: Year
    hours: Annotated[Decimal, Field(gt=0, le=100_000, decimal_places=2)]
    written: Flag


# --- disputes ---------------------------------------------------------------------


class DisputeRaised(Event):
    type: Literal["DisputeRaised"] = "DisputeRaised"
    by: Party
    subject: Text
    clauses: list[ShortText] = Field(default_factory=list, max_length=100)
    concerning_seqs: list[Seq] = Field(default_factory=list, max_length=MAX_LIST_ITEMS)


class DisputeDialogueHeld(Event):
    type: Literal["DisputeDialogueHeld"] = "DisputeDialogueHeld"
    dispute_seq: Seq
    outcome: Text


class DisputeReferredToKommunstyrelsen(Event):
    type: Literal["DisputeReferredToKommunstyrelsen"] = "DisputeReferredToKommunstyrelsen"
    dispute_seq: Seq


class DisputeDecided(Event):
    type: Literal["DisputeDecided"] = "DisputeDecided"
    dispute_seq: Seq
    decision: Text
    paragraph: ShortText


class DisputeWithdrawn(Event):
    type: Literal["DisputeWithdrawn"] = "DisputeWithdrawn"
    dispute_seq: Seq


# --- corrections --------------------------------------------------------------------


class EntryCorrected(Event):
    type: Literal["EntryCorrected"] = "EntryCorrected"
    entry_seq: Seq
    reason: Text


AnyEvent = Annotated[
    Union[  # noqa: UP007 - a discriminated union reads best spelled out
        ContractRegistered, AmendmentSigned, TerminationNoticeGiven, TerminationNoticeWithdrawn,
        BreachNoticeIssued, BreachRemedied, EarlyTerminationGiven, LexSarahReported,
        LexSarahNotifiedToIVO, LexSarahCopySent, LexSarahSummarySubmitted, SupervisionOpened,
        SupervisionReportedToBestallare, SupervisionClosed, PremisesChanged,
        PremisesChangeNotified, StaffingChanged, StaffingChangeNotified, AnnualReportSubmitted,
        IndexationApplied, InsuranceProofSubmitted, WaitingTimeReported, WaitingTimeNotified,
        ServiceHoursReported, AdditionalHoursOrdered, DisputeRaised, DisputeDialogueHeld,
        DisputeReferredToKommunstyrelsen, DisputeDecided, DisputeWithdrawn, EntryCorrected,
    ],
    Field(discriminator="type"),
]

EVENT_CLASSES: dict[str, type[Event]] = {
    cls.model_fields["type"].default: cls
    for cls in AnyEvent.__origin__.__args__  # type: ignore[attr-defined]
}
EVENT_TYPES: tuple[str, ...] = tuple(EVENT_CLASSES)

# Who may record which event (DOMAIN.md §5). DisputeWithdrawn is further limited to
# the raising party and EntryCorrected to the original recorder (or admin).
EITHER: frozenset[str] = frozenset({"bestallare", "utforare"})
RECORDERS: dict[str, frozenset[str]] = {
    "ContractRegistered": frozenset({"admin"}),
    "AmendmentSigned": EITHER,
    "TerminationNoticeGiven": EITHER,
    "TerminationNoticeWithdrawn": EITHER,
    "BreachNoticeIssued": frozenset({"bestallare"}),
    "BreachRemedied": frozenset({"utforare"}),
    "EarlyTerminationGiven": frozenset({"bestallare"}),
    "LexSarahReported": frozenset({"utforare"}),
    "LexSarahNotifiedToIVO": frozenset({"utforare"}),
    "LexSarahCopySent": frozenset({"utforare"}),
    "LexSarahSummarySubmitted": frozenset({"utforare"}),
    "SupervisionOpened": EITHER,
    "SupervisionReportedToBestallare": frozenset({"utforare"}),
    "SupervisionClosed": EITHER,
    "PremisesChanged": frozenset({"utforare"}),
    "PremisesChangeNotified": frozenset({"utforare"}),
    "StaffingChanged": frozenset({"utforare"}),
    "StaffingChangeNotified": frozenset({"utforare"}),
    "AnnualReportSubmitted": frozenset({"utforare"}),
    "IndexationApplied": frozenset({"bestallare"}),
    "InsuranceProofSubmitted": frozenset({"utforare"}),
    "WaitingTimeReported": frozenset({"utforare"}),
    "WaitingTimeNotified": frozenset({"utforare"}),
    "ServiceHoursReported": frozenset({"utforare"}),
    "AdditionalHoursOrdered": frozenset({"bestallare"}),
    "DisputeRaised": EITHER,
    "DisputeDialogueHeld": EITHER,
    "DisputeReferredToKommunstyrelsen": EITHER,
    "DisputeDecided": frozenset({"kommunstyrelsen"}),
    "DisputeWithdrawn": EITHER,
    "EntryCorrected": frozenset({"admin", "bestallare", "utforare", "kommunstyrelsen"}),
}

# Which earlier entry a reference field must point at (checked when recording).
REFERENCES: dict[str, tuple[str, tuple[str, ...]]] = {
    "TerminationNoticeWithdrawn": ("notice_seq", ("TerminationNoticeGiven",)),
    "BreachRemedied": ("breach_notice_seq", ("BreachNoticeIssued",)),
    "EarlyTerminationGiven": ("breach_notice_seq", ("BreachNoticeIssued",)),
    "LexSarahCopySent": ("anmalan_seq", ("LexSarahNotifiedToIVO",)),
    "SupervisionReportedToBestallare": ("supervision_seq", ("SupervisionOpened",)),
    "SupervisionClosed": ("supervision_seq", ("SupervisionOpened",)),
    "PremisesChangeNotified": ("change_seq", ("PremisesChanged",)),
    "StaffingChangeNotified": ("change_seq", ("StaffingChanged",)),
    "DisputeDialogueHeld": ("dispute_seq", ("DisputeRaised",)),
    "DisputeReferredToKommunstyrelsen": ("dispute_seq", ("DisputeRaised",)),
    "DisputeDecided": ("dispute_seq", ("DisputeRaised",)),
    "DisputeWithdrawn": ("dispute_seq", ("DisputeRaised",)),
}

_adapter: TypeAdapter[Any] = TypeAdapter(AnyEvent)


def parse_event(data: Any) -> Event:
    """Validate a mapping (from JSON input) into its typed event; raises ValidationError."""
    return _adapter.validate_python(data)  # type: ignore[no-any-return]


def load_event(data: Any) -> Event:
    """Re-type a stored payload (already checked when it was recorded)."""
    return _adapter.validate_python(data, context=_STORED)  # type: ignore[no-any-return]


_STORED = {"stored": True}


def parse_event_json(data: bytes | str) -> Event:
    """Validate JSON text into its typed event; raises ValidationError."""
    return _adapter.validate_json(data)  # type: ignore[no-any-return]


def event_schema() -> dict[str, Any]:
    """JSON schema of the discriminated union, for documentation and clients."""
    return _adapter.json_schema()

