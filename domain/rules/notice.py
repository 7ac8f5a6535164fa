"""Termination: ordinary notice, breach notice and cure, early termination (V/F/C 1.1, V 5.3, S).

* ``TerminationNoticeGiven``: not written (where writing is required) → no
  effect, deviation ``notice_not_written``; no termination clause or no stated
  period → recorded, ``ends_on`` unknown, deviation ``no_notice_clause``; else
  ``ends_on`` = effective date + notice months (``agreed_months`` where the
  parties may agree otherwise), clamped at month end.
* ``TerminationNoticeWithdrawn`` agreed by both → the notice loses effect from
  the withdrawal's date (a withdrawal after the contract ended changes nothing).
* ``BreachNoticeIssued`` (written, where early termination exists) → ``cure_breach``
  on the utförare due D + cure days (calendar days), fulfilled by ``BreachRemedied``.
* ``EarlyTerminationGiven`` → effect only with the clause, a written breach
  notice, the cure deadline passed (from D + cure days + 1) and no remedy on or
  before that day: ``ends_on`` = effective date + the clause's months; otherwise
  no effect and deviation ``early_termination_without_grounds`` saying why.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from domain.calendar import add_months, on_or_next_working_day
from domain.contract import Entry
from domain.rules.history import History
from domain.rules.model import Deviation, NoticeJudgement, NoticePosition, Obligation
from domain.terms import Citation

READS = frozenset({
    "BreachNoticeIssued",
    "BreachRemedied",
    "EarlyTerminationGiven",
    "TerminationNoticeGiven",
    "TerminationNoticeWithdrawn",
})
"""The entry types these rules read (``History.reading`` holds them to it)."""

_WHO = {"bestallare": "beställaren", "utforare": "utföraren"}


def _missing_clause(history: History) -> Citation:
    documents = history.registration.documents
    return Citation(
        document=documents[0] if documents else (history.registration.diarienummer or "uppdraget"),
        section="Uppsägning (saknas)",
        quote="Uppdraget anger ingen uppsägningstid.",
        inferred=True,
    )


def judge(history: History) -> tuple[list[NoticeJudgement], list[Obligation], list[Deviation]]:
    """Every notice with its effect, the cure obligations, and the acts without effect."""
    obligations: list[Obligation] = []
    deviations: list[Deviation] = []
    judgements: list[NoticeJudgement] = []
    remedies = history.first_reference("BreachRemedied", "breach_notice_seq")
    withdrawals = _withdrawals(history)

    breaches: dict[int, Entry] = {}
    for entry in history.of("BreachNoticeIssued"):
        breaches[entry.seq] = entry
        clause = history.terms_at(entry.effective_date).early_termination
        if clause is None or not entry.data["written"]:
            continue
        deadline = entry.effective_date + timedelta(days=clause.cure_days)
        remedy = remedies.get(entry.seq)
        obligations.append(Obligation(
            id=f"cure_breach:{entry.seq}", kind="cure_breach", holder="utforare",
            clause=clause.citation, due=deadline, due_working_day=on_or_next_working_day(deadline),
            arises_on=entry.effective_date, created_by_seq=entry.seq,
            explanation=(
                f"rätta bristerna i beställarens skriftliga påpekande {entry.effective_date}: "
                f"{clause.cure_days} kalenderdagar, senast {deadline}; från "
                f"{deadline + timedelta(days=1)} får beställaren säga upp uppdraget i förtid"
            ),
            fulfilled_by_seq=remedy.seq if remedy else None,
            fulfilled_on=remedy.effective_date if remedy else None,
        ))

    for entry in history.of("TerminationNoticeGiven", "EarlyTerminationGiven"):
        if entry.type == "TerminationNoticeGiven":
            judgement, deviation = _ordinary(history, entry, withdrawals.get(entry.seq))
        else:
            judgement, deviation = _early(history, entry, breaches, remedies)
        judgements.append(judgement)
        if deviation:
            deviations.append(deviation)
    return judgements, obligations, deviations


def _withdrawals(history: History) -> dict[int, Entry]:
    found: dict[int, Entry] = {}
    for entry in history.of("TerminationNoticeWithdrawn"):
        if entry.data.get("agreed_by_both", True) and entry.data["notice_seq"] not in found:
            found[entry.data["notice_seq"]] = entry
    return found


def _ordinary(history: History, entry: Entry,
              withdrawal: Entry | None) -> tuple[NoticeJudgement, Deviation | None]:
    given, by = entry.effective_date, entry.data["by"]
    clause = history.terms_at(given).termination
    agreed = entry.data.get("agreed_months")

    def judged(effective: bool, ends_on: date | None, reason: str) -> NoticeJudgement:
        withdrawn_on = None
        if withdrawal is not None and effective:
            if ends_on is None or withdrawal.effective_date <= ends_on:
                withdrawn_on = withdrawal.effective_date
                reason += f"; återkallad i samförstånd {withdrawn_on} (post {withdrawal.seq})"
            else:
                reason += (f"; återkallelsen {withdrawal.effective_date} saknar verkan, "
                           "uppdraget hade redan upphört")
        return NoticeJudgement(seq=entry.seq, kind="ordinary", by=by, given_on=given,
                               effective=effective, ends_on=ends_on, reason=reason,
                               withdrawn_on=withdrawn_on)

    if clause is None or (clause.notice_months is None and not
                          (agreed is not None and clause.parties_may_agree_otherwise)):
        reason = "uppdraget anger ingen uppsägningstid; uppsägningen är registrerad men slutdagen okänd"
        citation = clause.citation if clause else _missing_clause(history)
        return judged(True, None, reason), Deviation(
            kind="no_notice_clause", clause=citation, since=given, seqs=(entry.seq,),
            explanation=f"uppsägning {given} av {_WHO[by]}: {reason}",
        )
    if clause.written_required and not entry.data["written"]:
        reason = "uppsägningen var inte skriftlig och saknar därför verkan"
        return judged(False, None, reason), Deviation(
            kind="notice_not_written", clause=clause.citation, since=given, seqs=(entry.seq,),
            explanation=f"uppsägning {given} av {_WHO[by]}: {reason}",
        )
    if agreed is not None and clause.parties_may_agree_otherwise:
        months, why = agreed, f"{agreed} månader enligt parternas överenskommelse"
    else:
        months = clause.notice_months
        why = f"uppsägningstid {months} månader ({clause.citation.section})"
        if agreed is not None:
            why += "; uppdraget medger ingen annan överenskommen tid"
    assert months is not None
    ends_on = add_months(given, months)
    return judged(True, ends_on, f"{why}: uppdraget gäller till och med {ends_on}"), None


def _early(history: History, entry: Entry, breaches: dict[int, Entry],
           remedies: dict[int, Entry]) -> tuple[NoticeJudgement, Deviation | None]:
    given = entry.effective_date
    clause = history.terms_at(given).early_termination
    breach = breaches.get(entry.data["breach_notice_seq"])
    why = None
    if clause is None:
        why = "uppdraget saknar bestämmelse om förtida uppsägning"
    elif breach is None:
        why = f"påpekandet (post {entry.data['breach_notice_seq']}) finns inte eller är rättat"
    elif not breach.data["written"]:
        why = f"påpekandet {breach.effective_date} (post {breach.seq}) var inte skriftligt"
    elif not entry.data.get("written", True):
        why = "den förtida uppsägningen var inte skriftlig"
    else:
        deadline = breach.effective_date + timedelta(days=clause.cure_days)
        remedy = remedies.get(breach.seq)
        if given <= deadline:
            why = (f"rättelsefristen på {clause.cure_days} dagar löper till och med {deadline}; "
                   f"förtida uppsägning tidigast {deadline + timedelta(days=1)}")
        elif remedy is not None and remedy.effective_date <= given:
            why = f"bristerna rättades {remedy.effective_date} (post {remedy.seq})"
    if why is None:
        assert clause is not None
        ends_on = add_months(given, clause.notice_months)
        reason = (f"rättelsefristen löpte ut utan rättelse; {clause.notice_months} månaders "
                  f"uppsägningstid: uppdraget gäller till och med {ends_on}")
        return NoticeJudgement(seq=entry.seq, kind="early", by="bestallare", given_on=given,
                               effective=True, ends_on=ends_on, reason=reason), None
    citation = clause.citation if clause else _missing_clause(history)
    reason = f"saknar verkan: {why}"
    return (
        NoticeJudgement(seq=entry.seq, kind="early", by="bestallare", given_on=given,
                        effective=False, ends_on=None, reason=reason),
        Deviation(kind="early_termination_without_grounds", clause=citation, since=given,
                  seqs=(entry.seq,) + ((breach.seq,) if breach else ()),
                  explanation=f"förtida uppsägning {given} {reason}"),
    )


def position(history: History, judgements: Sequence[NoticeJudgement], as_of: date) -> NoticePosition:
    """Running, under notice or ended on ``as_of``, from judged notices."""
    given = [j for j in judgements if j.given_on <= as_of]
    active = [j for j in given
              if j.effective and (j.withdrawn_on is None or j.withdrawn_on > as_of)]
    ends = [j.ends_on for j in active if j.ends_on is not None]
    ends_on = min(ends) if ends else None
    if ends_on is not None and as_of > ends_on:
        status = "ended"
    elif active:
        status = "under_notice"
    else:
        status = "running"
    clause = history.terms_at(as_of).termination
    months = clause.notice_months if clause else None
    today = add_months(as_of, months) if months and status != "ended" else None
    return NoticePosition(as_of=as_of, status=status, notice_months=months, ends_on=ends_on,
                          end_if_notice_today=today, notices=given)


def notice_position(entries: Sequence[Entry], as_of: date) -> NoticePosition:
    """The contract's notice position on ``as_of`` (DOMAIN.md §6 Notice)."""
    history = History.build(entries, as_of)
    judgements, _, _ = judge(history)
    return position(history, judgements, as_of)


def contract_status(entries: Sequence[Entry], as_of: date) -> str:
    """'running', 'under_notice' or 'ended' on ``as_of``."""
    return notice_position(entries, as_of).status
