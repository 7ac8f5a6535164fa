"""Contract terms as data (DOMAIN.md §2.4–2.5).

Every clause is a typed value carrying its citation: the document, the section
heading and the Swedish sentence it comes from, flagged ``inferred`` where the
text is silent and we chose. A clause the contract lacks is ``None`` and yields
no obligation. The rules read these values and never ask which contract it is.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Party = Literal["bestallare", "utforare"]


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Citation(Frozen):
    document: str = Field(description="Source text, e.g. 'SON 2019-755' or a seed file name")
    section: str = Field(description="Section number and heading, e.g. '1.1 Tidsperiod'")
    quote: str = Field(description="The Swedish sentence the term comes from")
    inferred: bool = Field(False, description="True where the text is silent and we chose")


class Clause(Frozen):
    citation: Citation


class Termination(Clause):
    """Ordinary termination (uppsägning)."""

    notice_months: int | None = Field(ge=1, description="None: the contract states no period")
    written_required: bool = True
    parties_may_agree_otherwise: bool = False


class EarlyTermination(Clause):
    """Förtida uppsägning: written breach notice → cure days → notice months."""

    cure_days: int = Field(ge=1)
    notice_months: int = Field(ge=1)


class Amendments(Clause):
    """Only written amendments signed by both parties' authorised representatives."""

    explicit: bool = Field(description="False where it follows from general contract law")


class Indexation(Clause):
    index: str = Field(description="e.g. 'OPI' or 'kommunens uppräkningsmodell'")
    from_year: int | None = None
    renegotiate_if_discontinued: bool = False


class Compensation(Clause):
    basis: Literal["annual", "hourly", "fte"]
    amount: Decimal = Field(description="Kronor per year (annual, fte) or per hour (hourly)")
    price_year: int
    fte: Decimal | None = Field(None, description="Agreed FTE the amount corresponds to")
    payment: str = Field(description="How it is paid, e.g. '1/12 per månad i efterskott'")
    payment_citation: Citation | None = None
    reconciliation: str | None = None
    indexation: Indexation | None = None


class Volume(Clause):
    expected_cases_per_year: int | None = None
    max_hours_per_year: Decimal
    raised_by_written_avrop: bool = True


class HourlyBilling(Clause):
    """F's billing rules (1.2): quarter-hour rounding and the group-hour rule."""

    minutes_per_hour: int = 60
    started_quarter_rounding: bool = True
    group_min_participants: int = 5
    group_client_hours_per_hour: Decimal = Decimal(4)
    group_min_minutes: int = 60
    group_max_minutes: int = 120
    group_citation: Citation
    visitor_fee: Decimal | None = None
    visitor_fee_price_year: int | None = None
    visitor_fee_citation: Citation | None = None


class FteAllocation(Clause):
    units: dict[str, Decimal]
    change_requires_agreement: bool = True
    change_citation: Citation | None = None


class DueByDate(Clause):
    """A yearly duty due on a fixed day of the following year ('senast 31 mars')."""

    month: int = Field(ge=1, le=12)
    day: int = Field(ge=1, le=31)


class PromptDuty(Clause):
    """A duty triggered by an event, due a number of Swedish working days after it."""

    working_days: int = Field(ge=0)
    policy: Literal["omgaende", "pa_eget_initiativ", "ska_meddelas"]


class Premises(Clause):
    must_be_in_tatort: bool
    tatort_citation: Citation | None = None
    notify_on_change: bool
    notify: str | None = Field(None, description="Whom to notify, e.g. 'Social- och omsorgsförvaltningen'")
    notice_working_days: int = 5


class Insyn(Clause):
    """Planned changes must be notified to planeringsledaren *before* they happen."""

    notify: str


class Competence(Clause):
    description: str
    min_socionomer: int | None = None
    min_authorised_counsellors: int | None = None


class Insurance(Clause):
    person_damage: Decimal
    property_damage: Decimal
    separate_amounts: bool = Field(False, description=(
        "True where the clause states person and property cover as separate amounts"))
    maintain_citation: Citation | None = Field(None, description=(
        "The sentence requiring cover for the whole term of the assignment"))
    pure_economic_loss_cap: Decimal | None = None
    renewal_proof_days_before_expiry: int | None = None
    renewal_citation: Citation | None = None
    proof_before_signing: bool = Field(False, description="Proof of insurance due before signing")


class WaitingTime(Clause):
    first_talk_within_days: int = 14
    max_wait_days: int = 14
    consecutive_reports: int = 2
    notice_working_days: int = 5
    first_talk_citation: Citation | None = None
    persistence_citation: Citation | None = Field(
        None, description="How 'under en längre tid' is read as consecutive_reports"
    )


class Disputes(Clause):
    forum: str = "kommunstyrelsen"
    dialogue_first: bool = False


class ForceMajeure(Clause):
    labour_dispute_excused: bool = True
    crisis_preparedness_excused: bool = True
    labour_dispute_citation: Citation | None = None
    crisis_preparedness_citation: Citation | None = None


class Target(Frozen):
    id: str
    text: str
    percent: Decimal


class ExpectedResults(Clause):
    targets: list[Target]


# --- issue 12: further clause families and the legal frame (each field optional) -----------


class InformationOnRequest(Clause):
    """V, S: "utan extra kostnad, ta fram och tillhandahålla de uppgifter … kan komma att begära"."""

    working_days: int = Field(10, ge=0, description="Policy where the request names no due date")
    policy_citation: Citation | None = None


class Renegotiation(Clause):
    """V 5.0, S "Omförhandling mm": either party may call for negotiation of the compensation."""

    subject: str = "ändring av ersättning till den del som avser de ändrade förutsättningarna"


class ComplaintForwarding(Clause):
    """F 4.3: complaints that also concern the förvaltning → Leanlink informs the förvaltning."""

    notify: str
    working_days: int = Field(5, ge=0)


class Reconciliation(Clause):
    """V, S "Avstämning görs kvartalsvis": one reconciliation per calendar quarter."""

    holder: Party = "bestallare"
    due_days_after_quarter: int = Field(30, ge=0)
    policy_citation: Citation | None = None


class InsuranceRemedy(Clause):
    """C 5: without renewal proof in time, the kommun may insure at the utförare's cost."""


class IncorporatedDocument(Frozen):
    """A document the contract incorporates but the ledger does not hold."""

    title: str
    held_by_ledger: bool = False
    citation: Citation


LegalStatus = Literal["current", "superseded", "renamed"]


class LegalReference(Frozen):
    """A law, regulation or body the text cites, and whether it still holds under that name."""

    reference: str = Field(description="As the text names it")
    status: LegalStatus
    successor: str | None = None
    since: date | None = Field(None, description="From when the successor applies")
    checked_on: date = Field(description="When the status was last checked")
    note: str | None = None
    clauses: list[Citation] = Field(min_length=1, description="The clauses that cite it")


class Policies(Frozen):
    """Choices where the texts are silent (DOMAIN.md §3), settable per contract."""

    omgaende_working_days: int = 1
    unspecified_notice_working_days: int = 5
    weekend_deadline_moves: bool = False
    citation: Citation = Citation(
        document="DOMAIN.md", section="3. Date rules",
        quote="\"omgående\" → next Swedish working day; no time stated → 5 working days",
        inferred=True,
    )


class Terms(Frozen):
    """All clauses of one contract; None where the contract has no such clause."""

    termination: Termination | None = None
    early_termination: EarlyTermination | None = None
    amendments: Amendments
    compensation: Compensation
    volume: Volume | None = None
    billing: HourlyBilling | None = None
    fte_allocation: FteAllocation | None = None
    annual_report: DueByDate | None = None
    lex_sarah_summary: DueByDate | None = None
    lex_sarah_copy: PromptDuty | None = None
    supervision_report: PromptDuty | None = None
    premises: Premises | None = None
    insyn: Insyn | None = None
    competence: Competence | None = None
    insurance: Insurance | None = None
    waiting_time: WaitingTime | None = None
    disputes: Disputes | None = None
    force_majeure: ForceMajeure | None = None
    expected_results: ExpectedResults | None = None
    policies: Policies = Policies()
    # issue 12
    information_on_request: InformationOnRequest | None = None
    renegotiation: Renegotiation | None = None
    complaint_forwarding: ComplaintForwarding | None = None
    quarterly_reconciliation: Reconciliation | None = None
    insurance_remedy: InsuranceRemedy | None = None
    incorporated_documents: list[IncorporatedDocument] | None = None
    legal_basis: list[LegalReference] | None = None


class InForce(Frozen):
    date: date
    citation: Citation


class ContractDescription(Frozen):
    """What ``ContractRegistered`` carries besides the terms."""

    ref: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{1,62}$")
    title: str
    diarienummer: str | None = None
    dated: date | None = None
    bestallare: str
    utforare: str
    in_force_from: InForce
    documents: list[str] = Field(default_factory=list)


def amend(terms: Terms, changes: dict[str, Any]) -> Terms:
    """Terms after a signed amendment: ``changes`` is a JSON merge patch (RFC 7396)."""
    merged = merge_patch(terms.model_dump(mode="json"), changes)
    return Terms.model_validate(merged)


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7396 JSON merge patch of plain JSON values."""
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result
