"""The legal frame around the terms: legal basis, the municipal frame, laglighetsprövning.

Pure functions over the terms (as data) and entries; the reads and the dossier use them.

**Policy — laglighetsprövning (kommunallagen 13 kap. 5 §).** An appeal must have
reached the förvaltningsrätt within three weeks from the day it was posted on the
kommun's anslagstavla that the protocol was justerat (``anslaget_on``): the last
day is ``anslaget_on`` + 21 days (a posting on a Monday ends on the Monday three
weeks later). Where that day is a Saturday, Sunday, public holiday,
midsommarafton, julafton or nyårsafton, the appeal may come in on the next
working day (lagen (1930:173) om beräkning av lagstadgad tid, 2 §), so
``appealable_until`` is moved to it; ``window_ends`` keeps the unmoved day.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from domain.calendar import on_or_next_working_day
from domain.contract import Entry
from domain.terms import LegalReference, Terms

APPEAL_WEEKS = 3

# The ledger's knowledge of the references the texts cite (issue 12's list): whether each still
# holds under that name. One table, read by the terms reader (domain/drafting) to propose a
# reference's currency; the text itself never says whether a law has since been replaced.
REFERENCES_CHECKED_ON = date(2026, 11, 26)
_SOL_NOTE = ("Socialtjänstlagen (2001:453) upphävdes och ersattes av socialtjänstlagen (2025:400) från "
             "2025-07-01; hänvisningar till SoL och lex Sarah-bestämmelserna behöver ses över.")
_EXTRAORDINARY = "om kommuners och regioners åtgärder inför och vid extraordinära händelser i fredstid och " \
                 "höjd beredskap"
_LAG_TITLE = "om kommuners och landstings åtgärder inför och vid extraordinära händelser i fredstid och " \
             "höjd beredskap"
_RENAMED_TITLE = "Landstingen heter regioner sedan 2019-01-01; {}s rubrik ändrades därefter."
# reference as the texts name it → (status, successor, since, note)
KNOWN_REFERENCES: dict[str, tuple[str, str, date, str]] = {
    "Socialtjänstlagen (SoL)": ("superseded", "socialtjänstlag (2025:400)", date(2025, 7, 1), _SOL_NOTE),
    "service utan föregående biståndsprövning": (
        "renamed", "insatser utan individuell behovsprövning", date(2025, 7, 1),
        "Socialtjänstlagen (2025:400) talar om insatser utan individuell behovsprövning."),
    "Sveriges Kommuner och Landsting (SKL)": (
        "renamed", "Sveriges Kommuner och Regioner (SKR)", date(2019, 11, 27),
        "SKL bytte namn till SKR 2019-11-27; OPI publiceras av SKR."),
    "SOSFS 2006:5": (
        "superseded", "SOSFS 2014:5", date(2015, 5, 1),
        "Socialstyrelsens föreskrifter om dokumentation (SOSFS 2006:5) ersattes av SOSFS 2014:5."),
    f"lag {_LAG_TITLE}": ("renamed", f"lag (2006:544) {_EXTRAORDINARY}", date(2020, 1, 1),
                          _RENAMED_TITLE.format("lagen")),
    f"förordning {_LAG_TITLE}": ("renamed", f"förordning (2006:637) {_EXTRAORDINARY}", date(2020, 1, 1),
                                 _RENAMED_TITLE.format("förordningen")),
    "landsting": ("renamed", "regioner", date(2019, 1, 1),
                  "Kommunallagen benämner landstingen regioner från 2019-01-01."),
    "Barnkonventionen": (
        "current", "lag (2018:1197) om Förenta nationernas konvention om barnets rättigheter",
        date(2020, 1, 1), "Barnkonventionen gäller som svensk lag från 2020-01-01."),
}


def currency(reference: str) -> dict[str, Any] | None:
    """A known reference's status, successor and dates as ``LegalReference`` fields; None if unknown."""
    known = KNOWN_REFERENCES.get(reference)
    if known is None:
        return None
    status, successor, since, note = known
    return {"status": status, "successor": successor, "since": since.isoformat(),
            "checked_on": REFERENCES_CHECKED_ON.isoformat(), "note": note}

INTERNAL_AGREEMENT = (
    "Uppdraget är en intern överenskommelse inom en och samma juridiska person, Linköpings kommun, "
    "och inget civilrättsligt avtal: tvister prövas inte av domstol utan avgörs av {forum} "
    "inom ramen för dess uppsikt över nämnderna."
)


def internal_agreement(terms: Terms) -> str:
    """The one plain sentence on what kind of agreement this is and who decides disputes."""
    forum = terms.disputes.forum if terms.disputes is not None else "kommunstyrelsen"
    return INTERNAL_AGREEMENT.format(forum=forum)


def incorporated_documents(terms: Terms) -> list[str]:
    """A sentence per incorporated document the ledger does not hold."""
    return [f"Verksamheten regleras i detalj i dokumentet ”{doc.title}”, som inte finns i liggaren: "
            f"skyldigheter enligt det dokumentet syns inte här ({doc.citation.section})."
            for doc in terms.incorporated_documents or () if not doc.held_by_ledger]


@dataclass(frozen=True, slots=True)
class LegalBasis:
    """One reference the contract's text cites, its status and the clauses citing it."""

    reference: str
    status: str
    successor: str | None
    since: date | None
    checked_on: date
    note: str | None
    clauses: list[dict[str, Any]]

    @property
    def stale(self) -> bool:
        """Needs a pass in the next amendment: superseded, renamed, or given a successor."""
        return self.status != "current" or self.successor is not None


def legal_basis(terms: Terms, *, stale_only: bool = False) -> list[LegalBasis]:
    """The contract's legal references, one per reference (their clauses merged), stale first."""
    merged: dict[str, LegalReference] = {}
    clauses: dict[str, list[dict[str, Any]]] = {}
    for item in terms.legal_basis or ():
        merged.setdefault(item.reference, item)
        found = clauses.setdefault(item.reference, [])
        for citation in item.clauses:
            value = citation.model_dump(mode="json")
            if value not in found:
                found.append(value)
    views = [LegalBasis(r.reference, r.status, r.successor, r.since, r.checked_on, r.note,
                        clauses[r.reference]) for r in merged.values()]
    views = [v for v in views if v.stale or not stale_only]
    return sorted(views, key=lambda v: (not v.stale, v.reference.casefold()))


def parties_on(registration: dict[str, Any], successions: Iterable[Entry], as_of: date) -> dict[str, str]:
    """The parties' names in force on ``as_of``: as registered, then each ``PartySucceeded``."""
    parties = {"bestallare": registration["bestallare"], "utforare": registration["utforare"]}
    for entry in sorted(successions, key=lambda e: (e.effective_date, e.seq)):
        if entry.type == "PartySucceeded" and entry.effective_date <= as_of \
                and "redacted" not in entry.data:  # gallrad: no longer says who succeeded
            parties[entry.data["party"]] = entry.data["successor"]
    return parties


@dataclass(frozen=True, slots=True)
class AppealWindow:
    """Laglighetsprövning of kommunstyrelsen's decision (kommunallagen 13 kap. 5 §)."""

    anslaget_on: date
    window_ends: date
    appealable_until: date

    def open_on(self, day: date) -> bool:
        return self.anslaget_on <= day <= self.appealable_until


def appeal_window(anslaget_on: date) -> AppealWindow:
    """Three weeks from the day the justering was posted; a non-working last day moves on."""
    ends = anslaget_on + timedelta(weeks=APPEAL_WEEKS)
    return AppealWindow(anslaget_on, ends, on_or_next_working_day(ends))


def decided(entries: Sequence[Entry], dispute_seq: int, corrected: Iterable[int] = ()) -> Entry | None:
    """The decision (``DisputeDecided``) of the dispute raised at ``dispute_seq``, if any."""
    skip = set(corrected)
    return next((e for e in entries if e.type == "DisputeDecided" and e.seq not in skip
                 and e.data.get("dispute_seq") == dispute_seq), None)


def disputes(entries: Sequence[Entry], *, today: date) -> list[dict[str, Any]]:
    """Each dispute of one contract: its status and, once decided, the laglighetsprövning window."""
    # Corrected and gallrad entries count for nothing (a gallrad one has no content left).
    corrected = {e.data["entry_seq"] for e in entries if e.type in ("EntryCorrected", "EntryRedacted")}
    corrected |= {e.seq for e in entries if "redacted" in e.data}
    steps: dict[int, dict[str, Entry]] = {}
    for entry in entries:
        target = entry.data.get("dispute_seq")
        if target is not None and entry.seq not in corrected:
            steps.setdefault(target, {}).setdefault(entry.type, entry)
    found = []
    for entry in entries:
        if entry.type != "DisputeRaised" or entry.seq in corrected:
            continue
        mine = steps.get(entry.seq, {})
        decision, withdrawn = mine.get("DisputeDecided"), mine.get("DisputeWithdrawn")
        status = ("decided" if decision else "withdrawn" if withdrawn
                  else "referred" if "DisputeReferredToKommunstyrelsen" in mine else "open")
        view: dict[str, Any] = {
            "ref": entry.contract, "seq": entry.seq, "subject": entry.data["subject"],
            "raised_on": entry.effective_date, "status": status,
            "dossier": f"/contracts/{entry.contract}/disputes/{entry.seq}/dossier"}
        if decision is not None:
            view |= {"decided_on": decision.effective_date, "paragraph": decision.data.get("paragraph"),
                     "justerat_on": decision.data.get("justerat_on"),
                     "anslaget_on": decision.data.get("anslaget_on")}
            if view["anslaget_on"]:
                window = appeal_window(date.fromisoformat(view["anslaget_on"]))
                view |= {"appeal_window_ends": window.window_ends,
                         "appealable_until": window.appealable_until,
                         "appealable": window.open_on(today)}
        found.append(view)
    return found
