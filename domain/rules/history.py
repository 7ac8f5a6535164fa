"""One contract's history prepared once for every rule: corrections applied, terms timeline built.

``History.build`` makes a single pass over the entries: it drops the entries an
``EntryCorrected`` names (and the corrections themselves), drops what happens
after ``through`` (valid time: the world as it stood on that day, as far as we
know now), indexes the rest by type, and precomputes the terms in force at every
amendment date so a rule asks ``terms_at(day)`` in O(log n).

``extended`` appends entries that change neither the terms nor what counts (no
amendment, no correction) without a second pass, and ``reading`` gives one rule
family the entry types it declares and nothing else, so that the rules can be
re-run only for the families a new entry concerns (``domain.rules.evaluate``).
"""

from __future__ import annotations

import copy
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from operator import attrgetter
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

import orjson

from domain.calendar import (
    add_working_days,
    explain_working_days,
    iso,
    on_or_next_working_day,
    on_or_previous_working_day,
)
from domain.contract import Entry
from domain.events import ContractRegistered, load_event
from domain.rules.model import Deviation, Obligation
from domain.terms import Citation, Party, Policies, Terms, amend

_REGISTRATIONS: dict[bytes, ContractRegistered] = {}
_TERMS: dict[bytes, Terms] = {}

in_time = attrgetter("effective_date", "seq")
"""Sort key of entries in time order: effective date, then seq."""
_seq = attrgetter("seq")

FOUNDATION = frozenset({"ContractRegistered", "AmendmentSigned", "EntryCorrected", "EntryRedacted"})
"""Entry types every history is built on: the registration, the terms over time, the corrections
and gallring decisions."""

NEUTRALISES = frozenset({"EntryCorrected", "EntryRedacted"})
"""Entries that make the entry they name count for nothing (``entry_seq``)."""

EXTENDS_ONLY = FOUNDATION

AHEAD = frozenset({"StaffingChanged", "PremisesChanged"})
"""Changes that may be recorded ahead of their date: their notice duty arises at the recording
(insyn, "i förväg"), so a history keeps them beside the entries effective by ``through``."""

_STOCKHOLM = ZoneInfo("Europe/Stockholm")


def recorded_on(entry: Entry) -> date:
    """The Stockholm date an entry was recorded."""
    return entry.recorded_at.astimezone(_STOCKHOLM).date()
"""Entry types ``History.extended`` cannot append: they change the terms or what counts."""


def entry_types(reads: frozenset[str]) -> frozenset[str]:
    """The entry types a history must hold for a rule family declaring ``reads`` to judge as it
    would on every entry: a reader may load just these (e.g. the 20 notices of 10 000 entries)."""
    return reads | FOUNDATION


class UndeclaredRead(LookupError):
    """A rule family asked for an entry type it does not declare in its ``READS``."""


class _Declared(dict[str, list[Entry]]):
    """``by_type`` as one rule family sees it: asking for another type is a bug, not []."""

    def __init__(self, entries: dict[str, list[Entry]], declared: frozenset[str]) -> None:
        super().__init__(entries)
        self.declared = declared

    def get(self, key: str, default: Any = None) -> Any:
        if key not in self.declared:
            raise UndeclaredRead(f"a rule read {key} entries but does not declare them in READS")
        return super().get(key, default)


def _registration(entry: Entry) -> ContractRegistered:
    # Validating a registration's terms costs more than judging a short history, and the
    # same few registrations are judged over and over (every rebuild batch, every read).
    # A new contract usually copies the terms of an earlier one (the catalogue's), and the
    # terms are nearly all of the validation: validate each distinct terms once too.
    key = orjson.dumps(entry.data)
    registration = _REGISTRATIONS.get(key)
    if registration is None:
        terms_key = orjson.dumps(entry.data["terms"])
        terms = _TERMS.get(terms_key)
        if terms is None:
            terms = Terms.model_validate(entry.data["terms"])
            if len(_TERMS) >= 4096:
                _TERMS.clear()
            _TERMS[terms_key] = terms
        event = load_event({**entry.data, "terms": terms})  # a Terms value is taken as it is
        assert isinstance(event, ContractRegistered)
        if len(_REGISTRATIONS) >= 4096:
            _REGISTRATIONS.clear()
        registration = _REGISTRATIONS[key] = event
    return registration


@dataclass
class History:
    """The effective entries of one contract up to ``through``, and its terms over time."""

    registration: ContractRegistered
    entries: list[Entry]
    through: date | None
    by_type: dict[str, list[Entry]]
    corrected: frozenset[int]
    _breaks: list[date] = field(default_factory=list)
    _terms: list[Terms] = field(default_factory=list)
    ends_on: date | None = None
    _ahead: list[Entry] = field(default_factory=list)

    @classmethod
    def build(cls, entries: Sequence[Entry], through: date | None = None) -> History:
        """Prepare ``entries`` (one contract, seq order, registration first)."""
        if not entries or entries[0].type != "ContractRegistered":
            raise ValueError("a contract's history starts with its ContractRegistered entry")
        corrected: set[int] = set()
        kept: list[Entry] = []
        ahead: list[Entry] = []
        last = date.max if through is None else through
        for entry in entries:
            if entry.type in NEUTRALISES:
                corrected.add(entry.data["entry_seq"])
            elif "redacted" in entry.data:
                # Gallrad (docs/VERIFYING.md §2): its content is gone, so it is judged as having
                # no effect, also as known before the decision (nothing is left to judge).
                continue
            elif entry.effective_date <= last or entry.seq == 1:
                kept.append(entry)
            elif entry.type in AHEAD:
                ahead.append(entry)
        if corrected:  # rare: a correction names an earlier entry, so drop them afterwards
            kept = [e for e in kept if e.seq not in corrected]
            ahead = [e for e in ahead if e.seq not in corrected]
        by_type: dict[str, list[Entry]] = {}
        for entry in kept:
            same_type = by_type.get(entry.type)
            if same_type is None:
                by_type[entry.type] = [entry]
            else:
                same_type.append(entry)
        registration = _registration(entries[0])
        history = cls(registration=registration, entries=kept, through=through, by_type=by_type,
                      corrected=frozenset(corrected), _ahead=ahead)
        history._timeline(by_type.get("AmendmentSigned", []))
        return history

    def extended(self, new: Sequence[Entry]) -> History | None:
        """This history with ``new`` (the next entries, in seq order) appended, as ``build``
        would prepare it; None if one of them is an amendment or a correction."""
        if any(entry.type in EXTENDS_ONLY or entry.seq in self.corrected for entry in new):
            return None
        last = date.max if self.through is None else self.through
        added = [entry for entry in new if entry.effective_date <= last]
        history = copy.copy(self)
        ahead = [entry for entry in new if entry.effective_date > last and entry.type in AHEAD]
        if ahead:
            history._ahead = [*self._ahead, *ahead]
        if added:
            history.entries = [*self.entries, *added]
            history.by_type = by_type = dict(self.by_type)
            for entry in added:
                # A fresh list per touched type: this history's lists are shared with self.
                same_type = by_type.get(entry.type)
                by_type[entry.type] = [entry] if same_type is None else [*same_type, entry]
        return history

    check_reads: ClassVar[bool] = False
    """Whether ``reading`` refuses undeclared types (the tests turn it on); otherwise it only
    hides them, without a Python-level lookup on every read."""

    def reading(self, types: frozenset[str]) -> History:
        """This history restricted to the entry types a rule family declares (``READS``)."""
        view = copy.copy(self)
        declared = {t: self.by_type[t] for t in types if t in self.by_type}
        view.by_type = _Declared(declared, types) if self.check_reads else declared
        return view

    def _timeline(self, amendments: list[Entry]) -> None:
        # Terms at day D: registration terms with every amendment effective on or before D
        # applied in seq order. When amendments take effect in seq order (the usual case)
        # each breakpoint costs one merge; otherwise the breakpoint is rebuilt from the base.
        base = self.registration.terms
        self._breaks, self._terms = [date.min], [base]
        ordered = sorted(amendments, key=lambda e: (e.effective_date, e.seq))
        applied: list[Entry] = []
        i = 0
        while i < len(ordered):
            day = ordered[i].effective_date
            batch = []
            while i < len(ordered) and ordered[i].effective_date == day:
                batch.append(ordered[i])
                i += 1
            batch.sort(key=lambda e: e.seq)
            if not applied or batch[0].seq > applied[-1].seq:
                terms = self._terms[-1]
                for entry in batch:
                    terms = amend(terms, entry.data["changes"])
                applied += batch
            else:
                applied = sorted(applied + batch, key=lambda e: e.seq)
                terms = base
                for entry in applied:
                    terms = amend(terms, entry.data["changes"])
            self._breaks.append(day)
            self._terms.append(terms)

    # --- questions every rule asks ------------------------------------------------

    def terms_at(self, day: date) -> Terms:
        """The terms in force on ``day``."""
        terms = self._terms
        if len(terms) == 1:  # never amended: asked for every entry, so skip the search
            return terms[0]
        return terms[bisect_right(self._breaks, day) - 1]

    @property
    def in_force_from(self) -> date:
        return self.registration.in_force_from.date

    def of(self, *types: str) -> list[Entry]:
        """Effective entries of these types, in seq order."""
        if len(types) == 1:
            return self.by_type.get(types[0], [])
        return sorted((e for t in types for e in self.by_type.get(t, [])), key=_seq)

    def triggers(self, type_: str) -> Iterator[Entry]:
        """Entries of ``type_`` that can still give rise to duties: on or before the contract's end."""
        entries = self.by_type.get(type_, [])
        ends_on = self.ends_on
        if ends_on is None:
            return iter(entries)
        return (entry for entry in entries if entry.effective_date <= ends_on)

    def ahead(self, type_: str) -> list[Entry]:
        """Entries of ``type_`` effective after ``through`` but recorded by then (``AHEAD``)."""
        last = self.through or date.max
        return [e for e in self._ahead if e.type == type_ and recorded_on(e) <= last]

    def in_time_order(self, *types: str) -> list[Entry]:
        """Effective entries of these types by effective date, then seq."""
        if len(types) == 1:
            return sorted(self.by_type.get(types[0], ()), key=in_time)
        return sorted((e for t in types for e in self.by_type.get(t, [])), key=in_time)

    def first_reference(self, type_: str, field_name: str) -> dict[int, Entry]:
        """Referenced seq → the earliest (effective date, seq) entry of ``type_`` referring to it."""
        found: dict[int, Entry] = {}
        for entry in self.by_type.get(type_, []):
            target = entry.data[field_name]
            best = found.get(target)
            if best is None or (entry.effective_date, entry.seq) < (best.effective_date, best.seq):
                found[target] = entry
        return found


def due_dates(due: date, policies: Policies, *, before: bool = False) -> tuple[date, date]:
    """(due, due_working_day) of every deadline family: the one weekend policy.

    A deadline after an event ("omgående", "senast 31 mars", a cure period) shows the working
    day on or after it; a deadline *before* something ("senast en vecka före", "i förväg")
    the working day on or before it, never a day past it. The deadline itself moves to that
    day only where ``weekend_deadline_moves`` says so."""
    working = on_or_previous_working_day(due) if before else on_or_next_working_day(due)
    return (working if policies.weekend_deadline_moves else due), working


def prompt_obligation(
    *, kind: str, holder: Party, clause: Citation, trigger: Entry, working_days: int,
    duty: str, fulfilment: Entry | None,
) -> Obligation:
    """A duty due ``working_days`` Swedish working days after the triggering entry."""
    start = trigger.effective_date
    due, working, deadline = _prompt_deadline(start, working_days)
    seq = trigger.seq
    # Positional: parsing a dozen keywords costs a third of building the obligation.
    return Obligation(
        f"{kind}:{seq}", kind, holder, clause, due, working, start, seq, duty + deadline, None,
        fulfilment.seq if fulfilment else None, fulfilment.effective_date if fulfilment else None,
    )


@cache
def _prompt_deadline(start: date, working_days: int) -> tuple[date, date, str]:
    # (due, due_working_day, explanation tail): triggers share few distinct days. A count of
    # working days ends on one, so the weekend policy (``due_dates``) never moves it.
    due, working = due_dates(add_working_days(start, working_days), _DEFAULT_POLICIES)
    return due, working, f"; senast {explain_working_days(start, working_days)}"


_DEFAULT_POLICIES = Policies()


def counterpart(party: Party) -> Party:
    return "utforare" if party == "bestallare" else "bestallare"


def data(entry: Entry, name: str, default: Any = None) -> Any:
    return entry.data.get(name, default)


class Standing:
    """A standing requirement judged at each relevant entry (in time order).

    ``unmet`` opens a deviation (or adds the entry to the open one); ``met`` ends
    the open deviation on that entry's effective date.
    """

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._open: tuple[Citation, date, list[int], str] | None = None
        self.deviations: list[Deviation] = []

    @property
    def is_open(self) -> bool:
        return self._open is not None

    def unmet(self, entry: Entry, clause: Citation, explanation: str) -> None:
        if self._open is None:
            self._open = (clause, entry.effective_date, [entry.seq], explanation)
        else:
            self._open[2].append(entry.seq)

    def met(self, entry: Entry, why: str) -> None:
        if self._open is None:
            return
        clause, since, seqs, explanation = self._open
        until = entry.effective_date
        self.deviations.append(Deviation(
            self.kind, clause, since, (*seqs, entry.seq), f"{explanation}; {why} {iso(until)}", until,
        ))
        self._open = None

    def result(self) -> list[Deviation]:
        if self._open is not None:
            clause, since, seqs, explanation = self._open
            return [*self.deviations, Deviation(kind=self.kind, clause=clause, since=since,
                                                seqs=tuple(seqs), explanation=explanation)]
        return list(self.deviations)
