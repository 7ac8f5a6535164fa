"""The reader: a Swedish verksamhetsuppdrag in, a proposed ``ContractRegistered`` out.

Deterministic: the same text gives the same draft. Every proposed term cites
its section and the verbatim sentence it was read from; every family looked for
and not found is listed with a Swedish finding. The draft is never registered
here: a person reviews it, and registration validates it like any other.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from domain.drafting import duties, frame, money
from domain.drafting import phrases as ph
from domain.drafting.cite import Reading
from domain.drafting.text import Document, dates, read_document

# Families in the order of the terms model; each reader returns the clause or None.
FAMILIES: dict[str, Callable[[Reading], Any]] = {
    "termination": money.termination,
    "early_termination": money.early_termination,
    "compensation": money.compensation,
    "volume": money.volume,
    "billing": money.billing,
    "fte_allocation": money.fte_allocation,
    "annual_report": duties.annual_report,
    "lex_sarah_summary": duties.lex_sarah_summary,
    "lex_sarah_copy": duties.lex_sarah_copy,
    "supervision_report": duties.supervision_report,
    "premises": duties.premises,
    "insyn": duties.insyn,
    "competence": duties.competence,
    "insurance": duties.insurance,
    "waiting_time": duties.waiting_time,
    "disputes": duties.disputes,
    "force_majeure": duties.force_majeure,
    "expected_results": duties.expected_results,
    "information_on_request": frame.information_on_request,
    "renegotiation": frame.renegotiation,
    "complaint_forwarding": frame.complaint_forwarding,
    "quarterly_reconciliation": frame.quarterly_reconciliation,
    "insurance_remedy": frame.insurance_remedy,
    "incorporated_documents": frame.incorporated_documents,
    "legal_basis": frame.legal_basis,
}


@dataclass
class Draft:
    """A proposed contract: catalogue-format description and terms, and what was not found."""

    description: dict[str, Any]
    terms: dict[str, Any]
    not_found: list[dict[str, str]] = field(default_factory=list)
    unmodelled: list[dict[str, Any]] = field(default_factory=list)

    def body(self) -> dict[str, Any]:
        """The ``ContractRegistered`` body (POST /contracts) this draft proposes."""
        start = (self.description.get("in_force_from") or {}).get("date")
        return {"type": "ContractRegistered", "effective_date": start, **self.description,
                "terms": self.terms}

    def problems(self) -> list[str]:
        """Why the body would be refused at registration, one line per field; empty if valid."""
        from domain.events import ContractRegistered

        try:
            ContractRegistered.model_validate({k: v for k, v in self.body().items() if k != "type"})
        except ValidationError as error:
            return [f"{'.'.join(str(p) for p in e['loc']) or 'body'}: {_problem(e)}" for e in error.errors()]
        return []

    def to_json(self) -> dict[str, Any]:
        return {"body": self.body(), "not_found": self.not_found, "unmodelled": self.unmodelled,
                "problems": self.problems()}


def _problem(error: Any) -> str:
    """A validation problem as a reviewer reads it: what is missing is said so in Swedish."""
    if error["type"] == "missing" or error.get("input", "") is None:
        return "saknas: hittades inte i texten, fyll i vid granskningen"
    return str(error["msg"])


def draft_contract(text: str, *, ref: str | None = None, documents: list[str] | None = None) -> Draft:
    """Read ``text`` and propose its description and terms; ``ref`` names the contract."""
    doc = read_document(text)
    not_found: list[dict[str, str]] = []

    def missing(family: str) -> None:
        not_found.append({"family": family, "finding": ph.NOT_FOUND[family]})

    diarienummer = _search(ph.DIARIENUMMER, doc.flat)
    dated = _search(ph.DATED, doc.flat)
    title = _title(doc)
    name = diarienummer or title or (documents[0] if documents else "okänt dokument")
    r = Reading(doc, name)

    terms: dict[str, Any] = {}
    for family, read in FAMILIES.items():
        clause = read(r)
        terms[family] = clause
        if clause is None:
            missing(family)
    terms["amendments"] = money.amendments(r)
    if not terms["amendments"]["citation"]["quote"]:
        missing("amendments")
    compensation = terms.get("compensation") or {}
    if compensation and "indexation" not in compensation:
        missing("compensation.indexation")
    if compensation and "payment" not in compensation:
        missing("compensation.payment")

    description: dict[str, Any] = {
        "ref": ref or _slug(title or name),
        "title": title,
        "diarienummer": diarienummer,
        "dated": dated,
        "bestallare": _board(doc.flat),
        "utforare": _provider(doc.flat),
        "in_force_from": _in_force(r, compensation),
        "documents": documents or [],
    }
    for key in ("title", "diarienummer", "dated", "bestallare", "utforare", "in_force_from"):
        if description[key] is None:
            missing(f"description.{key}")
    return Draft(description, terms, not_found, frame.unknown_references(r))


def _search(pattern: re.Pattern[str], text: str) -> str | None:
    m = pattern.search(text)
    return m["v"] if m else None


def _title(doc: Document) -> str | None:
    # Lines of the opening, a line that goes on in lower case joined to the one before.
    opening = "".join((" " if line.text[0].islower() else "\n") + line.text for line in doc.lines[:40])
    candidates = [opening, *(h for _, h in doc.headings)]
    for pattern in ph.TITLE:
        for text in candidates:
            m = pattern.search(text)
            value = m["v"].strip() if m else ""
            if value:
                return value[0].upper() + value[1:]
    return None


def _board(flat: str) -> str | None:
    boards = list(ph.BOARD.finditer(flat[:3000]))
    if not boards:
        return None
    # The board that is called the beställare, else the first one named.
    chosen = next((m for m in boards if "beställare" in flat[m.end():m.end() + 40].lower()), boards[0])
    value = chosen["v"]
    return value[0].upper() + value[1:]


def _provider(flat: str) -> str | None:
    for pattern in ph.PROVIDER:
        m = pattern.search(flat[:3000])
        if m:
            return re.sub(r"\s*,\s*", " ", m["v"]).strip()
    return None


def _in_force(r: Reading, compensation: dict[str, Any]) -> dict[str, Any] | None:
    """The stated start date; else the first full date compensation runs from, inferred."""
    for s in r.find(ph.IN_FORCE):
        found = dates(s.text)
        if found:
            return {"date": found[0][0].isoformat(), "citation": r.cite(s)}
    index = compensation.get("indexation") or {}
    quote = (index.get("citation") or {}).get("quote", "")
    found = dates(quote)
    if found:
        return {"date": found[0][0].isoformat(), "citation": {**index["citation"], "inferred": True}}
    return None


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:60].strip("-")
    return slug if len(slug) >= 2 else "nytt-uppdrag"
