"""Termination: ordinary notice, breach notice and cure, early termination (V/F/C 1.1, V 5.3, S).

* ``TerminationNoticeGiven``: not written (where writing is required) → no
  effect, deviation ``notice_not_written``; no termination clause or no stated
  period → recorded, ``ends_on`` unknown, deviation ``no_notice_clause``; else
  ``ends_on`` = effective date + notice months (``agreed_months`` where the
  parties may agree otherwise), clamped at month end.
* ``agreed_months`` (another period, or an agreed end where the contract states
  none) is one party's proposal: it applies only once the other party accepts it
  (``AgreementAccepted``), counted from the later of the two dates; until then the
  notice has the contract's period (DOMAIN.md §2 principle 3, ``agreement``).
* ``TerminationNoticeWithdrawn`` accepted by the other party → the notice loses
  effect from the later of the withdrawal's and the acceptance's dates (after the
  contract ended it changes nothing); unaccepted, the notice stands.
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

from domain.calendar import add_months
from domain.contract import Entry
from domain.rules import agreement
from domain.rules.agreement import Accepted
from domain.rules.history import History, due_dates
from domain.rules.model import Deviation, NoticeJudgement, NoticePosition, Obligation
from domain.terms import Citation

READS = frozenset({
    "BreachNoticeIssued",
    "BreachRemedied",
    "EarlyTerminationGiven",
    "TerminationNoticeGiven",
    "TerminationNoticeWithdrawn",
}) | agreement.READS
"""The entry types these rules read (``History.reading`` holds them to it)."""

_WHO = {"bestallare": "beställaren", "utforare": "utföraren"}


def missing_clause(history: History, section: str, quote: str) -> Citation:
    """A citation of what the contract lacks: the section it would be, marked '(saknas)'."""
    documents = history.registration.documents
    return Citation(
        document=documents[0] if documents else (history.registration.diarienummer or "uppdraget"),
        section=f"{section} (saknas)", quote=quote, inferred=True,
    )


def _no_notice_period(history: History) -> Citation:
    return missing_clause(history, "Uppsägning", "Uppdraget anger ingen uppsägningstid.")


def _no_early_termination(history: History) -> Citation:
    return missing_clause(history, "Förtida uppsägning",
                          "Uppdraget saknar bestämmelse om förtida uppsägning.")


def judge(history: History) -> tuple[list[NoticeJudgement], list[Obligation], list[Deviation]]:
    """Every notice with its effect, the cure obligations, and the acts without effect."""
    obligations: list[Obligation] = []
    deviations: list[Deviation] = []
    judgements: list[NoticeJudgement] = []
    remedies = history.first_reference("BreachRemedied", "breach_notice_seq")
    accepted = agreement.acceptances(history)
    withdrawals = _withdrawals(history, accepted)

    breaches: dict[int, Entry] = {}
    for entry in history.of("BreachNoticeIssued"):
        breaches[entry.seq] = entry
        clause = history.terms_at(entry.effective_date).early_termination
        if clause is None or not entry.data["written"]:
            continue
        deadline = entry.effective_date + timedelta(days=clause.cure_days)
        remedy = remedies.get(entry.seq)
        due, working = due_dates(deadline, history.terms_at(entry.effective_date).policies)
        obligations.append(Obligation(
            id=f"cure_breach:{entry.seq}", kind="cure_breach", holder="utforare",
            clause=clause.citation, due=due, due_working_day=working,
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
            judgement, deviation = _ordinary(history, entry, withdrawals.get(entry.seq),
                                             accepted.get(entry.seq))
        else:
            judgement, deviation = _early(history, entry, breaches, remedies)
        judgements.append(judgement)
        if deviation:
            deviations.append(deviation)
    return judgements, obligations, deviations


def _withdrawals(history: History, accepted: dict[int, Accepted]) -> dict[int, tuple[Entry, Accepted]]:
    """Notice seq → its accepted withdrawal taking effect first (an unaccepted one has none)."""
    found: dict[int, tuple[Entry, Accepted]] = {}
    for entry in history.of("TerminationNoticeWithdrawn"):
        acceptance = accepted.get(entry.seq)
        notice = entry.data["notice_seq"]
        if acceptance is not None and (notice not in found or acceptance.effective_from
                                       < found[notice][1].effective_from):
            found[notice] = (entry, acceptance)
    return found


def _ordinary(history: History, entry: Entry, withdrawal: tuple[Entry, Accepted] | None,
              acceptance: Accepted | None) -> tuple[NoticeJudgement, Deviation | None]:
    given, by = entry.effective_date, entry.data["by"]
    clause = history.terms_at(given).termination
    proposed = entry.data.get("agreed_months")
    # Another period applies only as both parties' agreement (DOMAIN.md §2 principle 3).
    agreed = proposed if acceptance is not None else None
    start = acceptance.effective_from if acceptance is not None else given
    awaiting = ""
    if proposed is not None and acceptance is None:
        awaiting = (f"; den föreslagna tiden {proposed} månader gäller först när "
                    f"{_WHO[_other(by)]} registrerat sitt godkännande")

    def judged(effective: bool, ends_on: date | None, reason: str) -> NoticeJudgement:
        withdrawn_on = None
        reason += awaiting
        if withdrawal is not None and effective:
            withdrawn, accepted = withdrawal
            if ends_on is None or accepted.effective_from <= ends_on:
                withdrawn_on = accepted.effective_from
                reason += (f"; återkallad i samförstånd från {withdrawn_on} (post {withdrawn.seq}, "
                           f"godtagen i post {accepted.entry.seq})")
            else:
                reason += (f"; återkallelsen {accepted.effective_from} saknar verkan, "
                           "uppdraget hade redan upphört")
        return NoticeJudgement(seq=entry.seq, kind="ordinary", by=by, given_on=given,
                               effective=effective, ends_on=ends_on, reason=reason,
                               withdrawn_on=withdrawn_on)

    if clause is None and agreed is not None:
        ends_on = add_months(start, agreed)
        return judged(True, ends_on, f"avslut efter {agreed} månader enligt parternas "
                                     f"överenskommelse från {start}: uppdraget gäller till och "
                                     f"med {ends_on}"), None
    if clause is None or (clause.notice_months is None and not
                          (agreed is not None and clause.parties_may_agree_otherwise)):
        reason = "uppdraget anger ingen uppsägningstid; uppsägningen är registrerad men slutdagen okänd"
        citation = clause.citation if clause else _no_notice_period(history)
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
        months, why = agreed, f"{agreed} månader enligt parternas överenskommelse från {start}"
    else:
        months, start = clause.notice_months, given
        why = f"uppsägningstid {months} månader ({clause.citation.section})"
        if agreed is not None:
            why += "; uppdraget medger ingen annan överenskommen tid"
    assert months is not None
    ends_on = add_months(start, months)
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
    elif not entry.data.get("written", False):
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
    citation = clause.citation if clause else _no_early_termination(history)
    reason = f"saknar verkan: {why}"
    return (
        NoticeJudgement(seq=entry.seq, kind="early", by="bestallare", given_on=given,
                        effective=False, ends_on=None, reason=reason),
        Deviation(kind="early_termination_without_grounds", clause=citation, since=given,
                  seqs=(entry.seq,) + ((breach.seq,) if breach else ()),
                  explanation=f"förtida uppsägning {given} {reason}"),
    )


def _other(party: str) -> str:
    return "utforare" if party == "bestallare" else "bestallare"


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
