"""What the rules produce: obligations, deviations and the notice position.

Each value carries the dates it needs to be judged *as of* any day without
re-running the rules: when it arose, when it was fulfilled or voided, when a
deviation began and ended. ``status_on`` / ``open_on`` do the judging.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from domain.terms import Citation

ObligationStatus = Literal["open", "fulfilled", "overdue", "void"]


@dataclass(frozen=True, slots=True)
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

    def status_on(self, as_of: date) -> ObligationStatus:
        """The status as of a date, from the dates alone."""
        if self.fulfilled_on is not None and self.fulfilled_on <= as_of:
            return "fulfilled"
        if self.void_on is not None and self.void_on <= as_of:
            return "void"
        if self.due is not None and self.due < as_of:
            return "overdue"
        return "open"


@dataclass(frozen=True, slots=True)
class Deviation:
    """A standing requirement not met, or an act without legal effect (DOMAIN.md §6)."""

    kind: str
    clause: Citation
    since: date
    seqs: tuple[int, ...]
    explanation: str
    until: date | None = None

    def open_on(self, as_of: date) -> bool:
        return self.since <= as_of and (self.until is None or self.until > as_of)


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


@dataclass(frozen=True)
class Evaluation:
    """Everything the rules derive from one contract's history."""

    obligations: list[Obligation] = field(default_factory=list)
    deviations: list[Deviation] = field(default_factory=list)
    notices: list[NoticeJudgement] = field(default_factory=list)
