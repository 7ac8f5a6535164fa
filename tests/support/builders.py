"""Small builders that keep the givens of a test short."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from domain.catalogue import catalogue_entry, load_catalogue
from domain.contract import Actor
from domain.events import ContractRegistered, Event, parse_event

ADMIN = Actor(name="ledger-cli", role="admin")


def actor(role: str, name: str | None = None) -> Actor:
    """An authenticated caller in ``role`` (named after the role unless told)."""
    return Actor(name=name or f"test-{role}", role=role)


def event(type: str, effective_date: date | str, **fields: Any) -> Event:
    """A validated payload of ``type``, exactly as the API would parse it (with the decision
    behind it where the act needs one and the test names none: ``with_authority``)."""
    return parse_event(with_authority({"type": type, "effective_date": effective_date, **fields}))


DECIDED_ACTS = frozenset({"AmendmentSigned", "TerminationNoticeGiven", "BreachNoticeIssued",
                          "EarlyTerminationGiven"})


def with_authority(body: dict[str, Any]) -> dict[str, Any]:
    """``body`` with a decision, a document_ref and (KS decisions) protocol dates where the act
    requires them (issue 12) and the test does not state them: tests of other rules stay short."""
    kind, day = body.get("type"), body.get("effective_date")
    if kind not in DECIDED_ACTS and kind != "DisputeDecided":
        return body
    on = date.fromisoformat(day) if isinstance(day, str) else day
    filled = dict(body)
    if kind in DECIDED_ACTS:
        filled.setdefault("decision", {"body": "Social- och omsorgsnämnden", "paragraph": "§ 1",
                                       "decided_on": str(on), "diarienummer": "SON 2025-1"})
        if filled.get("written", True):
            filled.setdefault("document_ref", "SON 2025-1")
    elif isinstance(on, date):
        filled.setdefault("justerat_on", str(on + timedelta(days=2)))
        filled.setdefault("anslaget_on", str(on + timedelta(days=3)))
        filled.setdefault("document_ref", "KS 2025-1")
    return filled


def post_event(client: Any, auth: Any, path: str, role: str, **body: Any) -> dict[str, Any]:
    """POST ``body`` (with its authority, as ``with_authority``) to ``path``'s events as ``role``;
    it must be recorded (201). The response body."""
    response = client.post(f"{path}/events", json=with_authority(body), headers=auth(role))
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def registered(ref: str) -> ContractRegistered:
    """The catalogue's ``ContractRegistered`` for ``ref``, as ``ledger seed`` builds it."""
    item = catalogue_entry(ref)
    return ContractRegistered(
        **item.description.model_dump(), terms=item.terms,
        effective_date=item.description.in_force_from.date,
    )


def catalogue_refs() -> list[str]:
    """The refs of the shipped contracts, in DOMAIN.md §4 order."""
    return [item.description.ref for item in load_catalogue()]


def seed(ledger: Any) -> list[str]:
    """Register every catalogue contract not yet registered (``ledger seed``); returns the new refs."""
    added = []
    for ref in catalogue_refs():
        if ledger.exists(ref):
            continue
        ledger.register(registered(ref), ADMIN)
        added.append(ref)
    return added
