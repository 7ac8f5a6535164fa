"""C 5 Försäkringar: "I annat fall äger kommunen rätt att teckna försäkring på utförarens bekostnad."

Where the contract has the remedy (``insurance_remedy``) and a renewal-proof duty
(``insurance.renewal_proof_days_before_expiry``): when no proof of a renewed
insurance (a later proof with a later ``expires_on``) is recorded by the day it
is due, ``insurance_remedy_available`` runs from the day after until such a proof
is recorded. Its explanation lists the consequence the clause gives: the kommun
may take out the insurance at the utförare's cost. No remedy arises for an expiry
whose proof falls due after the contract's end.
"""

from __future__ import annotations

from datetime import date, timedelta

from domain.rules.history import History
from domain.rules.model import Deviation, Obligation

READS = frozenset({"InsuranceProofSubmitted"})
"""The entry types these rules read (``History.reading`` holds them to it)."""


def rules(history: History) -> tuple[list[Obligation], list[Deviation]]:
    proofs = [e for e in history.in_time_order("InsuranceProofSubmitted")
              if history.ends_on is None or e.effective_date <= history.ends_on]
    expiries = [date.fromisoformat(e.data["expires_on"]) for e in proofs]
    through = history.through or date.max
    deviations: list[Deviation] = []
    seen: set[date] = set()
    for i, entry in enumerate(proofs):
        terms = history.terms_at(entry.effective_date)
        remedy, insurance = terms.insurance_remedy, terms.insurance
        if remedy is None or insurance is None or insurance.renewal_proof_days_before_expiry is None:
            continue
        expires = expiries[i]
        if expires in seen:
            continue
        seen.add(expires)
        due = expires - timedelta(days=insurance.renewal_proof_days_before_expiry)
        if (history.ends_on is not None and due > history.ends_on) or due >= through:
            continue
        renewal = next((p for j, p in enumerate(proofs[i + 1:], i + 1) if expiries[j] > expires), None)
        if renewal is not None and renewal.effective_date <= due:
            continue
        deviations.append(Deviation(
            kind="insurance_remedy_available", clause=remedy.citation, since=due + timedelta(days=1),
            seqs=(entry.seq,) if renewal is None else (entry.seq, renewal.seq),
            until=renewal.effective_date if renewal else None,
            explanation=(f"bevis om förnyad ansvarsförsäkring (försäkringen löper ut {expires}) "
                         f"lämnades inte senast {due}; följd: kommunen äger rätt att teckna "
                         "försäkring på utförarens bekostnad"
                         + (f"; bevis lämnat {renewal.effective_date}" if renewal else "")),
        ))
    return [], deviations
