"""Draft against reference, field by field: what ``ledger terms diff`` shows and the eval scores.

A field is a leaf of the description or the terms (citations aside, and the
prose the catalogue's authors wrote themselves: the competence summary, the
renegotiation's subject and the ids of expected results). Numbers and dates must
be exact; names compare without regard to case or punctuation ("Råd och stöd" is
"Råd och Stöd").

**Legal basis: only what the text gives is scored.** A reference's ``reference``
(which law, regulation or body the text cites) is read from the text and scored;
the sentences citing it (``clauses``) are citations, checked verbatim and against
the catalogue's like every other citation. Its currency (``status``,
``successor``, ``since``, ``checked_on``, ``note``) is never in the text: the
reader takes it from the ledger's one table of known references
(``domain.legal.KNOWN_REFERENCES``), so scoring it against the catalogue would
score that table, not the reader; those fields are left out. References are
matched by name, not by their place in the list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from domain.drafting.phrases import POLICY_DOCUMENT
from domain.drafting.text import normalise

# Prose written by the catalogue's authors, not read from the text: not scored.
UNSCORED = {"documents", "ref", "competence.description", "renegotiation.subject"}
# The ledger's legal knowledge, not the text's (see above): not scored.
LEGAL_CURRENCY = ("status", "successor", "since", "checked_on", "note")
FAMILIES = ("termination", "early_termination", "compensation", "volume", "billing", "fte_allocation",
            "annual_report", "lex_sarah_summary", "lex_sarah_copy", "supervision_report", "premises",
            "insyn", "competence", "insurance", "waiting_time", "disputes", "force_majeure",
            "expected_results", "information_on_request", "renegotiation", "complaint_forwarding",
            "quarterly_reconciliation", "insurance_remedy", "incorporated_documents", "legal_basis")


def is_citation(key: str) -> bool:
    return key in ("citation", "clauses") or key.endswith("_citation")


def keyed(entry: dict[str, Any]) -> dict[str, Any]:
    """``entry`` with its legal basis keyed by reference name, so references match by name."""
    terms = entry.get("terms") or {}
    basis = terms.get("legal_basis")
    if not isinstance(basis, list):
        return entry
    by_name = {_name(item["reference"]).replace(" ", "_"): item for item in basis}
    return {**entry, "terms": {**terms, "legal_basis": by_name}}


def fields(node: Any, path: str = "") -> dict[str, Any]:
    """Every scored leaf below ``node`` by dotted path; nulls and citations left out."""
    found: dict[str, Any] = {}
    if isinstance(node, dict):
        for key, value in node.items():
            sub = f"{path}.{key}" if path else str(key)
            if is_citation(str(key)) or key == "policies" or _unscored(sub):
                continue
            found.update(fields(value, sub))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found.update(fields(value, f"{path}[{i}]"))
    elif node is not None:
        found[path] = node
    return found


def _unscored(path: str) -> bool:
    tail = re.sub(r"^(description|terms)\.", "", path)
    return tail in UNSCORED or path.endswith("].id") or (
        tail.startswith("legal_basis.") and tail.rpartition(".")[2] in LEGAL_CURRENCY)


def citations(node: Any, path: str = "") -> dict[str, dict[str, Any]]:
    """Every citation below ``node`` by dotted path."""
    found: dict[str, dict[str, Any]] = {}
    if isinstance(node, dict):
        for key, value in node.items():
            sub = f"{path}.{key}" if path else str(key)
            if is_citation(str(key)) and isinstance(value, dict):
                found[sub] = value
            elif is_citation(str(key)) and isinstance(value, list):
                found.update({f"{sub}[{i}]": c for i, c in enumerate(value) if isinstance(c, dict)})
            else:
                found.update(citations(value, sub))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found.update(citations(value, f"{path}[{i}]"))
    return found


def same(a: Any, b: Any) -> bool:
    """Equal as the field means it: exact numbers and dates, names without case or punctuation."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    na, nb = _decimal(a), _decimal(b)
    if na is not None and nb is not None:
        return na == nb
    return _name(str(a)) == _name(str(b))


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, str) and re.fullmatch(r"-?\d+(?:\.\d+)?", value):
        try:
            return Decimal(value)
        except InvalidOperation:
            return None
    return None


def _name(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", text.casefold()).split())


def family(path: str) -> str:
    parts = path.split(".")
    return parts[1].split("[")[0] if parts[0] == "terms" and len(parts) > 1 else "description"


@dataclass
class Comparison:
    """Field-level agreement of one draft with one reference."""

    rows: list[tuple[str, Any, Any, str]] = field(default_factory=list)  # path, draft, reference, status
    truth: int = 0
    recalled: int = 0
    proposed: int = 0
    correct: int = 0
    by_family: dict[str, list[int]] = field(default_factory=dict)  # truth, recalled, proposed, correct


def compare(draft: dict[str, Any], reference_raw: dict[str, Any],
            reference_full: dict[str, Any]) -> Comparison:
    """``reference_raw``: the reference as written; ``reference_full``: validated, defaults filled in.

    Recall counts the fields the reference writes that the draft states equally; precision counts
    the fields the draft states that equal the reference's value (its defaults included).
    """
    truth, full, mine = fields(keyed(reference_raw)), fields(keyed(reference_full)), fields(keyed(draft))
    result = Comparison()
    for path in sorted(set(truth) | set(mine)):
        counts = result.by_family.setdefault(family(path), [0, 0, 0, 0])
        ref_value = truth.get(path, full.get(path))
        ok = path in mine and ref_value is not None and same(mine[path], ref_value)
        if path in truth:
            result.truth += 1
            counts[0] += 1
            result.recalled += ok
            counts[1] += ok
        if path in mine:
            result.proposed += 1
            counts[2] += 1
            result.correct += ok
            counts[3] += ok
        status = "lika" if ok else "saknas i utkastet" if path not in mine else \
            "endast i utkastet" if ref_value is None else "skiljer"
        result.rows.append((path, mine.get(path), ref_value, status))
    return result


def verbatim(draft: dict[str, Any], source: str) -> tuple[int, int]:
    """(quotes found word for word in ``source``, quotes): whitespace counts as one space.

    A citation of the ledger's own policy (where the text names no time) quotes that policy, not
    the text, and is left out.
    """
    text = normalise(source)
    quotes = [c["quote"] for c in citations(draft).values()
              if c.get("quote") and c.get("document") != POLICY_DOCUMENT[0]]
    return sum(normalise(q) in text for q in quotes), len(quotes)


def cited_alike(draft: dict[str, Any], reference: dict[str, Any]) -> tuple[int, int]:
    """(reference citations the draft cites overlapping at the same place, reference citations).

    A reference's clauses match any clause the draft lists for the same reference.
    """
    mine = citations(keyed(draft))
    theirs = citations(keyed(reference))
    hits = 0
    for path, cite in theirs.items():
        place = re.sub(r"\.clauses\[\d+\]$", ".clauses[", path)
        others = [c for p, c in mine.items() if p == path or (place.endswith("[") and p.startswith(place))]
        a = normalise(cite["quote"])
        quotes = [normalise(o["quote"]) for o in others if o.get("quote")]
        hits += any(a in b or b in a for b in quotes)
    return hits, len(theirs)


def absent_reported(draft_not_found: list[dict[str, str]],
                    reference_terms: dict[str, Any]) -> tuple[int, int]:
    """(families the reference lacks that the draft reports not found, families the reference lacks)."""
    lacking = [f for f in FAMILIES if reference_terms.get(f) is None]
    reported = {n["family"] for n in draft_not_found}
    return sum(f in reported for f in lacking), len(lacking)
