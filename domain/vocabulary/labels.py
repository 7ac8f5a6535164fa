"""One lookup for every category of code: ``label("event", "LexSarahReported")``."""

from __future__ import annotations

from domain.vocabulary.codes import (
    DEVIATION_KINDS,
    EFFECTS,
    EVENT_TYPES,
    FORCE_MAJEURE_CAUSES,
    NOTICE_KINDS,
    OBLIGATION_KINDS,
    PARTIES,
    ROLES,
    STATUSES,
)
from domain.vocabulary.fields import FIELDS
from domain.vocabulary.problems import PROBLEMS
from domain.vocabulary.terms import TERMS

_CATEGORIES: dict[str, dict[str, str]] = {
    "party": PARTIES,
    "role": ROLES,
    "event": EVENT_TYPES,
    "obligation": OBLIGATION_KINDS,
    "deviation": DEVIATION_KINDS,
    "status": STATUSES,
    "field": FIELDS,
    "effect": EFFECTS,
    "notice_kind": NOTICE_KINDS,
    "term": TERMS,
    "cause": FORCE_MAJEURE_CAUSES,
    "problem": PROBLEMS,
}


def label(category: str, code: str) -> str:
    """The Swedish name of a code; an unknown code (or category) reads as itself."""
    return _CATEGORIES.get(category, {}).get(code, code)
