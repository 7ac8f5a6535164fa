"""What the rules produce: obligations, deviations and the notice position.

Each value carries the dates it needs to be judged *as of* any day without
re-running the rules: when it arose, when it was fulfilled or voided, when a
deviation began and ended. ``status_on`` / ``open_on`` do the judging.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from domain.terms import Citation

ObligationStatus = Literal["open", "fulfilled", "overdue", "void", "suspended", "before_tracking"]

BEFORE_TRACKING = "före bokföringen"
"""The void reason of a periodic duty due before the ledger tracked the contract
(``domain.rules.tracking``): its status is ``before_tracking``, not ``void``."""


@dataclass(frozen=True, slots=True, init=False)
class Obligation:
    """Who must do what by when (DOMAIN.md §6), and what settled it."""

    id: str
    kind: str
    holder: Literal["bestallare", "utforare"]
    clause: Citation
    due: date | None
    due_working_day: date | None
    arises_on: date
    created_by_seq: int | None
    explanation: str
    period: str | None = None
    fulfilled_by_seq: int | None = None
    fulfilled_on: date | None = None
    void_on: date | None = None
    void_reason: str | None = None
    # Befrielsegrunder (domain.rules.force_majeure): the duty is suspended over these days.
    suspended_from: date | None = None
    suspended_until: date | None = None

    def __init__(
        self, id: str, kind: str, holder: Literal["bestallare", "utforare"], clause: Citation,
        due: date | None, due_working_day: date | None, arises_on: date,
        created_by_seq: int | None, explanation: str, period: str | None = None,
        fulfilled_by_seq: int | None = None, fulfilled_on: date | None = None,
        void_on: date | None = None, void_reason: str | None = None,
        suspended_from: date | None = None, suspended_until: date | None = None,
    ) -> None:
        # The generated __init__ of a frozen dataclass sets each field through
        # object.__setattr__; setting the slots through their descriptors does the same at
        # about half the cost, and the rules build an obligation for most entries.
        _o_id(self, id)
        _o_kind(self, kind)
        _o_holder(self, holder)
        _o_clause(self, clause)
        _o_due(self, due)
        _o_due_working_day(self, due_working_day)
        _o_arises_on(self, arises_on)
        _o_created_by_seq(self, created_by_seq)
        _o_explanation(self, explanation)
        _o_period(self, period)
        _o_fulfilled_by_seq(self, fulfilled_by_seq)
        _o_fulfilled_on(self, fulfilled_on)
        _o_void_on(self, void_on)
        _o_void_reason(self, void_reason)
        _o_suspended_from(self, suspended_from)
        _o_suspended_until(self, suspended_until)

    def status_on(self, as_of: date) -> ObligationStatus:
        """The status as of a date, from the dates alone."""
        if self.fulfilled_on is not None and self.fulfilled_on <= as_of:
            return "fulfilled"
        if self.void_on is not None and self.void_on <= as_of:
            return "before_tracking" if self.void_reason == BEFORE_TRACKING else "void"
        if self.suspended_from is not None and self.suspended_from <= as_of and (
                self.suspended_until is None or as_of <= self.suspended_until):
            return "suspended"
        if self.due is not None and self.due < as_of:
            return "overdue"
        return "open"

    @property
    def fulfilled_late(self) -> bool:
        """Fulfilled, but after the due date."""
        return (self.fulfilled_on is not None and self.due is not None
                and self.fulfilled_on > self.due)


(_o_id, _o_kind, _o_holder, _o_clause, _o_due, _o_due_working_day, _o_arises_on,
 _o_created_by_seq, _o_explanation, _o_period, _o_fulfilled_by_seq, _o_fulfilled_on, _o_void_on,
 _o_void_reason, _o_suspended_from, _o_suspended_until) = (
    Obligation.__dict__[f.name].__set__ for f in fields(Obligation))


@dataclass(frozen=True, slots=True, init=False)
class Deviation:
    """A standing requirement not met, or an act without legal effect (DOMAIN.md §6)."""

    kind: str
    clause: Citation
    since: date
    seqs: tuple[int, ...]
    explanation: str
    until: date | None = None

    def __init__(self, kind: str, clause: Citation, since: date, seqs: tuple[int, ...],
                 explanation: str, until: date | None = None) -> None:
        # As Obligation.__init__: the slots set directly.
        _d_kind(self, kind)
        _d_clause(self, clause)
        _d_since(self, since)
        _d_seqs(self, seqs)
        _d_explanation(self, explanation)
        _d_until(self, until)

    def open_on(self, as_of: date) -> bool:
        return self.since <= as_of and (self.until is None or self.until > as_of)


_d_kind, _d_clause, _d_since, _d_seqs, _d_explanation, _d_until = (
    Deviation.__dict__[f.name].__set__ for f in fields(Deviation))


@dataclass(frozen=True, slots=True)
class NoticeJudgement:
    """One termination notice (ordinary or early) and the effect the rules gave it."""

    seq: int
    kind: Literal["ordinary", "early"]
    by: str
    given_on: date
    effective: bool
    ends_on: date | None
    reason: str
    withdrawn_on: date | None = None


NoticeStatus = Literal["running", "under_notice", "ended"]


@dataclass(frozen=True, slots=True)
class NoticePosition:
    """Is the contract running, under notice or ended as of a date (DOMAIN.md §6)."""

    as_of: date
    status: NoticeStatus
    notice_months: int | None
    ends_on: date | None
    end_if_notice_today: date | None
    notices: list[NoticeJudgement]


@dataclass(frozen=True)
class Evaluation:
    """Everything the rules derive from one contract's history, through a date."""

    obligations: list[Obligation] = field(default_factory=list)
    deviations: list[Deviation] = field(default_factory=list)
    notices: list[NoticeJudgement] = field(default_factory=list)
    through: date | None = None
    notice: NoticePosition | None = None
    # What ``domain.rules.evaluate`` needs to extend this evaluation to later entries.
    judged: Any = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class IndexationStep:
    """One step of the index chain: ``amount_before`` × (1 + percent/100), rounded."""

    year: int
    index: str
    percent: Decimal
    amount_before: Decimal
    amount_after: Decimal
    seq: int
    kind: Literal["index", "back_adjustment"] = "index"
    preliminary: bool = False
    replaced_percent: Decimal | None = None

    @property
    def difference(self) -> Decimal:
        return self.amount_after - self.amount_before


@dataclass(frozen=True, slots=True)
class MonthAmount:
    """One month's compensation: 1/12 of the annual rate in force in it (and its agreed FTE)."""

    month: str
    annual_rate: Decimal
    amount: Decimal
    fte: Decimal | None = None


@dataclass(frozen=True, slots=True)
class CompensationView:
    """The indexed compensation for a year (DOMAIN.md §6); exact decimals.

    ``annual_amount`` is whole kronor (half-up at each step) for annual and FTE
    bases; ``monthly_amount`` is annual/12 to öre. For an hourly basis the
    indexed ``hourly_rate`` (öre, half-up at each step) is given instead and the
    annual and monthly amounts are None.
    """

    year: int
    basis: Literal["annual", "hourly", "fte"]
    base_amount: Decimal
    price_year: int
    index: str | None
    steps: list[IndexationStep]
    annual_amount: Decimal | None
    monthly_amount: Decimal | None
    hourly_rate: Decimal | None
    clause: Citation
    fte: Decimal | None = None
    agreed_fte: Decimal | None = None
    per_fte_amount: Decimal | None = None
    missing_years: list[int] = field(default_factory=list)
    months: list[MonthAmount] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class MonthBilling:
    """One month's billable hours (F 1.2)."""

    month: str
    seqs: tuple[int, ...]
    session_hours: Decimal
    group_hours: Decimal
    hours: Decimal
    amount: Decimal
    hours_above_cap: Decimal = Decimal(0)
    year_to_date_hours: Decimal = Decimal(0)
    # F 2.3: visitor fees Leanlink collects for the förvaltning (issue 12)
    visits: int = 0
    visitor_fees: Decimal = Decimal("0.00")


@dataclass(frozen=True, slots=True)
class BillingSummary:
    """A year of hourly billing against the cap (F 1.2)."""

    year: int
    hourly_rate: Decimal
    months: list[MonthBilling]
    hours: Decimal
    amount: Decimal
    base_cap: Decimal | None
    additional_hours: Decimal
    cap: Decimal | None
    hours_above_cap: Decimal
    deviations: list[Deviation]
    clause: Citation
    visitor_fees: Decimal = Decimal("0.00")
