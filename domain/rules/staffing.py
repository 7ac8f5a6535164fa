"""Kompetens och bemanning (F 2.6, S Kompetenskrav, C 2 Ersättning, S Insyn).

Judged at each ``StaffingChanged`` in time order; a count the change does not
report keeps its last reported value.

* fewer socionomer than ``competence.min_socionomer`` → ``socionomer_below_minimum``;
* fewer authorised counsellors than the minimum → ``counsellors_below_minimum``;
  each until a later change restores the count;
* FTE per unit (C 2): a change of ``fte_allocation`` (every unit, or with
  ``fte_allocation_partial`` only those named, the others keeping theirs) differing
  from the agreed allocation → ``fte_change_not_agreed`` until the beställare accepts
  it (``AgreementAccepted``: the change is the agreed allocation from the later of the
  two dates) or a later change restores the agreed allocation. The utförare's own
  record never makes a change agreed (DOMAIN.md §2 principle 3);
* S (insyn): a planned change, and any change of premises, → ``staffing_notice`` /
  ``premises_notice`` due *before* it happens: on the change's date, shown on the
  working day on or before it. A change recorded ahead of its date opens the duty at
  its recording (``History.ahead``), and a notice from then on is in time.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from domain.calendar import iso
from domain.contract import Entry
from domain.rules import agreement
from domain.rules.history import History, Standing, due_dates, recorded_on
from domain.rules.model import Deviation, Obligation
from domain.terms import Insyn

READS = frozenset({"StaffingChangeNotified", "StaffingChanged", "PremisesChanged",
                   "PremisesChangeNotified"}) | agreement.READS
"""The entry types these rules read (``History.reading`` holds them to it)."""


class _At(NamedTuple):
    """A point a standing requirement is judged at: a day and the entry behind it."""

    effective_date: date
    seq: int


def _allocation(raw: dict) -> dict[str, Decimal]:
    return {unit: amount.normalize() for unit, fte in raw.items() if (amount := Decimal(str(fte)))}


def arises(entry: Entry) -> date:
    """When a planned change's notice duty arises: at its recording, if that was before it."""
    return min(entry.effective_date, recorded_on(entry))


def _items(entry: Entry) -> str:
    data = entry.data
    items = []
    if data.get("socionomer") is not None or data.get("authorised_counsellors") is not None:
        items.append("personalsammansättning")
    if data.get("fte_allocation") is not None:
        items.append("personalbemanning")
    if data.get("manager_changed"):
        items.append("byte av arbetsledare")
    return ", ".join(items) or "personalbemanning"


def _insyn_notice(kind: str, entry: Entry, clause: Insyn, what: str, done: Entry | None,
                  history: History) -> Obligation:
    day = entry.effective_date
    due, working = due_dates(day, history.terms_at(day).policies, before=True)
    return Obligation(
        id=f"{kind}:{entry.seq}", kind=kind, holder="utforare",
        clause=clause.citation, due=due, due_working_day=working,
        arises_on=arises(entry), created_by_seq=entry.seq,
        explanation=(f"meddela {clause.notify} den planerade förändringen ({what}) i förväg; "
                     f"senast samma dag som förändringen sker: {iso(day)}"
                     + (f" (arbetsdag {iso(working)})" if working != due else "")),
        fulfilled_by_seq=done.seq if done else None,
        fulfilled_on=done.effective_date if done else None,
    )


def rules(history: History) -> tuple[list[Obligation], list[Deviation]]:
    obligations = []
    notified = history.first_reference("StaffingChangeNotified", "change_seq")
    premises_notified = history.first_reference("PremisesChangeNotified", "change_seq")
    ends_on = history.ends_on or date.max
    for entry in [*history.triggers("StaffingChanged"), *history.ahead("StaffingChanged")]:
        clause = history.terms_at(entry.effective_date).insyn
        if clause is None or not entry.data["planned"]:
            continue
        obligations.append(_insyn_notice("staffing_notice", entry, clause, _items(entry),
                                         notified.get(entry.seq), history))
    for entry in [*history.triggers("PremisesChanged"), *history.ahead("PremisesChanged")]:
        terms = history.terms_at(entry.effective_date)
        # Premises are a resource insyn covers; where a premises clause asks for notice of
        # its own (F, C), the premises rules hold that duty.
        if terms.insyn is None or (terms.premises is not None and terms.premises.notify_on_change):
            continue
        obligations.append(_insyn_notice(
            "premises_notice", entry, terms.insyn, f"lokaler: {entry.data['address']}",
            premises_notified.get(entry.seq), history))

    socionomer = Standing("socionomer_below_minimum")
    counsellors = Standing("counsellors_below_minimum")
    terms_at = history.terms_at
    changes = [e for e in history.in_time_order("StaffingChanged") if e.effective_date <= ends_on]
    for entry in changes:
        competence = terms_at(entry.effective_date).competence
        data = entry.data
        minimum_s = competence.min_socionomer if competence else None
        _judge_minimum(socionomer, entry, competence, data.get("socionomer"), minimum_s,
                       "medarbetare med socionomutbildning", "socionomer")
        minimum_c = competence.min_authorised_counsellors if competence else None
        _judge_minimum(counsellors, entry, competence, data.get("authorised_counsellors"), minimum_c,
                       "auktoriserade familjerådgivare/legitimerade psykoterapeuter", "auktoriserade")
    deviations = socionomer.result() + counsellors.result() + _fte(history, changes)
    return obligations, deviations


def allocations(history: History) -> list[tuple[date, int, dict[str, Decimal]]]:
    """The agreed FTE allocation over time: (from, seq, allocation), in time order, starting
    with the contract's own; a change counts once accepted (or where no agreement is needed)."""
    ends_on = history.ends_on or date.max
    changes = [e for e in history.in_time_order("StaffingChanged") if e.effective_date <= ends_on]
    return _timeline(history, changes)[1]


def _timeline(history: History, changes: list[Entry]) -> tuple[list, list]:
    """(points, agreed): every FTE change and acceptance in time order, with the reported
    allocation after each; and the agreed allocations (from, seq, allocation)."""
    accepted = agreement.acceptances(history)
    points: list[tuple[date, int, Entry, bool]] = []
    for entry in changes:
        if entry.data.get("fte_allocation") is None:
            continue
        points.append((entry.effective_date, entry.seq, entry, False))
        acceptance = accepted.get(entry.seq)
        if acceptance is not None:
            points.append((acceptance.effective_from, acceptance.entry.seq, entry, True))
    points.sort(key=lambda p: (p[0], p[1]))
    clause0 = history.terms_at(history.in_force_from).fte_allocation
    agreed_line: list[tuple[date, int, dict[str, Decimal]]] = []
    if clause0 is not None:
        agreed_line.append((history.in_force_from, 1, _allocation(clause0.units)))
    reported: dict[str, Decimal] | None = None
    proposed: dict[int, dict[str, Decimal]] = {}
    judged = []
    for day, seq, entry, is_acceptance in points:
        clause = history.terms_at(day).fte_allocation
        if clause is None:
            continue
        base = _allocation(clause.units)
        if reported is None:
            reported = base
        if not agreed_line:
            agreed_line.append((day, 1, base))
        if is_acceptance:
            agreed_line.append((day, seq, proposed.get(entry.seq, reported)))
        else:
            raw = _allocation(entry.data["fte_allocation"])
            reported = {**reported, **raw} if entry.data.get("fte_allocation_partial") else raw
            reported = {u: v for u, v in reported.items() if v}
            proposed[entry.seq] = reported
            if not clause.change_requires_agreement:
                agreed_line.append((day, seq, reported))
        judged.append((_At(day, seq), entry, clause, reported, agreed_line[-1][2]))
    return judged, agreed_line


def _fte(history: History, changes: list[Entry]) -> list[Deviation]:
    unagreed = Standing("fte_change_not_agreed")
    judged, _ = _timeline(history, changes)
    for at, entry, clause, reported, agreed in judged:
        if reported == agreed:
            unagreed.met(at, "fördelningen är överenskommen med beställaren från"
                         if at.seq != entry.seq else "den överenskomna fördelningen återställd")
        elif unagreed.is_open:
            unagreed.unmet(at, clause.change_citation or clause.citation, "")
        else:
            changed = sorted(set(reported) | set(agreed))
            detail = ", ".join(f"{u} {agreed.get(u, 0)}→{reported.get(u, 0)}" for u in changed
                               if agreed.get(u, 0) != reported.get(u, 0))
            unagreed.unmet(at, clause.change_citation or clause.citation,
                           f"bemanningen per verksamhet ändrad utan beställarens godkännande "
                           f"({detail}); den gäller först när beställaren registrerat sitt "
                           "godkännande")
    # A change accepted the day it takes effect was never out of line.
    return [d for d in unagreed.result() if d.until is None or d.until > d.since]


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
