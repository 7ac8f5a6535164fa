"""Pure rules: from terms and history to obligations, deviations and notice (DOMAIN.md §3–§6).

``evaluate(entries, through=day)`` judges one contract's history as the world
stood on ``day``, as far as the ledger knows now (valid time): entries an
``EntryCorrected`` names are ignored, entries effective after ``day`` are not
yet facts, and each rule reads the terms in force on its triggering entry's
effective date (periodic duties: on the period's due date). There is no clock:
"today" is always a parameter. One module per clause family; each obligation and
deviation cites the clause of the real contract it comes from.

**Policy — the end of the contract.** Once the contract has ended (the earliest
effective ``ends_on`` as of ``through``), no new periods start (the year in
which it ends still gets its yearly reports), entries after ``ends_on`` give
rise to no new duties or deviations, and duties already arisen stay as they are
even if due after the end: a lex Sarah copy or a cure is owed all the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from domain.contract import Entry
from domain.rules import (
    billing,
    disputes,
    insurance,
    lex_sarah,
    notice,
    premises,
    reporting,
    staffing,
    supervision,
    waiting_time,
)
from domain.rules.billing import billing as billing_summary
from domain.rules.compensation import compensation
from domain.rules.history import History
from domain.rules.model import (
    BillingSummary,
    CompensationView,
    Deviation,
    Evaluation,
    IndexationStep,
    MonthBilling,
    NoticeJudgement,
    NoticePosition,
    Obligation,
)
from domain.rules.notice import contract_status, notice_position

_RULES = (lex_sarah, reporting, supervision, premises, staffing, insurance, waiting_time,
          disputes, billing)

__all__ = [
    "BillingSummary",
    "CompensationView",
    "Deviation",
    "Evaluation",
    "IndexationStep",
    "MonthBilling",
    "NoticeJudgement",
    "NoticePosition",
    "Obligation",
    "billing_summary",
    "compensation",
    "contract_status",
    "evaluate",
    "notice_position",
]


def evaluate(entries: Sequence[Entry], *, through: date) -> Evaluation:
    """Every obligation arisen, deviation and judged notice of one contract up to ``through``."""
    history = History.build(entries, through)
    judgements, obligations, deviations = notice.judge(history)
    position = notice.position(history, judgements, through)
    history.ends_on = position.ends_on
    for rule in _RULES:
        found_obligations, found_deviations = rule.rules(history)
        obligations += found_obligations
        deviations += found_deviations
    obligations = [o for o in obligations if o.arises_on <= through]
    obligations.sort(key=lambda o: (o.arises_on, o.created_by_seq or 0, o.id))
    deviations.sort(key=lambda d: (d.since, d.seqs, d.kind))
    return Evaluation(obligations=obligations, deviations=deviations, notices=judgements,
                      through=through, notice=position)
