"""One lookup for every category of code: ``label("event", "LexSarahReported")``."""

from __future__ import annotations

from domain.vocabulary import codes, fields, problems, terms

_CATEGORIES: dict[str, dict[str, str]] = {
    "party": codes.PARTIES,
    "role": codes.ROLES,
    "event": codes.EVENT_TYPES,
    "obligation": codes.OBLIGATION_KINDS,
    "deviation": codes.DEVIATION_KINDS,
    "status": codes.STATUSES,
    "field": fields.FIELDS,
    "effect": codes.EFFECTS,
    "notice_kind": codes.NOTICE_KINDS,
    "term": terms.TERMS,
    "cause": codes.FORCE_MAJEURE_CAUSES,
    "problem": problems.PROBLEMS,
}


def label(category: str, code: str) -> str:
    """The Swedish name of a code; an unknown code (or category) reads as itself."""
    return _CATEGORIES.get(category, {}).get(code, code)
