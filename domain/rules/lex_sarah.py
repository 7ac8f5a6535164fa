"""Lex Sarah (V/F 4.2, S): a copy of every anmälan to IVO "omgående", a yearly summary by 31 March.

* ``lex_sarah_copy`` on each ``LexSarahNotifiedToIVO``: **policy** "omgående" =
  ``policies.omgaende_working_days`` Swedish working days after the anmälan,
  i.e. the next working day; fulfilled by ``LexSarahCopySent`` naming it.
  (Where the clause names another policy, ``policies.unspecified_notice_working_days``.)
* ``lex_sarah_summary`` for each calendar year the contract is in force, due on
  the clause's day (31 March) the year after, fulfilled by
  ``LexSarahSummarySubmitted`` for that year.
"""

from __future__ import annotations

from collections import Counter

from domain.rules.history import History, prompt_obligation
from domain.rules.model import Deviation, Obligation
from domain.rules.yearly import by_year, yearly
from domain.terms import Policies, PromptDuty

COPY_READS = frozenset({"LexSarahCopySent", "LexSarahNotifiedToIVO"})
SUMMARY_READS = frozenset({"LexSarahNotifiedToIVO", "LexSarahReported", "LexSarahSummarySubmitted"})
READS = COPY_READS | SUMMARY_READS
"""The entry types these rules read (``History.reading`` holds them to it): the copies and
the summaries are judged apart, so that a report re-runs only the summaries."""

_COPY_TO = " till ansvarig socialsekreterare omgående"
_COPY_DUTY = f"skicka kopia av lex Sarah-anmälan till IVO{_COPY_TO}"


def prompt_days(clause: PromptDuty, policies: Policies) -> int:
    """Working days a prompt duty allows: the policy setting for the clause's kind of wording."""
    if clause.policy == "omgaende":
        return policies.omgaende_working_days
    return policies.unspecified_notice_working_days


def rules(history: History) -> tuple[list[Obligation], list[Deviation]]:
    found_copies, _ = copies(history)
    found_summaries, _ = summaries(history)
    return found_copies + found_summaries, []


def copies(history: History) -> tuple[list[Obligation], list[Deviation]]:
    """A copy of each anmälan to IVO, promptly."""
    obligations: list[Obligation] = []
    sent = history.first_reference("LexSarahCopySent", "anmalan_seq")
    terms_at = history.terms_at
    in_force = None  # the terms of the previous anmälan and what they say, asked once
    for entry in history.triggers("LexSarahNotifiedToIVO"):
        terms = terms_at(entry.effective_date)
        if terms is not in_force:
            in_force, clause = terms, terms.lex_sarah_copy
            days = prompt_days(clause, terms.policies) if clause is not None else 0
        if clause is None:
            continue
        diarienummer = entry.data.get("ivo_diarienummer")
        obligations.append(prompt_obligation(
            kind="lex_sarah_copy", holder="utforare", clause=clause.citation, trigger=entry,
            working_days=days, fulfilment=sent.get(entry.seq),
            duty=(f"skicka kopia av lex Sarah-anmälan till IVO ({diarienummer}){_COPY_TO}"
                  if diarienummer else _COPY_DUTY),
        ))

    return obligations, []


def summaries(history: History) -> tuple[list[Obligation], list[Deviation]]:
    """A yearly summary of the reports and anmälningar, with how many the ledger holds."""
    reported: dict[int, int] = {}
    for entry in history.of("LexSarahReported"):
        year = entry.effective_date.year
        reported[year] = reported.get(year, 0) + entry.data.get("count", 1)
    notified = Counter(entry.effective_date.year for entry in history.of("LexSarahNotifiedToIVO"))

    def duty(year: int) -> str:
        return (f"sammanställning över lex Sarah-rapporter och -anmälningar {year} "
                f"({reported.get(year, 0)} rapporter, {notified[year]} anmälningar registrerade)")

    return yearly(
        history, kind="lex_sarah_summary", clause_of=lambda t: t.lex_sarah_summary,
        fulfilments=by_year(history.of("LexSarahSummarySubmitted")), duty=duty,
    ), []
