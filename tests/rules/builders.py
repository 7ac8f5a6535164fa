"""Small builders for rule tests: one contract's entries with fixed dates, real catalogue terms."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from domain.catalogue import catalogue_entry
from domain.contract import Entry
from domain.events import ContractRegistered, parse_event
from tests.support.builders import with_authority

V, F, S, C = "vald-i-nara-relation", "familjeradgivning", "skolsocialt-team", "familjecentraler"
ALL = (V, F, S, C)
AUTHORISED = [
    {"party": "bestallare", "name": "Nämndens ordförande", "authorised": True},
    {"party": "utforare", "name": "Leanlinks direktör", "authorised": True},
]

_ROLES = {"ContractRegistered": "admin", "BreachNoticeIssued": "bestallare",
          "EarlyTerminationGiven": "bestallare", "IndexationApplied": "bestallare",
          "AdditionalHoursOrdered": "bestallare", "DisputeDecided": "kommunstyrelsen"}


def d(text: str) -> date:
    return date.fromisoformat(text)


class Given:
    """Given a contract from the catalogue, then these entries (seq 1 is the registration)."""

    def __init__(self, ref: str, **terms_changes: Any) -> None:
        item = catalogue_entry(ref)
        terms = item.terms
        if terms_changes:
            terms = terms.model_copy(update=terms_changes)
        self.ref = ref
        self.terms = terms
        self.entries: list[Entry] = []
        registered = ContractRegistered(
            **item.description.model_dump(), terms=terms,
            effective_date=item.description.in_force_from.date,
        )
        self._append("ContractRegistered", registered.model_dump(mode="json"))

    def _append(self, type_: str, data: dict[str, Any], role: str | None = None,
                recorded_at: datetime | None = None) -> int:
        seq = len(self.entries) + 1
        # A party's act is recorded by that party (DOMAIN.md §2 principle 3).
        role = role or data.get("by") or _ROLES.get(type_, "utforare")
        self.entries.append(Entry(
            contract=self.ref, seq=seq, type=type_,
            effective_date=date.fromisoformat(data["effective_date"]),
            recorded_at=recorded_at or datetime(2030, 1, 1, tzinfo=UTC) + timedelta(minutes=seq),
            actor=f"test-{role}", role=role,
            data=data, prev_hash=f"h{seq - 1}", hash=f"h{seq}",
        ))
        return seq

    def then(self, type_: str, effective_date: str | date, *, role: str | None = None,
             recorded_at: datetime | None = None, **fields: Any) -> int:
        """Record a validated event (by ``role``, default the event's usual recorder); its seq."""
        event = parse_event(with_authority({"type": type_, "effective_date": effective_date, **fields}))
        return self._append(type_, event.model_dump(mode="json"), role, recorded_at)

    def accept(self, on: str, seq: int, by: str | None = None) -> int:
        """The other party's AgreementAccepted of entry ``seq``."""
        proposer = self.entries[seq - 1].role
        other = by or ("utforare" if proposer == "bestallare" else "bestallare")
        return self.then("AgreementAccepted", on, role=other, proposal_seq=seq)

    # --- short names for the common events ---------------------------------------

    def notice(self, on: str, by: str = "bestallare", written: bool = True, **fields: Any) -> int:
        return self.then("TerminationNoticeGiven", on, by=by, written=written, **fields)

    def amend(self, on: str, changes: dict[str, Any]) -> int:
        return self.then("AmendmentSigned", on, changes=changes, signatories=AUTHORISED)

    def correct(self, on: str, seq: int) -> int:
        return self.then("EntryCorrected", on, entry_seq=seq, reason="fel registrerad")


def obligations(given: Given, through: str, kind: str | None = None) -> list:
    """The obligations of ``kind`` that have arisen by ``through``."""
    from domain.rules import evaluate

    found = evaluate(given.entries, through=d(through)).obligations
    return [o for o in found if kind is None or o.kind == kind]


def deviations(given: Given, through: str, kind: str | None = None) -> list:
    """The deviations of ``kind`` found by ``through``."""
    from domain.rules import evaluate

    found = evaluate(given.entries, through=d(through)).deviations
    return [x for x in found if kind is None or x.kind == kind]
