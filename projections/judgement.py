"""What the read models hold about one contract, derived by the pure rules from its entries.

``judge`` is the single place where the projection, ``catch_up`` and
``rebuild`` turn a contract's entries into view rows, so a live view and a
rebuilt one cannot differ. Obligations are derived up to a horizon (31 December
two years after *today*); reads beyond it compute from the entries instead.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from domain.contract import Entry
from domain.rules.model import Deviation, Evaluation, Obligation
from domain.terms import Citation, merge_patch
from projections import rules

log = logging.getLogger("ledger.projections")

NOT_JUDGED = Citation(
    document="DOMAIN.md", section="2.1 Record facts, judge effects",
    quote="Entries the rules cannot judge are reported, not allowed to stop the ledger.",
    inferred=True)


def horizon_of(today: date) -> date:
    """How far ahead the stored obligations reach: 31 December of today's year + 2."""
    return date(today.year + 2, 12, 31)


@dataclass(frozen=True)
class ContractRow:
    """One contract as listed: its description, status and version, and its terms history."""

    ref: str
    title: str
    diarienummer: str | None
    status: str
    version: int
    terms: dict[str, Any]
    in_force_from: date
    horizon: date
    judged_on: date
    base_terms: dict[str, Any]
    amendments: list[list[Any]]  # [effective_date ISO, seq, JSON merge patch], uncorrected only
    last_recorded_at: datetime

    def terms_on(self, as_of: date) -> dict[str, Any]:
        """The terms in force on ``as_of``: amendments apply from their effective date."""
        return terms_on(self.base_terms, self.amendments, as_of)


@dataclass(frozen=True)
class Judgement:
    """Everything the view stores about one contract besides its audit trail."""

    contract: ContractRow
    obligations: list[Obligation]
    deviations: list[Deviation]
    # What the next judgement of this contract can start from (``judge(previous=)``).
    evaluation: Evaluation | None = field(default=None, compare=False, repr=False)
    last_hash: str = field(default="", compare=False, repr=False)


def corrected_seqs(entries: Sequence[Entry]) -> set[int]:
    """Entries neutralised by an ``EntryCorrected`` among ``entries`` (DOMAIN.md §2.3)."""
    return {e.data["entry_seq"] for e in entries if e.type in ("EntryCorrected", "EntryRedacted")}


def amendments_of(entries: Sequence[Entry]) -> list[list[Any]]:
    corrected = corrected_seqs(entries)
    return [[e.data["effective_date"], e.seq, e.data["changes"]] for e in entries
            if e.type == "AmendmentSigned" and e.seq not in corrected]


def terms_on(base: dict[str, Any], amendments: Sequence[Sequence[Any]], as_of: date) -> dict[str, Any]:
    terms = base
    for effective, _seq, changes in sorted(amendments, key=lambda a: (a[0], a[1])):
        if date.fromisoformat(effective) <= as_of:
            terms = merge_patch(terms, changes)
    return terms


# Entry types that can change the contract's status or terms as judged (not only its duties).
_RESTATES = frozenset({"ContractRegistered", "AmendmentSigned", "EntryCorrected",
                       "EntryRedacted"}) | rules.NOTICE_READS


def judge(entries: Sequence[Entry], *, today: date, previous: Judgement | None = None) -> Judgement:
    """The view rows of one contract from all its entries (the first is its registration).

    ``previous``, this contract's judgement on the same day over a prefix of ``entries``,
    lets the rules judge only what the later entries concern; the result is the same."""
    horizon = horizon_of(today)
    if previous is not None:
        version = previous.contract.version
        if previous.contract.judged_on != today or len(entries) < version \
                or entries[version - 1].hash != previous.last_hash:
            previous = None
    try:
        evaluation = rules.evaluate(entries, through=horizon,
                                    previous=previous.evaluation if previous is not None else None)
    except Exception:  # a stored entry no rule can judge must not stop the read models
        return _judge_around(entries, today=today)
    new = entries[previous.contract.version:] if previous is not None else ()
    last_recorded_at = max(e.recorded_at for e in (new or entries))
    if previous is not None and not any(e.type in _RESTATES for e in new):
        row = replace(previous.contract, version=entries[-1].seq,
                      last_recorded_at=max(previous.contract.last_recorded_at, last_recorded_at))
        return Judgement(row, list(evaluation.obligations), list(evaluation.deviations),
                         evaluation, entries[-1].hash)
    registration = entries[0].data
    amendments = amendments_of(entries)
    row = ContractRow(
        ref=entries[0].contract,
        title=registration["title"],
        diarienummer=registration.get("diarienummer"),
        status=rules.status(entries, today),
        version=entries[-1].seq,
        terms=terms_on(registration["terms"], amendments, today),
        in_force_from=date.fromisoformat(registration["in_force_from"]["date"]),
        horizon=horizon,
        judged_on=today,
        base_terms=registration["terms"],
        amendments=amendments,
        last_recorded_at=max(e.recorded_at for e in entries),
    )
    return Judgement(row, list(evaluation.obligations), list(evaluation.deviations),
                     evaluation, entries[-1].hash)


def _judge_around(entries: Sequence[Entry], *, today: date) -> Judgement:
    """The judgement of ``entries`` without those the rules raise on, each reported as an
    ``entry_not_judged`` deviation (the registration itself must be judgeable)."""
    horizon = horizon_of(today)
    kept, unjudged = list(entries), []
    while True:
        try:
            rules.evaluate(kept, through=horizon)
            break
        except Exception as error:
            # The shortest failing prefix ends with the entry the rules cannot judge.
            lo, hi = 1, len(kept)
            while lo < hi:
                mid = (lo + hi) // 2
                try:
                    rules.evaluate(kept[:mid], through=horizon)
                    lo = mid + 1
                except Exception:
                    hi = mid
            if lo <= 1:
                raise  # the registration itself: nothing to judge the rest by
            bad = kept.pop(lo - 1)
            log.warning("contract %s entry %s (%s) cannot be judged by the rules and is "
                        "reported as entry_not_judged: %s: %s", bad.contract, bad.seq, bad.type,
                        type(error).__name__, error)
            unjudged.append(bad)
    judged = judge(kept, today=today)
    reported = [Deviation("entry_not_judged", NOT_JUDGED, since=bad.effective_date, seqs=(bad.seq,),
                          explanation=f"entry {bad.seq} ({bad.type}) could not be judged by the "
                                      "rules; it is recorded, and has no effect here")
                for bad in unjudged]
    row = replace(judged.contract, version=entries[-1].seq,
                  last_recorded_at=max(e.recorded_at for e in entries))
    # No evaluation kept: the next judgement starts from scratch and meets the entry again.
    return Judgement(row, judged.obligations, [*judged.deviations, *reported], None,
                     entries[-1].hash)
