"""Väntetider (F 2.3): waits over 14 days "under en längre tid" → inform the förvaltning.

**Policy** (the clause's ``consecutive_reports``, 2): "under en längre tid" is
that many consecutive ``WaitingTimeReported`` (by period) with
``longest_wait_days`` above ``max_wait_days``. The report completing such a run
opens one ``waiting_time_notice``, due the clause's ``notice_working_days`` (5)
Swedish working days after it; a run continues until a report within the limit.
``WaitingTimeNotified`` (which names no report) fulfils the earliest open
notice that arose on or before it.
"""

from __future__ import annotations

from domain.rules.history import History, prompt_obligation
from domain.rules.model import Deviation, Obligation

READS = frozenset({"WaitingTimeNotified", "WaitingTimeReported"})
"""The entry types these rules read (``History.reading`` holds them to it)."""


def rules(history: History) -> tuple[list[Obligation], list[Deviation]]:
    reports = sorted(history.triggers("WaitingTimeReported"),
                     key=lambda e: (e.data["period"], e.effective_date, e.seq))
    triggers = []
    run = 0
    for entry in reports:
        clause = history.terms_at(entry.effective_date).waiting_time
        if clause is None:
            run = 0
            continue
        run = run + 1 if entry.data["longest_wait_days"] > clause.max_wait_days else 0
        if run == clause.consecutive_reports:
            triggers.append((entry, clause))
    notices = history.in_time_order("WaitingTimeNotified")
    next_notice = 0
    obligations = []
    for entry, clause in sorted(triggers, key=lambda t: (t[0].effective_date, t[0].seq)):
        # Notices are used in date order; one before this run's report fits no later run either.
        while next_notice < len(notices) and notices[next_notice].effective_date < entry.effective_date:
            next_notice += 1
        done = notices[next_notice] if next_notice < len(notices) else None
        next_notice += 1
        obligations.append(prompt_obligation(
            kind="waiting_time_notice", holder="utforare", clause=clause.citation, trigger=entry,
            working_days=clause.notice_working_days, fulfilment=done,
            duty=(f"informera förvaltningen: väntetider över {clause.max_wait_days} dagar i "
                  f"{clause.consecutive_reports} rapporter i följd (senast {entry.data['period']}: "
                  f"{entry.data['longest_wait_days']} dagar)"),
        ))
    return obligations, []
