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

**Incremental judging.** Each rule family declares the entry types it reads
(``READS``) and sees only those (``History.reading``). Given the evaluation of
a prefix of the same history (``previous``), ``evaluate`` appends the new
entries to the prepared history and runs again only the families whose types
they include; the others keep their results. Amendments, corrections and
notices can move the terms or the end of the contract for every family, so
they, and anything that does not follow on from ``previous``, are judged from
scratch. Both paths give equal results (tests/rules/test_incremental.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from domain.contract import Entry
from domain.rules import (
    billing,
    disputes,
    force_majeure,
    information,
    insurance,
    insurance_remedy,
    lex_sarah,
    notice,
    premises,
    reconciliation,
    renegotiation,
    reporting,
    staffing,
    supervision,
    tracking,
    waiting_time,
)
from domain.rules.billing import billing as billing_summary
from domain.rules.compensation import compensation
from domain.rules.history import AHEAD, History
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

Found = tuple[list[Obligation], list[Deviation]]

# Each family of rules with the entry types it reads (beside the terms and the end date).
_FAMILIES: tuple[tuple[frozenset[str], Callable[[History], Found]], ...] = (
    (lex_sarah.COPY_READS, lex_sarah.copies),
    (lex_sarah.SUMMARY_READS, lex_sarah.summaries),
    *((rule.READS, rule.rules) for rule in (reporting, supervision, premises, staffing, insurance,
                                            waiting_time, disputes, billing)),
    (information.READS, information.rules),
    (renegotiation.READS, renegotiation.rules),
    (reconciliation.READS, reconciliation.rules),
    (force_majeure.READS, force_majeure.rules),
    (insurance_remedy.READS, insurance_remedy.rules),
)

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


@dataclass(frozen=True, slots=True)
class Judged:
    """What ``evaluate`` keeps to extend an evaluation: the prepared history, what it was
    built from (entries counted and the last one's hash link), and each family's result."""

    history: History
    count: int
    last_hash: str
    notice: Found
    families: tuple[Found, ...]


def evaluate(entries: Sequence[Entry], *, through: date, previous: Evaluation | None = None) -> Evaluation:
    """Every obligation arisen, deviation and judged notice of one contract up to ``through``.

    ``previous``, an evaluation of a prefix of ``entries`` (as their hash links show),
    lets the rules judge only what the entries after it concern."""
    judged = _extend(previous, entries, through) if previous is not None else None
    if judged is None:
        judged, judgements, position = _judge_all(entries, through)
    else:
        assert previous is not None
        judgements, position = previous.notices, previous.notice
    obligations, deviations = list(judged.notice[0]), list(judged.notice[1])
    for found_obligations, found_deviations in judged.families:
        obligations += found_obligations
        deviations += found_deviations
    obligations = tracking.before_tracking([o for o in obligations if o.arises_on <= through],
                                           tracking.tracked_from(judged.history))
    if "ForceMajeureDeclared" in judged.history.by_type:
        obligations = force_majeure.suspend(obligations, judged.history)
    obligations.sort(key=lambda o: (o.arises_on, o.created_by_seq or 0, o.id))
    deviations.sort(key=lambda d: (d.since, d.seqs, d.kind))
    return Evaluation(obligations=obligations, deviations=deviations, notices=judgements,
                      through=through, notice=position, judged=judged)


def _judge_all(entries: Sequence[Entry], through: date) -> tuple[Judged, list, NoticePosition]:
    history = History.build(entries, through)
    judgements, obligations, deviations = notice.judge(history.reading(notice.READS))
    position = notice.position(history, judgements, through)
    history.ends_on = position.ends_on
    families = tuple(rules(history.reading(reads)) for reads, rules in _FAMILIES)
    judged = Judged(history, len(entries), entries[-1].hash, (obligations, deviations), families)
    return judged, judgements, position


def _extend(previous: Evaluation, entries: Sequence[Entry], through: date) -> Judged | None:
    """``previous`` carried forward to ``entries``; None where only judging all will do."""
    before = previous.judged
    if before is None or previous.through != through:
        return None
    count = before.count
    if len(entries) < count or entries[count - 1].hash != before.last_hash \
            or entries[count - 1].seq != count:
        return None
    new = entries[count:]
    if not new:
        return before
    history = before.history.extended(new)
    if history is None:
        return None
    touched = {entry.type for entry in new if entry.effective_date <= through
               or entry.type in AHEAD}
    if touched & notice.READS:
        return None  # the end of the contract may move, and with it every family's duties
    families = tuple(rules(history.reading(reads)) if touched & reads else found
                     for (reads, rules), found in zip(_FAMILIES, before.families, strict=True))
    return Judged(history, len(entries), entries[-1].hash, before.notice, families)
