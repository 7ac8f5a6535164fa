"""Uppgifter på begäran (V, S Uppföljning) and klagomål som berör förvaltningen (F 4.3).

* ``InformationRequested`` by the beställare opens ``information_request`` on the
  utförare, due on the request's own ``due`` where it names one; else **policy**
  ``information_on_request.working_days`` Swedish working days after the request
  (the texts set no time). ``InformationProvided`` naming it fulfils it. A
  contract without the clause gets no obligation.
* ``ComplaintReceived`` with ``concerns_forvaltning`` opens
  ``complaint_information`` on the utförare ("ska Leanlink lämna uppgifter om det
  till förvaltningen"), no time stated → ``complaint_forwarding.working_days``;
  ``ComplaintForwarded`` naming it fulfils it.
"""

from __future__ import annotations

from datetime import date

from domain.calendar import explain_working_day
from domain.rules.history import History, due_dates, prompt_obligation
from domain.rules.model import Deviation, Obligation

READS = frozenset({"InformationRequested", "InformationProvided", "ComplaintReceived",
                   "ComplaintForwarded"})
"""The entry types these rules read (``History.reading`` holds them to it)."""


def rules(history: History) -> tuple[list[Obligation], list[Deviation]]:
    obligations = []
    provided = history.first_reference("InformationProvided", "request_seq")
    for entry in history.triggers("InformationRequested"):
        clause = history.terms_at(entry.effective_date).information_on_request
        if clause is None:
            continue
        done = provided.get(entry.seq)
        duty = ("ta fram och utan extra kostnad lämna de uppgifter beställaren begärt "
                f"({entry.data['subject']})")
        stated = entry.data.get("due")
        if stated is None:
            obligations.append(prompt_obligation(
                kind="information_request", holder="utforare", clause=clause.citation, trigger=entry,
                working_days=clause.working_days, fulfilment=done,
                duty=duty + "; begäran anger ingen tidpunkt (policy)"))
            continue
        due, working = due_dates(date.fromisoformat(stated),
                                 history.terms_at(entry.effective_date).policies)
        tail = f"; senast {due} enligt begäran"
        if working != due:
            tail += f"; {explain_working_day(due)}"
        obligations.append(Obligation(
            id=f"information_request:{entry.seq}", kind="information_request", holder="utforare",
            clause=clause.citation, due=due, due_working_day=working, arises_on=entry.effective_date,
            created_by_seq=entry.seq, explanation=duty + tail,
            fulfilled_by_seq=done.seq if done else None,
            fulfilled_on=done.effective_date if done else None,
        ))
    forwarded = history.first_reference("ComplaintForwarded", "complaint_seq")
    for entry in history.triggers("ComplaintReceived"):
        forwarding = history.terms_at(entry.effective_date).complaint_forwarding
        if forwarding is None or not entry.data["concerns_forvaltning"]:
            continue
        obligations.append(prompt_obligation(
            kind="complaint_information", holder="utforare", clause=forwarding.citation, trigger=entry,
            working_days=forwarding.working_days, fulfilment=forwarded.get(entry.seq),
            duty=(f"lämna uppgifter till {forwarding.notify} om synpunkter och klagomål som även "
                  "berör förvaltningen")))
    return obligations, []

