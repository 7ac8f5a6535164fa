"""Clause families of the provider's duties and standing requirements: reports, lex Sarah,
supervision, premises, insyn, competence, insurance, waiting time, disputes, force majeure and
expected results."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from typing import Any

from domain.drafting import phrases as ph
from domain.drafting.cite import Reading
from domain.drafting.text import amounts, first_quantity, number, yearly_due
from domain.drafting.text import decimal_text as _plain
from domain.terms import Policies

Found = dict[str, Any] | None
_POLICY_DAYS = {"omgaende": Policies().omgaende_working_days,
                "pa_eget_initiativ": Policies().unspecified_notice_working_days,
                "ska_meddelas": Policies().unspecified_notice_working_days}


def annual_report(r: Reading) -> Found:
    """"senast 31 mars … redovisa en kortfattad verksamhetsberättelse"."""
    for s in r.find(ph.ANNUAL_REPORT, unless=ph.LEX_SARAH):
        due = yearly_due(s.text)
        if due:
            return {"citation": r.cite(s), "month": due[0], "day": due[1]}
    return None


def lex_sarah_summary(r: Reading) -> Found:
    for s in r.find(ph.LEX_SARAH, ph.SUMMARY):
        due = yearly_due(s.text)
        if due:
            return {"citation": r.cite(s), "month": due[0], "day": due[1]}
    return None


def _prompt(r: Reading, *cues: re.Pattern[str]) -> Found:
    for s in r.find(*cues):
        policy = next((p for pattern, p in ph.TIMING if pattern.search(s.text)), "ska_meddelas")
        return {"citation": r.cite(s), "working_days": _POLICY_DAYS[policy], "policy": policy}
    return None


def lex_sarah_copy(r: Reading) -> Found:
    """A copy of every lex Sarah anmälan to IVO, "omgående"."""
    return _prompt(r, ph.LEX_SARAH, ph.COPY)


def supervision_report(r: Reading) -> Found:
    """"Om IVO inleder tillsyn … ska utföraren på eget initiativ informera beställaren"."""
    return _prompt(r, ph.SUPERVISION, ph.INFORM)


def premises(r: Reading) -> Found:
    """Notify a change of premises; premises within the tätort."""
    change = r.first(ph.PREMISES_CHANGE, ph.NOTIFIED_PARTY)
    tatort = r.first(ph.TATORT)
    if change is None and tatort is None:
        return None
    clause: dict[str, Any] = {"citation": r.cite(change or tatort), "must_be_in_tatort": tatort is not None,
                              "notify_on_change": change is not None}
    if tatort is not None:
        clause["tatort_citation"] = r.cite(tatort)
    if change is not None:
        m = ph.NOTIFIED_PARTY.search(change.text)
        clause["notify"] = (m["v"] or m["w"]).removeprefix("eventuellt ")
    return clause


def insyn(r: Reading) -> Found:
    """Planned changes to be notified beforehand, and to whom the information goes."""
    s = r.first(ph.INSYN, ph.INFORM)
    if s is None:
        return None
    nxt = r.doc.next(s)
    to = ph.SENT_TO.search(nxt.text) if nxt is not None else None
    return {"citation": r.cite(s, nxt if to else s), "notify": to["v"].strip() if to else "beställaren"}


def competence(r: Reading) -> Found:
    """Minimum numbers of socionomer or authorised counsellors, else the stated requirement."""
    clause: dict[str, Any] = {}
    for key, pattern in (("min_socionomer", ph.MIN_SOCIONOMER),
                         ("min_authorised_counsellors", ph.MIN_COUNSELLORS)):
        s = r.first(pattern)
        if s is not None and (n := number(pattern.search(s.text)["n"])) is not None:
            clause[key] = int(n)
            clause.setdefault("citation", r.cite(s))
            clause.setdefault("description", s.text.rstrip("."))
    if clause:
        return clause
    s = r.first(re.compile(r"."), section=ph.COMPETENCE_HEADING) or r.first(re.compile(r"^kompetens:",
                                                                                      re.IGNORECASE))
    if s is None:
        return None
    return {"citation": r.cite(s), "description": s.text.rstrip(".")}


def insurance(r: Reading) -> Found:
    """Liability insurance amounts, the pure economic loss cap and proof of renewal."""
    s = r.first(ph.LIABILITY_INSURANCE)
    if s is None:
        return None
    person = prop = None
    found = amounts(s.text)
    for i, amount in enumerate(found):
        tail = s.text[amount.end:found[i + 1].start if i + 1 < len(found) else len(s.text)]
        if ph.PERSON_DAMAGE.search(tail):
            person = (i, amount.kronor)
        if ph.PROPERTY_DAMAGE.search(tail):
            prop = (i, amount.kronor)
    if person is None and prop is None and found:
        person = prop = (0, found[0].kronor)  # one sum for the liability insurance as a whole
    if person is None or prop is None:
        return None
    clause: dict[str, Any] = {"citation": r.cite(s), "person_damage": _plain(person[1]),
                              "property_damage": _plain(prop[1]),
                              "separate_amounts": person[0] != prop[0]}  # one amount per kind of damage
    maintain = r.first(ph.INSURANCE_MAINTAINED)
    if maintain is not None:
        clause["maintain_citation"] = r.cite(maintain)
    cap = r.first(ph.PURE_ECONOMIC_LOSS)
    if cap is not None and (cap_amount := amounts(cap.text)):
        clause["pure_economic_loss_cap"] = _plain(cap_amount[0].kronor)
    before = r.first(ph.PROOF_BEFORE_SIGNING)
    clause["proof_before_signing"] = before is not None
    renewal = r.first(ph.RENEWAL_PROOF)
    if renewal is not None and (days := first_quantity(renewal.text, "days")) is not None:
        clause["renewal_proof_days_before_expiry"] = days
        first = before if before is not None and before.index == renewal.index - 1 else renewal
        clause["renewal_citation"] = r.cite(first, r.run(renewal, ph.PROOF_FOLLOW_ON))
    return clause


def waiting_time(r: Reading) -> Found:
    """"Om väntetider över 14 dagar uppstår under en längre tid ska … informeras"."""
    s = r.first(ph.WAITING, ph.INFORM)
    if s is None:
        return None
    m = ph.WAITING.search(s.text)
    clause: dict[str, Any] = {"citation": r.cite(s), "max_wait_days": int(number(m["n"]) or 0)}
    persisting = ph.PERSISTING.search(s.text)
    if persisting:
        # "under en längre tid" read as two consecutive reports: a choice, so inferred.
        clause["consecutive_reports"] = 2
        clause["persistence_citation"] = r.cite(s, quote=s.text[:persisting.end()], inferred=True)
    talk = r.first(ph.FIRST_TALK)
    if talk is not None and (days := first_quantity(talk.text[ph.FIRST_TALK.search(talk.text).start():],
                                                    "days")):
        clause["first_talk_within_days"] = days
        clause["first_talk_citation"] = r.cite(talk)
    return clause


def disputes(r: Reading) -> Found:
    """The forum ("lösas av kommunstyrelsen") and whether dialogue or negotiation comes first."""
    s = r.first(ph.DISPUTE, ph.FORUM)
    if s is None:
        return None
    return {"citation": r.cite(s), "forum": ph.FORUM.search(s.text)["v"].lower(),
            "dialogue_first": bool(ph.DIALOGUE_FIRST.search(s.text))}


def force_majeure(r: Reading) -> Found:
    s = r.first(ph.FORCE_MAJEURE)
    if s is None:
        return None
    clause: dict[str, Any] = {"citation": r.cite(s)}
    labour = r.first(ph.LABOUR_DISPUTE_NOT_EXCUSED)
    clause["labour_dispute_excused"] = labour is None
    if labour is not None:
        clause["labour_dispute_citation"] = r.cite(labour)
    crisis = r.first(ph.CRISIS_NOT_EXCUSED)
    clause["crisis_preparedness_excused"] = crisis is None
    if crisis is not None:
        clause["crisis_preparedness_citation"] = r.cite(crisis)
    return clause


def expected_results(r: Reading) -> Found:
    """Targets written as "… ska uppleva … (80%)"."""
    targets, first = [], None
    for s in r.doc.sentences:
        m = ph.TARGET.match(s.text)
        if m:
            first = first or s
            targets.append({"id": _slug(m["text"]), "text": m["text"].strip(),
                            "percent": _plain(Decimal(m["p"]))})
    if first is None:
        return None
    return {"citation": r.cite(first), "targets": targets}


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = [w for w in re.findall(r"[a-z]+", ascii_text) if len(w) > 3][:5]
    return "_".join(words) or "mal"
