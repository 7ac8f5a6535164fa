"""Small builders that keep the givens of a test short."""

from __future__ import annotations

from datetime import date
from typing import Any

from domain.catalogue import catalogue_entry, load_catalogue
from domain.contract import Actor
from domain.events import ContractRegistered, Event, parse_event

ADMIN = Actor(name="ledger-cli", role="admin")


def actor(role: str, name: str | None = None) -> Actor:
    """An authenticated caller in ``role`` (named after the role unless told)."""
    return Actor(name=name or f"test-{role}", role=role)


def event(type: str, effective_date: date | str, **fields: Any) -> Event:
    """A validated payload of ``type``, exactly as the API would parse it."""
    return parse_event({"type": type, "effective_date": effective_date, **fields})


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
