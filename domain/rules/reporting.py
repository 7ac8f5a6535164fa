"""Verksamhetsberättelse (V 3.0, F 4.1, S "Uppföljning") and V's expected results.

* ``annual_report`` for each calendar year the contract is in force, due on the
  clause's day (31 March) the year after, fulfilled by ``AnnualReportSubmitted``
  for that year (see ``yearly`` for the weekend policy).
* Expected results (V 3.0 Förväntat resultat): an outcome reported below its
  target percent → ``outcome_below_target`` from the report's effective date,
  one per target, citing that target's own sentence; a later report for the same
  year meeting the target ends it.
"""

from __future__ import annotations

from decimal import Decimal

from domain.rules.history import History, in_time
from domain.rules.model import Deviation, Obligation
from domain.rules.yearly import by_year, yearly

READS = frozenset({"AnnualReportSubmitted"})
"""The entry types these rules read (``History.reading`` holds them to it)."""


def rules(history: History) -> tuple[list[Obligation], list[Deviation]]:
    reports = history.of("AnnualReportSubmitted")
    obligations = yearly(
        history, kind="annual_report", clause_of=lambda t: t.annual_report,
        fulfilments=by_year(reports),
        duty=lambda year: f"verksamhetsberättelse för {year}",
    )
    deviations: list[Deviation] = []
    open_: dict[tuple[int, str], Deviation] = {}
    for entry in sorted(reports, key=in_time):
        results = history.terms_at(entry.effective_date).expected_results
        if results is None:
            continue
        year = entry.data["year"]
        outcomes = entry.data.get("outcomes") or {}
        for target in results.targets:
            if target.id not in outcomes:
                continue
            achieved = Decimal(str(outcomes[target.id]))
            key = (year, target.id)
            if achieved < target.percent:
                if key not in open_:
                    # Each target is cited by its own sentence, not the clause's first one.
                    clause = results.citation.model_copy(update={"quote": target.text})
                    open_[key] = Deviation(
                        kind="outcome_below_target", clause=clause,
                        since=entry.effective_date, seqs=(entry.seq,),
                        explanation=(f"{year}: {target.text} — uppnått {achieved} %, "
                                     f"målet är {target.percent} %"),
                    )
            elif key in open_:
                old = open_.pop(key)
                deviations.append(Deviation(
                    kind=old.kind, clause=old.clause, since=old.since, seqs=(*old.seqs, entry.seq),
                    explanation=old.explanation + f"; målet nått enligt rapport {entry.effective_date}",
                    until=entry.effective_date,
                ))
    deviations += open_.values()
    return obligations, deviations
