"""Försäkringar (V, S, C 5): liability insurance of at least the required amounts, without a gap.

* ``InsuranceProofSubmitted`` below a required amount → ``insurance_below_minimum``
  until a later proof meets it. Where the clause states person and property cover as
  separate amounts (V, S: "20 mnkr för personskada och 20 mnkr för sakskada",
  ``Insurance.separate_amounts``), a proof's ``person_damage`` and
  ``property_damage`` are judged each against its own amount; a proof giving only one
  ``amount`` is read as covering each (an interpretation, so the deviation's citation is
  marked ``inferred``). Where the clause states one sum for both (C), ``amount`` is it.
* "under hela uppdragstiden vidmakthålla": from the day after a proof's ``expires_on``
  until a proof that covers the day is submitted → ``insurance_lapsed`` (while the
  contract is in force).
* Where ``renewal_proof_days_before_expiry`` is set (C: "senast en vecka före det att
  försäkringen går ut"): each proof opens ``insurance_proof`` for its expiry (period =
  the expiry date), due expiry − that many days, arising on the proof's date; a
  deadline *before* something shows the working day on or before it
  (``history.due_dates``). **Policy**: it is fulfilled by the first later proof (by
  effective date) whose ``expires_on`` is later; one that comes after the due date still
  fulfils it, late. No renewal is due for an expiry after the contract's end.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from domain.contract import Entry
from domain.rules.history import History, Standing, due_dates
from domain.rules.model import Deviation, Obligation
from domain.terms import Insurance

READS = frozenset({"InsuranceProofSubmitted"})
"""The entry types these rules read (``History.reading`` holds them to it)."""

_DAY = timedelta(days=1)


def rules(history: History) -> tuple[list[Obligation], list[Deviation]]:
    proofs = [e for e in history.in_time_order("InsuranceProofSubmitted")
              if history.ends_on is None or e.effective_date <= history.ends_on]
    expiries = [date.fromisoformat(e.data["expires_on"]) for e in proofs]
    obligations: list[Obligation] = []
    below = Standing("insurance_below_minimum")
    seen: set[date] = set()
    for i, entry in enumerate(proofs):
        terms = history.terms_at(entry.effective_date)
        clause = terms.insurance
        if clause is None:
            continue
        _judge_amounts(below, entry, clause)
        days = clause.renewal_proof_days_before_expiry
        expires = expiries[i]
        if days is None or expires in seen:
            continue
        seen.add(expires)
        due, working = due_dates(expires - timedelta(days=days), terms.policies, before=True)
        if history.ends_on is not None and due > history.ends_on:
            continue
        renewal = next((p for j, p in enumerate(proofs[i + 1:], i + 1) if expiries[j] > expires), None)
        obligations.append(Obligation(
            id=f"insurance_proof:{expires}", kind="insurance_proof", holder="utforare",
            clause=clause.renewal_citation or clause.citation, due=due,
            due_working_day=working, arises_on=entry.effective_date,
            created_by_seq=entry.seq, period=expires.isoformat(),
            explanation=(f"lämna bevis om förnyad ansvarsförsäkring; försäkringen löper ut {expires}, "
                         f"beviset senast {days} dagar innan: {due}"
                         + (f" (arbetsdag {working})" if working != due else "")),
            fulfilled_by_seq=renewal.seq if renewal else None,
            fulfilled_on=renewal.effective_date if renewal else None,
        ))
    return obligations, below.result() + _lapses(history, proofs, expiries)


def _judge_amounts(below: Standing, entry: Entry, clause: Insurance) -> None:
    data = entry.data
    amount = Decimal(str(data["amount"]))
    if clause.separate_amounts:
        given = {"personskada": data.get("person_damage"), "sakskada": data.get("property_damage")}
        inferred = any(v is None for v in given.values())
        cover = {k: Decimal(str(v)) if v is not None else amount for k, v in given.items()}
        required = {"personskada": clause.person_damage, "sakskada": clause.property_damage}
    else:
        inferred = False
        cover = {"personskada och sakskada": amount}
        required = {"personskada och sakskada": min(clause.person_damage, clause.property_damage)}
    short = [f"{k} {cover[k]} kr, minst {required[k]} kr krävs" for k in cover if cover[k] < required[k]]
    if short:
        citation = clause.citation.model_copy(update={"inferred": True}) if inferred else clause.citation
        note = (f" (beviset anger ett belopp, {amount} kr, som här tolkas gälla både personskada "
                "och sakskada)") if inferred else ""
        below.unmet(entry, citation, f"ansvarsförsäkringen hos {data['insurer']}: "
                                     f"{'; '.join(short)}{note}")
    else:
        below.met(entry, "försäkringsbeloppen uppfyller kravet från")


def _lapses(history: History, proofs: list[Entry], expiries: list[date]) -> list[Deviation]:
    """``insurance_lapsed`` for every day no proof covers, from the first proof on."""
    found: list[Deviation] = []
    covered: date | None = None  # the last day covered by the proofs submitted so far
    lapse: tuple[date, list[int]] | None = None
    ends_on = history.ends_on or date.max
    for entry, expires in zip(proofs, expiries, strict=True):
        clause = history.terms_at(entry.effective_date).insurance
        if clause is None:
            continue
        day = entry.effective_date
        if covered is not None and covered + _DAY < day and lapse is None:
            lapse = (covered + _DAY, [entry.seq])  # the gap before this proof
        if lapse is not None and expires >= day:
            since, seqs = lapse
            found.append(_lapsed(history, clause, since, (*seqs, entry.seq), day))
            lapse = None
        covered = expires if covered is None else max(covered, expires)
    through = history.through or date.max
    if lapse is not None:
        found.append(_lapsed(history, history.terms_at(lapse[0]).insurance, lapse[0],
                             tuple(lapse[1]), None))
    elif covered is not None and covered < min(ends_on, through):
        # Judged through a day: a lapse after it is not yet a fact (as yearly duties are not).
        clause = history.terms_at(covered + _DAY).insurance
        if clause is not None:
            found.append(_lapsed(history, clause, covered + _DAY, (proofs[-1].seq,), None))
    return [d for d in found if d.since <= ends_on]


def _lapsed(history: History, clause: Insurance | None, since: date, seqs: tuple[int, ...],
            until: date | None) -> Deviation:
    text = (f"ingen ansvarsförsäkring styrkt från {since}: senaste beviset löpte ut "
            f"{since - _DAY}; försäkringen ska finnas under hela uppdragstiden")
    if until is not None:
        text += f"; nytt bevis {until}"
    assert clause is not None
    return Deviation("insurance_lapsed", clause.maintain_citation or clause.citation, since,
                     tuple(dict.fromkeys(seqs)), text, until)
