"""What one event causes: the rules over the history before and after it.

``Consequences.respond`` is handed to ``Ledger.record`` as ``respond=``, so the
body is computed before the entry is saved and an idempotent retry gets the
very same answer. The entries of the contract up to the previous version are
kept per contract (the rules need the whole history; reading it back from the
store on every append would be the hot path's largest cost).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from api.http.schemas import DeviationOut, Effect, ObligationOut
from domain import vocabulary as sv
from domain.contract import Entry
from domain.ledger import HOT_CONTRACTS
from domain.rules.model import Deviation, Evaluation, NoticeJudgement, Obligation


def evaluate(entries: Sequence[Entry], *, through: date, previous: Evaluation | None = None) -> Evaluation:
    from domain.rules import evaluate as rules_evaluate

    return rules_evaluate(entries, through=through, previous=previous)


class History:
    """The latest known entries of each contract, refreshed from the store when behind."""

    def __init__(self, read: Callable[..., list[Entry]], *, maxsize: int = HOT_CONTRACTS) -> None:
        self._read = read
        self._maxsize = maxsize
        self._entries: dict[str, tuple[Entry, ...]] = {}
        self._lock = threading.Lock()

    def before(self, entry: Entry) -> tuple[Entry, ...]:
        """The contract's entries 1 .. entry.seq - 1."""
        with self._lock:
            known = self._entries.get(entry.contract, ())
        if len(known) < entry.seq - 1:
            # Written meanwhile by another process: read only what is newer (entries are
            # numbered 1, 2, ... without gaps, so the known ones are a prefix).
            newer = self._read(entry.contract, after=len(known)) if known else self._read(entry.contract)
            known = (*known, *newer)
            self._remember(entry.contract, known)
        return known[: entry.seq - 1]

    def written(self, entry: Entry, before: tuple[Entry, ...]) -> None:
        """Note an entry that was saved after ``before``."""
        self._remember(entry.contract, (*before, entry))

    def _remember(self, ref: str, entries: tuple[Entry, ...]) -> None:
        with self._lock:
            current = self._entries.get(ref, ())
            if len(entries) >= len(current):
                if len(self._entries) >= self._maxsize and ref not in self._entries:
                    self._entries.pop(next(iter(self._entries)))
                self._entries[ref] = entries


class Evaluations:
    """Recent evaluations keyed by what they were computed from (ref, length, last hash, date),
    so the 'after' of one append is the 'before' of the next and a key never goes stale."""

    def __init__(self, maxsize: int = 2 * HOT_CONTRACTS) -> None:  # before and after of each
        self._maxsize = maxsize
        self._items: dict[tuple[str, int, str, date], Evaluation] = {}
        # The latest evaluation of each contract: where another process wrote the entries
        # between, the rules extend it over all of them (``evaluate`` checks it is a prefix).
        self._latest: dict[tuple[str, date], Evaluation] = {}
        self._lock = threading.Lock()

    def of(self, entries: Sequence[Entry], through: date, *, keep: bool = True) -> Evaluation:
        """The evaluation of ``entries``; kept for later unless ``keep`` is false (a dry run's
        entry is never stored, so its evaluation would only hold memory)."""
        if not entries:
            return evaluate(entries, through=through)
        key = (entries[-1].contract, len(entries), entries[-1].hash, through)
        with self._lock:
            found = self._items.get(key)
            # The evaluation one entry shorter, if kept: the rules then judge only what the
            # last entry concerns (``domain.rules.evaluate``).
            previous = (self._items.get((key[0], key[1] - 1, entries[-2].hash, through))
                        or self._latest.get((key[0], through))
                        if found is None and len(entries) > 1 else None)
        if found is None:
            found = evaluate(entries, through=through, previous=previous)
            if not keep:
                return found
            with self._lock:
                if len(self._items) >= self._maxsize:
                    self._items.pop(next(iter(self._items)))
                self._items[key] = found
                latest = self._latest.get((key[0], through))
                if latest is None or latest.judged is None or latest.judged.count <= len(entries):
                    self._latest.pop((key[0], through), None)  # kept in order of use
                    if len(self._latest) >= self._maxsize:
                        self._latest.pop(next(iter(self._latest)))
                    self._latest[(key[0], through)] = found
        return found


def consequences(before: Sequence[Entry], entry: Entry, *, today: date,
                 evaluations: Evaluations | None = None, dry_run: bool = False) -> dict[str, Any]:
    """``{"effects": [...], "deviations": [...]}`` of appending ``entry`` to ``before``; a
    ``dry_run``'s evaluation is not kept (the cache holds only what was written)."""
    through = max(today, entry.effective_date)
    evaluations = evaluations or Evaluations()
    old = evaluations.of(before, through)
    new = evaluations.of([*before, entry], through, keep=not dry_run)
    as_of = through
    effects: list[Effect] = []
    previous = {o.id: o for o in old.obligations}
    for obligation in new.obligations:
        was = previous.get(obligation.id)
        if was is None:
            if obligation.created_by_seq == entry.seq:
                effects.append(_obligation_effect("opens", obligation, as_of))
        elif obligation.fulfilled_by_seq == entry.seq and was.fulfilled_by_seq != entry.seq:
            effects.append(_obligation_effect("fulfils", obligation, as_of))
        elif obligation.void_on is not None and was.void_on is None:
            effects.append(_obligation_effect("voids", obligation, as_of))
        elif (obligation.suspended_from, obligation.suspended_until) != (
                was.suspended_from, was.suspended_until):
            effects.append(_obligation_effect("suspends", obligation, as_of))  # befrielsegrund
    still = {o.id for o in new.obligations}
    for obligation in old.obligations:
        if obligation.id not in still:
            effects.append(_obligation_effect("voids", obligation, as_of))
    old_notices = {n.seq: n for n in old.notices}
    for notice in new.notices:
        if notice.seq == entry.seq:
            summary = _notice_summary(notice)
            effects.append(Effect(effect="notice", summary=summary,
                                  ends_on=notice.ends_on if notice.effective else None))
        elif notice.withdrawn_on is not None and old_notices.get(notice.seq) is not None \
                and old_notices[notice.seq].withdrawn_on is None:
            effects.append(Effect(effect="withdraws_notice",
                                  summary=f"uppsägningen i post {notice.seq} återkallas från och "
                                          f"med {sv.day(notice.withdrawn_on)}"))
    deviations = [DeviationOut.model_validate({**deviation_view(d), "open": d.open_on(as_of)})
                  for d in new.deviations if entry.seq in d.seqs]
    effects += _said(entry, new, quiet=not effects and not deviations)
    return {"effects": [e.model_dump(mode="json") for e in effects],
            "deviations": [d.model_dump(mode="json") for d in deviations]}


def _said(entry: Entry, evaluation: Evaluation, *, quiet: bool) -> list[Effect]:
    """Nothing silent (domain.rules.silence): an acceptance, a two-party act awaiting one, and
    an act with no other effect each say so, citing the clause or its absence."""
    from domain.rules import agreement, silence
    from domain.rules.history import History as RulesHistory

    judged = evaluation.judged
    history = judged.history if judged is not None else RulesHistory.build([entry])
    accepted = agreement.acceptances(history)
    said = []
    if entry.type == "AgreementAccepted":
        proposal = next((e for e in history.entries if e.seq == entry.data["proposal_seq"]), None)
        if proposal is not None:
            acceptance = accepted.get(proposal.seq)
            start = acceptance.effective_from if acceptance else max(
                proposal.effective_date, entry.effective_date)
            said.append(silence.accepts(entry, proposal, start, history))
    elif (waiting := silence.awaiting(entry, history, entry.seq in accepted)) is not None:
        said.append(waiting)
    elif quiet:
        said.append(silence.nil(entry, history))
    return [Effect(effect=s.effect, summary=s.summary, clause=s.clause.model_dump()) for s in said]
def _notice_summary(notice: NoticeJudgement) -> str:
    """What a notice does, in Swedish: its end date, or why it has no effect."""
    if notice.effective and notice.ends_on:
        return f"uppsägningen gäller: uppdraget upphör {sv.day(notice.ends_on)}"
    if notice.effective:
        return f"uppsägningen är registrerad; slutdagen kan inte bestämmas: {notice.reason}"
    reason = notice.reason.strip()
    return reason if reason.startswith("saknar verkan") else f"saknar verkan: {reason}"


def _obligation_effect(kind: str, obligation: Obligation, as_of: date) -> Effect:
    out = ObligationOut.model_validate(obligation_view(obligation, obligation.status_on(as_of)))
    verb = sv.label("effect", kind)
    what = sv.label("obligation", obligation.kind) + (f" {obligation.period}" if obligation.period else "")
    due = f", senast {sv.day(obligation.due)}" if obligation.due else ""
    return Effect(effect=kind, summary=f"{verb} skyldigheten {what.lower()} för "
                                       f"{sv.label('party', obligation.holder)}{due}",
                  obligation=out)


def obligation_view(obligation: Obligation, status: str) -> dict[str, Any]:
    """An obligation with its status (as judged on some day), for ``ObligationOut``."""
    return {"id": obligation.id, "kind": obligation.kind, "holder": obligation.holder,
            "clause": obligation.clause, "due": obligation.due,
            "due_working_day": obligation.due_working_day, "status": status,
            "created_by_seq": obligation.created_by_seq,
            "fulfilled_by_seq": obligation.fulfilled_by_seq, "period": obligation.period,
            "explanation": obligation.explanation}


def deviation_view(deviation: Deviation) -> dict[str, Any]:
    """A deviation's fields for ``DeviationOut``."""
    return {"kind": deviation.kind, "clause": deviation.clause, "since": deviation.since,
            "until": deviation.until, "seqs": list(deviation.seqs),
            "explanation": deviation.explanation}
