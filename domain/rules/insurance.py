"""Försäkringar (V, S, C 5): liability insurance of at least the required amounts; C: renewal proof.

* ``InsuranceProofSubmitted`` with an amount below the required one (the
  smaller of the person- and property-damage amounts: one policy covers both)
  → ``insurance_below_minimum`` until a later proof meets it.
* Where ``renewal_proof_days_before_expiry`` is set (C: "senast en vecka innan
  försäkringen löper ut"): each proof opens ``insurance_proof`` for its expiry
  (period = the expiry date), due expiry − that many days, arising on the
  proof's date. **Policy**: it is fulfilled by the first later proof (by
  effective date) whose ``expires_on`` is later; one that comes after the due
  date still fulfils it, late. No renewal is due for an expiry after the
  contract's end.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from domain.calendar import on_or_next_working_day
from domain.rules.history import History, Standing
from domain.rules.model import Deviation, Obligation

READS = frozenset({"InsuranceProofSubmitted"})
"""The entry types these rules read (``History.reading`` holds them to it)."""


def rules(history: History) -> tuple[list[Obligation], list[Deviation]]:
    proofs = [e for e in history.in_time_order("InsuranceProofSubmitted")
              if history.ends_on is None or e.effective_date <= history.ends_on]
    expiries = [date.fromisoformat(e.data["expires_on"]) for e in proofs]
    obligations: list[Obligation] = []
    below = Standing("insurance_below_minimum")
    seen: set[date] = set()
    for i, entry in enumerate(proofs):
        clause = history.terms_at(entry.effective_date).insurance
        if clause is None:
            continue
        amount = Decimal(str(entry.data["amount"]))
        required = min(clause.person_damage, clause.property_damage)
        if amount < required:
            below.unmet(entry, clause.citation,
                        f"ansvarsförsäkringen hos {entry.data['insurer']} gäller {amount} kr, "
                        f"minst {required} kr krävs")
        else:
            below.met(entry, f"försäkringsbelopp {amount} kr från")
        days = clause.renewal_proof_days_before_expiry
        expires = expiries[i]
        if days is None or expires in seen:
            continue
        seen.add(expires)
        due = expires - timedelta(days=days)
        if history.ends_on is not None and due > history.ends_on:
            continue
        renewal = next((p for j, p in enumerate(proofs[i + 1:], i + 1) if expiries[j] > expires), None)
        obligations.append(Obligation(
            id=f"insurance_proof:{expires}", kind="insurance_proof", holder="utforare",
            clause=clause.renewal_citation or clause.citation, due=due,
            due_working_day=on_or_next_working_day(due), arises_on=entry.effective_date,
            created_by_seq=entry.seq, period=expires.isoformat(),
            explanation=(f"lämna bevis om förnyad ansvarsförsäkring; försäkringen löper ut {expires}, "
                         f"beviset senast {days} dagar innan: {due}"),
            fulfilled_by_seq=renewal.seq if renewal else None,
            fulfilled_on=renewal.effective_date if renewal else None,
        ))
    return obligations, below.result()
