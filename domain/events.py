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


# Fields that once let one party certify the other's consent. New input naming them is refused
# (extra="forbid"); a stored entry carrying them still loads, without them: one party said it,
# so an old ``agreed_by_both: true`` or ``agreed_with_bestallare: true`` is no acceptance, and
# the act awaits the other party's AgreementAccepted like any other (README, Policies).
LEGACY_FIELDS = ("agreed_by_both", "agreed_with_bestallare")


def _drop_legacy(data: Any, info: ValidationInfo) -> Any:
    if info.context and info.context.get("stored") and isinstance(data, dict) \
            and any(name in data for name in LEGACY_FIELDS):
        return {k: v for k, v in data.items() if k not in LEGACY_FIELDS}
    return data


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


# --- issue 12: decisions carry their authority --------------------------------------


class Decision(BaseModel):
    """The decision behind an act: the body (nämnd or the delegate's function), the § of its
    protocol or the point of the delegationsordning, the date and the diarienummer."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)
    body: ShortText = Field(description="Nämnden, or the delegate's function, e.g. 'socialchef'")
    paragraph: ShortText | None = Field(None, description="§ in the body's protocol")
    delegation_point: ShortText | None = Field(None, description="Point of the delegationsordning")
    decided_on: Day
    diarienummer: ShortText

    @model_validator(mode="after")
    def _paragraph_or_delegation(self) -> Decision:
        if self.paragraph is None and self.delegation_point is None:
            raise ValueError("decision: ange paragraf (§) i protokollet eller punkt i "
                             "delegationsordningen som beslutet fattades enligt")
        return self


def _new_input(info: ValidationInfo) -> bool:
    # Entries stored before these fields existed still load; new input must carry them.
    return not (info.context and info.context.get("stored"))


class DecidedAct(Event):
    """An act taken by decision (notice, breach notice, early termination, amendment): the
    decision is required, and the letter's diarienummer (``document_ref``) where it is written."""

    decision: Decision | None = Field(None, description="Required for new entries")

    @model_validator(mode="after")
    def _authority(self, info: ValidationInfo) -> DecidedAct:
        if not _new_input(info):
            return self
        if self.decision is None:
            raise ValueError(f"decision: {self.type_name} kräver beslutet bakom akten "
                             "(organ eller delegat, § eller delegationspunkt, datum, diarienummer)")
        if self.document_ref is None and getattr(self, "written", True):
            raise ValueError(f"document_ref: {self.type_name} är en skriftlig handling och kräver "
                             "dess diarienummer")
        return self


# --- the contract ---------------------------------------------------------------


class ContractRegistered(Event, ContractDescription):
    type: Literal["ContractRegistered"] = "ContractRegistered"
    terms: Terms
    tracked_from: Day | None = Field(None, description=(
        "Bokförs från: the day the ledger starts tracking the contract (ledger seed: the day it "
        "runs). Periodic duties due before it that no event records are 'before_tracking', not "
        "overdue. None: tracked from its start"))


class TrackingStartChanged(Event):
    """Admin moves the day the ledger tracks the contract from (see ContractRegistered)."""

    type: Literal["TrackingStartChanged"] = "TrackingStartChanged"
    tracked_from: Day


class AmendmentSigned(DecidedAct):
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


class TerminationNoticeGiven(DecidedAct):
    type: Literal["TerminationNoticeGiven"] = "TerminationNoticeGiven"
    by: Party
    written: Flag
    agreed_months: StrictInt | None = Field(None, ge=0, le=120)


class TerminationNoticeWithdrawn(Event):
    """A party's proposal to withdraw a notice: it takes effect only once the other party
    accepts it (``AgreementAccepted``, DOMAIN.md §2 principle 3)."""

    type: Literal["TerminationNoticeWithdrawn"] = "TerminationNoticeWithdrawn"
    notice_seq: Seq

    @model_validator(mode="before")
    @classmethod
    def _legacy(cls, data: Any, info: ValidationInfo) -> Any:
        return _drop_legacy(data, info)


class AgreementAccepted(Event):
    """The other party's consent to a two-party act (``proposal_seq``): the act's agreed effect
    applies from the later of the two effective dates (DOMAIN.md §2 principle 3)."""

    type: Literal["AgreementAccepted"] = "AgreementAccepted"
    proposal_seq: Seq


class BreachNoticeIssued(DecidedAct):
    type: Literal["BreachNoticeIssued"] = "BreachNoticeIssued"
    written: Flag
    breaches: list[Text] = Field(min_length=1, max_length=100)


class BreachRemedied(Event):
    type: Literal["BreachRemedied"] = "BreachRemedied"
    breach_notice_seq: Seq


class EarlyTerminationGiven(DecidedAct):
    type: Literal["EarlyTerminationGiven"] = "EarlyTerminationGiven"
    breach_notice_seq: Seq
    written: Flag  # required: no default may give an act its effect


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
    fte_allocation_partial: Flag = Field(False, description=(
        "True: fte_allocation names only the units that change, the others keep their "
        "allocation; False: it names every unit of the contract"))
    manager_changed: Flag = False

    @model_validator(mode="before")
    @classmethod
    def _legacy(cls, data: Any, info: ValidationInfo) -> Any:
        return _drop_legacy(data, info)


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
    person_damage: Money | None = Field(None, description="Person cover, where stated apart")
    property_damage: Money | None = Field(None, description="Property cover, where stated apart")


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
    justerat_on: Day | None = Field(None, description="The day the protocol was justerat")
    anslaget_on: Day | None = Field(None, description="The day the justering was posted")

    @model_validator(mode="after")
    def _protocol_dates(self, info: ValidationInfo) -> DisputeDecided:
        # Laglighetsprövning runs from the posting (domain.legal); required for new entries.
        if not _new_input(info):
            return self
        if self.justerat_on is None or self.anslaget_on is None:
            missing = "justerat_on" if self.justerat_on is None else "anslaget_on"
            raise ValueError(f"{missing}: kommunstyrelsens beslut kräver dag för protokollets "
                             "justering och dag för anslaget (överklagandetiden räknas från anslaget)")
        if self.justerat_on < self.effective_date:
            raise ValueError("justerat_on: protokollet kan inte justeras före sammanträdet "
                             "(effective_date)")
        if self.anslaget_on < self.justerat_on:
            raise ValueError("anslaget_on: justeringen kan inte anslås före justeringen")
        if self.document_ref is None:
            raise ValueError("document_ref: kommunstyrelsens beslut kräver dess diarienummer")
        return self


class DisputeWithdrawn(Event):
    type: Literal["DisputeWithdrawn"] = "DisputeWithdrawn"
    dispute_seq: Seq


# --- corrections --------------------------------------------------------------------


class EntryCorrected(Event):
    type: Literal["EntryCorrected"] = "EntryCorrected"
    entry_seq: Seq
    reason: Text


class EntryRedacted(Event):
    """Gallring: an archive decision removed entry ``entry_seq``'s content (docs/VERIFYING.md
    §2); its digest, link and this record of the decision stay in the chain."""

    type: Literal["EntryRedacted"] = "EntryRedacted"
    entry_seq: Seq
    decision: ShortText = Field(description="Diarienummer of the gallringsbeslut")


# --- issue 12: further clause families and the legal frame ------------------------------

Quarter = Annotated[str, StringConstraints(pattern=r"^\d{4}-Q[1-4]$")]
ForceMajeureCause = Literal["labour_dispute", "crisis", "authority", "other"]


class InformationRequested(Event):
    """V, S: the beställare asks for information "utan extra kostnad"."""

    type: Literal["InformationRequested"] = "InformationRequested"
    subject: Text
    due: Day | None = Field(None, description="As the request states it; else the terms' policy")


class InformationProvided(Event):
    type: Literal["InformationProvided"] = "InformationProvided"
    request_seq: Seq


class RenegotiationRequested(Event):
    """V 5.0, S: a party calls for negotiation of the compensation (changed premises)."""

    type: Literal["RenegotiationRequested"] = "RenegotiationRequested"
    by: Party
    grounds: Text


class RenegotiationConcluded(Event):
    type: Literal["RenegotiationConcluded"] = "RenegotiationConcluded"
    request_seq: Seq
    outcome: Text
    amended: Flag = Field(False, description="True where an AmendmentSigned records the result")


class ComplaintReceived(Event):
    """F 4.3: a complaint received (by reference only: no details of a person)."""

    type: Literal["ComplaintReceived"] = "ComplaintReceived"
    concerns_forvaltning: Flag
    count: int = Field(1, ge=1, le=10_000)


class ComplaintForwarded(Event):
    type: Literal["ComplaintForwarded"] = "ComplaintForwarded"
    complaint_seq: Seq


class QuarterReconciled(Event):
    type: Literal["QuarterReconciled"] = "QuarterReconciled"
    quarter: Quarter
    outcome: Text | None = None


class ForceMajeureDeclared(Event):
    """Befrielsegrunder: a party declares itself freed from named duties from effective_date."""

    type: Literal["ForceMajeureDeclared"] = "ForceMajeureDeclared"
    by: Party
    cause: ForceMajeureCause
    description: Text
    duties: list[ShortText] = Field(min_length=1, max_length=MAX_LIST_ITEMS,
                                    description="Obligation kinds suspended")
    until: Day | None = Field(None, description="Last day of the suspension, if known")
    clause: ShortText | None = Field(None, description="The clause invoked, e.g. '5.1'")

    @model_validator(mode="after")
    def _until_after_start(self) -> ForceMajeureDeclared:
        if self.until is not None and self.until < self.effective_date:
            raise ValueError("until: the suspension cannot end before it begins (effective_date)")
        return self


class ForceMajeureEnded(Event):
    type: Literal["ForceMajeureEnded"] = "ForceMajeureEnded"
    declaration_seq: Seq


class PartySucceeded(Event):
    """A party no longer exists under its name: the body that takes its place, from a date."""

    type: Literal["PartySucceeded"] = "PartySucceeded"
    party: Party
    successor: ShortText



AnyEvent = Annotated[
    Union[  # noqa: UP007 - a discriminated union reads best spelled out
        ContractRegistered, AmendmentSigned, TerminationNoticeGiven, TerminationNoticeWithdrawn,
        AgreementAccepted,
        BreachNoticeIssued, BreachRemedied, EarlyTerminationGiven, LexSarahReported,
        LexSarahNotifiedToIVO, LexSarahCopySent, LexSarahSummarySubmitted, SupervisionOpened,
        SupervisionReportedToBestallare, SupervisionClosed, PremisesChanged,
        PremisesChangeNotified, StaffingChanged, StaffingChangeNotified, AnnualReportSubmitted,
        IndexationApplied, InsuranceProofSubmitted, WaitingTimeReported, WaitingTimeNotified,
        ServiceHoursReported, AdditionalHoursOrdered, DisputeRaised, DisputeDialogueHeld,
        DisputeReferredToKommunstyrelsen, DisputeDecided, DisputeWithdrawn, EntryCorrected,
        EntryRedacted, InformationRequested, InformationProvided, RenegotiationRequested,
        RenegotiationConcluded,
        ComplaintReceived, ComplaintForwarded, QuarterReconciled, ForceMajeureDeclared,
        ForceMajeureEnded, PartySucceeded,
        TrackingStartChanged,
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
    "AgreementAccepted": EITHER,
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
    "EntryRedacted": frozenset({"admin"}),
    "InformationRequested": frozenset({"bestallare"}),
    "InformationProvided": frozenset({"utforare"}),
    "RenegotiationRequested": EITHER,
    "RenegotiationConcluded": EITHER,
    "ComplaintReceived": frozenset({"utforare"}),
    "ComplaintForwarded": frozenset({"utforare"}),
    "QuarterReconciled": EITHER,
    "ForceMajeureDeclared": EITHER,
    "ForceMajeureEnded": EITHER,
    "PartySucceeded": frozenset({"admin"}),
    "TrackingStartChanged": frozenset({"admin"}),
}

# Fields naming the party whose act the event is: each must be the caller's own party
# (DOMAIN.md §2 principle 3), checked when recording.
# Every ``by`` field is one: a new event with a ``by`` is covered without another list to keep.
PARTY_FIELDS: dict[str, tuple[str, ...]] = {
    kind: ("by",) for kind, cls in EVENT_CLASSES.items() if "by" in cls.model_fields
}

# Two-party acts: recorded by one party, effective as agreed only once the other party
# records AgreementAccepted naming them (DOMAIN.md §2 principle 3).
PROPOSALS: tuple[str, ...] = ("TerminationNoticeGiven", "TerminationNoticeWithdrawn", "StaffingChanged")

# Which earlier entry a reference field must point at (checked when recording).
REFERENCES: dict[str, tuple[str, tuple[str, ...]]] = {
    "TerminationNoticeWithdrawn": ("notice_seq", ("TerminationNoticeGiven",)),
    "AgreementAccepted": ("proposal_seq", PROPOSALS),
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
    "InformationProvided": ("request_seq", ("InformationRequested",)),
    "RenegotiationConcluded": ("request_seq", ("RenegotiationRequested",)),
    "ComplaintForwarded": ("complaint_seq", ("ComplaintReceived",)),
    "ForceMajeureEnded": ("declaration_seq", ("ForceMajeureDeclared",)),
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

