"""Omförhandling (V 5.0, S "Omförhandling mm"): a party's call for negotiation, and its outcome.

"… äger parterna rätt att påkalla förhandling om ändring av ersättning …": a
``RenegotiationRequested`` by one party opens ``renegotiation`` on the other, to
take part in the negotiation. The texts set no time, so it has no due date
(**policy**, as for the dispute dialogue). ``RenegotiationConcluded`` naming it
records the outcome (agreed or not; an agreed change of the compensation still
takes effect only through a signed ``AmendmentSigned``) and fulfils it. Where the
contract has no such clause the request opens nothing.
"""

from __future__ import annotations

from domain.rules.history import History, counterpart
from domain.rules.model import Deviation, Obligation

READS = frozenset({"RenegotiationRequested", "RenegotiationConcluded"})
"""The entry types these rules read (``History.reading`` holds them to it)."""

_WHO = {"bestallare": "beställaren", "utforare": "utföraren"}


def rules(history: History) -> tuple[list[Obligation], list[Deviation]]:
    concluded = history.first_reference("RenegotiationConcluded", "request_seq")
    obligations = []
    for entry in history.triggers("RenegotiationRequested"):
        clause = history.terms_at(entry.effective_date).renegotiation
        if clause is None:
            continue
        by = entry.data["by"]
        done = concluded.get(entry.seq)
        outcome = ""
        if done is not None:
            result = "ändringsavtal" if done.data.get("amended") else "ingen ändring av uppdraget"
            outcome = f"; utfall {done.effective_date}: {done.data['outcome']} ({result})"
        obligations.append(Obligation(
            id=f"renegotiation:{entry.seq}", kind="renegotiation", holder=counterpart(by),
            clause=clause.citation, due=None, due_working_day=None, arises_on=entry.effective_date,
            created_by_seq=entry.seq,
            explanation=(f"{_WHO[by]} påkallade {entry.effective_date} förhandling om "
                         f"{clause.subject} ({entry.data['grounds']}); motparten ska delta i "
                         "förhandlingen; uppdraget anger ingen tidsfrist" + outcome),
            fulfilled_by_seq=done.seq if done else None,
            fulfilled_on=done.effective_date if done else None,
        ))
    return obligations, []
