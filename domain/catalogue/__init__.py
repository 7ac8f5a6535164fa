"""The four verksamhetsuppdrag as data: description and terms, with citations (DOMAIN.md §4)."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

import orjson

from domain.terms import ContractDescription, Frozen, Terms

# Order is the order of DOMAIN.md §4; listings and registration follow it.
REFS: tuple[str, ...] = (
    "vald-i-nara-relation",
    "familjeradgivning",
    "skolsocialt-team",
    "familjecentraler",
)


class CatalogueEntry(Frozen):
    """One contract as shipped: what ``ContractRegistered`` needs."""

    description: ContractDescription
    terms: Terms


@cache
def _entries() -> dict[str, CatalogueEntry]:
    # Read once: the files are package data and cannot change while we run.
    package = files(__name__)
    entries = {}
    for ref in REFS:
        raw = orjson.loads((package / f"{ref}.json").read_bytes())
        entry = CatalogueEntry.model_validate(raw)
        if entry.description.ref != ref:
            raise ValueError(f"{ref}.json describes {entry.description.ref!r}")
        entries[ref] = entry
    return entries


def load_catalogue() -> list[CatalogueEntry]:
    """All catalogue entries in DOMAIN.md §4 order."""
    return list(_entries().values())


def catalogue_entry(ref: str) -> CatalogueEntry:
    """The entry for ``ref``; KeyError if the catalogue has no such contract."""
    try:
        return _entries()[ref]
    except KeyError:
        raise KeyError(f"no contract {ref!r} in the catalogue; known: {', '.join(REFS)}") from None
