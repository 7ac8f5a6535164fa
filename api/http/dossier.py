"""The dispute dossier: an underlag for kommunstyrelsen, HTML and PDF from one template.

The context is built from the contract's entries and the pure rules (as of the day the
dispute was raised and as of today) and every value goes through the vocabulary, so the
document shows no codes. The PDF is the same HTML laid out by WeasyPrint under the print
CSS of the template (A4, running header and footer, page numbers, fonts embedded).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from domain import legal
from domain import vocabulary as sv
from domain.contract import Entry
from domain.rules import evaluate
from domain.terms import Terms
from projections.judgement import amendments_of, corrected_seqs, terms_on

DISPUTE_TYPES = frozenset({"DisputeRaised", "DisputeDialogueHeld", "DisputeReferredToKommunstyrelsen",
                           "DisputeDecided", "DisputeWithdrawn"})
"""The entry types a dispute list reads (beside the registration, amendments and corrections)."""
_STEPS = ("DisputeDialogueHeld", "DisputeReferredToKommunstyrelsen", "DisputeDecided",
          "DisputeWithdrawn")
_QUIET = {"type", "effective_date", "dispute_seq", "terms"}


@cache
def _templates() -> Environment:
    environment = Environment(loader=PackageLoader("api", "templates"),
                              autoescape=select_autoescape(["html"]))
    environment.filters.update(day=sv.day, instant=sv.instant, money=sv.money)
    environment.globals.update(label=sv.label)
    return environment


def _citations(value: Any, key: str = "") -> list[tuple[str, dict[str, Any]]]:
    """(terms key, citation) for every citation in the terms."""
    found: list[tuple[str, dict[str, Any]]] = []
    if isinstance(value, dict):
        if "section" in value and "quote" in value:
            found.append((key, value))
        for name, item in value.items():
            found += _citations(item, key or name)
    elif isinstance(value, list):
        for item in value:
            found += _citations(item, key)
    return found


def _cites(section: str, clause: str) -> bool:
    number = section.split(" ", 1)[0].rstrip(".")
    clause = clause.strip().rstrip(".")
    return number == clause or number.startswith(clause + ".")


def document_name(document: str, title: str) -> str:
    """A citation's document as a person names it: the contract's title, not a seed file."""
    return title if re.fullmatch(r"[\w.-]+\.(txt|md|pdf)", document) else document


def _fields(entry: Entry) -> list[tuple[str, str]]:
    return [(sv.label("field", key), sv.value(key, value)) for key, value in entry.data.items()
            if key not in _QUIET and value not in (None, [], {}, "")]


def _party(entry: Entry) -> str:
    """Whose act an entry is: its party field, else the recorder's role."""
    return sv.label("party", entry.data.get("by") or entry.role) if (
        entry.data.get("by") or entry.role in sv.PARTIES) else sv.label("role", entry.role)


def _row(entry: Entry, corrections: dict[int, Entry]) -> dict[str, Any]:
    correction = corrections.get(entry.seq)
    return {
        "seq": entry.seq, "day": sv.day(entry.effective_date), "what": sv.label("event", entry.type),
        "recorded": f"{sv.instant(entry.recorded_at)}, {entry.actor} ({sv.label('role', entry.role)})",
        "fields": _fields(entry),
        "corrected_by": ({"seq": correction.seq, "day": sv.day(correction.effective_date),
                          "reason": correction.data.get("reason", "")} if correction else None),
    }


def _position(entries: Sequence[Entry], on: date, title: str) -> dict[str, Any]:
    """Obligations, deviations and notice as the rules judge them on a day."""
    judged = evaluate(entries, through=on)
    obligations = [{"kind": sv.label("obligation", o.kind), "holder": sv.label("party", o.holder),
                    "due": sv.day(o.due), "status": sv.label("status", o.status_on(on)),
                    "clause": _clause_text(o.clause.section, o.clause.document, title),
                    "explanation": o.explanation}
                   for o in judged.obligations if o.status_on(on) in ("open", "overdue")]
    deviations = [{"kind": sv.label("deviation", d.kind), "code": d.kind,
                   "since": sv.day(d.since), "seqs": sv.value("seqs", list(d.seqs)),
                   "clause": _clause_text(d.clause.section, d.clause.document, title),
                   "explanation": d.explanation}
                  for d in judged.deviations if d.open_on(on)]
    notice = judged.notice
    return {"day": sv.day(on), "obligations": obligations, "deviations": deviations,
            "notice": sv.label("status", notice.status) if notice else sv.NOTHING,
            "ends_on": sv.day(notice.ends_on) if notice and notice.ends_on else None,
            "judged": judged}


def _tracked_from(entries: Sequence[Entry], registration: dict[str, Any]) -> str | None:
    corrected = corrected_seqs(entries)
    moved = [e for e in entries if e.type == "TrackingStartChanged" and e.seq not in corrected
             and "redacted" not in e.data]
    start = moved[-1].data["tracked_from"] if moved else registration.get("tracked_from")
    return sv.day(start) if start else None


def _clause_text(section: str, document: str, title: str) -> str:
    return f"{section} ({document_name(document, title)})"


def dossier_context(entries: Sequence[Entry], seq: int, *, today: date,
                    checkpoint: dict[str, Any] | None = None,
                    base_url: str = "") -> dict[str, Any] | None:
    """What the dossier shows about the dispute raised at ``seq``; None if it is no dispute."""
    corrected = corrected_seqs(entries)
    if not 1 <= seq <= len(entries) or entries[seq - 1].type != "DisputeRaised" or seq in corrected:
        return None
    dispute = entries[seq - 1]
    registration = entries[0].data
    title = registration["title"]
    terms = terms_on(registration["terms"], amendments_of(entries), today)
    typed_terms = Terms.model_validate(terms)
    corrections = {e.data["entry_seq"]: e for e in entries if e.type == "EntryCorrected"}
    # Policies are our readings where the texts are silent, not clauses a party can invoke.
    citations = _citations({k: v for k, v in terms.items() if k != "policies"})
    clauses = []
    for ref in dispute.data.get("clauses", []):
        # One heading per section, every sentence the terms quote from it beneath.
        sections: dict[tuple[str, str], dict[str, Any]] = {}
        for _key, c in citations:
            if _cites(c["section"], ref):
                section = sections.setdefault((c["document"], c["section"]), {
                    "section": c["section"], "document": document_name(c["document"], title),
                    "quotes": [], "inferred": False})
                if c["quote"] not in section["quotes"]:
                    section["quotes"].append(c["quote"])
                section["inferred"] |= bool(c.get("inferred"))
        clauses.append({"ref": ref, "citations": list(sections.values())})
    steps = [e for e in entries if e.type in _STEPS and e.data.get("dispute_seq") == seq
             and e.seq not in corrected]
    dialogues = [e for e in steps if e.type == "DisputeDialogueHeld"]
    referral = next((e for e in steps if e.type == "DisputeReferredToKommunstyrelsen"), None)
    decided = next((e for e in steps if e.type == "DisputeDecided"), None)
    withdrawn = next((e for e in steps if e.type == "DisputeWithdrawn"), None)

    raised_on = _position(entries, dispute.effective_date, title)
    now = _position(entries, today, title)
    # The chronology: the entries the dispute names, those the rules tie to the cited
    # clauses (obligations and deviations citing them), their corrections, and the steps.
    wanted = set(dispute.data.get("concerning_seqs", [])) | {dispute.seq} | {e.seq for e in steps}
    cited = dispute.data.get("clauses", [])
    # The rules ignore corrected entries; judged as if nothing were corrected, they show
    # which corrected entries were on the cited clauses too (shown struck through).
    uncorrected = evaluate([e for e in entries if e.type != "EntryCorrected"], through=today)
    for judged in (raised_on["judged"], now["judged"], uncorrected):
        for o in judged.obligations:
            if any(_cites(o.clause.section, c) for c in cited):
                wanted |= {s for s in (o.created_by_seq, o.fulfilled_by_seq) if s}
        for d in judged.deviations:
            if any(_cites(d.clause.section, c) for c in cited):
                wanted |= set(d.seqs)
    wanted |= {c.seq for s, c in corrections.items() if s in wanted}
    chronology = [_row(e, corrections) for e in entries if e.seq in wanted and e.seq > 1]

    without_dialogue = any(d["code"] == "referral_without_dialogue" for d in now["deviations"]) or (
        referral is not None and not any(d.effective_date <= referral.effective_date for d in dialogues)
        and bool((terms.get("disputes") or {}).get("dialogue_first")))
    by = sv.label("party", dispute.data.get("by", dispute.role))
    decision = None
    if decided is not None:
        anslaget = decided.data.get("anslaget_on")
        decision = {"day": sv.day(decided.effective_date), "text": decided.data.get("decision", ""),
                    "paragraph": decided.data.get("paragraph", ""),
                    "justerat": sv.day(decided.data.get("justerat_on")) if decided.data.get(
                        "justerat_on") else None,
                    "anslaget": sv.day(anslaget) if anslaget else None,
                    "appeal_until": None, "window_ends": None}
        if anslaget:
            window = legal.appeal_window(date.fromisoformat(str(anslaget)))
            decision |= {"appeal_until": sv.day(window.appealable_until),
                         "window_ends": sv.day(window.window_ends)}
    status = dispute_status(steps)
    return {
        "title": title, "today": sv.day(today), "seq": seq,
        "errand": f"Tvist om {dispute.data.get('subject', '')}",
        "diarienummer": dispute.data.get("document_ref") or registration.get("diarienummer"),
        "contract": {"ref": dispute.contract, "title": title,
                     "diarienummer": registration.get("diarienummer") or sv.NOTHING,
                     "dated": sv.day(registration.get("dated")) if registration.get("dated") else None,
                     "in_force": sv.day((registration.get("in_force_from") or {}).get("date")),
                     "tracked_from": _tracked_from(entries, registration),
                     "bestallare": registration.get("bestallare"),
                     "utforare": registration.get("utforare")},
        "status": sv.label("status", status),
        # Issue 12: what kind of agreement this is, and the documents the ledger does not hold.
        "frame": legal.internal_agreement(typed_terms),
        "incorporated": legal.incorporated_documents(typed_terms),
        "dispute": {"by": by, "day": sv.day(dispute.effective_date),
                    "subject": dispute.data.get("subject", ""), "note": dispute.data.get("note"),
                    "clauses": ", ".join(cited) or sv.NOTHING},
        "positions": [{"who": by, "day": sv.day(dispute.effective_date), "what": "väckte tvisten",
                       "text": dispute.data.get("subject", "") + (
                           f" ({dispute.data['note']})" if dispute.data.get("note") else "")}]
        + [{"who": _party(d), "day": sv.day(d.effective_date), "what": "dialog",
            "text": d.data.get("outcome", "")} for d in dialogues],
        "referral": sv.day(referral.effective_date) if referral else None,
        "without_dialogue": without_dialogue, "dialogue_held": bool(dialogues),
        "withdrawn": sv.day(withdrawn.effective_date) if withdrawn else None,
        "decision": decision, "clauses": clauses, "chronology": chronology,
        "positions_on": [raised_on, now], "checkpoint": checkpoint, "base_url": base_url,
        "dispute_hash": dispute.hash,
    }


DISPUTE_STATUSES = ("raised", "dialogue_held", "referred", "decided", "withdrawn")


def dispute_status(steps: Sequence[Entry]) -> str:
    """Where a dispute stands, from its steps (not corrected): the furthest reached."""
    types = {e.type for e in steps}
    for step, status in (("DisputeDecided", "decided"), ("DisputeWithdrawn", "withdrawn"),
                         ("DisputeReferredToKommunstyrelsen", "referred"),
                         ("DisputeDialogueHeld", "dialogue_held")):
        if step in types:
            return status
    return "raised"


def disputes(entries: Sequence[Entry], *, today: date) -> list[dict[str, Any]]:
    """Every dispute of one contract (not corrected) with where it stands, for the lists; a
    decided one with its laglighetsprövning window (``domain.legal.disputes``)."""
    corrected = corrected_seqs(entries)
    steps: dict[int, list[Entry]] = {}
    for e in entries:
        if e.type in _STEPS and e.seq not in corrected:
            steps.setdefault(e.data.get("dispute_seq", 0), []).append(e)
    decided = {d["seq"]: d for d in legal.disputes(entries, today=today) if d["status"] == "decided"}
    return [{**{k: v for k, v in decided.get(e.seq, {}).items() if k in _APPEAL_FIELDS},
             "ref": e.contract, "seq": e.seq, "subject": e.data.get("subject", ""),
             "by": e.data.get("by"), "raised_on": e.effective_date,
             "status": dispute_status(steps.get(e.seq, [])),
             "dossier": f"/contracts/{e.contract}/disputes/{e.seq}/dossier"}
            for e in entries if e.type == "DisputeRaised" and e.seq not in corrected]


_APPEAL_FIELDS = frozenset({"decided_on", "paragraph", "justerat_on", "anslaget_on",
                            "appeal_window_ends", "appealable_until", "appealable"})


def dossier_html(context: dict[str, Any]) -> str:
    return _templates().get_template("dossier.html").render(**context)


def dossier_pdf(context: dict[str, Any]) -> bytes:
    """The same HTML as PDF (WeasyPrint; A4, header, footer and page numbers from its @page CSS)."""
    from weasyprint import HTML

    return HTML(string=dossier_html({**context, "pdf": True})).write_pdf()  # type: ignore[no-any-return]
