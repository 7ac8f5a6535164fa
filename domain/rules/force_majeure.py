"""Befrielsegrunder (V 5.1, S Befrielsegrunder; S Beredskapsplaner "ingen force majeure").

``ForceMajeureDeclared`` by a party names the duties (obligation kinds) it cannot
perform from its ``effective_date``, until ``until`` or the day before a
``ForceMajeureEnded`` naming it, whichever is earlier (open-ended while neither
is known). Where the clause frees that party from that cause, each of the
party's obligations of those kinds falling due inside the suspension is
**suspended**: status ``suspended`` over those days, not overdue. **Policy**: the
clause frees a party only "under den tid förhållandet råder", so the duty revives
afterwards, due on the first working day after the suspension (unknown while it
lasts). A declaration the clause does not cover — no such clause (F, C), or S's
utförare, whom neither a labour dispute nor any other circumstance frees — is
recorded with no effect: ``force_majeure_without_effect``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from domain.calendar import next_working_day_after
from domain.rules.history import History
from domain.rules.model import Deviation, Obligation
from domain.terms import Citation

READS = frozenset({"ForceMajeureDeclared", "ForceMajeureEnded"})
"""The entry types these rules read (``History.reading`` holds them to it)."""

_WHO = {"bestallare": "beställaren", "utforare": "utföraren"}


@dataclass(frozen=True, slots=True)
class Suspension:
    """One effective declaration: whose duties of which kinds are suspended over which days."""

    seq: int
    holder: str
    kinds: frozenset[str]
    first: date
    last: date | None
    citation: Citation


def _judge(history: History) -> tuple[list[Suspension], list[Deviation]]:
    ended: dict[int, date] = {}
    for entry in history.of("ForceMajeureEnded"):
        target = entry.data["declaration_seq"]
        if target not in ended or entry.effective_date < ended[target]:
            ended[target] = entry.effective_date
    suspensions, deviations = [], []
    registration = history.registration
    for entry in history.triggers("ForceMajeureDeclared"):
        clause = history.terms_at(entry.effective_date).force_majeure
        by, cause = entry.data["by"], entry.data["cause"]
        refusal: tuple[Citation, str] | None = None
        if clause is None:
            refusal = (Citation(
                document=registration.diarienummer or registration.title,
                section="Befrielsegrunder (saknas)",
                quote="Uppdraget innehåller ingen bestämmelse om befrielsegrunder.", inferred=True,
            ), "uppdraget innehåller ingen bestämmelse om befrielsegrunder")
        elif by == "utforare" and cause == "labour_dispute" and not clause.labour_dispute_excused:
            refusal = (clause.labour_dispute_citation or clause.citation,
                       "en arbetskonflikt fritar inte utföraren enligt uppdraget")
        elif by == "utforare" and cause != "labour_dispute" and not clause.crisis_preparedness_excused:
            refusal = (clause.crisis_preparedness_citation or clause.citation,
                       "uppdraget medger ingen befrielse för utföraren (ingen force majeure)")
        if refusal is not None:
            deviations.append(Deviation(
                kind="force_majeure_without_effect", clause=refusal[0], since=entry.effective_date,
                seqs=(entry.seq,), until=entry.effective_date,
                explanation=(f"{_WHO[by]} åberopade befrielsegrund {entry.effective_date} "
                             f"({entry.data['description']}) utan verkan: {refusal[1]}; "
                             "skyldigheterna består"),
            ))
            continue
        assert clause is not None
        last = entry.data.get("until")
        last = date.fromisoformat(last) if last else None
        if entry.seq in ended:
            day_before = ended[entry.seq] - timedelta(days=1)
            last = day_before if last is None else min(last, day_before)
        suspensions.append(Suspension(entry.seq, by, frozenset(entry.data["duties"]),
                                      entry.effective_date, last, clause.citation))
    return suspensions, deviations


def rules(history: History) -> tuple[list[Obligation], list[Deviation]]:
    return [], _judge(history)[1]


def suspend(obligations: list[Obligation], history: History) -> list[Obligation]:
    """``obligations`` with those falling due inside an effective suspension suspended."""
    suspensions = _judge(history.reading(READS))[0]
    if not suspensions:
        return obligations
    found = []
    for o in obligations:
        for s in suspensions:
            if (o.holder == s.holder and o.kind in s.kinds and o.due is not None
                    and s.first <= o.due and (s.last is None or o.due <= s.last)):
                o = _suspended(o, s)
                break
        found.append(o)
    return found


def _suspended(o: Obligation, s: Suspension) -> Obligation:
    due = None if s.last is None else next_working_day_after(s.last)
    span = f"från {s.first}" + (f" till och med {s.last}" if s.last else ", tills vidare")
    revived = (f"; skyldigheten gäller åter och ska fullgöras senast {due} "
               "(första arbetsdagen efter befrielsen, policy)" if due
               else "; ny tidpunkt när befrielsen upphör")
    return replace(o, due=due, due_working_day=due, suspended_from=s.first, suspended_until=s.last,
                   explanation=(f"{o.explanation}; uppskjuten av befrielsegrund (post {s.seq}) {span}, "
                                f"ursprungligen senast {o.due}{revived}"))
