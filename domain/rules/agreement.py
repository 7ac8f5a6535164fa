"""Two-party acts and their acceptance (DOMAIN.md §2 principle 3).

An agreed notice period (or an agreed end where the contract states no period), a
withdrawal of notice and a change of FTE allocation that requires agreement are
each recorded by one party. They take their agreed effect only when the *other*
party records ``AgreementAccepted`` naming them, and from the later of the two
effective dates; until then the act has its one-sided effect. An acceptance by the
proposing party itself, or of a corrected entry, is no acceptance (the ledger refuses
both when they are recorded; the rules hold to it for entries stored before).

**Stored entries of older versions** carrying ``agreed_by_both`` or
``agreed_with_bestallare`` are read without those fields: one party said it, so it
is no acceptance (``domain.events.LEGACY_FIELDS``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from domain.contract import Entry
from domain.rules.history import History, in_time
from domain.terms import Terms

READS = frozenset({"AgreementAccepted"})
"""The entry type these rules read; every family that reads a proposal declares it too."""

PROPOSALS = frozenset({"TerminationNoticeGiven", "TerminationNoticeWithdrawn", "StaffingChanged"})


def proposer(entry: Entry) -> str:
    """The party whose act ``entry`` is: its ``by`` where it names one, else who recorded it."""
    return entry.data.get("by") or entry.role


def is_proposal(entry: Entry, terms: Terms) -> bool:
    """Whether ``entry`` takes its agreed effect only once the other party accepts it."""
    if entry.type == "TerminationNoticeGiven":
        return entry.data.get("agreed_months") is not None
    if entry.type == "TerminationNoticeWithdrawn":
        return True
    if entry.type == "StaffingChanged":
        clause = terms.fte_allocation
        return (entry.data.get("fte_allocation") is not None and clause is not None
                and clause.change_requires_agreement)
    return False


@dataclass(frozen=True, slots=True)
class Accepted:
    """A proposal's acceptance and the day its agreed effect applies from."""

    entry: Entry
    effective_from: date


def acceptances(history: History) -> dict[int, Accepted]:
    """Proposal seq → its first acceptance by the other party (by effective date, then seq)."""
    found: dict[int, Accepted] = {}
    proposals = {e.seq: e for e in _proposals(history)}
    for entry in history.in_time_order("AgreementAccepted"):
        proposal = proposals.get(entry.data["proposal_seq"])
        if proposal is None or proposal.seq in found or entry.role == proposer(proposal):
            continue
        found[proposal.seq] = Accepted(entry, max(proposal.effective_date, entry.effective_date))
    return found


@dataclass(frozen=True, slots=True)
class Pending:
    """A two-party act awaiting the other party's acceptance (API: GET .../acceptances)."""

    seq: int
    type: str
    recorded_by: str
    awaiting: str
    effective_date: date


def pending(history: History) -> list[Pending]:
    """Every proposal not yet accepted, in time order."""
    accepted = acceptances(history)
    withdrawn = {e.data["notice_seq"] for e in _proposals(history)
                 if e.type == "TerminationNoticeWithdrawn" and e.seq in accepted}
    found = []
    for entry in sorted(_proposals(history), key=in_time):
        if entry.seq in accepted or not is_proposal(entry, history.terms_at(entry.effective_date)):
            continue
        if entry.type == "TerminationNoticeWithdrawn" and entry.data["notice_seq"] in withdrawn:
            continue  # another withdrawal of the same notice was accepted
        party = proposer(entry)
        found.append(Pending(entry.seq, entry.type, party,
                             "utforare" if party == "bestallare" else "bestallare",
                             entry.effective_date))
    return found


def _proposals(history: History) -> list[Entry]:
    # Only the proposal types the reading family declares (``in`` does not count as a read).
    by_type = history.by_type
    return [e for t in PROPOSALS if t in by_type for e in by_type[t]]
