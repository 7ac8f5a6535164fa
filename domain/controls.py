"""Write-side controls (issue 11, DOMAIN.md §2 principle 3): a party records only its own acts,
which acts await the other party's acceptance, and units and target ids are the contract's.

Pure checks over an event, the caller and the terms in force; ``Contract.decide`` applies them
and nothing is written when one refuses.
"""

from __future__ import annotations

from typing import Any

from domain.errors import InvalidEvent, NotPermitted
from domain.events import PARTY_FIELDS, Event

PARTY_NAMES = {"bestallare": "beställaren", "utforare": "utföraren"}


def other_party(party: str) -> str:
    return "utforare" if party == "bestallare" else "bestallare"


def needs_acceptance(entry: dict[str, Any], terms: dict[str, Any]) -> bool:
    """Whether a recorded act takes its agreed effect only once the other party accepts it
    (DOMAIN.md §2 principle 3): an agreed notice period (or agreed end), a withdrawal of
    notice, a change of FTE allocation where the contract requires agreement."""
    kind = entry["type"]
    if kind == "TerminationNoticeGiven":
        return entry.get("agreed_months") is not None
    if kind == "TerminationNoticeWithdrawn":
        return True
    if kind == "StaffingChanged":
        clause = terms.get("fte_allocation")
        return (entry.get("fte_allocation") is not None and clause is not None
                and clause.get("change_requires_agreement", True))
    return False


def check_units(event: Event, terms: dict[str, Any]) -> None:
    """FTE units and outcome targets must be the contract's own (422 naming what is wrong)."""
    allocation = getattr(event, "fte_allocation", None)
    if event.type_name == "StaffingChanged":
        partial = event.fte_allocation_partial  # type: ignore[attr-defined]
        if allocation is None:
            if partial:
                raise InvalidEvent("fte_allocation_partial: there is no fte_allocation to apply",
                                   field="fte_allocation_partial", rule="fte_units")
            return
        clause = terms.get("fte_allocation")
        if clause is None:
            raise InvalidEvent("fte_allocation: this contract allocates no FTE per unit",
                               field="fte_allocation", rule="fte_units")
        units = set(clause["units"])
        unknown = sorted(set(allocation) - units)
        missing = [] if partial else sorted(units - set(allocation))
        if unknown or missing or not allocation:
            parts = [f"unknown units: {', '.join(unknown)}"] if unknown else []
            if missing:
                parts.append(f"missing units: {', '.join(missing)} (or set "
                             "fte_allocation_partial: true to change only the units named)")
            raise InvalidEvent(
                f"fte_allocation: {'; '.join(parts) or 'names no unit'}; the contract's units "
                f"are {', '.join(clause['units'])}", field="fte_allocation", rule="fte_units")
    elif event.type_name == "AnnualReportSubmitted":
        outcomes = event.outcomes  # type: ignore[attr-defined]
        if not outcomes:
            return
        results = terms.get("expected_results")
        valid = [t["id"] for t in results["targets"]] if results else []
        unknown = sorted(set(outcomes) - set(valid))
        if unknown:
            known = (f"valid target ids: {', '.join(valid)}" if valid
                     else "this contract states no expected results")
            raise InvalidEvent(f"outcomes: unknown target ids: {', '.join(unknown)}; {known}",
                               field="outcomes", rule="outcome_targets")


def check_party(event: Event, actor: Any) -> None:
    """Refuse (403) an event whose party field names another party than the caller's."""
    # A party speaks only for itself (DOMAIN.md §2 principle 3).
    for name in PARTY_FIELDS.get(event.type_name, ()):
        party = getattr(event, name)
        if party != actor.role:
            raise NotPermitted(
                f"{name}: the act is {PARTY_NAMES.get(party, party)}'s ('{party}'), but the "
                f"caller speaks for '{actor.role}'; a party records only its own acts",
                field=name, rule="party_is_caller")
