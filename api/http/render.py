"""Rendering documents: the dispute dossier (jinja2 → HTML, fpdf2 → PDF) and iCalendar."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from domain.contract import Entry
from projections.judgement import amendments_of, corrected_seqs, terms_on

_STEPS = {
    "DisputeDialogueHeld": "Dialog",
    "DisputeReferredToKommunstyrelsen": "Hänskjuten till kommunstyrelsen",
    "DisputeDecided": "Beslut",
    "DisputeWithdrawn": "Återkallad",
}
_QUIET = {"type", "effective_date", "dispute_seq"}


@cache
def _templates() -> Environment:
    return Environment(loader=PackageLoader("api", "templates"),
                       autoescape=select_autoescape(["html"]))


def negotiate(accept: str | None, offered: Sequence[str]) -> str | None:
    """The offered media type the Accept header prefers (the first offered for */*); None if none."""
    if not accept or not accept.strip():
        return offered[0]
    best: tuple[float, int, str] | None = None
    for part in accept.split(","):
        media, _, params = part.strip().partition(";")
        media = media.strip().lower()
        quality = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if not 0 < quality <= 1:
            continue
        for rank, candidate in enumerate(offered):
            kind = candidate.split("/")[0]
            if media in (candidate, "*/*", f"{kind}/*") and (
                    best is None or (quality, -rank) > (best[0], best[1])):
                best = (quality, -rank, candidate)
    return best[2] if best else None


def _citations(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, dict):
        if "section" in value and "quote" in value:
            yield value
        for item in value.values():
            yield from _citations(item)
    elif isinstance(value, list):
        for item in value:
            yield from _citations(item)


def _cites(section: str, clause: str) -> bool:
    number = section.split(" ", 1)[0].rstrip(".")
    return number == clause.rstrip(".") or number.startswith(clause.rstrip(".") + ".")


def _summary(entry: Entry, limit: int = 300) -> str:
    if entry.type == "ContractRegistered":
        return str(entry.data.get("title", ""))
    text = "; ".join(f"{key}: {value}" for key, value in entry.data.items()
                     if key not in _QUIET and value not in (None, [], {}))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def dossier_context(entries: Sequence[Entry], seq: int, *, today: date) -> dict[str, Any] | None:
    """What the dossier shows about the dispute raised at ``seq``; None if it is no dispute."""
    corrected = corrected_seqs(entries)
    if not 1 <= seq <= len(entries) or entries[seq - 1].type != "DisputeRaised" or seq in corrected:
        return None
    dispute = entries[seq - 1]
    registration = entries[0].data
    terms = terms_on(registration["terms"], amendments_of(entries), today)
    # Policies are our readings where the texts are silent, not clauses a party can invoke.
    citations = list(_citations({k: v for k, v in terms.items() if k != "policies"}))
    clauses = []
    for ref in dispute.data.get("clauses", []):
        found = {(c["document"], c["section"], c["quote"]): c
                 for c in citations if _cites(c["section"], ref)}
        clauses.append({"ref": ref, "citations": list(found.values())})
    concerned = [{**_entry_dict(entries[s - 1]), "summary": _summary(entries[s - 1])}
                 for s in dispute.data.get("concerning_seqs", []) if 1 <= s <= len(entries)]
    steps = [{"entry": e, "label": _STEPS[e.type], "summary": _summary(e)} for e in entries
             if e.type in _STEPS and e.data.get("dispute_seq") == seq and e.seq not in corrected]
    disputes = terms.get("disputes") or {}
    frame = _frame(terms, seq, steps)
    return {**frame,"contract": {"ref": dispute.contract, "title": registration["title"],
                         "diarienummer": registration.get("diarienummer")},
            "dispute": dispute, "clauses": clauses, "concerned": concerned, "steps": steps,
            "dialogue": any(s["entry"].type == "DisputeDialogueHeld" for s in steps),
            "dialogue_first": bool(disputes.get("dialogue_first")), "today": today}


def _frame(terms: dict[str, Any], seq: int, steps: list[dict[str, Any]]) -> dict[str, Any]:
    """Issue 12: the internal-agreement sentence, documents not held, and the appeal window."""
    from domain.legal import appeal_window, incorporated_documents, internal_agreement
    from domain.terms import Terms

    typed = Terms.model_validate(terms)
    appeal = None
    decision = next((s["entry"] for s in steps if s["entry"].type == "DisputeDecided"), None)
    if decision is not None and decision.data.get("anslaget_on"):
        window = appeal_window(date.fromisoformat(decision.data["anslaget_on"]))
        appeal = {"justerat_on": decision.data.get("justerat_on"), "anslaget_on": window.anslaget_on,
                  "window_ends": window.window_ends, "appealable_until": window.appealable_until}
    return {"frame": internal_agreement(typed), "incorporated": incorporated_documents(typed),
            "appeal": appeal}


def _entry_dict(entry: Entry) -> dict[str, Any]:
    return {"seq": entry.seq, "type": entry.type, "effective_date": entry.effective_date,
            "actor": entry.actor, "role": entry.role}


def dossier_html(context: dict[str, Any]) -> str:
    return _templates().get_template("dossier.html").render(**context)


def dossier_pdf(context: dict[str, Any]) -> bytes:
    """The same dossier laid out as PDF with fpdf2 (text flows over pages; DejaVu for Unicode)."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    family = "helvetica"
    font = _unicode_font()
    if font:
        family = "DejaVu"
        pdf.add_font(family, "", font)
        pdf.add_font(family, "B", font.replace("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"))
    pdf.add_page()
    contract, dispute = context["contract"], context["dispute"]

    def heading(text: str, size: int = 13) -> None:
        pdf.ln(2)
        pdf.set_font(family, "B", size)
        pdf.multi_cell(0, 7, _pdf_text(text, font), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(family, "", 10)

    def para(text: str) -> None:
        pdf.multi_cell(0, 5, _pdf_text(text, font), new_x="LMARGIN", new_y="NEXT")

    heading(f"Tvist om {contract['title']}", 16)
    para(f"Underlag till kommunstyrelsen. Avtal: {contract['ref']}"
         + (f", {contract['diarienummer']}" if contract["diarienummer"] else "")
         + f". Sammanställt {context['today']} ur liggaren (post {dispute.seq}).")
    para(context["frame"])
    for sentence in context["incorporated"]:
        para(f"Obs: {sentence}")
    heading("Tvistefrågan")
    para(dispute.data.get("subject", ""))
    para(f"Väckt {dispute.effective_date} av {dispute.data.get('by')} "
         f"(registrerad av {dispute.actor}, {dispute.recorded_at.isoformat()}).")
    heading("Avtalsvillkor som åberopas")
    for clause in context["clauses"] or [{"ref": "Inga avsnitt angivna.", "citations": []}]:
        para(f"Avsnitt {clause['ref']}")
        for citation in clause["citations"]:
            para(f"{citation['document']}, {citation['section']}: \u201d{citation['quote']}\u201d")
    heading("Händelser som tvisten gäller")
    for entry in context["concerned"] or [{"seq": "-", "type": "Inga", "effective_date": "",
                                           "actor": "", "role": "", "summary": ""}]:
        para(f"Post {entry['seq']}: {entry['type']} {entry['effective_date']} "
             f"({entry['actor']}, {entry['role']}) {entry['summary']}")
    heading("Förlopp")
    para(f"Post {dispute.seq}: Tvist väckt {dispute.effective_date} ({dispute.actor})")
    for step in context["steps"]:
        entry = step["entry"]
        para(f"Post {entry.seq}: {step['label']} {entry.effective_date} ({entry.actor}) "
             f"{step['summary']}")
    if context["appeal"]:
        appeal = context["appeal"]
        heading("Laglighetsprövning")
        para(f"Protokollet justerades {appeal['justerat_on']} och justeringen anslogs "
             f"{appeal['anslaget_on']}. Beslutet kan överklagas genom laglighetsprövning inom tre "
             f"veckor från anslaget (kommunallagen 13 kap. 5 §): senast {appeal['appealable_until']}.")
    if context["dialogue_first"] and not context["dialogue"]:
        para("Avvikelse: avtalet kräver dialog före hänskjutning, men ingen dialog är registrerad.")
    return bytes(pdf.output())


def _pdf_text(text: str, unicode_font: str | None) -> str:
    # Without a Unicode font the core fonts take Latin-1 only.
    return text if unicode_font else text.encode("latin-1", "replace").decode("latin-1")


@cache
def _unicode_font() -> str | None:
    from pathlib import Path

    for candidate in ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",):
        path = Path(candidate)
        if path.exists() and path.with_name("DejaVuSans-Bold.ttf").exists():
            return str(path)
    return None


def calendar_ics(obligations: Sequence[tuple[str, Any]], *, stamp: datetime,
                 next_day: timedelta) -> bytes:
    """An iCalendar (RFC 5545) of all-day events, one per obligation deadline."""
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//Linköpings kommun//verksamhetsuppdrag-ledger//SV")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Verksamhetsuppdrag: tidsfrister")
    for ref, obligation in obligations:
        if obligation.due is None:
            continue
        event = Event()
        event.add("uid", f"{ref}.{obligation.id}@verksamhetsuppdrag-ledger")
        event.add("dtstamp", stamp)
        event.add("dtstart", obligation.due)
        event.add("dtend", obligation.due + next_day)
        event.add("summary", f"{obligation.kind} ({obligation.holder}): {ref}")
        clause = obligation.clause
        lines = [obligation.explanation, f"{clause.document}, {clause.section}: {clause.quote}"]
        if obligation.due_working_day and obligation.due_working_day != obligation.due:
            lines.append(f"Nästa arbetsdag: {obligation.due_working_day}")
        event.add("description", "\n".join(line for line in lines if line))
        event.add("categories", [obligation.holder])
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return bytes(calendar.to_ical())
