"""Kompetens och bemanning (F 2.6, S Kompetenskrav, C 2 Ersättning, S Insyn).

Judged at each ``StaffingChanged`` in time order; a count the change does not
report keeps its last reported value.

* fewer socionomer than ``competence.min_socionomer`` → ``socionomer_below_minimum``;
* fewer authorised counsellors than the minimum → ``counsellors_below_minimum``;
  each until a later change restores the count;
* an ``fte_allocation`` differing from the agreed one, recorded without
  ``agreed_with_bestallare`` where changes require agreement →
  ``fte_change_not_agreed`` until a later change restores the agreed allocation
  or is agreed (an agreed change becomes the agreed allocation);
* S (insyn): a planned change → ``staffing_notice`` due *before* it happens,
  i.e. due on the change's effective date (a notice on or before it is in time);
  fulfilled by ``StaffingChangeNotified``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from domain.calendar import on_or_next_working_day
from domain.rules.history import History, Standing
from domain.rules.model import Deviation, Obligation

READS = frozenset({"StaffingChangeNotified", "StaffingChanged"})
"""The entry types these rules read (``History.reading`` holds them to it)."""


def _allocation(raw: dict) -> dict[str, Decimal]:
    return {unit: amount.normalize() for unit, fte in raw.items() if (amount := Decimal(str(fte)))}


def rules(history: History) -> tuple[list[Obligation], list[Deviation]]:
    obligations = []
    notified = history.first_reference("StaffingChangeNotified", "change_seq")
    for entry in history.triggers("StaffingChanged"):
        if not entry.data["planned"]:
            continue
        clause = history.terms_at(entry.effective_date).insyn
        if clause is None:
            continue
        done = notified.get(entry.seq)
        day = entry.effective_date
        obligations.append(Obligation(
            id=f"staffing_notice:{entry.seq}", kind="staffing_notice", holder="utforare",
            clause=clause.citation, due=day, due_working_day=on_or_next_working_day(day),
            arises_on=day, created_by_seq=entry.seq,
            explanation=(f"meddela {clause.notify} den planerade förändringen i förväg; "
                         f"senast samma dag som förändringen sker: {day}"),
            fulfilled_by_seq=done.seq if done else None,
            fulfilled_on=done.effective_date if done else None,
        ))

    socionomer = Standing("socionomer_below_minimum")
    counsellors = Standing("counsellors_below_minimum")
    unagreed = Standing("fte_change_not_agreed")
    agreed: dict[str, Decimal] | None = None
    ends_on = history.ends_on or date.max
    terms_at = history.terms_at
    for entry in history.in_time_order("StaffingChanged"):
        if entry.effective_date > ends_on:
            break
        terms = terms_at(entry.effective_date)
        competence = terms.competence
        data = entry.data
        minimum_s = competence.min_socionomer if competence else None
        _judge_minimum(socionomer, entry, competence, data.get("socionomer"), minimum_s,
                       "medarbetare med socionomutbildning", "socionomer")
        minimum_c = competence.min_authorised_counsellors if competence else None
        _judge_minimum(counsellors, entry, competence, data.get("authorised_counsellors"), minimum_c,
                       "auktoriserade familjerådgivare/legitimerade psykoterapeuter", "auktoriserade")
        clause = terms.fte_allocation
        raw = data.get("fte_allocation")
        if clause is None or raw is None:
            continue
        if agreed is None:
            agreed = _allocation(clause.units)
        allocation = _allocation(raw)
        if entry.data.get("agreed_with_bestallare") or not clause.change_requires_agreement:
            agreed = allocation
            unagreed.met(entry, "fördelningen överenskommen med beställaren")
        elif allocation == agreed:
            unagreed.met(entry, "den överenskomna fördelningen återställd")
        elif unagreed.is_open:
            unagreed.unmet(entry, clause.change_citation or clause.citation, "")
        else:
            changed = sorted(set(allocation) | set(agreed))
            detail = ", ".join(f"{u} {agreed.get(u, 0)}→{allocation.get(u, 0)}" for u in changed
                               if agreed.get(u, 0) != allocation.get(u, 0))
            unagreed.unmet(entry, clause.change_citation or clause.citation,
                           f"bemanningen per verksamhet ändrad utan samråd med beställaren ({detail})")
    deviations = socionomer.result() + counsellors.result() + unagreed.result()
    return obligations, deviations


def _judge_minimum(standing: Standing, entry: Any, competence: Any, count: int | None,
                   minimum: int | None, who: str, short: str) -> None:
    """One minimum-count requirement at one staffing change; a count not reported keeps its state."""
    if minimum is None:
        standing.met(entry, "kravet gäller inte längre från")
    elif count is not None:
        if count < minimum:
            # Only the change that opens a deviation gives its explanation.
            standing.unmet(entry, competence.citation, "" if standing.is_open else
                           f"{count} {who}, minst {minimum} krävs")
        elif standing.is_open:
            standing.met(entry, f"{count} {short} från")
