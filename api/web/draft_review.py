"""The review of a drafted contract, without the web: its rows, a person's edits, the text with
every quote marked, and the validation problems in Swedish (issue 17).

A row is one proposed field (a leaf of the draft's description or terms, as ``ledger terms diff``
lists them), with the citation it was read from. A person keeps, changes or drops each row; the
edited draft is the reader's draft with those choices applied, so the same text and the same
choices always give the same body.
"""

from __future__ import annotations

import copy
import itertools
import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from api.cli.terms import _citation_of
from domain import vocabulary
from domain.drafting import phrases
from domain.drafting.reader import Draft
from domain.drafting.score import LEGAL_CURRENCY, citations, family, fields
from domain.drafting.text import normalise, read_document
from domain.events import ContractRegistered

KEEP, CHANGE, DROP = "behall", "andra", "ta-bort"
_LEGAL = re.compile(r"(terms\.legal_basis\[\d+\])\.(\w+)$")
_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")
_DESCRIPTION_LABELS = {"title": "titel", "diarienummer": "diarienummer", "dated": "avtalsdatum",
                       "bestallare": "beställare", "utforare": "utförare", "date": "datum",
                       "in_force_from": "gäller från"}


@dataclass
class Row:
    """One proposed field: where it sits, its value, and where in the text it was read."""

    index: int
    path: str
    family: str
    value: Any
    section: str | None = None
    quote_id: str | None = None  # the <mark> the quote starts in, if the text holds it
    source: str | None = None  # why there is no mark: the ledger's policy, or an inferred value

    @property
    def label(self) -> str:
        """The field's Swedish name, its place in a list kept ("legal_basis[1].reference")."""
        steps = [m[1] or f"nr {int(m[2]) + 1}" for m in _STEP.finditer(self.path)][2:] \
            if self.path.startswith("terms.") else self.path.split(".")[1:]
        names = [vocabulary.TERMS.get(s) or _DESCRIPTION_LABELS.get(s) or vocabulary.label("field", s)
                 for s in steps]
        return " › ".join(names) or self.path

    @property
    def shown(self) -> str:
        """The value as the input shows it: ja/nej for yes/no, else as written."""
        return ("ja" if self.value else "nej") if isinstance(self.value, bool) else str(self.value)

    @property
    def meaning(self) -> str | None:
        """A code's Swedish reading ("annual" → "per år"), shown beside it."""
        return vocabulary.TERMS.get(self.value) if isinstance(self.value, str) else None


@dataclass
class Family:
    code: str
    name: str
    rows: list[Row] = field(default_factory=list)


def family_name(code: str) -> str:
    if code == "description":
        return "Uppdraget (parter, diarienummer och datum)"
    return vocabulary.TERMS.get(code) or phrases.FAMILY_LABELS.get(code, code).capitalize()


def rows_of(draft: Draft, quote_ids: dict[str, str]) -> list[Family]:
    """The draft's proposed fields grouped by clause family, in the terms model's order."""
    body = {"description": draft.description, "terms": draft.terms}
    cites = citations(body)
    families: dict[str, Family] = {}
    for i, (path, value) in enumerate(fields(body).items()):
        code = family(path)
        # "payment" was read where "payment_citation" points; else the clause's own citation.
        basis = _LEGAL.match(path)  # a legal reference is cited by the sentences naming it
        cite = cites.get(f"{path}_citation") or (cites.get(f"{basis[1]}.clauses[0]") if basis else None) \
            or _citation_of(path, cites) or {}
        quote = normalise(cite.get("quote") or "")
        row = Row(i, path, code, value, section=cite.get("section") or None,
                  quote_id=quote_ids.get(quote))
        if basis and basis[2] in LEGAL_CURRENCY:
            row.source = "liggarens förteckning över kända lagar och organ, inte texten"
        elif cite.get("document") == phrases.POLICY_DOCUMENT[0]:
            row.source = "liggarens tolkning där avtalet är tyst"
        elif cite.get("inferred"):
            row.source = "härlett ur texten"
        families.setdefault(code, Family(code, family_name(code))).rows.append(row)
    return list(families.values())


@dataclass
class Marked:
    """The text line by line, each line as (text, marked, id of a quote starting here)."""

    lines: list[list[tuple[str, bool, str | None]]]
    quote_ids: dict[str, str]  # normalised quote → id of the <mark> it starts in


def marked_text(text: str, draft: Draft) -> Marked:
    """Every quote of the draft found in the text and marked; ids name where each quote starts."""
    doc = read_document(text)
    spans: list[tuple[int, int]] = []
    ids: dict[str, str] = {}
    body = {"description": draft.description, "terms": draft.terms}
    for cite in citations(body).values():
        quote = normalise(cite.get("quote") or "")
        if not quote or cite.get("document") == phrases.POLICY_DOCUMENT[0] or quote in ids:
            continue
        start = doc.flat.find(quote)
        if start >= 0:
            spans.append((start, start + len(quote)))
            ids[quote] = f"citat-{start}"
    starts = {s for s, _ in spans}
    lines = []
    for line in doc.lines:
        end = line.start + len(line.text)
        cuts = sorted({line.start, end, *(p for s, e in spans for p in (s, e) if line.start < p < end)})
        segments = []
        for a, b in itertools.pairwise(cuts):
            covered = any(s <= a and b <= e for s, e in spans)
            segments.append((doc.flat[a:b], covered, f"citat-{a}" if a in starts else None))
        lines.append(segments)
    return Marked(lines, ids)


def _steps(path: str) -> list[str | int]:
    return [m[1] if m[1] else int(m[2]) for m in _STEP.finditer(path)]


def _parse(original: Any, text: str) -> Any:
    """The person's text as the original value's type; ValueError with a Swedish reason."""
    text = text.strip()
    if isinstance(original, bool):
        if text.lower() not in ("ja", "nej"):
            raise ValueError("Skriv ja eller nej.")
        return text.lower() == "ja"
    if isinstance(original, int):
        digits = re.sub(r"\s", "", text)
        if not re.fullmatch(r"-?\d+", digits):
            raise ValueError("Skriv ett heltal med siffror, till exempel 6.")
        return int(digits)
    if not text:
        raise ValueError("Skriv ett värde, eller välj Ta bort.")
    return text


def edited(draft: Draft, families: list[Family], form: dict[str, Any],
           errors: dict[str, str]) -> dict[str, Any]:
    """The ContractRegistered body (no type) with the form's choices applied; problems with a
    choice go to ``errors`` under the row's path."""
    body = {"description": copy.deepcopy(draft.description), "terms": copy.deepcopy(draft.terms)}
    dropped: list[list[str | int]] = []
    for row in (r for f in families for r in f.rows):
        action = form.get(f"atgard-{row.index}", KEEP)
        typed = form.get(f"varde-{row.index}")
        if action == DROP:
            dropped.append(_steps(row.path))
        elif action == CHANGE and isinstance(typed, str):
            try:
                _set(body, _steps(row.path), _parse(row.value, typed))
            except ValueError as error:
                errors[row.path] = str(error)
        elif isinstance(typed, str) and typed.strip() != row.shown.strip():
            errors[row.path] = "Du har skrivit ett nytt värde men valt Behåll: välj Ändra för att " \
                               "använda det, eller skriv tillbaka det föreslagna värdet."
    for steps in dropped:
        _drop(body, steps)
    for code, clause in list(body["terms"].items()):
        # A clause whose every field was dropped is dropped itself.
        if isinstance(clause, dict) and any(f.code == code for f in families) and \
                not fields(clause):
            body["terms"][code] = None
    ref = str(form.get("ref") or "").strip()
    if ref:
        body["description"]["ref"] = ref
    return {k: v for k, v in Draft(body["description"], body["terms"]).body().items() if k != "type"}


def _set(node: Any, steps: list[str | int], value: Any) -> None:
    for step in steps[:-1]:
        node = node[step]
    node[steps[-1]] = value


def _drop(node: Any, steps: list[str | int]) -> None:
    for step in steps[:-1]:
        node = node[step]
    if isinstance(node, dict):
        node.pop(steps[-1], None)


# pydantic's error types as a reviewer reads them; ctx fills in the limits.
_SWEDISH = {
    "missing": "saknas – hittades inte i texten eller togs bort; behåll eller fyll i det",
    "int_parsing": "ska vara ett heltal", "int_type": "ska vara ett heltal",
    "int_from_float": "ska vara ett heltal",
    "decimal_parsing": "ska vara ett tal", "decimal_type": "ska vara ett tal",
    "bool_parsing": "ska vara ja eller nej", "bool_type": "ska vara ja eller nej",
    "date_from_datetime_parsing": "ska vara ett datum ÅÅÅÅ-MM-DD",
    "date_parsing": "ska vara ett datum ÅÅÅÅ-MM-DD",
    "greater_than": "ska vara större än {gt}", "greater_than_equal": "ska vara minst {ge}",
    "less_than": "ska vara mindre än {lt}", "less_than_equal": "ska vara högst {le}",
    "string_too_short": "är för kort", "string_too_long": "är för långt (högst {max_length} tecken)",
    "string_pattern_mismatch": "har fel form (regel: {pattern})",
    "literal_error": "ska vara ett av: {expected}", "enum": "ska vara ett av: {expected}",
    "extra_forbidden": "är inte ett fält i villkoren",
}


def problems(body: dict[str, Any]) -> tuple[ContractRegistered | None, dict[str, str]]:
    """The event the body makes, or its validation problems in Swedish by dotted path."""
    try:
        return ContractRegistered.model_validate(body), {}
    except ValidationError as error:
        found: dict[str, str] = {}
        for e in error.errors():
            path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in e["loc"]).lstrip(".")
            path = path if path.startswith("terms") else f"description.{path}"
            template = _SWEDISH.get(e["type"])
            try:
                text = template.format(**e.get("ctx", {})) if template else None
            except (KeyError, IndexError):
                text = None
            found[path.rstrip(".")] = text or f"ogiltigt värde (regel: {e['type']})"
        return None, found
