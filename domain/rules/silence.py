"""Nothing silent: what an act whose legal effect is nil (or not yet) says about itself.

``POST /contracts/{ref}/events`` answers every recorded act with its effects. Where the
rules give an act no obligation, no notice effect and no deviation, the answer says so
and why, in Swedish, citing the clause that makes it so, or the clause the contract
lacks ("(saknas)"). A two-party act not yet accepted says whose acceptance it awaits.
Pure: from the entry, the terms in force on its date, and the judged history.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Literal

from domain.contract import Entry
from domain.rules.agreement import is_proposal, proposer
from domain.rules.history import History
from domain.rules.notice import missing_clause
from domain.terms import Citation, Policies, Terms
from domain.vocabulary import EVENT_TYPES

_WHO = {"bestallare": "beställaren", "utforare": "utföraren"}

# Event type → (the terms' clause that gives it effect, what the clause is about (Swedish)).
_CLAUSES: dict[str, tuple[Callable[[Terms], object], str]] = {
    "BreachNoticeIssued": (lambda t: t.early_termination, "Förtida uppsägning"),
    "BreachRemedied": (lambda t: t.early_termination, "Förtida uppsägning"),
    "LexSarahReported": (lambda t: t.lex_sarah_summary, "Lex Sarah"),
    "LexSarahNotifiedToIVO": (lambda t: t.lex_sarah_copy, "Lex Sarah"),
    "LexSarahSummarySubmitted": (lambda t: t.lex_sarah_summary, "Lex Sarah"),
    "AnnualReportSubmitted": (lambda t: t.annual_report, "Uppföljning"),
    "SupervisionOpened": (lambda t: t.supervision_report, "Tillsyn"),
    "SupervisionClosed": (lambda t: t.supervision_report, "Tillsyn"),
    "PremisesChanged": (lambda t: t.premises or t.insyn, "Lokaler"),
    "StaffingChanged": (lambda t: t.insyn or t.competence or t.fte_allocation, "Bemanning"),
    "InsuranceProofSubmitted": (lambda t: t.insurance, "Försäkringar"),
    "WaitingTimeReported": (lambda t: t.waiting_time, "Väntetider"),
    "WaitingTimeNotified": (lambda t: t.waiting_time, "Väntetider"),
    "ServiceHoursReported": (lambda t: t.billing, "Timdebitering"),
    "AdditionalHoursOrdered": (lambda t: t.volume, "Volym"),
    "IndexationApplied": (lambda t: t.compensation.indexation, "Ersättning"),
    "DisputeRaised": (lambda t: t.disputes, "Tvist"),
    "DisputeDialogueHeld": (lambda t: t.disputes, "Tvist"),
    "DisputeReferredToKommunstyrelsen": (lambda t: t.disputes, "Tvist"),
    "DisputeDecided": (lambda t: t.disputes, "Tvist"),
    "DisputeWithdrawn": (lambda t: t.disputes, "Tvist"),
    "TerminationNoticeGiven": (lambda t: t.termination, "Uppsägning"),
    "TerminationNoticeWithdrawn": (lambda t: t.termination, "Uppsägning"),
    "AmendmentSigned": (lambda t: t.amendments, "Ändringar och tillägg"),
    "EarlyTerminationGiven": (lambda t: t.early_termination, "Förtida uppsägning"),
    "LexSarahCopySent": (lambda t: t.lex_sarah_copy, "Lex Sarah"),
    "SupervisionReportedToBestallare": (lambda t: t.supervision_report, "Tillsyn"),
    "PremisesChangeNotified": (lambda t: t.premises or t.insyn, "Lokaler"),
    "StaffingChangeNotified": (lambda t: t.insyn, "Insyn"),
}

# Corrections are the ledger's own rule (DOMAIN.md §2 principle 4), not a clause of a contract.
_CORRECTION = Citation(
    document="DOMAIN.md", section="2. Principles",
    quote="Never edit, correct. A mistaken entry is neutralised by an EntryCorrected event "
          "that names it and says why; both stay in the trail.", inferred=True)


_GALLRING = Citation(
    document="API.md", section="Command line",
    quote="admin: removes an entry's content under a gallringsbeslut; every proof still verifies",
    inferred=True)


@dataclass(frozen=True, slots=True)
class Said:
    """What the answer says of an act: ``no_effect`` (nil in law), ``recorded`` (its effect is
    elsewhere than in obligations: terms, money, counts), ``awaits_acceptance`` or ``accepts``."""

    effect: Literal["no_effect", "recorded", "awaits_acceptance", "accepts"]
    summary: str
    clause: Citation


def _citation(history: History, terms: Terms, kind: str) -> tuple[Citation, bool]:
    """The clause giving ``kind`` its effect, or a citation of its absence; and whether found."""
    if kind not in _CLAUSES:
        if kind == "EntryRedacted":
            return _GALLRING, True
        return _CORRECTION if kind == "EntryCorrected" else Policies().citation, True
    getter, topic = _CLAUSES[kind]
    clause = getter(terms)
    if clause is None:
        return missing_clause(history, topic, f"Uppdraget saknar bestämmelse om {topic.lower()}."), False
    return clause.citation, True  # type: ignore[attr-defined]


def awaiting(entry: Entry, history: History, accepted: bool) -> Said | None:
    """A two-party act not yet accepted: whose acceptance it awaits, and what holds until then."""
    terms = history.terms_at(entry.effective_date)
    if accepted or not is_proposal(entry, terms):
        return None
    party = proposer(entry)
    other = _WHO["utforare" if party == "bestallare" else "bestallare"]
    clause, _ = _citation(history, terms, entry.type)
    if entry.type == "TerminationNoticeGiven":
        meanwhile = "till dess gäller uppdragets uppsägningstid"
        what = f"den överenskomna tiden {entry.data['agreed_months']} månader"
    elif entry.type == "TerminationNoticeWithdrawn":
        meanwhile = "till dess står uppsägningen kvar"
        what = f"återkallelsen av uppsägningen (post {entry.data['notice_seq']})"
    else:
        allocation = terms.fte_allocation
        clause = (allocation.change_citation or allocation.citation) if allocation else clause
        meanwhile = "till dess gäller den överenskomna bemanningen och ersättningen"
        what = "den ändrade bemanningen per verksamhet"
    return Said("awaits_acceptance",
                f"{what} gäller först när {other} registrerat sitt godkännande (av post "
                f"{entry.seq}); {meanwhile}", clause)


def accepts(entry: Entry, proposal: Entry, effective_from: date, history: History) -> Said:
    """An acceptance: which act, and from when its agreed effect applies."""
    clause, _ = _citation(history, history.terms_at(proposal.effective_date), proposal.type)
    if proposal.type == "StaffingChanged" and (allocation := history.terms_at(
            proposal.effective_date).fte_allocation) is not None:
        clause = allocation.change_citation or allocation.citation
    return Said("accepts", f"{_WHO.get(entry.role, entry.role)} godtar post {proposal.seq} "
                           f"({EVENT_TYPES.get(proposal.type, proposal.type).lower()}); den överenskomna "
                           f"verkan gäller från "
                           f"{effective_from}, den senare av de två dagarna", clause)


def nil(entry: Entry, history: History) -> Said:
    """Why an act with no obligation, notice effect or deviation has none."""
    terms = history.terms_at(entry.effective_date)
    clause, found = _citation(history, terms, entry.type)
    data = entry.data
    if not found:
        why = f"uppdraget saknar bestämmelse om detta ({clause.section}), så händelsen ger ingen skyldighet"
        if entry.type == "BreachNoticeIssued":
            why = ("uppdraget saknar bestämmelse om förtida uppsägning: påpekandet öppnar ingen "
                   "rättelsefrist och kan inte leda till förtida uppsägning")
        return Said("no_effect", f"registrerad utan rättsverkan: {why}", clause)
    if entry.type == "BreachNoticeIssued" and not data.get("written"):
        why = "påpekandet är inte skriftligt; ingen rättelsefrist börjar löpa"
    elif entry.type in ("AnnualReportSubmitted", "LexSarahSummarySubmitted") \
            and entry.effective_date < date(data["year"] + 1, 1, 1):
        policy = Policies().citation
        return Said("no_effect", f"räknas inte: {data['year']} har inte slutat, och ett år kan "
                                 "inte redovisas innan det är slut (policy)", policy)
    elif entry.type in _RECORDED:
        return Said("recorded", f"registrerad: {_RECORDED[entry.type](data)}", clause)
    else:
        why = "ger ingen ny skyldighet eller avvikelse enligt uppdraget"
    return Said("no_effect", f"registrerad utan rättsverkan: {why}", clause)


# Acts whose effect is not an obligation: what they change instead.
_RECORDED: dict[str, Callable[[dict], str]] = {
    "DisputeDecided": lambda d: (
        f"tvisten är avgjord av kommunstyrelsen ({d['paragraph']}); beslutet kan överklagas genom "
        "laglighetsprövning inom tre veckor från att protokollet anslagits"),
    "DisputeWithdrawn": lambda d: f"tvisten (post {d['dispute_seq']}) är återkallad och avslutad",
    "IndexationApplied": lambda d: f"ersättningen för {d['year']} räknas om från 1 januari {d['year']}",
    "AmendmentSigned": lambda d: "villkoren ändras från ändringens datum",
    "ServiceHoursReported": lambda d: f"timmarna för {d['month']} ingår i månadens debitering",
    "AdditionalHoursOrdered": lambda d: (
        f"taket för {d['year']} höjs med {d['hours']} timmar" if d["written"] else
        "avropet är inte skriftligt och höjer inte taket"),
    "LexSarahReported": lambda d: "räknas i årets sammanställning av lex Sarah",
    "SupervisionClosed": lambda d: "tillsynen är avslutad",
    "EntryCorrected": lambda d: (f"post {d['entry_seq']} räknas inte längre; den står kvar i "
                                 "historiken med skälet till rättelsen"),
    "EntryRedacted": lambda d: (f"post {d['entry_seq']} är gallrad enligt beslut {d['decision']}: "
                                "dess innehåll är borttaget och den räknas inte längre; dess "
                                "kontrollsumma står kvar, så kedjan verifieras som förut"),
}
