"""Tillsyn (F 4.4, V, S): when IVO opens supervision the utförare informs the beställare unasked.

``supervision_report`` on each ``SupervisionOpened``: **policy** "på eget
initiativ" with no time = ``policies.unspecified_notice_working_days`` (5)
Swedish working days; fulfilled by ``SupervisionReportedToBestallare`` naming it.
"""

from __future__ import annotations

from domain.rules.history import History, prompt_obligation
from domain.rules.lex_sarah import prompt_days
from domain.rules.model import Deviation, Obligation

READS = frozenset({"SupervisionOpened", "SupervisionReportedToBestallare"})
"""The entry types these rules read (``History.reading`` holds them to it)."""


def rules(history: History) -> tuple[list[Obligation], list[Deviation]]:
    obligations = []
    reports = history.first_reference("SupervisionReportedToBestallare", "supervision_seq")
    for entry in history.triggers("SupervisionOpened"):
        terms = history.terms_at(entry.effective_date)
        clause = terms.supervision_report
        if clause is None:
            continue
        diarienummer = entry.data.get("ivo_diarienummer")
        obligations.append(prompt_obligation(
            kind="supervision_report", holder="utforare", clause=clause.citation, trigger=entry,
            working_days=prompt_days(clause, terms.policies), fulfilment=reports.get(entry.seq),
            duty=("informera beställaren om att IVO inlett tillsyn"
                  + (f" ({diarienummer})" if diarienummer else "")),
        ))
    return obligations, []
