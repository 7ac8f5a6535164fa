"""Clause families of issue 12 read from the text: information on request, renegotiation,
complaints that concern the förvaltning, quarterly reconciliation, the kommun's insurance remedy,
documents the text incorporates, and the legal basis (the references the text cites).

What the text cannot say is not made up: a reference's currency (status, successor, since) comes
from the ledger's one table of known references, ``domain.legal.KNOWN_REFERENCES``; references it
does not know are listed for review, never proposed. Policy fields where the text is silent
(due days, the reconciliation's holder) take the terms model's defaults, as the catalogue does.
"""

from __future__ import annotations

from typing import Any

from domain.drafting import phrases as ph
from domain.drafting.cite import Reading
from domain.drafting.text import Sentence, first_quantity
from domain.legal import currency
from domain.terms import ComplaintForwarding, InformationOnRequest, Policies, Reconciliation

Found = dict[str, Any] | None
_POLICY_DAYS = {"omgaende": Policies().omgaende_working_days,
                "pa_eget_initiativ": Policies().unspecified_notice_working_days}


def _default(model: Any, name: str) -> Any:
    return model.model_fields[name].default


def _policy(family: str) -> dict[str, Any]:
    document, section = ph.POLICY_DOCUMENT
    return {"document": document, "section": section, "quote": ph.POLICY_QUOTES[family], "inferred": True}


def information_on_request(r: Reading) -> Found:
    """"utan extra kostnad … de uppgifter som nämnden kan komma att begära"; due as stated, else policy."""
    s = r.first(ph.INFORMATION_ON_REQUEST)
    if s is None:
        return None
    within = ph.WITHIN.search(s.text)
    days = first_quantity(s.text[within.start():], "working_days") if within else None
    if days is not None:
        return {"citation": r.cite(s), "working_days": days}
    return {"citation": r.cite(s), "working_days": _default(InformationOnRequest, "working_days"),
            "policy_citation": _policy("information_on_request")}


def renegotiation(r: Reading) -> Found:
    """Either party may call for negotiation ("påkalla förhandling", "ska … omförhandlas")."""
    s = r.first(ph.RENEGOTIATION)
    if s is None:
        return None
    clause: dict[str, Any] = {"citation": r.cite(s)}
    m = ph.RENEGOTIATION_SUBJECT.search(s.text)
    if m:
        clause["subject"] = (m["v"] or m["w"]).strip()
    return clause


def complaint_forwarding(r: Reading) -> Found:
    """Complaints that also concern the förvaltning are passed on to it."""
    s = r.first(ph.COMPLAINT_FORWARDING, ph.INFORM_OR_HAND_OVER)
    if s is None:
        return None
    notify = ph.COMPLAINT_FORWARDING.search(s.text)["v"]
    policy = next((p for pattern, p in ph.TIMING if pattern.search(s.text)), None)
    days = _POLICY_DAYS[policy] if policy else _default(ComplaintForwarding, "working_days")
    return {"citation": r.cite(s), "notify": notify[0].upper() + notify[1:], "working_days": days}


def quarterly_reconciliation(r: Reading) -> Found:
    """"Avstämning görs kvartalsvis": held by the beställare, due days after the quarter by policy."""
    for s in r.find(ph.RECONCILIATION):
        if ph.RECONCILIATION.search(s.text)["v"].lower() == "kvartalsvis":
            return {"citation": r.cite(s), "holder": _default(Reconciliation, "holder"),
                    "due_days_after_quarter": _default(Reconciliation, "due_days_after_quarter"),
                    "policy_citation": _policy("quarterly_reconciliation")}
    return None


def insurance_remedy(r: Reading) -> Found:
    """Without proof of insurance the kommun may insure "på utförarens bekostnad"."""
    s = r.first(ph.INSURANCE_REMEDY)
    return {"citation": r.cite(s)} if s is not None else None


def incorporated_documents(r: Reading) -> list[dict[str, Any]] | None:
    """Documents named in quotes that the activity "regleras i": the ledger holds none of them."""
    found = []
    for s in r.find(ph.INCORPORATED, ph.QUOTED_DOCUMENT):
        for m in ph.QUOTED_DOCUMENT.finditer(s.text):
            found.append({"title": m["v"].strip(), "held_by_ledger": False, "citation": r.cite(s)})
    return found or None


def _references(s: Sentence) -> list[str]:
    names = []
    for pattern, name, unless in ph.LEGAL_REFERENCES:
        covered = [m.span() for m in unless.finditer(s.text)] if unless else []
        if any(not any(a <= m.start() < b for a, b in covered) for m in pattern.finditer(s.text)):
            names.append(name)
    return names


def legal_basis(r: Reading) -> list[dict[str, Any]] | None:
    """Each known reference the text cites, with every sentence citing it; currency from the ledger."""
    clauses: dict[str, list[dict[str, Any]]] = {}
    for s in r.doc.sentences:
        for name in _references(s):
            clauses.setdefault(name, []).append(r.cite(s))
    found = []
    for name, cited in clauses.items():
        known = currency(name)
        if known is not None:
            found.append({"reference": name, **known, "clauses": cited})
    return found or None


def unknown_references(r: Reading) -> list[dict[str, Any]]:
    """References the ledger has no currency for: listed with their citation for review."""
    known = [pattern for pattern, _, _ in ph.LEGAL_REFERENCES]
    references: list[str] = []
    first = None
    for s in r.doc.sentences:
        for m in ph.LEGAL_BASIS.finditer(s.text):
            if not any(p.search(m.group(0)) for p in known) and m.group(0) not in references:
                references.append(m.group(0))
                first = first or s
    if first is None:
        return []
    return [{"family": "legal_basis", "finding": ph.UNMODELLED["legal_basis"], "references": references,
             "citation": r.cite(first)}]
