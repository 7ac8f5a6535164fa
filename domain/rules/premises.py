"""Lokaler (F 3, C 4): notify a change of premises; premises must be in Linköpings tätort.

* ``premises_notice`` on each ``PremisesChanged`` where the clause says to notify:
  due the clause's ``notice_working_days`` (5, "ska meddelas" with no time)
  Swedish working days after the change; fulfilled by ``PremisesChangeNotified``.
* ``premises_outside_tatort`` while the latest premises are outside tätorten,
  until a later ``PremisesChanged`` within it.
"""

from __future__ import annotations

from domain.rules.history import History, Standing, prompt_obligation
from domain.rules.model import Deviation, Obligation

READS = frozenset({"PremisesChangeNotified", "PremisesChanged"})
"""The entry types these rules read (``History.reading`` holds them to it)."""


def rules(history: History) -> tuple[list[Obligation], list[Deviation]]:
    obligations = []
    notified = history.first_reference("PremisesChangeNotified", "change_seq")
    for entry in history.triggers("PremisesChanged"):
        clause = history.terms_at(entry.effective_date).premises
        if clause is None or not clause.notify_on_change:
            continue
        obligations.append(prompt_obligation(
            kind="premises_notice", holder="utforare", clause=clause.citation, trigger=entry,
            working_days=clause.notice_working_days, fulfilment=notified.get(entry.seq),
            duty=f"meddela {clause.notify or 'beställaren'} bytet av lokaler till {entry.data['address']}",
        ))

    outside = Standing("premises_outside_tatort")
    for entry in history.in_time_order("PremisesChanged"):
        if history.ends_on is not None and entry.effective_date > history.ends_on:
            break
        clause = history.terms_at(entry.effective_date).premises
        if clause is None or not clause.must_be_in_tatort:
            outside.met(entry, "kravet gäller inte längre från")
        elif entry.data["within_tatort"]:
            outside.met(entry, "lokalerna ligger i tätorten från")
        else:
            outside.unmet(entry, clause.tatort_citation or clause.citation,
                          f"lokalerna ({entry.data['address']}) ligger utanför Linköpings tätort")
    return obligations, outside.result()
