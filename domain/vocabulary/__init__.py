"""Swedish for people: names of every code, the sentences of refusals, and the formats.

Codes and JSON field names stay English (API.md); whatever a person reads (the API's
labels, the dossier, the calendar, the CLI, the web page) takes its words from here,
so one code has one Swedish name everywhere. Pure: the standard library only.

Why a package of small modules: the vocabulary is mostly tables (some 500 lines of
code → Swedish), which grow with every event, field and refusal, and a little code
(formats, how a field's value reads). Each table is its own module — ``codes`` (parties,
roles, event types, kinds, statuses, effects), ``fields``, ``terms``, ``problems`` — beside
``formats`` and ``values``, so neither the code nor any one table is a long read. They
stay Python rather than a data file: typed, checked by ruff and the tests like any module,
imported once with the package, and nothing to install beside the code. Everything is
used through this package (``from domain import vocabulary``), never its modules.
"""

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
from domain.vocabulary.formats import NBSP, NOTHING, STOCKHOLM, day, instant, money, number, percent
from domain.vocabulary.labels import label
from domain.vocabulary.problems import PROBLEMS, problem
from domain.vocabulary.terms import TERMS
from domain.vocabulary.values import redaction, value

__all__ = [
    "DEVIATION_KINDS", "EFFECTS", "EVENT_TYPES", "FIELDS", "FORCE_MAJEURE_CAUSES", "NBSP",
    "NOTHING", "NOTICE_KINDS", "OBLIGATION_KINDS", "PARTIES", "PROBLEMS", "ROLES", "STATUSES",
    "STOCKHOLM", "TERMS", "day", "instant", "label", "money", "number", "percent", "problem",
    "redaction", "value",
]
